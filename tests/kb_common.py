"""What the owner-ranking KB (tests/owners_kb.py) and the search KB (tests/search_kb.py) both hold, declared once:
Weifang's 市容 rules in force and its repealed 摊点办法, Luan's enforcement and market bureaus, and the enforcement
bureau's 三定. Each KB adds its own nodes and edges, and may add aliases to a bureau.
"""

from __future__ import annotations

import datetime as dt

from graph.ontology import Department, DepartmentIn, Edge, HasMandate, Law, Mandate
from tests.places import LUAN, WF

STALL_RULES = Law(title="潍坊市城市市容管理条例", version="2020-01-01", level="地方性法规", status="现行有效", jurisdiction=WF.id)
OLD_RULES = Law(title="潍坊市城市摊点管理办法", version="2001-05-01", level="规章", status="已废止", jurisdiction=WF.id)

ENFORCE = Department(name="鲁安市综合行政执法局", jurisdiction=LUAN.id, level="县")
MARKET = Department(name="鲁安市市场监督管理局", jurisdiction=LUAN.id, level="县")
MANDATE = Mandate(department=ENFORCE.id, issued=dt.date(2019, 3, 1), title="鲁安市综合行政执法局职能配置")


def edges(source: str) -> list[Edge]:
    """Both bureaus sit in Luan; the enforcement bureau has its 三定. `source` is the KB's, as on its own edges."""
    return [
        DepartmentIn(src=ENFORCE.id, dst=LUAN.id, source=source),
        DepartmentIn(src=MARKET.id, dst=LUAN.id, source=source),
        HasMandate(src=ENFORCE.id, dst=MANDATE.id, source=source),
    ]
