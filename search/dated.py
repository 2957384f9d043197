"""The law of an asked date (`ask --as-of`): which version of each statute was in force then, and whether it was.

A unit's `valid` and a law's stored status say whether it is in force today: an ask as of 2019-06-01 that read
them showed today's article text, counted a statute repealed in 2021 at 0.3 (basis) or nothing (owners), and
counted one not yet in force in 2019 fully. Here the dates decide: a version is in force on the day when it had
started then and nothing in the graph (a later version, a repealing statute) had ended it by then
(`graph.queries.temporal.standing_on`). An ask without a date never builds one of these, so it reads today's
status as it always did.
"""

from __future__ import annotations

import threading
from typing import Any

from graph.queries.laws import version_spans
from graph.queries.temporal import Standing, applies_on, standing_on
from graph.store.base import GraphStore
from search.retriever import Hit


class DatedLaws:
    """Statute versions as of one day, read from the graph as an ask reaches them (once per statute version)."""

    def __init__(self, store: GraphStore, day: str):
        self.store, self.day = store, day
        self._versions: dict[str, list[dict[str, Any]]] = {}  # a version -> every version of its statute
        self._lock = threading.Lock()

    def load(self, law_ids: list[str]) -> None:
        """Read these versions' statutes in one query (each once)."""
        missing = [i for i in dict.fromkeys(law_ids) if i and i not in self._versions]
        if not missing:
            return
        found: dict[str, list[dict[str, Any]]] = {i: [] for i in missing}
        for row in version_spans(self.store, missing):
            found[row["asked"]].append(row)
        with self._lock:
            self._versions.update(found)

    def standing(self, law_id: str | None) -> Standing | None:
        """Where this version stood on the day (`standing_on`; the earliest version held of its statute counts from
        the statute's own effective date); None where the graph does not hold it."""
        if not law_id:
            return None
        self.load([law_id])
        versions = self._versions.get(law_id, [])
        row = next((r for r in versions if r["id"] == law_id), None)
        if row is None:
            return None
        first = min(versions, key=lambda r: (applies_on(r), r.get("version") or ""))
        return standing_on(row, self.day, first=row is first)

    def in_force(self, law_id: str | None, default: bool = True) -> bool:
        """Was this version in force on the day? `default` where the graph does not hold it."""
        standing = self.standing(law_id)
        return default if standing is None else standing == "in force"

    def hits(self, hits: list[Hit]) -> list[Hit]:
        """`hits` with each statute article's `valid` saying whether its statute version was in force on the day."""
        self.load([str(h.unit.meta.get("law_id") or "") for h in hits if h.unit.kind == "Article"])
        out: list[Hit] = []
        for h in hits:
            if h.unit.kind == "Article" and (valid := self.in_force(h.unit.meta.get("law_id"), h.unit.valid)) != h.unit.valid:
                h = h.model_copy(update={"unit": h.unit.model_copy(update={"valid": valid})})
            out.append(h)
        return out


__all__ = ["DatedLaws"]
