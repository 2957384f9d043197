"""The change log is complete and checked against the graph: concurrent writers of one edge leave the graph as the
log's last entry says; a direct Cypher edit, a deleted edge and a changed property are reported by id; who
asserted an edge is hashed; node status changes are logged; a missing or torn anchor is a problem; entries
written under the first hash version still verify."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from graph.changelog import ChangeEntry
from graph.ontology import Department, Matter, ResponsibleFor
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore

WRITERS, ROUNDS = 4, 60
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"


def _kb(store: GraphStore, n: int = 2) -> tuple[list[Department], Matter]:
    depts = [Department(name=f"部门{i}", jurisdiction="jur:全国/测试市") for i in range(n)]
    matter = Matter(name="占道经营", path=["市容", "占道经营"])
    store.upsert_nodes([matter, *depts])
    return depts, matter


def _write(settings_json: str, i: int, dept: str, matter: str, start: Any) -> None:
    with open_store(Settings.model_validate_json(settings_json)) as s:
        start.wait()
        for r in range(ROUNDS):
            edge = ResponsibleFor(src=dept, dst=matter, source="ruling:x", role="lead",
                                  valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=i * ROUNDS + r))
            s.upsert_edges([edge], actor=f"writer{i}")


def test_concurrent_writers_of_one_edge_leave_what_the_log_says_last(settings: Settings, store: GraphStore) -> None:
    """Writer processes (the server's workers, a CLI beside them) assert one edge with different contents."""
    (dept, _), matter = _kb(store)
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_write, args=(settings.model_dump_json(), i, dept.id, matter.id, start))
             for i in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    (live,) = store.read("MATCH (:Department)-[e:RESPONSIBLE_FOR]->(:Matter) RETURN properties(e) AS p")
    last = store.changelog.entries()[-1]
    assert json.loads(last.payload) == json.loads(json.dumps(live["p"], default=str))
    assert len(store.changelog.entries()) == WRITERS * ROUNDS
    report = store.changelog.verify()
    assert report.ok, report.problems


def test_direct_edits_are_reported_by_id(cli_env: Settings) -> None:
    from api.cli import app

    with open_store(cli_env) as store:
        depts, matter = _kb(store, 3)
        edges = [ResponsibleFor(src=d.id, dst=matter.id, source="ruling:x", role="lead") for d in depts]
        store.upsert_edges(edges, actor="tester")
        runner = CliRunner()
        assert runner.invoke(app, ["audit", "verify"]).exit_code == 0

        # around the program: a changed role, a deleted edge, an edge nobody logged
        store.run("MATCH (d:Department {id: $id})-[e:RESPONSIBLE_FOR]->() SET e.role = 'cooperate'", {"id": depts[0].id})
        store.run("MATCH (d:Department {id: $id})-[e:RESPONSIBLE_FOR]->() DELETE e", {"id": depts[1].id})
        store.run("MATCH (d:Department {id: $d}), (m:Matter {id: $m}) "
                  "CREATE (d)-[:RESPONSIBLE_FOR {key: 'forged', role: 'lead'}]->(m)", {"d": depts[1].id, "m": matter.id})
        bad = runner.invoke(app, ["audit", "verify", "--json"])
        assert bad.exit_code == 1
        problems = json.loads(bad.output)["problems"]
        assert any(depts[0].id in p and "role changed" in p for p in problems), problems
        assert any(depts[1].id in p and edges[1].key in p and "deleted" in p for p in problems), problems
        assert any("forged" in p and "not in the change log" in p for p in problems), problems
        store.clear()


def test_a_new_asserter_is_a_logged_change(store: GraphStore) -> None:
    (dept,), matter = _kb(store, 1)
    edge = ResponsibleFor(src=dept.id, dst=matter.id, source="ruling:x", role="lead", asserted_by="张三")
    store.upsert_edges([edge])
    store.upsert_edges([edge])  # the same: nothing logged
    store.upsert_edges([edge.model_copy(update={"asserted_by": "李四"})])
    entries = store.changelog.entries()
    assert [e.asserted_by for e in entries] == ["张三", "李四"]
    forged = entries[1].model_copy(update={"asserted_by": "王五"})
    assert forged.compute_hash() != entries[1].hash  # who asserted it is part of the hash


def test_node_status_changes_are_logged(store: GraphStore) -> None:
    (dept,), _ = _kb(store, 1)
    assert store.set_node_props("Department", [{"id": dept.id, "props": {"kind": "agency"}}], actor="审计员") == 1
    assert store.set_node_props("Department", [{"id": dept.id, "props": {"kind": "agency"}}], actor="审计员") == 0
    (entry,) = store.changelog.entries()
    assert entry.action == "set" and entry.rel_type == "Department" and entry.src == dept.id and entry.actor == "审计员"
    assert json.loads(entry.payload)["set"] == {"kind": "agency"}
    assert store.get_node("Department", dept.id)["kind"] == "agency"
    assert store.changelog.verify().ok


def test_a_missing_or_torn_anchor_is_a_problem(store: GraphStore) -> None:
    (dept,), matter = _kb(store, 1)
    store.upsert_edges([ResponsibleFor(src=dept.id, dst=matter.id, source="ruling:x", role="lead")], actor="t")
    anchor = store.changelog.anchor
    assert store.changelog.verify().ok
    anchor.write_text('{"seq": 1, "ha')
    assert any("unreadable" in p for p in store.changelog.verify().problems)
    anchor.unlink()
    assert any("missing" in p for p in store.changelog.verify().problems)


def test_entries_of_the_first_hash_version_still_verify(store: GraphStore) -> None:
    """A log written before `asserted_by` was hashed: its entries carry no version and no asserted_by field."""
    body = {"seq": 1, "at": "2024-01-01T00:00:00+00:00", "actor": "old", "action": "note", "rel_type": "Dispute",
            "edge_key": "dispute:1", "src": "dispute:1", "dst": "", "payload": "{}", "prev_hash": "0" * 64}
    old_hash = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    store.upsert_node_rows("ChangeLogEntry", [{"id": "log:1", "props": {**body, "hash": old_hash}}])
    store.changelog.anchor_to([ChangeEntry(**body, hash=old_hash)])
    store.changelog.record("note", "Dispute", "dispute:2", {}, actor="new")
    report = store.changelog.verify()
    assert report.ok and report.entries == 2, report.problems
    entries = store.changelog.entries()
    assert [e.v for e in entries] == [1, 2]


def test_a_cli_ingest_is_logged_with_its_caller_and_content(cli_env: Settings) -> None:
    from api.cli import app
    from ingest.report import file_sha256

    source = SAMPLES / "departments.yaml"
    result = CliRunner().invoke(app, ["ingest", "departments", str(source)])
    assert result.exit_code == 0, result.output
    with open_store(cli_env) as store:
        (entry,) = [e for e in store.changelog.entries() if e.action == "ingest"]
    payload = json.loads(entry.payload)
    assert entry.rel_type == "departments" and entry.actor.startswith("cli:")
    assert payload["sha256"] == file_sha256(source) and payload["via"] == "cli" and payload["written"] > 0
