"""Link a duty's 实施依据 text to Article nodes (Duty -BASED_ON-> Article).

The basis is parsed with the laws engineer's citation extractor and each 《title》第N条 is looked up
with `find_article` as of the list's date, so a list that cites a statute later repealed links to the
version it meant, and gap discovery can see that the article is no longer in force. When the laws
package is missing or the statute is not loaded, the citation stays unresolved (reported, retried by
`link_duty_bases`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.ontology import BasedOn
from graph.store.base import GraphStore
from ingest.report import run_name

Finder = Callable[[GraphStore, str, str, str | None], str | None]


@dataclass(frozen=True)
class BasisCitation:
    title: str
    number: str


def parse_basis(text: str) -> list[BasisCitation]:
    """《…》第N条 citations in a basis cell; bare 第N条 runs attach to the last named statute."""
    from ingest.extract.citations import extract_citations

    out: list[BasisCitation] = []
    last_title: str | None = None
    for c in extract_citations(text or ""):
        title = c.title or last_title
        if c.title:
            last_title = c.title
        if title and c.number:
            cit = BasisCitation(title, c.number)
            if cit not in out:
                out.append(cit)
    return out


def _default_finder() -> Finder | None:
    try:
        from ingest.laws.resolve import find_article
    except ImportError:
        return None
    return find_article  # type: ignore[return-value]


@dataclass
class BasisLinker:
    """Caches lookups across a whole list; collects what could not be resolved."""

    store: GraphStore
    as_of: dt.date | None
    finder: Finder | None = field(default_factory=_default_finder)
    cache: dict[BasisCitation, str | None] = field(default_factory=dict)
    unresolved: set[str] = field(default_factory=set)
    linked: int = 0

    def article(self, c: BasisCitation) -> str | None:
        if c not in self.cache:
            found = None
            if self.finder is not None:
                found = self.finder(self.store, c.title, c.number, self.as_of.isoformat() if self.as_of else None)
            self.cache[c] = found
            if found is None:
                self.unresolved.add(f"《{c.title}》第{c.number}条")
        return self.cache[c]

    def edges(self, duty_id: str, basis: str, source: str, locator: str, run: str) -> list[BasedOn]:
        out = []
        for c in parse_basis(basis):
            art = self.article(c)
            if art:
                out.append(BasedOn(src=duty_id, dst=art, source=source, locator=locator, valid_from=self.as_of,
                                   asserted_by=run))
        self.linked += len(out)
        return out


def link_duty_bases(store: GraphStore, list_id: str | None = None, run: str | None = None) -> int:
    """Re-resolve every duty's basis (after laws were loaded); returns how many BASED_ON edges were written."""
    run = run_name("dutylist-basis", run)
    rows = store.read(
        "MATCH (d:Duty) WHERE $list IS NULL OR d.list = $list "
        "OPTIONAL MATCH (:Department)-[h:HOLDS]->(d) "
        "RETURN d.id AS id, d.basis AS basis, min(h.valid_from) AS since, min(h.source) AS source, "
        "min(h.locator) AS locator",
        {"list": list_id},
    )
    linkers: dict[str | None, BasisLinker] = {}
    edges: list[BasedOn] = []
    for r in rows:
        since = r["since"]
        linker = linkers.setdefault(since, BasisLinker(store, dt.date.fromisoformat(since) if since else None))
        edges += linker.edges(r["id"], r["basis"] or "", r["source"] or "duty-basis", r["locator"] or "", run)
    return store.upsert_edges(edges, actor=run)
