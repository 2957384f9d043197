"""Rulings and precedents → the graph.

One ruling becomes: a `Ruling` node IN its jurisdiction, DECIDES its matter, ASSIGNS {role} to
departments (home) or authorities (a precedent from elsewhere), APPLIES principles, CITES articles,
and — at home — RESPONSIBLE_FOR {role} from each department to the matter, so the graph says who owns
a matter. Assignment edges hold from the ruling's date. A ruling that repeals an earlier one gets a
SUPERSEDES edge, and the earlier ruling's assignment edges are given `valid_to` (never deleted) through
`store.supersede`, which also writes the change log. Supersession is settled after every file is
read, so the order of files does not matter, and re-running it changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import IngestError
from graph.ontology import (
    Applies,
    Assigns,
    Authority,
    Cites,
    Decides,
    Edge,
    Node,
    ResponsibleFor,
    Role,
    Ruling,
    RulingIn,
    Supersedes,
)
from graph.store.base import GraphStore
from ingest.report import LoadReport, run_name
from ingest.rulings.extract import repealed_titles
from ingest.rulings.parties import PartyParser
from ingest.rulings.principles import principle_node
from ingest.rulings.records import RulingRecord, read_rulings
from ingest.rulings.resolve import Resolver, authority_node, jurisdiction_chain

_PARSER = PartyParser()


class RulingWriter:
    def __init__(self, store: GraphStore, resolver: Resolver, asserted_by: str):
        self.store = store
        self.resolver = resolver
        self.run = asserted_by
        self._jurisdictions: set[str] = set()

    def _ensure_jurisdiction(self, spec: str, source: str) -> str:
        nodes, edges = jurisdiction_chain(spec, source)
        leaf = nodes[-1].id
        if leaf not in self._jurisdictions:
            new = [n for n in nodes if self.store.get_node("Jurisdiction", n.id) is None]
            if new:
                self.store.upsert_nodes(new, actor=self.run)
                self.store.upsert_edges([e for e in edges if e.src in {n.id for n in new}], actor=self.run)
            self._jurisdictions.add(leaf)
        return leaf

    def write(self, rec: RulingRecord) -> tuple[str, list[str]]:
        """Store one ruling; returns its id and notes on parties or citations that could not be linked."""
        if not rec.jurisdiction:
            raise IngestError(rec.file, "no jurisdiction (give it in the file, a _defaults.yaml or --jurisdiction)",
                              row=rec.locator or None, field="jurisdiction")
        if rec.supersedes and rec.decided_on is None:
            raise IngestError(rec.file, "a ruling that supersedes another needs its date", row=rec.locator or None,
                              field="decided_on")
        jur = self._ensure_jurisdiction(rec.jurisdiction, "ruling-jurisdictions")
        home = self.resolver.is_home(jur)
        status = rec.status if rec.status in ("in_force", "superseded", "draft") else "in_force"
        ruling = Ruling(title=rec.title, jurisdiction=jur, decided_on=rec.decided_on, decided_by=rec.decided_by,
                        summary=rec.summary or _summary(rec), text=rec.text, status=status)  # type: ignore[arg-type]
        if status == "in_force" and (self.store.get_node("Ruling", ruling.id) or {}).get("status") == "superseded":
            # a later ruling superseded it (apply_supersessions): reading its file again leaves it so
            ruling = ruling.model_copy(update={"status": "superseded"})
        prov: dict[str, Any] = {"source": ruling.id, "valid_from": rec.decided_on, "asserted_by": self.run}
        nodes: list[Node] = [ruling]
        edges: list[Edge] = [RulingIn(src=ruling.id, dst=jur, **prov)]
        notes: list[str] = []

        matter_id, new_matter = self.resolver.matter_id(rec.matter)
        if matter_id is None and rec.matter and home:
            from graph.ontology import Matter

            new_matter = Matter(name=rec.matter[-1], path=rec.matter, description="事项名称取自裁决文本")
            matter_id = new_matter.id
        if new_matter is not None:
            nodes.append(new_matter)
            self.resolver.remember_matter(new_matter)
        if matter_id:
            edges.append(Decides(src=ruling.id, dst=matter_id, **prov))
        elif rec.matter:
            notes.append(str(IngestError(rec.file, f"matter {'/'.join(rec.matter)!r} is not in the graph; DECIDES not written",
                                         row=rec.locator or None, field="matter")))

        for i, p in enumerate(rec.parties):
            loc = f"parties[{i + 1}]"
            p = p.model_copy(update={"name": _PARSER.canonical(p.name)})
            if home:
                ids = self.resolver.department_ids(p.name, jur)
                if not ids:
                    notes.append(str(IngestError(rec.file, f"department {p.name!r} not found in the directory; party skipped",
                                                 row=rec.locator or None, field=f"parties[{i + 1}].name")))
                    continue
                for d in ids:
                    edges += ownership_edges(ruling.id, d, p.role, matter_id, loc, prov, duty_text=p.duty)
            else:
                auth: Authority = authority_node(p.name)
                nodes.append(auth)
                edges.append(Assigns(src=ruling.id, dst=auth.id, dst_label="Authority", role=p.role, duty_text=p.duty,
                                     locator=loc, **prov))

        for name in rec.principles:
            pr = principle_node(name)
            nodes.append(pr)
            edges.append(Applies(src=ruling.id, dst=pr.id, **prov))

        for law_title, number, text in rec.cited_articles():
            art = self.resolver.article_id(law_title, number, rec.decided_on.isoformat() if rec.decided_on else None)
            if art:
                edges.append(Cites(src=ruling.id, src_label="Ruling", dst=art, dst_label="Article", locator=f"《{law_title}》第{number}条",
                                   text=text, **prov))
            else:
                notes.append(f"{rec.file}: cited 《{law_title}》第{number}条 is not in the graph (load the statute first)")

        for mc in rec.cited_mandate_items():
            clause = self.resolver.mandate_clause_id(mc.department, mc.ordinal, rec.decided_on.isoformat() if rec.decided_on else None, jur)
            if clause:
                edges.append(Cites(src=ruling.id, src_label="Ruling", dst=clause, dst_label="MandateClause",
                                   locator=f"{mc.department}三定（{mc.ordinal}）", text=mc.text, **prov))
            else:
                notes.append(f"{rec.file}: cited 三定 item {mc.text!r} is not in the graph (load the mandates first)")

        self.store.upsert_nodes(_unique(nodes), actor=self.run)
        self.store.upsert_edges(edges, actor=self.run)
        return ruling.id, notes


def ownership_edges(ruling_id: str, department: str, role: Role, matter_id: str | None, locator: str,
                    prov: dict[str, Any], duty_text: str = "") -> list[Edge]:
    """How a home ruling records who owns a matter: ASSIGNS {role} from the ruling to the department and,
    when the ruling decides a matter, RESPONSIBLE_FOR {role} from the department to it. Shared with the
    API's dispute decisions, so a decision made in the application reads like a loaded ruling."""
    edges: list[Edge] = [Assigns(src=ruling_id, dst=department, dst_label="Department", role=role, duty_text=duty_text,
                                 locator=locator, **prov)]
    if matter_id:
        edges.append(ResponsibleFor(src=department, dst=matter_id, role=role, locator=locator, **prov))
    return edges


