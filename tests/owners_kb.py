"""A small knowledge base for the owner-ranking tests (own words, real places, a fictional county).

It plants what the ranking must get right: a statute in force and a repealed one, a home ruling in
force and a superseded one, a precedent from elsewhere that assigns an authority type, a matter whose
owner changed on 2022-01-01 (for as-of reads), and a city (济南市) with a statute but no directory.
"""

from __future__ import annotations

import datetime as dt

from graph.ontology import (
    ActsAs,
    Article,
    Assigns,
    Authority,
    Department,
    DepartmentIn,
    Designates,
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
    Supersedes,
)
from graph.store.base import GraphStore
from tests import kb_common
from tests.kb_common import MANDATE, OLD_RULES, STALL_RULES
from tests.places import CN, JN, LUAN, SD, WF

TOWN = Jurisdiction(name="鲁城街道", level="乡镇", parent=LUAN.id)
ZC = Jurisdiction(name="邹城市", level="县", parent=SD.id)

CITY_MGMT = Authority(name="城市管理部门")
MARKET_AU = Authority(name="市场监督管理部门")
CULTURE_AU = Authority(name="文化和旅游主管部门")
POLICE_AU = Authority(name="公安机关")

FOOD_LAW = Law(title="中华人民共和国食品安全法", version="2021-04-29", level="法律", status="现行有效", jurisdiction=CN.id)
JN_DOGS = Law(title="济南市文明养犬管理条例", version="2019-01-01", level="地方性法规", status="现行有效", jurisdiction=JN.id)

A_FOOD = Article(law=FOOD_LAW.id, number="6", ordinal=6,
                 text="县级以上地方人民政府市场监督管理部门负责本行政区域的食品安全监督管理工作，查处无证经营的小餐饮。")
A_STALL = Article(law=STALL_RULES.id, number="21", ordinal=21,
                  text="任何单位和个人不得擅自占用城市道路、广场等公共场所摆摊设点。城市管理部门负责查处占道摆摊。")
A_OLD = Article(law=OLD_RULES.id, number="3", ordinal=3,
                text="城市道路上的摆摊设点由市场监督管理部门统一管理和查处。")
A_DOGS = Article(law=JN_DOGS.id, number="5", ordinal=5,
                 text="公安机关负责养犬登记和违法携犬出户的查处；城市管理部门负责查处犬只粪便污染环境卫生。")

ENFORCE = kb_common.ENFORCE.model_copy(update={"aliases": ["市综合执法局"]})
MARKET = kb_common.MARKET.model_copy(update={"aliases": ["市市场监管局"]})
CULTURE = Department(name="鲁安市文化和旅游局", jurisdiction=LUAN.id, level="县")
POLICE = Department(name="鲁安市公安局", jurisdiction=LUAN.id, level="县")
STREET = Department(name="鲁安市鲁城街道办事处", jurisdiction=TOWN.id, kind="township", level="乡镇")
CLAUSE = MandateClause(mandate=MANDATE.id, department=ENFORCE.id, number="（三）",
                       text="负责查处占用城市道路摆摊设点、店外经营等违反市容管理规定的行为。")
D_STALL = Duty(name="对擅自占用城市道路摆摊设点的处罚", type="行政处罚", list="luan-2024", code="CF-001",
               text="违反市容管理规定擅自占道摆摊经营的，责令改正并处罚款。")
M_STALL = Matter(name="占道摆摊", path=["占道经营", "占道摆摊"], description="在道路、人行道上摆摊卖货。")
M_MARKET = Matter(name="早市管理", path=["农贸市场", "早市管理"], description="马路早市的摊位秩序和卫生。")
R_HOME = Ruling(title="关于夜市占道摆摊管理职责的意见", jurisdiction=LUAN.id, decided_on=dt.date(2023, 6, 1),
                summary="夜市占道摆摊由综合行政执法局牵头查处，街道负责属地巡查。")
R_OLD = Ruling(title="关于夜市摆摊管理职责的原意见", jurisdiction=LUAN.id, decided_on=dt.date(2015, 2, 1), status="superseded",
               summary="夜市摆摊由市场监管局管理。")
