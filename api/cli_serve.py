"""`dutygraph serve`: the web application and HTTP API on one address."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import console


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address; default DUTYGRAPH_API_HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default DUTYGRAPH_API_PORT (8765).")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes; default DUTYGRAPH_API_WORKERS (2).", min=1)] = None,
) -> None:
    """Serve the web pages (/) and the API (/api/v1, docs at /docs) until Ctrl-C."""
    from graph.settings import get_settings

    s = get_settings()
    run_server(host or s.api_host, s.api_port if port is None else port, workers or s.api_workers)


def _announce(host: str, port: int) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"\n[bold green]dutygraph is serving[/] at [bold]http://{shown}:{port}/[/]  "
                  f"(API docs: http://{shown}:{port}/docs; Ctrl-C stops)")


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Uvicorn on one socket bound here, so the printed address is the real one even for port 0. Several
    workers (processes) answer in parallel: a request's Python work holds one process's GIL, so one process
    uses one core at most. Each worker reads settings from the environment (DUTYGRAPH_*)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("api.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", access_log=False)
    sock = config.bind_socket()
    sock.listen(config.backlog)  # callers queue from now on, while the workers start
    _announce(*sock.getsockname()[:2])
    server = uvicorn.Server(config)
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])
