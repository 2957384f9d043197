"""The structured units every statute reader yields, whatever the source format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ArticleUnit:
    """One 条: its arabic number, place in the statute, 款 (paragraphs; 项 items stay inside them)."""

    number: str
    ordinal: int
    paragraphs: list[str]
    chapter: str | None = None
    section: str | None = None
    line: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def items(self) -> list[str]:
        """项: paragraphs written as （一）… / 1. …"""
        return [p for p in self.paragraphs if p.startswith(("（", "("))]


@dataclass
class LawDoc:
    """One statute in one version, as read from a file or a database row."""

    title: str
    version: str
    source: str
    articles: list[ArticleUnit] = field(default_factory=list)
    subtitle: str | None = None
    level: str = "其他"
    issuer: str | None = None
    jurisdiction: list[tuple[str, str]] = field(default_factory=lambda: [("全国", "全国")])
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    status: str = "未知"
    checksum: str = ""
    errors: list[str] = field(default_factory=list)
