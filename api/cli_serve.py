"""`dutygraph serve`: the web application and HTTP API on one address."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import console


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address; default DUTYGRAPH_API_HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default DUTYGRAPH_API_PORT (8765).")] = None,
) -> None:
    """Serve the web pages (/) and the API (/api/v1, docs at /docs) until Ctrl-C."""
    from graph.settings import get_settings

    s = get_settings()
    run_server(host or s.api_host, s.api_port if port is None else port)


def run_server(host: str, port: int) -> None:
    import uvicorn

    from api.web.app import create_app

    app = create_app()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    original = server.startup

    async def startup(sockets=None) -> None:
        await original(sockets=sockets)
        for s in server.servers:
            for sock in s.sockets:
                h, p = sock.getsockname()[:2]
                shown = "127.0.0.1" if h in ("0.0.0.0", "::") else h
                console.print(f"\n[bold green]dutygraph is serving[/] at [bold]http://{shown}:{p}/[/]  "
                              f"(API docs: http://{shown}:{p}/docs; Ctrl-C stops)")

    server.startup = startup  # type: ignore[method-assign]
    server.run()
