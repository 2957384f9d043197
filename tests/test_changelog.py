"""The hash-chained change log detects rewritten, removed and truncated entries."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from graph.ontology import Department, Matter, ResponsibleFor
from graph.store.base import GraphStore


def _assign(store: GraphStore, n: int = 4) -> list[ResponsibleFor]:
    depts = [Department(name=f"部门{i}", jurisdiction="jur:全国/测试市") for i in range(n)]
    matter = Matter(name="占道经营", path=["市容", "占道经营"])
    store.upsert_nodes([matter, *depts])
    edges = [ResponsibleFor(src=d.id, dst=matter.id, source="ruling:x", role="lead") for d in depts]
    for e in edges:  # one entry per write
        store.upsert_edges([e], actor="tester")
    return edges


def test_intact_log_verifies(store: GraphStore) -> None:
    edges = _assign(store)
    store.supersede(edges[:1], dt.date(2024, 1, 1), actor="auditor")
    report = store.changelog.verify()
    assert report.ok and report.entries == 5, report.problems
    actions = [e.action for e in store.changelog.entries()]
    assert actions == ["assert"] * 4 + ["supersede"]


def test_rewritten_entry_is_caught(store: GraphStore) -> None:
    _assign(store)
    store.run("MATCH (c:ChangeLogEntry {seq: 2}) SET c.actor = 'someone-else'")
    report = store.changelog.verify()
    assert not report.ok
    assert any("entry 2" in p and "rewritten" in p for p in report.problems)


def test_removed_entry_is_caught(store: GraphStore) -> None:
    _assign(store)
    store.run("MATCH (c:ChangeLogEntry {seq: 3}) DELETE c")
    report = store.changelog.verify()
    assert not report.ok
    assert any("missing" in p for p in report.problems)


def test_truncated_tail_is_caught_by_the_anchor(store: GraphStore) -> None:
    _assign(store)
    store.run("MATCH (c:ChangeLogEntry {seq: 4}) DELETE c")
    report = store.changelog.verify()
    assert not report.ok and any("removed from the end" in p for p in report.problems)


def test_rehashed_forgery_is_caught_by_the_chain(store: GraphStore) -> None:
    """A forger who recomputes the edited entry's hash still breaks the next entry's link."""
    _assign(store)
    entry = store.changelog.entries()[1]
    forged = entry.model_copy(update={"actor": "forger"})
    forged.hash = forged.compute_hash()
    store.run("MATCH (c:ChangeLogEntry {seq: 2}) SET c.actor = $a, c.hash = $h", {"a": forged.actor, "h": forged.hash})
    report = store.changelog.verify()
    assert not report.ok and any("entry 3" in p for p in report.problems)


def test_cli_audit_verify_exit_codes(store: GraphStore, settings, monkeypatch) -> None:
    from api.cli import app
    from graph.settings import get_settings

    _assign(store, 2)
    for key, value in {
        "DUTYGRAPH_DATA_DIR": str(settings.data_dir),
        "DUTYGRAPH_GRAPH_URI": settings.graph_uri,
        "DUTYGRAPH_GRAPH_NAME": settings.graph_name,
    }.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    store.run("MATCH (c:ChangeLogEntry {seq: 1}) SET c.payload = '{}'")
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1 and "entry 1" in bad.output
    get_settings.cache_clear()
