"""A tiny knowledge base for the search tests, built with the ontology models (own words, real places)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from graph.ontology import (
    Article,
    Department,
    DepartmentIn,
    Duty,
    HasArticle,
    HasClause,
    Holds,
    Jurisdiction,
    Law,
    MandateClause,
    Matter,
    ResponsibleFor,
    Ruling,
)
from graph.store.base import GraphStore
from search.embedders import Embedder
from tests import kb_common
from tests.kb_common import ENFORCE, MANDATE, MARKET, OLD_RULES, STALL_RULES
from tests.places import CN, JN, LUAN, SD, WF

TOWN = Jurisdiction(name="城关街道", level="乡镇", parent=LUAN.id)

ROAD_LAW = Law(title="中华人民共和国道路交通安全法", version="2021-04-29", level="法律", status="现行有效")

A_ROAD = Article(law=ROAD_LAW.id, number="5", ordinal=5,
                 text="县级以上地方各级人民政府公安机关交通管理部门负责本行政区域内的道路交通管理工作。")
A_STALL = Article(law=STALL_RULES.id, number="21", ordinal=21,
                  text="任何单位和个人不得擅自占用城市道路、桥梁、广场等公共场所摆摊设点。城市管理部门负责查处。")
A_OLD = Article(law=OLD_RULES.id, number="3", ordinal=3, text="摊点的设置由市容管理部门统一规划。")

STREET = Department(name="城关街道办事处", jurisdiction=TOWN.id, kind="township", level="乡镇")
CLAUSE = MandateClause(mandate=MANDATE.id, department=ENFORCE.id, number="3",
                       text="负责查处占用城市道路摆摊设点、店外经营等违反市容管理规定的行为。")
D_STALL = Duty(name="对擅自占用城市道路摆摊设点的行政处罚", type="行政处罚", list="luan-2024", code="CF-001",
               text="违反市容管理规定擅自占道经营的，责令改正并处罚款。")
D_FOOD = Duty(name="食品经营许可", type="行政许可", list="luan-2024", code="XK-007",
              text="对从事食品销售和餐饮服务的经营者核发食品经营许可证。")
D_NIGHT = Duty(name="夜市摊点日常巡查", type="其他", list="chengguan-2024", code="QT-2",
               text="对辖区夜市摊点开展日常巡查，发现问题及时劝导。")
M_STALL = Matter(name="占道经营", path=["城市管理", "市容秩序", "占道经营"], description="在道路、人行道上摆摊卖货。")
M_UNOWNED = Matter(name="共享单车乱停放", path=["城市管理", "共享单车乱停放"], description="共享单车堆放占用盲道。")
R_HOME = Ruling(title="关于夜市摊点管理职责的裁决", jurisdiction=LUAN.id, decided_on=dt.date(2023, 6, 1),
                summary="夜市摊点的占道经营由综合行政执法局牵头查处，街道负责属地巡查。", text="经研究，明确如下分工。")
R_OLD = Ruling(title="关于早市管理的意见", jurisdiction=JN.id, decided_on=dt.date(2015, 2, 1), status="superseded",
               summary="早市由市场监管部门管理。")

NODES = [CN, SD, WF, LUAN, TOWN, JN, ROAD_LAW, STALL_RULES, OLD_RULES, A_ROAD, A_STALL, A_OLD, ENFORCE, MARKET,
         STREET, MANDATE, CLAUSE, D_STALL, D_FOOD, D_NIGHT, M_STALL, M_UNOWNED, R_HOME, R_OLD]
SRC = "test:search"


def build_kb(store: GraphStore) -> None:
    store.upsert_nodes(NODES)
    store.upsert_edges([
        *kb_common.edges(SRC),
        HasArticle(src=ROAD_LAW.id, dst=A_ROAD.id, source=SRC),
        HasArticle(src=STALL_RULES.id, dst=A_STALL.id, source=SRC),
        HasArticle(src=OLD_RULES.id, dst=A_OLD.id, source=SRC),
        DepartmentIn(src=STREET.id, dst=TOWN.id, source=SRC),
        HasClause(src=MANDATE.id, dst=CLAUSE.id, source=SRC),
        Holds(src=ENFORCE.id, dst=D_STALL.id, source=SRC),
        Holds(src=MARKET.id, dst=D_FOOD.id, source=SRC),
        Holds(src=STREET.id, dst=D_NIGHT.id, source=SRC),
        ResponsibleFor(src=ENFORCE.id, dst=M_STALL.id, source=SRC),
        ResponsibleFor(src=STREET.id, dst=M_STALL.id, source=SRC, role="territorial"),
    ], actor=SRC)


class CountingEmbedder(Embedder):
    """A real embedder, instrumented: counts the passages it is actually asked to embed."""

    def __init__(self, inner: Embedder):
        self.inner, self.name, self.spec, self.dim = inner, inner.name, inner.spec, inner.dim
        self.passages = 0
        self.queries = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self.queries += 1
        return self.inner.embed_query(text)
