"""What every request shares: settings, one open graph store, the API key store, this process's search
indexes (opened lazily, reopened after a rebuild), and the searches, which may run in other processes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from api.users import KeyStore
from api.web.current_index import CurrentIndex
from api.web.searches import Searches
from graph.settings import Settings
from graph.store.base import GraphStore
from search.retriever import Retriever


@dataclass
class AppContext:
    settings: Settings
    store: GraphStore
    keys: KeyStore
    index: CurrentIndex
    searches: Searches

    @property
    def index_folder(self) -> Path:
        return self.index.folder

    def retriever(self) -> Retriever:
        """The current search indexes of this process (see CurrentIndex)."""
        return self.index.get()

    def close(self) -> None:
        self.index.close()
        self.keys.close()


async def app_context(request: Request) -> AppContext:
    """The context app.py's lifespan built at start-up; the one place that reads it off the app. (A dependency
    that does no I/O is `async`: FastAPI runs a plain `def` one in a worker thread, a hand-off per request.)"""
    return request.app.state.ctx
