"""China's administrative divisions (行政区划), read from the `cpca` package's adcode table.

The table is a maintained public list (12-digit adcodes: province PP0000…, prefecture PPCC00…, county
PPCCAA…), so no place names are hand-written here. It is read as a data file through the installed
package's metadata, without importing cpca itself (which would load pandas for nothing). cpca 0.5.5's
table still holds a few prefectures merged since (莱芜市, into 济南市 in 2019): statutes of those
places exist and must still be placed, so the older table is the right one for statutes.

A division is placed by its chain of names from the nation down; the graph's place ids are built from
that chain (graph.places), so a statute, a department directory and a question all name one place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from graph.errors import DutygraphError

# Names the table uses for groupings that are not places of their own.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"}
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass(frozen=True)
class Division:
    """One place of the table: its name, level (省 / 市 / 县) and the names above it, nation excluded."""

    code: str
    name: str
    level: str
    chain: tuple[str, ...]  # e.g. ("山东省", "潍坊市", "寿光市"); a municipality's district: ("上海市", "浦东新区")

    @property
    def province(self) -> str:
        return self.chain[0]


def short_name(name: str) -> str:
    """济宁市 → 济宁, 广西壮族自治区 → 广西, 浦东新区 → 浦东新区 (a short name is kept only when ≥ 2 characters)."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "自治州", "地区", "盟", "省", "市",
                   "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class DivisionTable:
    """Lookups by full name, by short name and by title prefix."""

    def __init__(self, rows: list[tuple[str, str]]):
        by_code = {code[:6]: name for code, name in rows}
        self.divisions: list[Division] = []
        for code, name in rows:
            c = code[:6]
            if name in _PLACEHOLDERS:
                continue
            if c[2:] == "0000":
                self.divisions.append(Division(c, name, "省", (name,)))
                continue
            province = by_code.get(c[:2] + "0000")
            if not province:
                continue
            if c[4:] == "00":
                self.divisions.append(Division(c, name, "市", (province, name)))
                continue
            city = by_code.get(c[:4] + "00")
            above = (province,) if city is None or city in _PLACEHOLDERS or c[:2] in _MUNICIPALITIES else (province, city)
            self.divisions.append(Division(c, name, "县", (*above, name)))
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        for d in self.divisions:
            self._by_name.setdefault(d.name, []).append(d)
            if d.level != "县":  # a county's short name (长清, 历下) is too often an ordinary word
                self._by_short.setdefault(short_name(d.name), []).append(d)
        self.provinces = [d for d in self.divisions if d.level == "省"]

    def named(self, name: str) -> list[Division]:
        """Divisions with this full name (鼓楼区 names five; 济宁市 one)."""
        return list(self._by_name.get(name, []))

    def lookup(self, name: str) -> list[Division]:
        """By full name, else by short name (济宁, 山东, 上海), higher levels first."""
        found = self._by_name.get(name) or self._by_short.get(name) or []
        return sorted(found, key=lambda d: (len(d.chain), d.code))

    def province(self, name: str) -> Division | None:
        """A province by full or short name (山东省, 山东, 广西壮族自治区, 广西)."""
        return next((d for d in self.lookup(name) if d.level == "省"), None)

    def from_title(self, title: str, province: str | None = None) -> Division | None:
        """The place a statute's title starts with (济宁市养犬管理条例 → 济宁市; 寿光市… → 寿光市).

        With `province` known (from the statute's folder), a name is taken only inside that province,
        and a prefecture may be given by its short name (杭州西湖文化景观保护管理条例 → 杭州市). Without it,
        only a full name that names one place counts: 鼓楼区 alone is ambiguous and places nothing."""
        for n in range(min(len(title), 12), 1, -1):
            head = title[:n]
            found = [d for d in self._by_name.get(head, []) if province is None or d.province == province]
            if len(found) == 1:
                return found[0]
            if province and n <= 4:
                short = [d for d in self._by_short.get(head, []) if d.province == province and d.level == "市"]
                if len(short) == 1 and not title[n:].startswith(("省", "市")):
                    return short[0]
        return None

    def close_to(self, name: str, limit: int = 5) -> list[str]:
        """Division names sharing the most characters with `name`, for an 'unknown place' message."""
        import difflib

        return difflib.get_close_matches(name, list(self._by_name), n=limit, cutoff=0.5)


class DivisionTableMissing(DutygraphError):
    """The cpca package (the divisions table) is not installed."""


def _table_path() -> Path:
    try:
        path = Path(str(distribution("cpca").locate_file("cpca/resources/adcodes.csv")))
    except PackageNotFoundError:
        raise DivisionTableMissing("the administrative-divisions table comes from the `cpca` package: "
                                   "pip install cpca") from None
    if not path.is_file():
        raise DivisionTableMissing(f"{path}: the cpca package is installed without its adcodes.csv")
    return path


@cache
def divisions() -> DivisionTable:
    """The table, read once per process (≈3,500 rows, a few milliseconds)."""
    with _table_path().open(encoding="utf-8") as f:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(f) if r.get("adcode") and r.get("name")]
    rows.sort()
    return DivisionTable(rows)


def province_of_folder(name: str) -> str | None:
    """A folder that names a province: LawRefBook's `山东地方法规`, or `山东` / `山东省` itself."""
    stem = name.removesuffix("地方法规").removesuffix("地方性法规")
    if not stem or len(stem) > 8:
        return None
    table = divisions()
    d = table.province(stem) if stem == short_name(stem) or _PROVINCE_SUFFIX.search(stem) else None
    return d.name if d else None
