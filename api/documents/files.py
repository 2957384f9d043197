"""File names and media types of the documents, for the CLI's default output names and HTTP downloads."""

from __future__ import annotations

import re

MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
STEM_MAX = 60


def file_name(stem: str, ext: str) -> str:
    """A file name from free text (a case title, a department's name): characters no file system or
    header takes are replaced, and long text is cut."""
    clean = _UNSAFE.sub("_", stem).strip(" ._") or "document"
    return f"{clean[:STEM_MAX]}.{ext}"
