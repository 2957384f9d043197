"""Map a department name as people write it to one department id.

Documents name departments by 简称 (市场监管局), by former names from before a 机构改革 rename
(工商局, 城市管理局), with or without the city prefix (鲁安市住建局 / 市住建局 / 住建局). Every
loader that meets a department name (mandates, duty lists, rulings, work orders) resolves it here,
so one body gets one id. Build the resolver from the store (what is loaded) or from a directory file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from graph.store.base import GraphStore
from ingest.departments.build import DeptRecord, build_directory
from ingest.departments.directory import read_directory

_PUNCT = re.compile(r"[\s\u3000·•（）()《》〈〉\"“”'‘’]")
_PARTY = re.compile(r"^中共(.+?[市县区])委")
# Variants too generic to name one body on their own (the city government's 人民政府 is everyone's).
_GENERIC = frozenset({"人民政府", "政府", "市政府", "办公室", "管理局", "执法局", "服务中心", "中心"})


def normalise_name(name: str) -> str:
    """Drop spaces, brackets and quotes: how a name compares."""
    return _PUNCT.sub("", name or "")


class DepartmentResolver:
    """Alias table over departments. `resolve` answers one id or None when unknown or ambiguous."""

    def __init__(self, records: Iterable[DeptRecord], home: str | None = None):
        self.records: dict[str, DeptRecord] = {}
        self.home = home
        self._keys: dict[str, set[str]] = defaultdict(set)
        self._former: set[tuple[str, str]] = set()
        prefixes: set[str] = set()
        for r in records:
            self.records[r.id] = r
            city = _city_of(r)
            if city:
                prefixes.add(city)
        self._prefixes = sorted(prefixes, key=len, reverse=True)
        for r in self.records.values():
            for name in (r.name, *r.aliases):
                for key in self._variants(name):
                    self._keys[key].add(r.id)
            for name in r.former:
                for key in self._variants(name):
                    self._former.add((key, r.id))
        self._pattern: re.Pattern[str] | None = None

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_store(cls, store: GraphStore, home: str | None = None) -> DepartmentResolver:
        rows = store.read(
            "MATCH (d:Department) RETURN d.id AS id, d.name AS name, d.jurisdiction AS jur, d.kind AS kind, "
            "d.aliases AS aliases, d.parent AS parent"
        )
        recs = [
            DeptRecord(r["id"], r["name"], r["jur"] or "", r["kind"] or "government", list(r["aliases"] or []),
                       [], r["parent"])
            for r in rows
        ]
        return cls(recs, home)

    @classmethod
    def from_directory(cls, path: str | Path, jurisdiction: str | None = None) -> DepartmentResolver:
        d = read_directory(path, jurisdiction)
        g = build_directory(d, source=Path(path).name)
        return cls(g.records, g.home)

    # -- keys -----------------------------------------------------------------------------------
    def _variants(self, name: str) -> set[str]:
        """A name, the name without its city prefix, and the 市-prefixed short form."""
        base = normalise_name(name)
        out = {base}
        m = _PARTY.match(base)
        if m:  # 中共鲁安市委宣传部 → 市委宣传部 / 宣传部
            rest = base[m.end():]
            out |= {f"市委{rest}", rest}
        for p in self._prefixes:
            if base.startswith(p) and len(base) > len(p) + 1:
                rest = base[len(p):]
                out |= {rest, f"{p[-1]}{rest}"}  # 鲁安市住建局 → 市住建局; 临河县公安局 → 县公安局
                break
        return {k for k in out if len(k) >= 2 and (k == base or k not in _GENERIC)}

    def _lookup(self, key: str) -> set[str]:
        ids = set(self._keys.get(key, ()))
        if not ids:
            ids = {i for k, i in self._former if k == key}
        return ids

    # -- queries --------------------------------------------------------------------------------
    def candidates(self, name: str) -> list[str]:
        """Every department the name could mean (several when it is ambiguous)."""
        ids: set[str] = set()
        for key in self._variants(name):
            ids |= self._lookup(key)
        if not ids:
            stripped = re.sub(r"^(市|县|区)", "", normalise_name(name))
            ids = self._lookup(stripped) | self._lookup(f"市{stripped}") | self._lookup(f"县{stripped}")
        if not ids:
            ids = self._division_of(normalise_name(name))
        return sorted(ids)

    def _division_of(self, name: str) -> set[str]:
        """'市公安局交警大队' → the 交警大队 division of 市公安局: a known body's name, then one of its divisions."""
        for cut in range(len(name) - 2, 1, -1):
            parents = set()
            for key in self._variants(name[:cut]):
                parents |= self._lookup(key)
            if len(parents) != 1:
                continue
            parent = next(iter(parents))
            rest = name[cut:]
            return {
                r.id for r in self.records.values()
                if r.parent == parent and any(normalise_name(a) == rest for a in (r.name, *r.aliases))
            }
        return set()

    def resolve(self, name: str, jurisdiction: str | None = None) -> str | None:
        """One id, or None. Prefers the exact canonical name, then a top-level body over a division,
        then the given (or home) jurisdiction."""
        ids = self.candidates(name)
        if len(ids) <= 1:
            return ids[0] if ids else None
        key = normalise_name(name)
        exact = [i for i in ids if normalise_name(self.records[i].name) == key]
        if len(exact) == 1:
            return exact[0]
        top = [i for i in ids if self.records[i].kind != "division"]
        if len(top) == 1:
            return top[0]
        where = jurisdiction or self.home
        local = [i for i in top or ids if self.records[i].jurisdiction == where]
        return local[0] if len(local) == 1 else None

    def is_former(self, name: str) -> bool:
        """True when the name is a department's name from before a rename."""
        return any(k == key for key in self._variants(name) for k, _ in self._former)

    def name_of(self, dept_id: str) -> str:
        return self.records[dept_id].name

    def townships(self, jurisdiction: str | None = None) -> list[str]:
        """Ids of the town and street offices under a jurisdiction (default: home)."""
        under = jurisdiction or self.home
        return sorted(
            r.id for r in self.records.values()
            if r.kind == "township" and (under is None or r.jurisdiction.startswith(under + "/"))
        )

    def find_mentions(self, text: str) -> list[tuple[str, int, int]]:
        """Departments named in running text: (id, start, end), longest names first, no overlaps."""
        if self._pattern is None:
            keys = sorted((k for k in self._keys if len(k) >= 3 or k in {"公安", "消防", "城管"}), key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else re.compile(r"(?!x)x")
        out: list[tuple[str, int, int]] = []
        for m in self._pattern.finditer(text):
            dept = self.resolve(m.group(0))
            if dept:
                out.append((dept, m.start(), m.end()))
        return out


def _city_of(r: DeptRecord) -> str | None:
    """The city-name prefix departments in a jurisdiction share ('鲁安市'), from the jurisdiction id."""
    leaf = r.jurisdiction.rsplit("/", 1)[-1] if r.jurisdiction else ""
    if r.kind == "township" and "/" in r.jurisdiction:
        leaf = r.jurisdiction.rsplit("/", 2)[-2]
    return leaf if leaf.endswith(("市", "县", "区")) else None
