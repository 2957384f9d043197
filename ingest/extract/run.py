"""Batch extraction over many articles, with a cheap prefilter in front of spaCy.

Most articles (definitions, penalties against parties, procedures) name no authority at all; only
those containing an authority-like word go through the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from pathlib import Path

from ingest.extract.defined_names import resolve_short_names
from ingest.extract.designations import Designation
from ingest.extract.general_agents import general_agents
from ingest.extract.nlp import authority_pipeline

_HINTS = ("部门", "机关", "机构", "执法组织", "办事处", "人民政府", "海关", "港务监督", "派出所", "管理所", "局", "委", "管理中心", "办公室", "台站")


def may_designate(text: str) -> bool:
    """False when the article cannot name an authority (no suffix word at all)."""
    return any(h in text for h in _HINTS)


_SENTENCE = re.compile(r"[^；;。\n]*(?:[；;。\n]|$)")


def _hint_sentences(text: str) -> str:
    """Only the sentences that can name an authority: designations never cross a sentence (。；or a
    line break), so dropping the others changes no result and halves the segmenter's work."""
    return "".join(s for s in _SENTENCE.findall(text) if s and may_designate(s))


def _with_defined_names(texts: Sequence[str], statutes: Sequence[Hashable]) -> list[str]:
    """Each statute's articles (texts sharing a key in `statutes`) with the short names it defines written out."""
    members: dict[Hashable, list[int]] = {}
    for i, key in enumerate(statutes):
        members.setdefault(key, []).append(i)
    out = list(texts)
    for idx in members.values():
        for i, text in zip(idx, resolve_short_names([texts[i] for i in idx]), strict=True):
            out[i] = text
    return out


def extract_designations(texts: Sequence[str], batch_size: int = 256, user_table: Path | None = None,
                         statutes: Sequence[Hashable] | None = None) -> list[list[Designation]]:
    """Designations for each text, in order; `user_table` extends the authority table. `statutes` (one key per
    text) says which texts are one statute's articles, so that a short name one article defines (以下简称) is
    read in the others, and the agent a general clause names (本条例规定的行政处罚，由X实施) is read as the agent of
    its penalties that name none (general_agents)."""
    if statutes is not None:
        texts = _with_defined_names(texts, statutes)
    out: list[list[Designation]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(texts) if may_designate(t)]
    if not todo:
        return out
    nlp = authority_pipeline(str(user_table) if user_table else None)
    relevant = (_hint_sentences(texts[i]) for i in todo)
    for i, doc in zip(todo, nlp.pipe(relevant, batch_size=batch_size), strict=True):
        out[i] = list(doc._.designations)
    return general_agents(texts, out, statutes) if statutes is not None else out