def _unique(nodes: list[Node]) -> list[Node]:
    return list({n.id: n for n in nodes}.values())


def _summary(rec: RulingRecord) -> str:
    roles = {"lead": "牵头", "cooperate": "配合", "territorial": "属地"}
    parts = [f"{p.name}{roles[p.role]}" for p in rec.parties]
    matter = rec.matter[-1] if rec.matter else rec.title
    return f"{matter}：" + "，".join(parts)


def link_supersessions(store: GraphStore, pending: list[tuple[RulingRecord, str]], asserted_by: str) -> list[str]:
    """Write SUPERSEDES edges for rulings that repeal earlier ones (found by title in the same jurisdiction)."""
    notes: list[str] = []
    edges: list[Edge] = []
    for rec, rid in pending:
        node = store.get_node("Ruling", rid) or {}
        for title in rec.supersedes:
            want = title.strip("《》 ")
            rows = store.read(
                "MATCH (r:Ruling) WHERE r.jurisdiction = $j AND r.id <> $me AND (r.title = $t OR r.title STARTS WITH $t) "
                "RETURN r.id AS id, r.decided_on AS d ORDER BY r.decided_on DESC",
                {"j": node.get("jurisdiction"), "t": want, "me": rid},
            )
            earlier = [r for r in rows if not r["d"] or not rec.decided_on or r["d"] <= rec.decided_on.isoformat()]
            if not earlier:
                notes.append(str(IngestError(rec.file, f"superseded ruling 《{want}》 not found; SUPERSEDES not written",
                                             row=rec.locator or None, field="supersedes")))
                continue
            edges.append(Supersedes(src=rid, dst=earlier[0]["id"], source=rid, valid_from=rec.decided_on,
                                    locator=f"《{want}》", asserted_by=asserted_by))
    if edges:
        store.upsert_edges(edges, actor=asserted_by)
    return notes


