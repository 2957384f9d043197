"""`dutygraph ingest …`: one command per source kind of the registry (`ingest.sources`), plus `sample`.

Each command declares its own flags and hands them to `run_source`, which opens the store, shows a progress
bar, runs the kind's loader and prints its report: the same steps for every kind, written once.
"""

from __future__ import annotations

import typer

from api.cli_ingest_kinds import COMMANDS
from api.cli_ingest_sample import sample

ingest_app = typer.Typer(help="Load sources into the graph (idempotent; safe to re-run).", no_args_is_help=True)

for _command in (*COMMANDS, sample):
    ingest_app.command(_command.__name__)(_command)
