"""Where a statute applies, from its folder and title (place ids: "jur:全国/山东省/东营市").

The same rule whatever path the user gives (the snapshot root, `DLC/山东地方法规`, one city's files,
one file, an upload): the province is the deepest folder that names one (LawRefBook's `山东地方法规`,
or `山东` / `山东省`), else the one the title starts with; the city or county is the one the title starts
with (济宁市养犬管理条例 → 济宁市), looked up in the table of administrative divisions (graph.divisions)
and so placed under its own province and prefecture even where no folder says which. A title naming no
place leaves the statute at its province, or national when no folder or title names a province.
"""

from __future__ import annotations

from pathlib import PurePath

from graph.divisions import divisions, province_of_folder
from graph.ontology import Jurisdiction, JurisdictionPartOf

Chain = list[tuple[str, str]]
_LEVELS = ("省", "市", "县")


def folder_province(path: PurePath | None) -> str | None:
    """The province named by the deepest folder of `path` that names one."""
    for part in reversed(path.parent.parts if path else ()):
        found = province_of_folder(part)
        if found:
            return found
    return None


def chain_for(path: PurePath | None, title: str) -> Chain:
    """The jurisdiction chain (name, level) from 全国 down, e.g. [(全国,全国), (山东省,省), (东营市,市)]."""
    table = divisions()
    province = folder_province(path)
    place = table.from_title(title, province)
    if place is None and province is None:
        province_hit = next((d for d in table.provinces if title.startswith(d.name)), None)
        place = province_hit
    chain: Chain = [("全国", "全国")]
    if place is not None:
        levels = _chain_levels(place.chain, place.level)
        chain += list(zip(place.chain, levels, strict=True))
    elif province is not None:
        chain.append((province, "省"))
    return chain


def _chain_levels(names: tuple[str, ...], leaf: str) -> list[str]:
    """省 / 市 / 县 for each name; a municipality's district sits right under it (上海市 → 浦东新区: 省, 县)."""
    if len(names) == 1:
        return ["省"]
    if len(names) == 2:
        return ["省", leaf]
    return list(_LEVELS[: len(names)])


def jurisdiction_nodes(chain: Chain, source: str) -> tuple[list[Jurisdiction], list[JurisdictionPartOf]]:
    """Nodes for every level of the chain and PART_OF edges up it; returns them with the leaf last."""
    nodes: list[Jurisdiction] = []
    edges: list[JurisdictionPartOf] = []
    parent: str | None = None
    for name, level in chain:
        node = Jurisdiction(name=name, level=level, parent=parent)  # type: ignore[arg-type]
        if parent:
            edges.append(JurisdictionPartOf(src=node.id, dst=parent, source=source, asserted_by="ingest:laws"))
        nodes.append(node)
        parent = node.id
    return nodes, edges
