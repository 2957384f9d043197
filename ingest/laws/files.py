"""Readers for statute files: LawRefBook Markdown directories and single .md / .txt / .docx files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graph.errors import IngestError
from ingest.laws.jurisdiction import chain_for
from ingest.laws.text_parser import parse_statute
from ingest.laws.units import LawDoc

SUFFIXES = (".md", ".txt", ".docx")
NOT_STATUTES = {"_index.md", "README.md", "readme.md", "法律法规模版.md"}
_NATIONAL_LEVELS = {"宪法", "法律", "行政法规", "规章"}
_NATIONAL_LAW_FOLDERS = {"宪法相关法", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法"}


def statute_files(root: Path) -> list[Path]:
    """Every statute file under `root` (or `root` itself), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and p.name not in NOT_STATUTES)


def level_for(path: Path, title: str, local: bool = False) -> str:
    """Law level from the LawRefBook folders the file lies in, else from the title's form; `local` =
    the title or folder placed it below the nation (a local 条例 is a 地方性法规)."""
    parts = set(path.parent.parts)
    if "DLC" in parts or any(p.endswith(("地方法规", "地方性法规")) for p in parts):
        return "地方性法规"
    if "行政法规" in parts:
        return "行政法规"
    if "部门规章" in parts:
        return "规章"
    if "宪法" in parts:
        return "宪法"
    if parts & _NATIONAL_LAW_FOLDERS:
        return "法律"
    if title.startswith("中华人民共和国") and title.endswith("法"):
        return "法律"
    if local and title.endswith(("条例", "规定", "办法", "决定")):
        return "地方性法规"
    return "其他"


def read_text(path: Path) -> str:
    """File text; .docx paragraphs become lines. Raises IngestError naming the file."""
    try:
        if path.suffix.lower() == ".docx":
            import docx

            return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        raw = path.read_bytes()
    except Exception as exc:  # a corrupt .docx raises zipfile / lxml errors
        raise IngestError(str(path), f"cannot read: {exc}") from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            err = exc
    line = raw[: err.start].count(b"\n") + 1
    raise IngestError(str(path), "not UTF-8 or GB18030 text", row=line)


def read_statute(path: Path) -> LawDoc:
    """One statute file → LawDoc, with level and jurisdiction from its folders and title.

    The whole path counts, not a part below some root: pointing at `DLC/山东地方法规` or at one file in
    it places a statute as pointing at the snapshot root does."""
    doc = parse_statute(read_text(path), str(path), path.stem)
    full = path.resolve()
    level = level_for(full, doc.title)
    # a national statute's title may name a place (香港特别行政区基本法): its level settles that it is national
    doc.jurisdiction = [("全国", "全国")] if level in _NATIONAL_LEVELS else chain_for(full, doc.title)
    doc.level = level if level != "其他" else level_for(full, doc.title, local=len(doc.jurisdiction) > 1)
    if not doc.issuer and doc.level in ("法律", "宪法", "行政法规"):  # by definition of the level
        doc.issuer = "国务院" if doc.level == "行政法规" else "全国人民代表大会常务委员会"
    return doc


def iter_statutes(root: Path) -> Iterator[LawDoc | IngestError]:
    """Each statute under `root`, or the IngestError that stopped it (the caller reports and goes on)."""
    for path in statute_files(root):
        try:
            yield read_statute(path)
        except IngestError as exc:
            yield exc
