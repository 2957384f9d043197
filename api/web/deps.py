"""What a route declares it needs, as `Annotated` dependency aliases: the long-lived resources app.py builds
once at start-up (the context, the graph store, the searches), the caller and what the caller may do, and
paging. Routes name these in their signatures instead of reaching into the app, so what a route touches is
visible in its signature and a test can override one dependency at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request

from api.users import User
from api.web.auth import reader, require
from api.web.context import AppContext, app_context
from api.web.pagination import PageParams, page_params
from api.web.problems import PROBLEM_RESPONSES
from api.web.searches import Searches
from graph.store.base import GraphStore

T = TypeVar("T")
ContextDep = Annotated[AppContext, Depends(app_context)]
_PER_APP = threading.Lock()


def per_app(request: Request, name: str, make: Callable[[], T]) -> T:
    """The app's one `name` object (a cache, a background job), made on first use and kept on the app beside
    its context, so every request of this process shares it and a test app gets its own."""
    with _PER_APP:
        if not hasattr(request.app.state, name):
            setattr(request.app.state, name, make())
        return getattr(request.app.state, name)


async def _store(ctx: ContextDep) -> GraphStore:
    return ctx.store


async def _searches(ctx: ContextDep) -> Searches:
    return ctx.searches


StoreDep = Annotated[GraphStore, Depends(_store)]
SearchDep = Annotated[Searches, Depends(_searches)]

# The caller of a read: the key's user, or None where anonymous reading is on and no key was sent.
CurrentUser = Annotated[User | None, Depends(reader)]
# Writes: a key of this role or above (401 without a key, 403 below the role).
Adjudicator = Annotated[User, Depends(require("adjudicator"))]
Admin = Annotated[User, Depends(require("admin"))]


def read_router(tag: str) -> APIRouter:
    """A router of reads only: every route needs a reader and may answer the common problems, declared once
    here rather than as an unused `CurrentUser` parameter and a `responses=` on each route."""
    return APIRouter(tags=[tag], dependencies=[Depends(reader)], responses=PROBLEM_RESPONSES)

PageDep = Annotated[PageParams, Depends(page_params)]


class TextPage(PageParams):
    """One page of a list endpoint that finds by text, and its `q` filter."""

    q: str | None = None


def text_page(description: str, example: str) -> Any:
    """The paging and `q` of a list endpoint that finds by text, as one dependency: `q` is a substring of what it
    lists, 200 characters at most; the resource says what it matches and gives an example."""
    def find(page: PageDep, q: str | None = Query(None, max_length=200, description=description,
                                                 examples=[example])) -> TextPage:
        return TextPage(limit=page.limit, offset=page.offset, q=q)
    return Depends(find)
