"""Stable, content-derived ids: the same natural key always gives the same id, so re-ingesting changes nothing."""

from __future__ import annotations

import hashlib
import re

_SEP = "\x1f"


def digest(*parts: object, length: int = 16) -> str:
    """A short hex digest of the parts (None and '' are kept distinct from each other)."""
    text = _SEP.join(["\x00" if p is None else str(p) for p in parts])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


_SLUG_DROP = re.compile(r"[\s/#:\x00-\x1f]+")


def slug(text: str) -> str:
    """A readable id fragment: keeps Chinese, drops separators used by ids themselves."""
    return _SLUG_DROP.sub("-", text.strip()).strip("-")


def make_id(prefix: str, *parts: object) -> str:
    return f"{prefix}:{digest(*parts)}"
