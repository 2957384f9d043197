"""Find statutes and articles by title, for citations here and for other loaders (Duty / Ruling basis).

`find_article(store, "中华人民共和国食品安全法", "第三十五条")` → the article id in the version in force.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graph.numerals import article_number as parse_article_number
from graph.queries.laws import articles_exist, law_index, versions_of
from graph.queries.temporal import pick_version
from graph.store.base import GraphStore
from ingest.extract.citations import title_key


class TitleIndex:
    """title key → versions, from the graph plus statutes about to be written."""

    def __init__(self, rows: list[dict[str, Any]] | None = None):
        self.by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._ids: set[str] = set()
        for r in rows or []:
            self.add(r)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._ids)

    @classmethod
    def from_store(cls, store: GraphStore) -> TitleIndex:
        return cls(law_index(store))

    def add(self, row: dict[str, Any]) -> None:
        if row["id"] not in self._ids:
            self._ids.add(row["id"])
            self.by_key[title_key(row["title"])].append(row)

    def law_id(self, title: str, as_of: str | None = None) -> str | None:
        row = pick_version(self.by_key.get(title_key(title), []), as_of)
        return row["id"] if row else None


def _number(value: str | int) -> str:
    return str(value) if isinstance(value, int) else parse_article_number(value)


def find_article(store: GraphStore, law_title: str, article_number: str | int,
                 as_of: dt.date | str | None = None) -> str | None:
    """Id of the article in the version of `law_title` in force `as_of` (default: the current version).

    The title may carry 《》 or omit 中华人民共和国; the number may be '第十条之一', '10之1' or 101.
    Returns None when the statute or the article is not in the graph.
    """
    key = title_key(law_title)
    rows = versions_of(store, sorted({key, "中华人民共和国" + key}))
    when = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    row = pick_version(rows, when)
    if row is None:
        return None
    try:
        art_id = f"{row['id']}#第{_number(article_number)}条"
    except ValueError:
        return None
    return art_id if articles_exist(store, [art_id]) else None
