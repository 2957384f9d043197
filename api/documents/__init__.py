"""Documents out: what the pages and the CLI show, as files officials sign and hand on.

- a dispute case → a draft 职责分工意见 (opinion on the division of duties), one document model
  (`blocks.Document`, built by `opinion.py`) rendered as .docx (`render_docx`) and Markdown (`render_md`);
- gaps, an ask answer and a department's duties → .xlsx (`sheets.py`, `dutylist.py`), written by one
  workbook helper (`xlsx.py`, openpyxl only, importable by any part of `api`).

It sits in `api` because it renders what the API and CLI already return (the case view, the ask contract,
gap items) in the words of `api.vocabulary`; it reads the graph only for what those leave out (an
article's full text, a duty's holders).
"""
