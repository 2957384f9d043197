"""Where a statute applies, from its folder and title (conventions: "jur:全国/山东省/东营市").

LawRefBook keeps local regulations under `DLC/<省>地方法规/…`; a title that starts with a city name
(东营市养犬管理条例) belongs to that city. Plain files outside that layout are placed by their title
alone: a province or city at its start, else the whole country.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from graph.ontology import Jurisdiction, JurisdictionPartOf

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
_SHORT = {p[:2] if not p.startswith(("内蒙古", "黑龙江")) else p[:3]: p for p in PROVINCES}
_CITY = re.compile(r"^([\u4e00-\u9fa5]{2,3}?市)")
_DLC = re.compile(r"^([\u4e00-\u9fa5]{2,3})地方法规$")

Chain = list[tuple[str, str]]


def _city(title: str, province: str) -> str | None:
    m = _CITY.match(title)
    if not m:
        return None
    name = m.group(1)
    if title.startswith(province) or "城市" in name or name.startswith(("关于", "本市", "全市")) or name in PROVINCES:
        return None
    return name


def chain_for(path: PurePath | None, title: str) -> Chain:
    """The jurisdiction chain (name, level) from 全国 down, e.g. [(全国,全国), (山东省,省), (东营市,市)]."""
    province = None
    for part in path.parts if path else ():
        m = _DLC.match(part)
        if m:
            province = _SHORT.get(m.group(1))
    if province is None:
        province = next((p for p in PROVINCES if title.startswith(p)), None)
        if province is None and (m := _CITY.match(title)) and m.group(1)[:-1] in ("北京", "天津", "上海", "重庆"):
            province = m.group(1)
    chain: Chain = [("全国", "全国")]
    if province is None:
        return chain
    chain.append((province, "省"))
    city = _city(title, province)
    if city:
        chain.append((city, "市"))
    return chain


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
