"""The change log also holds what bulk node upserts change (each changed property with its value before) and every
change of a user (created, role changed, key replaced, revoked) with who made it and no secret; `audit verify`
checks them with the rest of the chain."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.users import KeyStore, UserError, hash_key
from audit.trace import trace
from graph.changelog import ChangeLog
from graph.ontology import Department, Matter, ResponsibleFor
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.matters.taxonomy import load_matters

JUR = "jur:全国/测试市"


def test_a_bulk_upsert_logs_what_it_changes_with_the_value_before(store: GraphStore) -> None:
    a, b = Department(name="测试市市场监管局", jurisdiction=JUR), Department(name="测试市公安局", jurisdiction=JUR)
    store.upsert_nodes([a, b], actor="ingest:departments")
    assert store.changelog.entries() == []  # a new node is its ingest's news, not a property change
    store.upsert_nodes([a, b], actor="ingest:departments")
    assert store.changelog.entries() == []  # the same values again change nothing
    renamed = a.model_copy(update={"aliases": ["市监局"], "kind": "agency"})
    assert store.upsert_nodes([renamed, b], actor="王审计") == 2
    (entry,) = store.changelog.entries()
    assert (entry.action, entry.rel_type, entry.src, entry.actor) == ("set", "Department", a.id, "王审计")
    payload = json.loads(entry.payload)
    assert payload["set"] == {"aliases": ["市监局"], "kind": "agency"}
    assert payload["before"] == {"aliases": a.props().get("aliases"), "kind": a.props().get("kind")}
    assert store.get_node("Department", a.id)["kind"] == "agency"
    report = store.changelog.verify()
    assert report.ok, report.problems


def test_a_reingest_with_an_edited_description_is_logged_under_the_run(store: GraphStore, tmp_path: Path) -> None:
    f = tmp_path / "matters.yaml"
    f.write_text("matters:\n  - name: 噪声\n    description: 生活噪声\n", encoding="utf-8")
    load_matters(store, f, asserted_by="ingest:matters@1")
    f.write_text("matters:\n  - name: 噪声\n    description: 生活噪声和施工噪声\n", encoding="utf-8")
    load_matters(store, f, asserted_by="ingest:matters@2")
    (entry,) = [e for e in store.changelog.entries() if e.action == "set"]
    assert entry.rel_type == "Matter" and entry.actor == "ingest:matters@2"
    assert json.loads(entry.payload) == {"set": {"description": "生活噪声和施工噪声"}, "before": {"description": "生活噪声"}}


def test_every_user_change_is_logged_without_secrets(settings: Settings, store: GraphStore) -> None:
    keys = KeyStore.for_data_dir(settings.data_dir, store.changelog)
    first = keys.add("李审核", "adjudicator", actor="钱管理")
    keys.set_role("李审核", "reviewer", actor="钱管理")
    keys.set_role("李审核", "reviewer", actor="钱管理")  # no change, no entry
    second = keys.rotate("李审核", actor="钱管理")
    keys.revoke("李审核", actor="钱管理")
    with pytest.raises(UserError):
        keys.rotate("李审核", actor="钱管理")  # revoked: refused, nothing logged
    entries = [e for e in store.changelog.entries() if e.rel_type == "User"]
    assert [e.action for e in entries] == ["add", "role", "rotate", "revoke"]
    assert {e.actor for e in entries} == {"钱管理"} and {e.src for e in entries} == {"user:李审核"}
    assert json.loads(entries[1].payload) == {"name": "李审核", "set": {"role": "reviewer"},
                                              "before": {"role": "adjudicator"}}
    text = " ".join(e.payload for e in entries)
    for key in (first, second):
        assert key not in text and key[:7] not in text and hash_key(key) not in text
    assert keys.authenticate(second) is None
    report = store.changelog.verify()
    assert report.ok, report.problems


def test_a_user_change_the_log_cannot_take_is_not_made(settings: Settings, store: GraphStore, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    keys = KeyStore.for_data_dir(settings.data_dir, ChangeLog(store, blocked / "changelog.head"))  # its lock fails
    with pytest.raises(OSError):
        keys.add("赵某", "admin")
    assert [u.name for u in keys.list()] == []


def test_the_users_command_logs_under_the_caller(cli_env: Settings) -> None:
    runner = CliRunner()
    for args in (["users", "add", "周某", "--role", "reader"], ["users", "role", "周某", "admin"],
                 ["users", "revoke", "周某"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (r.output, r.exception)
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0, r.output
    from graph.store import open_store

    with open_store(cli_env) as s:
        entries = [e for e in s.changelog.entries() if e.rel_type == "User"]
    assert [e.action for e in entries] == ["add", "role", "revoke"]
    assert all(e.actor.startswith("cli:") for e in entries)



def test_the_trace_shows_a_change_to_the_assigned_department(store: GraphStore) -> None:
    dept = Department(name="测试市城市管理局", jurisdiction=JUR)
    matter = Matter(name="占道经营", path=["市容", "占道经营"])
    store.upsert_nodes([dept, matter])
    store.upsert_edges([ResponsibleFor(src=dept.id, dst=matter.id, source="ruling:测试", role="lead",
                                       valid_from=dt.date(2024, 1, 1))], actor="裁决")
    store.upsert_nodes([dept.model_copy(update={"aliases": ["城管局"]})], actor="ingest:departments@2")
    timeline = trace(store, matter.id).timeline
    assert [(t.action, t.src) for t in timeline] == [("assert", dept.id), ("set", dept.id)]
    assert timeline[1].changed == {"set": {"aliases": ["城管局"]}, "before": {"aliases": dept.props().get("aliases")}}
