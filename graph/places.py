"""The one place model: place ids, containment, and the resolver every command and route uses.

A place id is the path of names from the nation down — `jur:全国/山东省/济宁市` — so "this place and
everything above it" is its list of prefixes and "under it" is a prefix test. Statutes (ingest.laws),
the department directory and questions all build ids the same way, from the chain of names that the
divisions table (graph.divisions) gives for a name.

`resolve_place` accepts an id, a full name (济宁市), a short name (济宁), or a path (山东省/济宁市). A
place the graph does not hold but the divisions table knows (a county, a city whose statutes were not
loaded) is still a place: questions there are answered by the statutes of the places above it, and
`Place.note` says so. Anything else is `UnknownPlace`, with the closest names in the message.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.divisions import divisions
from graph.errors import DutygraphError
from graph.store.base import GraphStore

NATIONAL = "jur:全国"
NATIONAL_NAME = "全国"
_NATION_ALIASES = {"全国", "中国", "国家", "中华人民共和国", "national"}
_SUFFIXES = ("省", "市", "县", "区", "自治区", "自治州", "地区", "盟", "镇", "街道", "乡")


def place_id(names: list[str] | tuple[str, ...]) -> str:
    """The id of a chain of names below the nation: [山东省, 济宁市] → jur:全国/山东省/济宁市."""
    return "/".join([NATIONAL, *names])


def ancestors(pid: str) -> list[str]:
    """The place and every place above it, top first: jur:全国, jur:全国/山东省, … (ids are paths)."""
    parts = pid.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))] if pid else []


def contains(outer: str, inner: str | None) -> bool:
    """`inner` is `outer` or lies under it."""
    return bool(inner) and (inner == outer or inner.startswith(outer + "/"))  # type: ignore[union-attr]


def name_of(pid: str) -> str:
    return pid.rsplit("/", 1)[-1].removeprefix("jur:")


def in_place(var: str, *, optional: bool = False, above: bool = False) -> str:
    """Cypher: node `var`'s `jurisdiction` is the place `$jur` or lies under it (parameters: `place_params`).

    `optional`: a null `$jur` means everywhere. `above`: the places above it count too (`$jur_above`: their
    statutes and duties bind it). `var` is a fixed name from code, never user text."""
    if not var.isidentifier():
        raise ValueError("in_place takes a Cypher identifier")
    test = f"{var}.jurisdiction = $jur OR {var}.jurisdiction STARTS WITH $jur_prefix"
    if above:
        test += f" OR {var}.jurisdiction IN $jur_above"
    return f"($jur IS NULL OR {test})" if optional else f"({test})"


def place_params(pid: str | None, *, above: bool = False) -> dict[str, object]:
    """`$jur`, `$jur_prefix` (and `$jur_above`) for `in_place`; None = everywhere (with `optional`)."""
    out: dict[str, object] = {"jur": pid, "jur_prefix": pid + "/" if pid else None}
    if above:
        out["jur_above"] = ancestors(pid)[:-1] if pid else []
    return out


class UnknownPlace(DutygraphError):
    """Neither the graph nor the divisions table knows the place."""


class Place(BaseModel):
    id: str
    name: str
    level: str | None = None
    departments: int = Field(default=0, description="departments of the place itself in the directory")
    loaded: bool = Field(default=True, description="the graph holds this place (statutes or a directory placed it)")
    nearest: str = Field(default=NATIONAL, description="the nearest place at or above it that the graph holds")
    note: str | None = Field(default=None, description="how questions there are answered, when not by its own data")

    @property
    def mode(self) -> str:
        """`department` where the place has a department directory, else `authority`."""
        return "department" if self.departments > 0 else "authority"

    @property
    def national(self) -> bool:
        return self.id == NATIONAL


_FIND = """
MATCH (j:Jurisdiction) WHERE j.id = $q OR j.name = $q OR j.name IN $names
RETURN j.id AS id, j.name AS name, j.level AS level
"""
_HOME = """
MATCH (d:Department) WHERE d.kind <> 'township'
RETURN d.jurisdiction AS id, count(d) AS n ORDER BY n DESC LIMIT 1
"""
_BY_IDS = "UNWIND $ids AS i MATCH (j:Jurisdiction {id: i}) RETURN j.id AS id, j.name AS name, j.level AS level"
_ALL_NAMES = "MATCH (j:Jurisdiction) RETURN j.name AS name"


def resolve_place(store: GraphStore, given: str | None) -> Place:
    """The place asked for; without one, the place whose department directory is loaded (else 全国)."""
    if not given or not given.strip():
        rows = store.read(_HOME)
        return _place(store, rows[0]["id"] if rows and rows[0]["id"] else NATIONAL)
    q = given.strip()
    if q in _NATION_ALIASES or q == NATIONAL:
        return _place(store, NATIONAL)
    if q.startswith("jur:"):
        if _known(store, [q]):
            return _place(store, q)
        return _unloaded(store, q, given)
    if "/" in q:
        parts = [p for p in q.split("/") if p]
        return resolve_place(store, place_id(parts[1:] if parts[0] == NATIONAL_NAME else parts))
    names = [q + s for s in _SUFFIXES] if not q.endswith(_SUFFIXES) else []
    rows = store.read(_FIND, {"q": q, "names": names})
    if rows:
        # a name shared by two places: the higher one (山东省 over a town named 山东)
        rows.sort(key=lambda r: (r["id"].count("/"), r["id"]))
        return _place(store, rows[0]["id"])
    return _from_table(store, q, given)


def _from_table(store: GraphStore, q: str, given: str) -> Place:
    table = divisions()
    found = table.lookup(q)
    if not found:  # 济宁市任城区: a known place followed by one inside it
        for n in range(len(q) - 1, 1, -1):
            outer = table.lookup(q[:n])
            inner = [d for d in table.named(q[n:]) if outer and d.chain[: len(outer[0].chain)] == outer[0].chain]
            if outer and inner:
                found = inner
                break
    top = [d for d in found if len(d.chain) == len(found[0].chain)] if found else []
    if len(top) > 1:
        options = "、".join("".join(d.chain) for d in top[:6])
        raise UnknownPlace(f"place {given!r} names {len(top)} places: give the one meant with what is above it "
                           f"({options})")
    if not top:
        close = list(dict.fromkeys([*_close_in_graph(store, q), *table.close_to(q)]))[:6]
        hint = f"; close matches: {'、'.join(close)}" if close else ""
        raise UnknownPlace(f"no place {given!r} in the graph or in the table of administrative divisions{hint}")
    return _unloaded(store, place_id(top[0].chain), given)


def _unloaded(store: GraphStore, pid: str, given: str) -> Place:
    """A place the graph does not hold: answered by what holds above it."""
    chain = ancestors(pid)
    held = {r["id"]: r for r in store.read(_BY_IDS, {"ids": chain})}
    nearest = next((a for a in reversed(chain) if a in held), NATIONAL)
    if nearest == pid:
        return _place(store, pid)
    name = name_of(pid)
    table_hit = next((d for d in divisions().named(name) if place_id(d.chain) == pid), None)
    if table_hit is None and len(pid.split("/")) > 1 and not divisions().lookup(name):
        raise UnknownPlace(f"no place {given!r} in the graph or in the table of administrative divisions")
    above = [name_of(a) for a in chain[1:-1] if a in held][::-1]
    names = "、".join([*above, NATIONAL_NAME]) if above else NATIONAL_NAME
    note = (f"{name}没有已加载的本地法规或部门目录：按{names}的法律法规回答" if above
            else f"{name}没有已加载的本地法规或部门目录：按国家法律法规回答")
    return Place(id=pid, name=name, level=table_hit.level if table_hit else None, departments=0, loaded=False,
                 nearest=nearest, note=note)


def _known(store: GraphStore, ids: list[str]) -> bool:
    return bool(store.read(_BY_IDS, {"ids": ids}))


def _close_in_graph(store: GraphStore, q: str) -> list[str]:
    import difflib

    names = [r["name"] for r in store.read(_ALL_NAMES) if r["name"]]
    return difflib.get_close_matches(q, names, n=4, cutoff=0.5)


def _place(store: GraphStore, pid: str) -> Place:
    rows = store.read(_BY_IDS, {"ids": [pid]})
    name = rows[0]["name"] if rows else name_of(pid)
    level = rows[0]["level"] if rows else ("全国" if pid == NATIONAL else None)
    return Place(id=pid, name=name, level=level, departments=_department_count(store, pid), loaded=bool(rows) or pid == NATIONAL, nearest=pid)


_DEPARTMENTS_AT = "MATCH (d:Department {jurisdiction: $jur}) RETURN count(d) AS n"


def _department_count(store: GraphStore, pid: str) -> int:
    """How many departments the place itself has in the directory (its towns' bodies not counted)."""
    return int(store.read(_DEPARTMENTS_AT, {"jur": pid})[0]["n"])