R_ESCAPE = Ruling(title="密室逃脱经营场所监管职责界定", jurisdiction=ZC.id, decided_on=dt.date(2021, 10, 15),
                  summary="密室逃脱等沉浸式娱乐场所由文化和旅游部门牵头监管，公安机关配合治安管理。")

NODES = [CN, SD, WF, LUAN, TOWN, JN, ZC, CITY_MGMT, MARKET_AU, CULTURE_AU, POLICE_AU, FOOD_LAW, STALL_RULES, OLD_RULES,
         JN_DOGS, A_FOOD, A_STALL, A_OLD, A_DOGS, ENFORCE, MARKET, CULTURE, POLICE, STREET, MANDATE, CLAUSE, D_STALL,
         M_STALL, M_MARKET, R_HOME, R_OLD, R_ESCAPE]
SRC = "test:owners"
CHANGE = dt.date(2022, 1, 1)


def build_kb(store: GraphStore) -> None:
    store.upsert_nodes(NODES)
    store.upsert_edges([
        *kb_common.edges(SRC),
        HasArticle(src=FOOD_LAW.id, dst=A_FOOD.id, source=SRC),
        HasArticle(src=STALL_RULES.id, dst=A_STALL.id, source=SRC),
        HasArticle(src=OLD_RULES.id, dst=A_OLD.id, source=SRC),
        HasArticle(src=JN_DOGS.id, dst=A_DOGS.id, source=SRC),
        Designates(src=A_FOOD.id, dst=MARKET_AU.id, role="lead", source=SRC),
        Designates(src=A_STALL.id, dst=CITY_MGMT.id, role="lead", source=SRC),
        Designates(src=A_OLD.id, dst=MARKET_AU.id, role="lead", source=SRC),
        Designates(src=A_DOGS.id, dst=POLICE_AU.id, role="lead", source=SRC),
        Designates(src=A_DOGS.id, dst=CITY_MGMT.id, role="lead", source=SRC),
        ActsAs(src=ENFORCE.id, dst=CITY_MGMT.id, source=SRC),
        ActsAs(src=MARKET.id, dst=MARKET_AU.id, source=SRC),
        ActsAs(src=CULTURE.id, dst=CULTURE_AU.id, source=SRC),
        ActsAs(src=POLICE.id, dst=POLICE_AU.id, source=SRC),
        *(DepartmentIn(src=d.id, dst=LUAN.id, source=SRC) for d in (CULTURE, POLICE)),
        DepartmentIn(src=STREET.id, dst=TOWN.id, source=SRC),
        HasClause(src=MANDATE.id, dst=CLAUSE.id, source=SRC),
        Holds(src=ENFORCE.id, dst=D_STALL.id, source=SRC),
        ResponsibleFor(src=ENFORCE.id, dst=M_STALL.id, source=SRC),
        ResponsibleFor(src=STREET.id, dst=M_STALL.id, source=SRC, role="territorial"),
        # the early-market matter moved from market regulation to the enforcement bureau on 2022-01-01
        ResponsibleFor(src=MARKET.id, dst=M_MARKET.id, source=SRC, valid_to=CHANGE),
        ResponsibleFor(src=ENFORCE.id, dst=M_MARKET.id, source=SRC, valid_from=CHANGE),
        Assigns(src=R_HOME.id, dst=ENFORCE.id, dst_label="Department", role="lead", source=SRC),
        Assigns(src=R_HOME.id, dst=STREET.id, dst_label="Department", role="territorial", source=SRC),
        Assigns(src=R_OLD.id, dst=MARKET.id, dst_label="Department", role="lead", source=SRC),
        Supersedes(src=R_HOME.id, dst=R_OLD.id, source=SRC),
        Assigns(src=R_ESCAPE.id, dst=CULTURE_AU.id, dst_label="Authority", role="lead", source=SRC),
        Assigns(src=R_ESCAPE.id, dst=POLICE_AU.id, dst_label="Authority", role="cooperate", source=SRC),
    ], actor=SRC)
