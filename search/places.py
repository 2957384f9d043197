"""Resolve `--jurisdiction` to a place id, and say how the owner search works there.

A place is given by id (jur:全国/山东省/潍坊市), by name (潍坊市, 山东省, 鲁安市) or by a short name
(潍坊, 山东, 鲁安). The hierarchy is the one the graph holds: statutes create their province and city
(ingest.laws.jurisdiction), the department directory creates its county and towns. Statutes apply by
prefix of these path ids (search.filters.UnitFilter.applicable_to).
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.errors import DutygraphError
from graph.queries.evidence import department_count
from graph.store.base import GraphStore

NATIONAL = "jur:全国"
_SUFFIXES = ("省", "市", "县", "区", "自治区", "自治州", "地区", "盟", "镇", "街道", "乡")

_FIND = """
MATCH (j:Jurisdiction) WHERE j.id = $q OR j.name = $q OR j.name IN $names
RETURN j.id AS id, j.name AS name, j.level AS level
"""
_HOME = """
MATCH (d:Department) WHERE d.kind <> 'township'
RETURN d.jurisdiction AS id, count(d) AS n ORDER BY n DESC LIMIT 1
"""


class UnknownPlace(DutygraphError):
    """No jurisdiction of that name or id in the graph."""


class Place(BaseModel):
    id: str
    name: str
    level: str | None = None
    departments: int = 0

    @property
    def mode(self) -> str:
        """`department` where the place has a department directory, else `authority`."""
        return "department" if self.departments > 0 else "authority"


def resolve_place(store: GraphStore, jurisdiction: str | None) -> Place:
    """The place asked for; without one, the jurisdiction whose department directory is loaded (else 全国)."""
    if not jurisdiction:
        rows = store.read(_HOME)
        pid = rows[0]["id"] if rows and rows[0]["id"] else NATIONAL
        return _place(store, pid)
    q = jurisdiction.strip()
    if q.startswith("jur:") or q == "全国":
        q = q if q.startswith("jur:") else NATIONAL
    names = [q + s for s in _SUFFIXES] if not q.endswith(_SUFFIXES) else []
    rows = store.read(_FIND, {"q": q, "names": names})
    if not rows:
        raise UnknownPlace(f"no jurisdiction {jurisdiction!r} in the graph: give a province, city or county name "
                           "(山东省, 潍坊市, 鲁安市) or an id such as jur:全国/山东省")
    # a name shared by two places: the higher one (山东省 over a town named 山东)
    rows.sort(key=lambda r: (r["id"].count("/"), r["id"]))
    return _place(store, rows[0]["id"])


def _place(store: GraphStore, pid: str) -> Place:
    rows = store.read("MATCH (j:Jurisdiction {id: $id}) RETURN j.name AS name, j.level AS level", {"id": pid})
    name = rows[0]["name"] if rows else pid.rsplit("/", 1)[-1].removeprefix("jur:")
    level = rows[0]["level"] if rows else None
    return Place(id=pid, name=name, level=level, departments=department_count(store, pid))
