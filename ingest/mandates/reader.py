"""Paragraphs of a 三定 document from .txt / .md / .docx, with Markdown decoration removed."""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import IngestError

SUFFIXES = (".txt", ".md", ".docx")
_MD = re.compile(r"^\s*(?:#{1,6}\s*|[-*+]\s+|>\s*)")
_EMPH = re.compile(r"\*\*|__|`")


def read_paragraphs(path: str | Path) -> tuple[list[str], dict[str, str]]:
    """Non-empty paragraphs in order, and front-matter fields (部门/印发日期 or YAML keys) if any."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        lines = _docx_lines(path)
    elif suffix in (".txt", ".md"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = path.read_text(encoding="gb18030")
            except UnicodeDecodeError as exc:
                raise IngestError(path, "not UTF-8 or GB18030 text") from exc
        except OSError as exc:
            raise IngestError(path, f"cannot read: {exc}") from exc
        lines = text.splitlines()
    else:
        raise IngestError(path, f"unsupported mandate format {suffix!r} (use {', '.join(SUFFIXES)})")
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise IngestError(path, "front matter opened with --- is never closed", row=1)
        for line in lines[1:end]:
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip()] = value.strip().strip("'\"")
        lines = lines[end + 1:]
    out = []
    for line in lines:
        clean = _EMPH.sub("", _MD.sub("", line)).strip()
        if clean:
            out.append(clean)
    return out, meta


def _docx_lines(path: Path) -> list[str]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError for broken files
        raise IngestError(path, f"cannot open .docx: {exc}") from exc
    return [p.text for p in document.paragraphs]
