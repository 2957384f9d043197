"""`dutygraph serve`: the web application and HTTP API on one address."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import console


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address; default DUTYGRAPH_API_HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default DUTYGRAPH_API_PORT (8765).")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Search processes answering asks; 0 answers them in the server process. Default DUTYGRAPH_API_WORKERS (2).",
        min=0)] = None,
) -> None:
    """Serve the web pages (/) and the API (/api/v1, docs at /docs) until Ctrl-C."""
    from graph.settings import get_settings

    s = get_settings()
    run_server(host or s.api_host, s.api_port if port is None else port, s.api_workers if workers is None else workers)


def _announce(host: str, port: int) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"\n[bold green]dutygraph is serving[/] at [bold]http://{shown}:{port}/[/]  "
                  f"(API docs: http://{shown}:{port}/docs; Ctrl-C stops)")


def run_server(host: str, port: int, workers: int = 2) -> None:
    """One server process for HTTP on a socket bound here (so the printed address is the real one even for
    port 0), and `workers` search processes answering asks from one queue (api/web/searches.py). Settings
    come from the environment (DUTYGRAPH_*)."""
    import uvicorn

    from api.web.app import create_app

    config = uvicorn.Config(create_app(search_processes=workers), host=host, port=port, log_level="warning",
                            access_log=False)
    sock = config.bind_socket()
    sock.listen(config.backlog)  # callers queue from now on, while the search processes start
    _announce(*sock.getsockname()[:2])
    uvicorn.Server(config).run(sockets=[sock])
