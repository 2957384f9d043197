"""The owner walk keeps only the paths that can count: a matter every town holds reaches the territorial body
through each town's department, and only the first of the best of those paths is evidence."""

from __future__ import annotations

import datetime as dt

from graph.ontology import Department, DepartmentIn, Jurisdiction, ResponsibleFor
from graph.queries.evidence import matter_owners
from graph.store.base import GraphStore
from search.owners.rank import TERRITORIAL_NAME, _start, _Walk, rank_owners
from search.owners.rows import UNIT_ROWS
from search.owners.weights import DEFAULT_WEIGHTS
from search.retriever import Hit
from search.units import TextUnit
from tests import search_kb as kb
from tests.places import LUAN

TOWNS = [Jurisdiction(name=f"第{i}街道", level="乡镇", parent=LUAN.id) for i in range(1, 4)]
OFFICES = [Department(name=f"第{i}街道办事处", jurisdiction=t.id, kind="township", level="乡镇")
           for i, t in enumerate(TOWNS, 1)]
AS_OF = "2025-01-01"


def _build(store: GraphStore) -> None:
    kb.build_kb(store)
    store.upsert_nodes([*TOWNS, *OFFICES])
    ended = dt.date(2024, 1, 1)
    store.upsert_edges([
        *(DepartmentIn(src=o.id, dst=t.id, source=kb.SRC) for o, t in zip(OFFICES, TOWNS, strict=True)),
        *(ResponsibleFor(src=o.id, dst=kb.M_STALL.id, source=kb.SRC, role="territorial",
                         valid_to=ended if i == 0 else None) for i, o in enumerate(OFFICES)),
    ], actor=kb.SRC)


def _hit() -> Hit:
    unit = TextUnit(id=kb.M_STALL.id, kind="Matter", jurisdiction="", title=kb.M_STALL.name, text=kb.M_STALL.description)
    return Hit(unit=unit, score=1.0, lexical_score=1.0)


def test_a_matter_of_every_town_is_one_piece_of_territorial_evidence(store: GraphStore) -> None:
    _build(store)
    UNIT_ROWS.clear()
    towns = [r for r in matter_owners(store, [kb.M_STALL.id]) if r["kind"] == "township"]
    assert len(towns) == 4  # 城关街道 and three more, one of them ended
    for _ in range(2):  # the rows are read, then kept
        cands = rank_owners(store, [_hit()], LUAN.id, AS_OF)
        terr = next(c for c in cands if c.name == TERRITORIAL_NAME)
        assert len(terr.evidence) == 1
        ev = terr.evidence[0]
        # the first town department in the graph's order whose edge is in force on the date: a later one
        # weighs the same, an ended one less
        first = next(r["department"] for r in towns if r["valid_to"] is None)
        assert ev.path[-1] == first and ev.factors["validity"] == 1.0
        assert ev.contribution == 1.0 * DEFAULT_WEIGHTS.kind["matter"] * DEFAULT_WEIGHTS.role["territorial"]
        assert {c.name for c in cands} >= {kb.ENFORCE.name, TERRITORIAL_NAME}


def test_of_equal_paths_the_first_counts(store: GraphStore) -> None:
    _build(store)
    UNIT_ROWS.clear()
    towns = [r for r in matter_owners(store, [kb.M_STALL.id]) if r["kind"] == "township"]
    cands = rank_owners(store, [_hit()], LUAN.id, "2023-06-01")  # before the end: every town's edge in force
    terr = next(c for c in cands if c.name == TERRITORIAL_NAME)
    assert len(terr.evidence) == 1
    assert terr.evidence[0].path[-1] == towns[0]["department"] and terr.evidence[0].factors["validity"] == 1.0


def test_the_walk_keeps_the_best_path_of_a_unit_to_a_body_the_first_of_equals(store: GraphStore) -> None:
    _build(store)
    walk = _Walk(store, LUAN.id, AS_OF, "department", DEFAULT_WEIGHTS)
    unit = _hit().unit
    ended = _start(unit, 0.5, "matter", DEFAULT_WEIGHTS, "x", ["x"], validity=DEFAULT_WEIGHTS.ended)
    current = _start(unit, 0.5, "matter", DEFAULT_WEIGHTS, "x", ["x"])
    offices = [{"id": o.id, "name": o.name, "kind": "township", "jurisdiction": o.jurisdiction} for o in OFFICES]
    walk.add_department(offices[0], "lead", ended)
    walk.add_department(offices[1], "lead", current)  # better: takes the weaker one's place
    walk.add_department(offices[2], "lead", current)  # as good: the first stays
    walk.add_department({"id": kb.ENFORCE.id, "name": kb.ENFORCE.name, "kind": None, "jurisdiction": LUAN.id},
                        "lead", current)
    assert [(r.name, r.path[-1], r.base) for r in walk.raw] == [
        (TERRITORIAL_NAME, OFFICES[1].name, 0.5 * DEFAULT_WEIGHTS.role["territorial"]),
        (kb.ENFORCE.name, kb.ENFORCE.name, 0.5),
    ]
