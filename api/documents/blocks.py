"""The document model: a title and a list of blocks, written once and rendered as .docx and Markdown.

Content decisions (what goes in, in what order, in which words) are made where a document is built
(`opinion.py`); a renderer only decides how each kind of block looks in its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = a section, 2 = a subsection


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""  # a bold lead-in: "牵头部门："


@dataclass(frozen=True)
class Quote:
    """A quoted source: the statute text, then where it comes from."""

    text: str
    cite: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signature:
    """The lines a decision is signed on: filled in when decided, left blank for a draft."""

    lines: tuple[tuple[str, str], ...]  # (label, value or "" for a blank line)


Block = Heading | Para | Quote | Items | Table | Signature


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # citations, rendered as numbered notes at the end

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self
