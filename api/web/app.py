"""The application factory: `create_app()` for uvicorn (`dutygraph serve`), tests and notebooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from api.users import KeyStore
from api.web import problems
from api.web.context import AppContext
from api.web.recycle import RecycleConnections
from api.web.routes import ROUTERS
from graph.settings import Settings, get_settings
from graph.store import open_store

REQUEST_THREADS = 4
RECYCLE_EVERY = 20  # requests per keep-alive connection (see api/web/recycle.py)
DESCRIPTION = """\
Candidate owners with evidence chains, analogous rulings, gaps, audit traces and dispute cases for duty
adjudication (职责分工裁决).

Reads are open unless `DUTYGRAPH_API_ANONYMOUS_READ=false`; writes need an API key (`X-API-Key` header or
`Authorization: Bearer …`) from `dutygraph users add NAME --role adjudicator|admin`. Errors are RFC 9457
problem documents (`application/problem+json`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    s = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Requests run in worker threads that share one GIL: beyond a few, more threads only interleave
        # requests and stretch every one of them (measured: p95 grew with 40 threads under 20 callers);
        # the rest wait their turn in order. Parallelism comes from worker processes (`serve --workers`).
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        store = open_store(s)
        app.state.ctx = AppContext(settings=s, store=store, keys=KeyStore.for_data_dir(s.data_dir))
        try:
            yield
        finally:
            app.state.ctx.close()
            store.close()

    app = FastAPI(title="dutygraph", version="1", description=DESCRIPTION, lifespan=lifespan,
                  openapi_tags=[{"name": n} for n in ("ask", "rulings", "gaps", "trace", "lookups", "disputes", "ingest")])
    app.add_middleware(RecycleConnections, every=RECYCLE_EVERY)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api/v1")
    _mount_pages(app)
    return app


def _mount_pages(app: FastAPI) -> None:
    """The web pages, when their module is present (api/web/pages.py)."""
    try:
        from api.web.pages import mount
    except ImportError:
        return
    mount(app)
