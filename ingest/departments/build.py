"""Turn a validated directory into graph nodes and edges, and into resolver records.

Ids are content-derived (`Department(jurisdiction, name)`), so the same directory always gives the
same graph; former names and 简称 become aliases of the one canonical department.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graph.ontology import (
    ActsAs,
    Authority,
    Department,
    DepartmentIn,
    DepartmentPartOf,
    Edge,
    Jurisdiction,
    JurisdictionPartOf,
    Node,
)
from ingest.departments.directory import AuthorityRef, DepartmentEntry, Directory
from ingest.departments.suggest import normalise, suggest_authorities


@dataclass
class DeptRecord:
    """What the resolver needs about one department."""

    id: str
    name: str
    jurisdiction: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)
    parent: str | None = None


@dataclass
class DirectoryGraph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    records: list[DeptRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    home: str = ""


def _dedupe(names: list[str], exclude: str) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n != exclude and n not in out:
            out.append(n)
    return out


def build_directory(d: Directory, source: str, asserted_by: str = "ingest:departments") -> DirectoryGraph:
    g = DirectoryGraph()
    prov = {"source": source, "asserted_by": asserted_by}
    parent_id: str | None = None
    for j in d.chain:
        node = Jurisdiction(name=j.name, level=j.level, parent=parent_id, code=j.code)
        g.nodes.append(node)
        if parent_id:
            g.edges.append(JurisdictionPartOf(src=node.id, dst=parent_id, locator="jurisdiction", **prov))
        parent_id = node.id
    home = g.home = parent_id or ""
    home_name = d.home.name
    authorities: dict[str, Authority] = {}

    def acts(dept_id: str, refs: list[AuthorityRef], locator: str) -> None:
        for ref in refs:
            name = normalise(ref.authority)
            auth = authorities.setdefault(name, Authority(name=name))
            g.edges.append(ActsAs(src=dept_id, dst=auth.id, scope=ref.scope, locator=locator, **prov))

    for t in d.townships:
        jur = Jurisdiction(name=t.name, level="乡镇", parent=home)
        office = f"{home_name}{t.office_name}"
        aliases = _dedupe(
            [t.office_name, t.name, f"{t.name}{'办' if t.kind == '街道' else '政府'}", f"{home_name}{t.name}", *t.short],
            office,
        )
        dept = Department(name=office, jurisdiction=jur.id, aliases=aliases, kind="township", level="乡镇")
        g.nodes += [jur, dept]
        g.edges += [
            JurisdictionPartOf(src=jur.id, dst=home, locator=t.locator, **prov),
            DepartmentIn(src=dept.id, dst=jur.id, locator=t.locator, **prov),
        ]
        acts(dept.id, [AuthorityRef(authority=a) for a in suggest_authorities(office)], t.locator)
        g.records.append(DeptRecord(dept.id, office, jur.id, "township", aliases))

    ids = {e.name: Department.derive_id(home, e.name) for e in d.departments}
    for e in d.departments:
        parent = None
        if e.parent:
            parent = ids.get(e.parent)
            if parent is None:
                g.errors.append(f"{d.path}, row {e.locator}, field 'parent': unknown department {e.parent!r}")
        _add_department(g, e, home, parent, acts, prov)
    g.nodes.extend(authorities.values())
    return g


def _add_department(
    g: DirectoryGraph, e: DepartmentEntry, home: str, parent: str | None,
    acts: Callable[[str, list[AuthorityRef], str], None], prov: dict[str, str],
) -> None:
    former = [n for f in e.former for n in (f.name, *f.short)]
    aliases = _dedupe([*e.short, *e.aliases, *former], e.name)
    dept = Department(name=e.name, jurisdiction=home, aliases=aliases, kind=e.kind, level="县", parent=parent)
    g.nodes.append(dept)
    g.edges.append(DepartmentIn(src=dept.id, dst=home, locator=e.locator, **prov))
    if parent:
        g.edges.append(DepartmentPartOf(src=dept.id, dst=parent, locator=e.locator, **prov))
    refs = e.acts_as if e.acts_as is not None else [AuthorityRef(authority=a) for a in suggest_authorities(e.name)]
    acts(dept.id, [*refs, *e.acts_as_add], e.locator)
    g.records.append(DeptRecord(dept.id, e.name, home, e.kind, aliases, former, parent))
    for i, div in enumerate(e.divisions):
        full = div.name if div.name.startswith(e.name) or div.name[:2] == e.name[:2] else f"{e.name}{div.name}"
        short = div.name if full != div.name else div.name.removeprefix(e.name)
        div_aliases = _dedupe([short, *div.aliases], full)
        node = Department(name=full, jurisdiction=home, aliases=div_aliases, kind="division", level="县", parent=dept.id)
        loc = f"{e.locator}.divisions[{i}]"
        g.nodes.append(node)
        g.edges += [
            DepartmentIn(src=node.id, dst=home, locator=loc, **prov),
            DepartmentPartOf(src=node.id, dst=dept.id, locator=loc, **prov),
        ]
        if div.acts_as is not None:
            acts(node.id, div.acts_as, loc)
        g.records.append(DeptRecord(node.id, full, home, "division", div_aliases, [], dept.id))
