"""`dutygraph ingest laws <path>` end to end on the real server: report, idempotence, bad file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from graph.settings import Settings
from graph.store import open_store

LRB = Path(__file__).parent / "data" / "laws" / "lrb"


def test_ingest_laws_command(cli_env: Settings, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(LRB, src)
    (src / "坏文件.txt").write_text("只有一行，没有条文\n", encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "laws", str(src), "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output[first.output.index("{"):])
    assert report["laws"] == 3 and report["skipped"] == 1
    assert "坏文件.txt" in report["errors"][0]
    with open_store(cli_env) as store:
        once = _data(store.counts())
    again = runner.invoke(app, ["ingest", "laws", str(src), "--restart"])
    assert again.exit_code == 0, again.output
    assert "3 statutes" in again.output
    with open_store(cli_env) as store:
        assert _data(store.counts()) == once


def _data(counts: dict[str, int]) -> dict[str, int]:
    """What an ingest stores, without the change log: every run is logged (who ingested what, when), so a second
    run adds an entry even where it changes nothing else."""
    return {k: v for k, v in counts.items() if k != "ChangeLogEntry"}
