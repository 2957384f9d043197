"""`dutygraph ingest …`: one command per source kind. Each kind's commands live in the ingest package's
own CLI module and are registered here."""

from __future__ import annotations

import typer

ingest_app = typer.Typer(help="Load sources into the graph (idempotent; safe to re-run).", no_args_is_help=True)

from api.cli_ingest_laws import laws as _ingest_laws  # noqa: E402

ingest_app.command("laws")(_ingest_laws)

from api.cli_ingest_rulings import rulings as _ingest_rulings  # noqa: E402
from api.cli_ingest_rulings import workorders as _ingest_workorders  # noqa: E402

ingest_app.command("rulings")(_ingest_rulings)
ingest_app.command("workorders")(_ingest_workorders)

from api.cli_ingest_local import register as _register_local  # noqa: E402

_register_local(ingest_app)
