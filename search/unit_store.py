"""Units by index position, in SQLite beside the indexes: hits fetch only the few units they show."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

from search.units import TextUnit

_SCHEMA = """
CREATE TABLE units (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, jurisdiction TEXT NOT NULL,
    title TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, valid INTEGER NOT NULL, meta TEXT NOT NULL
)
"""


def write_units(path: Path, units: Iterable[TextUnit]) -> int:
    db = sqlite3.connect(path)
    try:
        db.execute(_SCHEMA)
        rows = (
            (i, u.id, u.kind, u.jurisdiction, u.title, u.text, u.status, int(u.valid),
             json.dumps(u.meta, ensure_ascii=False, default=str))
            for i, u in enumerate(units)
        )
        with db:
            db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("CREATE UNIQUE INDEX units_id ON units (id)")
        db.commit()
        return int(db.execute("SELECT count(*) FROM units").fetchone()[0])
    finally:
        db.close()


class UnitStore:
    """Read side; safe to share between threads (one connection, serialised).

    The units last fetched are kept (at most KEPT, least recently used out): an index version's units never
    change, and the asks of one dispute (the whole text, each statement, each aspect) and of similar disputes
    retrieve many of the same units; reading and parsing them again was ~0.5 ms of each search's CPU."""

    KEPT = 4096
    KEPT_IDS = 65536  # unit id → position (or None: not in the index) entries kept

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._kept: OrderedDict[int, TextUnit] = OrderedDict()
        self._positions: dict[str, int | None] = {}

    @staticmethod
    def _unit(row: tuple) -> TextUnit:
        _, uid, kind, jur, title, text, status, valid, meta = row
        return TextUnit(id=uid, kind=kind, jurisdiction=jur, title=title, text=text, status=status,
                        valid=bool(valid), meta=json.loads(meta))

    def get(self, positions: Sequence[int]) -> dict[int, TextUnit]:
        out: dict[int, TextUnit] = {}
        with self._lock:
            for p in positions:
                unit = self._kept.get(int(p))
                if unit is not None:
                    self._kept.move_to_end(int(p))
                    out[int(p)] = unit
            missing = [int(p) for p in positions if int(p) not in out]
            if not missing:
                return out
            marks = ",".join("?" * len(missing))
            rows = self._db.execute(f"SELECT * FROM units WHERE pos IN ({marks})", missing).fetchall()
            for r in rows:
                out[int(r[0])] = self._kept[int(r[0])] = self._unit(r)
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
        return out

    def position(self, unit_id: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT pos FROM units WHERE id = ?", (unit_id,)).fetchone()
        return int(row[0]) if row else None

    def positions(self, unit_ids: Sequence[str]) -> dict[str, int]:
        """Positions of many units in one query (ids the index does not hold are left out). Kept, as units are:
        an ask looks up the positions of its statutes' articles several times (~0.4 ms of a compound dispute)."""
        out: dict[str, int] = {}
        with self._lock:
            missing = [u for u in dict.fromkeys(unit_ids) if u not in self._positions]
            if missing:
                if len(self._positions) + len(missing) > self.KEPT_IDS:
                    self._positions.clear()
                marks = ",".join("?" * len(missing))
                rows = self._db.execute(f"SELECT id, pos FROM units WHERE id IN ({marks})", missing).fetchall()
                self._positions.update(dict.fromkeys(missing))  # None: not in the index
                self._positions.update((r[0], int(r[1])) for r in rows)
            for u in unit_ids:
                p = self._positions.get(u)
                if p is not None:
                    out[u] = p
        return out

    def law_articles(self, law_id: str) -> list[tuple[int, TextUnit]]:
        """(position, unit) of every article of one statute version, in id order. Article ids are
        `<law id>#第N条`, so this is a range scan of the id index (search.focus keeps what it needs of
        the statutes questions keep reaching)."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM units WHERE id >= ? AND id < ? AND kind = 'Article'",
                                    (law_id + "#", law_id + "$")).fetchall()
        return [(int(r[0]), self._unit(r)) for r in rows]

    def article_ids(self) -> list[tuple[int, str]]:
        """(position, id) of every article: which statute each position belongs to (search.statutes)."""
        with self._lock:
            rows = self._db.execute("SELECT pos, id FROM units WHERE kind = 'Article'").fetchall()
        return [(int(p), str(i)) for p, i in rows]

    def rows(self) -> list[tuple[int, str, bool, str]]:
        """(position, kind, in force, text) of every unit, in position order: what a pass over the
        whole index (filling in vectors) needs, without building a model per row."""
        with self._lock:
            rows = self._db.execute("SELECT pos, kind, valid, text FROM units ORDER BY pos").fetchall()
        return [(int(p), k, bool(v), t) for p, k, v, t in rows]

    def close(self) -> None:
        self._db.close()
