"""What every gap finder needs: the store, the as-of date, the place, the work-order window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graph.places import resolve_place
from graph.queries import gaps as q
from graph.queries.temporal import as_of_param
from graph.store.base import GraphStore


@dataclass
class GapContext:
    store: GraphStore
    as_of: str
    jurisdiction: str | None = None
    window_days: int = 365
    settings: Any = None
    embedder: Any = None
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(cls, store: GraphStore, as_of: dt.date | str | None = None, jurisdiction: str | None = None,
             **kw: Any) -> GapContext:
        return cls(store=store, as_of=as_of_param(as_of), jurisdiction=resolve_jurisdiction(store, jurisdiction), **kw)

    @property
    def since(self) -> str:
        return (dt.date.fromisoformat(self.as_of) - dt.timedelta(days=self.window_days)).isoformat()

    @property
    def until(self) -> str:
        """Work orders received on the as-of day itself still count."""
        return (dt.date.fromisoformat(self.as_of) + dt.timedelta(days=1)).isoformat()

    def params(self, **extra: Any) -> dict[str, Any]:
        return q.params(self.as_of, self.jurisdiction, **{"since": self.since, "until": self.until, **extra})

    def read(self, query: str, **extra: Any) -> list[dict[str, Any]]:
        return q.run(self.store, query, self.params(**extra))

    @cached_property
    def orders_by_matter(self) -> dict[str, int]:
        """Work orders per matter received in the window, in the jurisdiction if one is set (the impact figure)."""
        return {r["matter"]: int(r["orders"]) for r in self.read(q.ORDERS_BY_MATTER)}

    def department_names(self, ids: list[str]) -> dict[str, str]:
        todo = [i for i in ids if i not in self.names]
        if todo:
            for r in self.store.read("UNWIND $ids AS i MATCH (d:Department {id: i}) RETURN d.id AS id, d.name AS name",
                                     {"ids": todo}):
                self.names[r["id"]] = r["name"]
        return {i: self.names.get(i, i) for i in ids}


def resolve_jurisdiction(store: GraphStore, value: str | None) -> str | None:
    """A `jur:` id for a place given any way `graph.places.resolve_place` takes (id, name, short name,
    path); None = everywhere. Gaps are found among what the graph holds, so an unloaded place
    narrows to nothing rather than to its province."""
    return resolve_place(store, value).id if value else None
