"""The law of an asked date (`ask --as-of`): which version of each statute was in force then, and whether it was.

A unit's `valid` and a law's stored status say whether it is in force today: an ask as of 2019-06-01 that read
them showed today's article text, counted a statute repealed in 2021 at 0.3 (basis) or nothing (owners), and
counted one not yet in force in 2019 fully. Here the dates decide: a version is in force on the day when it had
started then and nothing in the graph (a later version, a repealing statute) had ended it by then
(`graph.queries.temporal.standing_on`). An ask without a date reads the law in force today the same way: a
version stored 现行有效 that starts later (农业法 from 2027-01-01) does not speak yet, the one it will replace does.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from graph.queries.laws import version_spans
from graph.queries.temporal import Standing, applies_on, standing_on
from graph.store.base import GraphStore
from search.retriever import Hit


class DatedLaws:
    """Statute versions as of one day, read from the graph as an ask reaches them (once per statute version)."""

    def __init__(self, store: GraphStore, day: str, key: str = ""):
        # a proxy: the kept copy (dated_laws) must not keep its store, the key of the cache holding it, alive
        self.store, self.day, self.key = weakref.proxy(store), day, key  # key: the graph version it was read under
        self._versions: dict[str, list[dict[str, Any]]] = {}  # a version -> every version of its statute
        self._standing: dict[str, Standing | None] = {}  # a version -> where it stood on the day
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
        if law_id in self._standing:  # kept across asks (dated_laws): a warm ask reads each from memory
            return self._standing[law_id]
        self.load([law_id])
        versions = self._versions.get(law_id, [])
        row = next((r for r in versions if r["id"] == law_id), None)
        return None if row is None else self._stands(row, versions)

    def _stands(self, row: dict[str, Any], versions: list[dict[str, Any]]) -> Standing:
        """`row`'s standing among its statute's `versions` (the earliest held counts from the statute's date), kept."""
        if row["id"] not in self._standing:
            first = min(versions, key=lambda r: (applies_on(r), r.get("version") or ""))
            self._standing[row["id"]] = standing_on(row, self.day, first=row is first)
        return self._standing[row["id"]]

    def version_in_force(self, law_id: str | None) -> str | None:
        """The version of this version's statute in force on the day, reached or not; None where none is."""
        if not law_id:
            return None
        self.load([law_id])
        versions = self._versions.get(law_id, [])
        return next((r["id"] for r in versions if self._stands(r, versions) == "in force"), None)

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


_KEPT: weakref.WeakKeyDictionary[GraphStore, dict[str, DatedLaws]] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()
KEPT_DAYS = 4  # days kept per store: undated asks (today) and a few dated ones alternate without re-reading


def dated_laws(store: GraphStore, day: str) -> DatedLaws:
    """The statutes as of `day`, kept per store while its graph version stays the same: every ask (an undated one
    reads today) reaches mostly the same statutes, so a warm ask reads none of them again; a write (a new version)
    starts afresh. A few days are kept side by side, the least recently asked dropped first."""
    version = store.version()
    with _KEPT_LOCK:
        days = _KEPT.setdefault(store, {})
        kept = days.pop(day, None)  # taken out and put back last: the least recently asked day goes first
        if kept is not None and kept.key == version:
            days[day] = kept
        else:
            for stale in [d for d, k in days.items() if k.key != version]:
                del days[stale]
            while len(days) >= KEPT_DAYS:
                del days[next(iter(days))]
            kept = days[day] = DatedLaws(store, day, version)
        return kept


__all__ = ["DatedLaws", "dated_laws"]
