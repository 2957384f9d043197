"""Names in a ruling → graph ids: jurisdictions, departments (home), authorities (elsewhere), matters, articles.

A ruling made where a department directory is loaded assigns departments; a precedent from a place
without one names authority types (文化和旅游部门), which are normalised with the laws engineer's
authority table so that they meet the same `Authority` nodes the statutes designate.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.ontology import Authority, Jurisdiction, JurisdictionPartOf, Matter
from graph.store.base import GraphStore
from ingest.departments.resolve import DepartmentResolver
from ingest.extract.authorities import normalise_authority
from ingest.rulings.parties import TERRITORIAL, PartyParser

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PLACE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|区|县)){1,3}(?=[\u4e00-\u9fff]{2,})")
TOWNSHIP_AUTHORITY = "乡镇人民政府"


def _level(name: str, parent_level: str | None) -> str:
    if parent_level is None:
        return "全国"
    if name.endswith(("省", "自治区", "特别行政区")) or name in _MUNICIPALITIES:
        return "省"
    if name.endswith(("街道", "镇", "乡")):
        return "乡镇"
    if name.endswith(("社区", "村")):
        return "村"
    if name.endswith(("区", "县", "旗")) or parent_level == "市":
        return "县"
    return "市" if parent_level == "省" else "县"


def jurisdiction_chain(spec: str, source: str) -> tuple[list[Jurisdiction], list[JurisdictionPartOf]]:
    """'全国/浙江省/杭州市' or 'jur:全国/…' or '浙江省/杭州市' → nodes from 全国 down and PART_OF edges."""
    names = [n for n in spec.removeprefix("jur:").split("/") if n]
    if not names or names[0] != "全国":
        names = ["全国", *names]
    nodes: list[Jurisdiction] = []
    edges: list[JurisdictionPartOf] = []
    parent: Jurisdiction | None = None
    for name in names:
        node = Jurisdiction(name=name, level=_level(name, parent.level if parent else None),  # type: ignore[arg-type]
                            parent=parent.id if parent else None)
        if parent:
            edges.append(JurisdictionPartOf(src=node.id, dst=parent.id, source=source, asserted_by="ingest:rulings"))
        nodes.append(node)
        parent = node
    return nodes, edges


@lru_cache(maxsize=4096)
def authority_name(name: str) -> str:
    """A precedent's party as an authority type: normalised, else with its place prefix and 局/委 dropped."""
    if name == TERRITORIAL:
        return normalise_authority(TOWNSHIP_AUTHORITY) or TOWNSHIP_AUTHORITY
    for cand in (name, _PLACE_PREFIX.sub("", name)):
        got = normalise_authority(cand)
        if got:
            return got
        generic = re.sub(r"(?:局|委员会|委|厅|办公室|办)$", "部门", cand)
        if generic != cand and (got := normalise_authority(generic)):
            return got
    return _PLACE_PREFIX.sub("", name)


def authority_node(name: str) -> Authority:
    return Authority(name=authority_name(name))


class Resolver:
    """Per-load caches over the store: departments, matters, articles."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.departments = DepartmentResolver.from_store(store)
        self._matters: dict[str, list[tuple[str, list[str]]]] = {}
        for r in store.read("MATCH (m:Matter) RETURN m.id AS id, m.name AS name, m.path AS path"):
            self._matters.setdefault(r["name"], []).append((r["id"], list(r["path"] or [])))
        self._home: dict[str, bool] = {}

    def party_parser(self) -> PartyParser:
        names: set[str] = set()
        for rec in self.departments.records.values():
            for n in (rec.name, *rec.aliases):
                names.add(n)
                if (m := re.match(r"^([\u4e00-\u9fff]{2,4}[市县区])(.+)$", n)) and len(m.group(2)) >= 2:
                    names.add("市" + m.group(2))
        return PartyParser.with_names(names)

    def is_home(self, jurisdiction: str) -> bool:
        """True when departments of this jurisdiction are loaded: its rulings name departments."""
        if jurisdiction not in self._home:
            self._home[jurisdiction] = any(r.jurisdiction == jurisdiction for r in self.departments.records.values())
        return self._home[jurisdiction]

    def department_ids(self, name: str, jurisdiction: str) -> list[str]:
        """Department ids a party name stands for; the generic territorial party means every township."""
        if name == TERRITORIAL:
            return self.departments.townships(jurisdiction)
        got = self.departments.resolve(name, jurisdiction)
        return [got] if got else []

    def matter_id(self, path: list[str]) -> tuple[str | None, Matter | None]:
        """(id of a known matter, or None) and a new Matter to create when the path is a full category path.

        A one-element path is a name: the known matter of that name, else the one whose name it
        contains or that contains it (longest name wins), else nothing.
        """
        if not path:
            return None, None
        if len(path) > 1:
            node = Matter(name=path[-1], path=path)
            known = any(mid == node.id for lst in self._matters.values() for mid, _ in lst)
            return node.id, None if known else node
        name = path[0]
        exact = self._matters.get(name, [])
        if len(exact) == 1:
            return exact[0][0], None
        fuzzy = [
            (len(n), lst[0][0]) for n, lst in self._matters.items()
            if len(lst) == 1 and len(n) >= 2 and (n in name or (len(name) >= 4 and name in n))
        ]
        if fuzzy:
            return max(fuzzy)[1], None
        return None, None

    def remember_matter(self, node: Matter) -> None:
        self._matters.setdefault(node.name, []).append((node.id, list(node.path)))

    def article_id(self, law_title: str, number: str, as_of: str | None) -> str | None:
        try:
            from ingest.laws.resolve import find_article
        except ImportError:  # the laws loader is not installed in this tree: look the title up directly
            return self._article_fallback(law_title, number)
        return find_article(self.store, law_title, number, as_of)

    def mandate_clause_id(self, department: str, ordinal: int, as_of: str | None, jurisdiction: str) -> str | None:
        """The main-duty clause (主要职责(N)) of the department's 三定 in force on the ruling's date."""
        dept = self.departments.resolve(department, jurisdiction)
        if dept is None:
            return None
        rows = self.store.read(
            "MATCH (c:MandateClause) WHERE c.department = $d AND c.number = $n "
            "RETURN c.id AS id, c.issued AS issued ORDER BY c.issued DESC",
            {"d": dept, "n": f"主要职责({ordinal})"},
        )
        live = [r for r in rows if not as_of or not r["issued"] or r["issued"] <= as_of] or rows
        return live[0]["id"] if live else None

    def _article_fallback(self, law_title: str, number: str) -> str | None:
        titles = [law_title, law_title.removeprefix("中华人民共和国"), "中华人民共和国" + law_title]
        rows = self.store.read(
            "MATCH (l:Law)-[:HAS_ARTICLE]->(a:Article) WHERE l.title IN $titles AND a.number = $n "
            "RETURN a.id AS id, l.status AS status, l.version AS version ORDER BY l.version DESC",
            {"titles": titles, "n": number},
        )
        live = [r for r in rows if r["status"] == "现行有效"] or rows
        return live[0]["id"] if live else None
