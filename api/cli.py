"""`dutygraph` command line. Each group of commands lives in its own module and is registered here."""

from __future__ import annotations

import json
import signal
import sys
from typing import Annotated

import typer

from api.console import console, err_console
from graph.errors import DutygraphError

app = typer.Typer(
    name="dutygraph",
    help="Knowledge graph and case-law search for duty adjudication (职责分工裁决).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
audit_app = typer.Typer(help="The hash-chained change log of assignments.", no_args_is_help=True)
server_app = typer.Typer(help="The embedded FalkorDB server.", no_args_is_help=True)
from api.cli_index import index_app  # noqa: E402
from api.cli_ingest import ingest_app  # noqa: E402

app.add_typer(ingest_app, name="ingest")
app.add_typer(index_app, name="index")
app.add_typer(audit_app, name="audit")
app.add_typer(server_app, name="server")
from api.cli_gaps import gaps as _gaps  # noqa: E402
from api.cli_trace import trace_cmd as _trace  # noqa: E402

app.command("gaps")(_gaps)
app.command("trace")(_trace)
from api.cli_ask import register as _register_ask  # noqa: E402

_register_ask(app)
from api.cli_dispatch import register as _register_dispatch  # noqa: E402

_register_dispatch(app)
from api.cli_effect import register as _register_effect  # noqa: E402

_register_effect(app)
from api.cli_dispute import dispute_app  # noqa: E402
from api.cli_serve import serve as _serve  # noqa: E402
from api.cli_users import users_app  # noqa: E402

app.add_typer(users_app, name="users")
app.add_typer(dispute_app, name="dispute")
from api.cli_documents import register as _register_documents  # noqa: E402

_register_documents(app, dispute_app)
app.command("serve")(_serve)


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[str | None, typer.Option(help="A head hash kept elsewhere (from `audit head`) to check against.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check every entry's hash and the chain; exit 1 if the log was rewritten or cut."""
    from graph.store import open_store

    with open_store() as store:
        report = store.changelog.verify(anchor)
    if as_json:
        print(report.model_dump_json(indent=2))
    elif report.ok:
        console.print(f"[green]change log OK[/]: {report.entries} entries, head {report.head_seq} {report.head_hash[:16]}…")
    else:
        console.print(f"[red]change log FAILED[/] ({report.entries} entries):")
        for p in report.problems:
            console.print(f"  - {p}")
    raise typer.Exit(0 if report.ok else 1)


@audit_app.command("head")
def audit_head() -> None:
    """Print the log's head (seq and hash): keep it elsewhere to detect later truncation."""
    from graph.store import open_store

    with open_store() as store:
        seq, h = store.changelog.head()
    print(json.dumps({"seq": seq, "hash": h}))


@server_app.command("status")
def server_status() -> None:
    """Whether the embedded server for the data directory is running, and on which port."""
    from graph.settings import get_settings
    from graph.store.falkor_server import EmbeddedFalkorDB

    s = get_settings()
    info = EmbeddedFalkorDB(s.data_dir).status()
    if info is None:
        console.print(f"no server running for {s.data_dir}")
    else:
        console.print(f"FalkorDB pid {info.pid} on 127.0.0.1:{info.port} (clients: {len(info.clients)}), data in {s.data_dir}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the embedded server (saving the graph) even if other processes still use it."""
    from graph.settings import get_settings
    from graph.store.falkor_server import EmbeddedFalkorDB

    stopped = EmbeddedFalkorDB(get_settings().data_dir).stop()
    console.print("stopped" if stopped else "no server was running")


@app.command()
def stats() -> None:
    """Node and relationship counts of the graph."""
    from rich.table import Table

    from graph.store import open_store

    with open_store() as store:
        counts = store.counts()
    t = Table("kind", "count")
    for k, v in sorted(counts.items()):
        t.add_row(k, f"{v:,}")
    console.print(t)


@app.command()
def settings() -> None:
    """Print every DUTYGRAPH_* setting with its default (the README's table is generated from this)."""
    from api.settings_doc import settings_table

    print(settings_table())


@app.command()
def demo(
    embed_rest: Annotated[bool, typer.Option(help="Embed the remaining statute articles (in the background while serving).")] = True,
    serve: Annotated[bool, typer.Option(help="After answering, serve the web application and API until Ctrl-C.")] = True,
    host: Annotated[str | None, typer.Option(help="Listen address; default DUTYGRAPH_API_HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default DUTYGRAPH_API_PORT.")] = None,
) -> None:
    """Build the sample knowledge base if needed, answer sample disputes, and serve the web application
    (the README's main job)."""
    from api.demo import run_demo

    run_demo(embed_rest=embed_rest, serve=serve, host=host, port=port)


def _exit_on_term(signum: int, _frame: object) -> None:
    # SystemExit unwinds like Ctrl-C does: open stores close, and the embedded FalkorDB this command
    # started is saved and stopped instead of being left running (`kill`, a service manager, a timeout)
    sys.exit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        app()
    except DutygraphError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
