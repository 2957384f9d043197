"""Text units: the pieces of the graph that search indexes, one per node, keyed by the node id.

Each unit carries the text to embed and tokenise, the place it belongs to (for jurisdiction filters),
a short display title, and whether it is in force (repealed articles and superseded rulings stay
searchable, but ranking must know). Cypher lives in `graph.queries.units`; this module only shapes rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.places import NATIONAL
from graph.queries.units import UNIT_KINDS, unit_counts, unit_rows
from graph.store.base import GraphStore

UnitKind = Literal["Article", "MandateClause", "Duty", "Matter", "Ruling"]
# Statute levels that only the centre issues: they apply everywhere even when no place was recorded.
_NATIONAL_LEVELS = frozenset({"宪法", "法律", "行政法规", "监察法规", "司法解释"})
_IN_FORCE = frozenset({"现行有效", "未知", ""})


class TextUnit(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(description="node id in the graph")
    kind: UnitKind
    jurisdiction: str = Field(default="", description="jurisdiction id the unit belongs to; '' = not placed")
    title: str = Field(default="", description="short label for display: law + article, department + clause …")
    text: str = Field(description="what is embedded and tokenised")
    status: str = ""
    valid: bool = Field(default=True, description="in force: law 现行有效 / ruling in_force")
    meta: dict[str, Any] = Field(default_factory=dict)


def _join(*parts: Any) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def _place(jurisdictions: list[str] | None) -> str:
    """One place for a unit held in several: the highest (shortest path), so towns roll up to the county."""
    js = [j for j in (jurisdictions or []) if j]
    return min(js, key=lambda j: (j.count("/"), j)) if js else ""


def _article(r: dict[str, Any]) -> TextUnit:
    law_status = r.get("law_status") or ""
    status = law_status if law_status and law_status != "未知" else (r.get("article_status") or "未知")
    jur = r.get("jurisdiction") or (NATIONAL if r.get("law_level") in _NATIONAL_LEVELS else "")
    law_title = r.get("law_title") or ""
    head = f"{law_title} 第{r.get('number')}条" if law_title else f"第{r.get('number')}条"
    return TextUnit(
        id=r["id"], kind="Article", jurisdiction=jur, title=head, text=_join(head, r.get("text")),
        status=status, valid=status in _IN_FORCE,
        meta={"law_id": r.get("law_id"), "law_title": law_title, "article": r.get("number"),
              "chapter": r.get("chapter"), "law_level": r.get("law_level"), "effective": r.get("effective"),
              "version": r.get("version")},
    )


def _clause(r: dict[str, Any]) -> TextUnit:
    dept = r.get("department") or ""
    title = f"{dept} 三定 {r.get('number')}".strip()
    return TextUnit(
        id=r["id"], kind="MandateClause", jurisdiction=r.get("jurisdiction") or "", title=title,
        text=_join(dept, r.get("text")), status="", valid=True,
        meta={"department_id": r.get("department_id"), "department": dept, "mandate_id": r.get("mandate_id"),
              "clause": r.get("number"), "clause_kind": r.get("clause_kind"), "issued": r.get("issued")},
    )


def _duty(r: dict[str, Any]) -> TextUnit:
    return TextUnit(
        id=r["id"], kind="Duty", jurisdiction=_place(r.get("jurisdictions")), title=r.get("name") or "",
        text=_join(r.get("name"), r.get("type"), r.get("text")), valid=True,
        meta={"list": r.get("list"), "code": r.get("code"), "type": r.get("type"), "basis": r.get("basis"),
              "departments": sorted(r.get("departments") or []), "jurisdictions": sorted(r.get("jurisdictions") or [])},
    )


def _matter(r: dict[str, Any]) -> TextUnit:
    path = list(r.get("path") or [r.get("name") or ""])
    title = " > ".join(path)
    return TextUnit(
        id=r["id"], kind="Matter", jurisdiction=_place(r.get("jurisdictions")), title=title,
        text=_join(title, r.get("description")), valid=True,
        meta={"name": r.get("name"), "path": path, "departments": sorted(r.get("departments") or []),
              "jurisdictions": sorted(r.get("jurisdictions") or [])},
    )


def _ruling(r: dict[str, Any]) -> TextUnit:
    status = r.get("status") or "in_force"
    return TextUnit(
        id=r["id"], kind="Ruling", jurisdiction=r.get("jurisdiction") or "", title=r.get("title") or "",
        text=_join(r.get("title"), r.get("summary"), r.get("text")), status=status, valid=status == "in_force",
        meta={"decided_on": r.get("decided_on"), "decided_by": r.get("decided_by")},
    )


_SHAPERS: dict[str, Callable[[dict[str, Any]], TextUnit]] = {
    "Article": _article, "MandateClause": _clause, "Duty": _duty, "Matter": _matter, "Ruling": _ruling,
}


def count_units(store: GraphStore, kinds: tuple[str, ...] = UNIT_KINDS) -> dict[str, int]:
    counts = unit_counts(store)
    return {k: counts[k] for k in kinds}


def read_units(
    store: GraphStore, kinds: tuple[str, ...] = UNIT_KINDS, *, page: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> Iterator[TextUnit]:
    """Every unit of the given kinds, kind by kind in id order; units with no text are skipped."""
    for kind in kinds:
        shape = _SHAPERS[kind]
        for row in unit_rows(store, kind, page=page):
            if progress:
                progress(1)
            unit = shape(row)
            if unit.text.strip():
                yield unit
