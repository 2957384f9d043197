"""`dutygraph ingest departments|matters|mandates|dutylist|sample` on the real server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import Settings
from graph.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan"


def test_sample_command_is_idempotent(cli_env: Settings) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "sample", "--no-laws", "--no-cases", "--json"])
    assert first.exit_code == 0, first.output
    reports = json.loads(first.output[first.output.index("["):])
    assert [r["kind"] for r in reports] == ["departments", "matters", "mandates", "dutylist"]
    assert all(r["skipped"] == 0 for r in reports)
    with open_store(cli_env) as s:
        before = s.counts()
    again = runner.invoke(app, ["ingest", "sample", "--no-laws", "--no-cases"])
    assert again.exit_code == 0, again.output
    with open_store(cli_env) as s:
        assert s.counts() == before


def test_single_kind_commands_and_bad_input(cli_env: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", "departments", str(SAMPLE / "departments.yaml")])
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(app, ["ingest", "mandates", str(SAMPLE / "mandates" / "02_综合行政执法局.md"), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output[ok.output.index("{"):])["skipped"] == 0
    bad = tmp_path / "list.csv"
    bad.write_text("权力名称,实施机关\n对某事的处罚,市公安局\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", "dutylist", str(bad)])
    assert res.exit_code == 1 and "list.csv" in res.output
    res = runner.invoke(app, ["ingest", "dutylist", str(bad), "-c", "事项名称=权力名称", "-c", "lead=实施机关",
                              "--list", "t", "--effective", "2024-01-01", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output[res.output.index("{"):])["read"] == 1
    res = runner.invoke(app, ["ingest", "dutylist", str(bad), "-c", "事项名称"])
    assert res.exit_code == 2 and "FIELD=HEADER" in res.output


@pytest.mark.slow
def test_the_readme_loads_national_laws_by_name(cli_env: Settings) -> None:
    """`dutygraph ingest laws china-law` names a source, not a path: the ingest is logged with the content
    hash of the package's database it read (it used to fail after loading, looking for a file `china-law`)."""
    from ingest.laws.chinalaw import database_path
    from ingest.report import file_sha256

    done = CliRunner().invoke(app, ["ingest", "laws", "china-law"])
    assert done.exit_code == 0, done.output
    with open_store(cli_env) as s:
        logged = [json.loads(e.payload) for e in s.changelog.entries() if e.action == "ingest"]
        assert s.counts().get("Law", 0) > 300
    assert logged and logged[-1]["sha256"] == file_sha256(database_path())