def link_repealed_by_stored(store: GraphStore, written: list[tuple[RulingRecord, str]], asserted_by: str) -> int:
    """Rulings already in the graph whose text repeals one just loaded (the later ruling was loaded first)."""
    edges: list[Edge] = []
    for rec, rid in written:
        if rec.decided_on is None:
            continue
        rows = store.read(
            "MATCH (n:Ruling) WHERE n.id <> $me AND n.jurisdiction = $j AND n.decided_on >= $d AND n.text CONTAINS $t "
            "RETURN n.id AS id, n.text AS text, n.decided_on AS d",
            {"me": rid, "j": (store.get_node("Ruling", rid) or {}).get("jurisdiction"), "d": rec.decided_on.isoformat(),
             "t": f"《{rec.title}》"},
        )
        for r in rows:
            if rec.title in repealed_titles(r["text"]):
                edges.append(Supersedes(src=r["id"], dst=rid, source=r["id"], valid_from=dt.date.fromisoformat(r["d"]),
                                        locator=f"《{rec.title}》", asserted_by=asserted_by))
    return store.upsert_edges(edges, actor=asserted_by) if edges else 0


def apply_supersessions(store: GraphStore, asserted_by: str) -> int:
    """End the assignments of every superseded ruling on the date of the ruling that superseded it."""
    ended = 0
    rows = store.read(
        "MATCH (new:Ruling)-[:SUPERSEDES]->(old:Ruling) WHERE new.decided_on IS NOT NULL "
        "RETURN old.id AS old, min(new.decided_on) AS at"
    )
    for r in rows:
        old, at = r["old"], dt.date.fromisoformat(r["at"])
        store.set_node_props("Ruling", [{"id": old, "props": {"status": "superseded"}}], actor=asserted_by)
        assigns = store.read(
            "MATCH (o:Ruling {id: $id})-[e:ASSIGNS]->(x) WHERE e.source = $id "
            "RETURN x.id AS dst, labels(x)[0] AS label, e.role AS role, e.locator AS locator",
            {"id": old},
        )
        owns = store.read(
            "MATCH (d:Department)-[e:RESPONSIBLE_FOR]->(m:Matter) WHERE e.source = $id "
            "RETURN d.id AS src, m.id AS dst, e.role AS role, e.locator AS locator",
            {"id": old},
        )
        edges: list[Edge] = [
            Assigns(src=old, dst=a["dst"], dst_label=a["label"], role=a["role"], locator=a["locator"] or "", source=old)
            for a in assigns
        ] + [
            ResponsibleFor(src=o["src"], dst=o["dst"], role=o["role"], locator=o["locator"] or "", source=old) for o in owns
        ]
        ended += store.supersede(edges, at, actor=asserted_by)
    return ended


def load_rulings(
    store: GraphStore,
    path: str | Path,
    *,
    jurisdiction: str | None = None,
    progress: Callable[[int], None] | None = None,
    asserted_by: str | None = None,
) -> LoadReport:
    """Load every ruling under `path`; bad files or entries are reported by name and skipped."""
    path = Path(path)
    run = run_name("rulings", asserted_by)
    report = LoadReport(kind="rulings", source=str(path))
    resolver = Resolver(store)
    writer = RulingWriter(store, resolver, run)
    pending: list[tuple[RulingRecord, str]] = []
    written: list[tuple[RulingRecord, str]] = []
    defaults = {"jurisdiction": jurisdiction} if jurisdiction else {}
    try:
        items = list(read_rulings(path, resolver.party_parser(), defaults))
    except IngestError as exc:
        report.errors.append(str(exc))
        report.skipped += 1
        return report
    for item in items:
        report.read += 1
        if isinstance(item, IngestError):
            report.errors.append(str(item))
            report.skipped += 1
        else:
            try:
                rid, notes = writer.write(item)
            except IngestError as exc:
                report.errors.append(str(exc))
                report.skipped += 1
            except ValidationError as exc:  # a value the ontology rejects (e.g. a date the wrong way round)
                report.errors.append(str(IngestError(item.file, str(exc.errors()[0]["msg"]), row=item.locator or None)))
                report.skipped += 1
            else:
                report.written += 1
                report.errors += notes
                written.append((item, rid))
                if item.supersedes:
                    pending.append((item, rid))
        if progress:
            progress(1)
    report.errors += link_supersessions(store, pending, run)
    link_repealed_by_stored(store, written, run)
    apply_supersessions(store, run)
    return report
