"""The search indexes a process answers from, reopened when `dutygraph index rebuild` (or an upload) writes
a new manifest, so a running server picks up a rebuilt index without a restart."""

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
    _manifest_mtime: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def folder(self) -> Path:
        return index_dir(self.settings)

    def get(self) -> Retriever:
        """The current search indexes; 503 (as a problem) when none has been built yet."""
        manifest = self.folder / MANIFEST
        mtime = manifest.stat().st_mtime if manifest.exists() else 0.0
        with self._lock:
            if self._retriever is None or mtime != self._manifest_mtime:
                try:
                    fresh = Retriever.open(self.settings)
                except IndexUnavailable as exc:
                    raise ProblemError(503, "Search index unavailable", str(exc), "index") from None
                old, self._retriever, self._manifest_mtime = self._retriever, fresh, mtime
                if old is not None:
                    old.close()
            return self._retriever

    def close(self) -> None:
        if self._retriever is not None:
            self._retriever.close()
            self._retriever = None
