"""Write tables to an .xlsx workbook (openpyxl): one `Sheet` per tab, an optional caption row above the
header (as published lists carry their title), a bold frozen header with a filter, wrapped text and
column widths fitted to the content.

The one workbook writer of the project: anything in `api` that hands a table out as a spreadsheet builds
`Sheet`s and calls `workbook_bytes` or `save`. Cells are written as values, never formulas: a text that
starts with '=' stays text, and characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    caption: str = ""  # a title row above the header
    widths: dict[str, int] = field(default_factory=dict)  # header → width, where the content's is wrong


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, list | tuple | set):
        v = "、".join(str(x) for x in v)
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def _width(v: Any) -> int:
    """Display width of a cell's longest line: a CJK character counts two."""
    if v is None:
        return 0
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in str(v).splitlines()), default=0)


def _fill(ws, sheet: Sheet) -> None:  # noqa: ANN001 - an openpyxl worksheet
    top = 1
    if sheet.caption:
        ws.cell(row=1, column=1, value=_value(sheet.caption)).font = Font(bold=True, size=13)
        top = 2
    widths = [_width(h) for h in sheet.header]
    for c, h in enumerate(sheet.header, 1):
        cell = ws.cell(row=top, column=c, value=h)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    r = top
    for r, row in enumerate(sheet.rows, top + 1):
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=_value(v))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a value, never a formula
            cell.alignment = wrap
            widths[c - 1] = max(widths[c - 1], _width(cell.value))
    for c, h in enumerate(sheet.header, 1):
        ws.column_dimensions[get_column_letter(c)].width = sheet.widths.get(h, min(MAX_WIDTH, max(6, widths[c - 1] + 2)))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    if sheet.header:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(sheet.header))}{max(r, top)}"


def workbook(sheets: Iterable[Sheet]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for s in sheets:
        title = _BAD_TITLE.sub("_", s.title)[:31] or "Sheet"
        while title in used:
            title = title[:28] + f"_{len(used)}"
        used.add(title)
        _fill(wb.create_sheet(title), s)
    return wb


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    out = io.BytesIO()
    workbook(sheets).save(out)
    return out.getvalue()


def save(sheets: Iterable[Sheet], path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(workbook_bytes(sheets))
    return path
