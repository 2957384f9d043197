"""The search indexes a process answers from, reopened when `dutygraph index rebuild` (or an upload) swaps in
a new version, so a running server picks up a rebuilt index without a restart.

The retriever of the version swapped out is not closed here: requests that took it keep using it, and it is
released (its files closed) when the last of them lets go of it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from api.web.problems import ProblemError
from graph.settings import Settings
from search.index_build import index_dir
from search.manifest import MANIFEST
from search.retriever import IndexUnavailable, Retriever


@dataclass
class CurrentIndex:
    """The search indexes of the settings' graph, reopened when a rebuild writes a new manifest."""

    settings: Settings
    _retriever: Retriever | None = None
    _version: tuple[str, float] = ("", 0.0)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def folder(self) -> Path:
        return index_dir(self.settings)

    def get(self) -> Retriever:
        """The current search indexes; 503 (as a problem) when none has been built yet."""
        folder = self.folder.resolve()
        manifest = folder / MANIFEST
        version = (str(folder), manifest.stat().st_mtime if manifest.exists() else 0.0)
        with self._lock:
            if self._retriever is None or version != self._version:
                try:
                    fresh = Retriever.open(self.settings, folder=folder)
                except IndexUnavailable as exc:
                    raise ProblemError(503, "Search index unavailable", str(exc), "index") from None
                self._retriever, self._version = fresh, version  # the old one goes when its last user does
            return self._retriever

    def close(self) -> None:
        if self._retriever is not None:
            self._retriever.close()
            self._retriever = None
