"""The application factory: `create_app()` for `dutygraph serve` (with search processes), tests and notebooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from api.users import KeyStore
from api.web import problems
from api.web.context import AppContext
from api.web.current_index import CurrentIndex
from api.web.ratelimit import RateLimit
from api.web.routes import ROUTERS
from api.web.searches import InlineSearches, Searches, SearchPool
from graph.settings import Settings, get_settings
from graph.store import open_store

REQUEST_THREADS = 4
DESCRIPTION = """\
Candidate owners with evidence chains, analogous rulings, gaps, audit traces and dispute cases for duty
adjudication (职责分工裁决).

Reads are open unless `DUTYGRAPH_API_ANONYMOUS_READ=false`; writes need an API key (`X-API-Key` header or
`Authorization: Bearer …`) from `dutygraph users add NAME --role adjudicator|admin`. Errors are RFC 9457
problem documents (`application/problem+json`).
"""


def create_app(settings: Settings | None = None, search_processes: int = 0) -> FastAPI:
    """`search_processes` > 0 answers asks in that many processes (api/web/searches.py); 0 in this one."""
    s = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Requests other than asks run in threads that share one GIL: beyond a few, more threads only
        # interleave requests and stretch every one of them; the rest wait their turn in order.
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        store = open_store(s)
        index = CurrentIndex(s)
        searches: Searches = SearchPool(s, search_processes) if search_processes > 0 else InlineSearches(store, index)
        try:
            await searches.start()
            app.state.ctx = AppContext(settings=s, store=store, keys=KeyStore.for_data_dir(s.data_dir), index=index,
                                       searches=searches)
            try:
                yield
            finally:
                app.state.ctx.close()
        finally:
            searches.close()
            store.close()

    app = FastAPI(title="dutygraph", version="1", description=DESCRIPTION, lifespan=lifespan,
                  openapi_tags=[{"name": n} for n in ("ask", "rulings", "gaps", "trace", "lookups", "disputes", "ingest")])
    problems.install(app)
    app.add_middleware(RateLimit)
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
