"""Graph rows of the owner walks, per unit, kept while the graph is unchanged.

An ask reads, for the units it retrieved, who they lead to (an article's designations, a matter's owners,
the departments acting as an authority, a statute's referring articles …). Units recur from one question to
the next — a knowledge base's duty items, matters and statutes are few against the questions asked about
them — and each read costs a round trip plus the graph server's and this process's work on its rows (a third
of an ask's CPU without the query embedding). So the rows are kept per (read, scope, unit id) under the
graph's write version: any write, by any process, moves the version and empties the cache, exactly as
`search.service.GraphCache` and the authority matcher do. The rows returned are shared: callers read them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from graph.store.base import GraphStore

Row = dict[str, Any]
Fetch = Callable[[GraphStore, list[str]], list[Row]]
MAX_UNITS = 50_000  # (read, scope, unit) entries per process; least recently used out


class UnitRows:
    """Rows by unit id for one (store, graph version) at a time; `size` 0 reads the graph every time."""

    def __init__(self, size: int = MAX_UNITS):
        self.size = size
        self.hits = self.misses = 0
        self._state: tuple[int, str] | None = None
        self._items: OrderedDict[tuple[str, str, str], list[Row]] = OrderedDict()
        self._lock = threading.Lock()

    def rows(self, store: GraphStore, version: str, read: str, fetch: Fetch, by: str, ids: Sequence[str],
             scope: str = "") -> list[Row]:
        """`fetch(store, ids)`'s rows, each unit's from the cache where it was read before under `version`.

        `read` names the query (with `scope`, e.g. the place, what else its rows depend on), `by` the column
        that holds the unit id. Rows come unit by unit in the order of `ids`, each unit's in the order the
        graph gave them, as one read of `ids` returns them."""
        ids = list(dict.fromkeys(ids))
        if not self.size:
            return fetch(store, ids) if ids else []
        state = (id(store), version)
        found: dict[str, list[Row]] = {}
        with self._lock:
            if state != self._state:
                self._items.clear()
                self._state = state
            for uid in ids:
                got = self._items.get((read, scope, uid))
                if got is not None:
                    self._items.move_to_end((read, scope, uid))
                    found[uid] = got
        missing = [uid for uid in ids if uid not in found]
        self.hits += len(ids) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh: dict[str, list[Row]] = {uid: [] for uid in missing}
            for r in fetch(store, missing):
                fresh.setdefault(r[by], []).append(r)
            found.update(fresh)
            with self._lock:
                if self._state == state:
                    for uid in missing:
                        self._items[(read, scope, uid)] = fresh[uid]
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return [r for uid in ids for r in found.get(uid, [])]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._state = None


UNIT_ROWS = UnitRows()  # the process's one cache: every search service of the process reads through it
