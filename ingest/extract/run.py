"""Batch extraction over many articles, with a cheap prefilter in front of spaCy.

Most articles (definitions, penalties against parties, procedures) name no authority at all; only
those containing an authority-like word go through the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.extract.designations import Designation
from ingest.extract.nlp import authority_pipeline

_HINTS = ("部门", "机关", "机构", "办事处", "人民政府", "海关", "派出所", "公安局", "监管局")


def may_designate(text: str) -> bool:
    """False when the article cannot name an authority (no suffix word at all)."""
    return any(h in text for h in _HINTS)


def extract_designations(texts: Sequence[str], batch_size: int = 256,
                         user_table: Path | None = None) -> list[list[Designation]]:
    """Designations for each text, in order; `user_table` extends the authority table."""
    out: list[list[Designation]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(texts) if may_designate(t)]
    if not todo:
        return out
    nlp = authority_pipeline(str(user_table) if user_table else None)
    for i, doc in zip(todo, nlp.pipe((texts[i] for i in todo), batch_size=batch_size), strict=True):
        out[i] = list(doc._.designations)
    return out
