"""依据失效: duties and rulings in force that rest on articles of repealed or amended statutes."""

from __future__ import annotations

from graph.ontology.nodes import NOT_IN_FORCE, STALE
from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem


def _subkind(cites: list[dict]) -> str:
    repealed = any(c["how"] == "REPEALS" or (c["how"] is None and c["status"] in NOT_IN_FORCE) for c in cites)
    return "repealed" if repealed else "amended"


def _cite_text(c: dict) -> str:
    after, eff = "", c.get("successor_effective")
    if c.get("successor") and c.get("how") == "REPEALS":
        after = f"，自{eff}起废止" if eff else "，已被废止"
    elif c.get("successor"):
        after = f"，修订后的新版本自{eff}起施行" if eff else "，已有修订后的新版本"
    return f"《{c['title']}》{c['article'].rsplit('#', 1)[-1]}（{c['status']}{after}）"


def find_stale(ctx: GapContext) -> list[GapItem]:
    items = []
    for r in ctx.read(q.STALE_DUTIES, stale_status=list(STALE)):
        cites = r["stale_cites"]
        matter = r["matters"][0] if r["matters"] else None
        n = sum(ctx.orders_by_matter.get(m, 0) for m in r["matters"])
        items.append(GapItem(
            kind="stale_basis", subkind=_subkind(cites), subject=r["id"], matter=matter,
            title=f"权责事项 {r['code']} {r['name']}：依据条文已非现行有效",
            why=f"所引{int(r['cites'])}条依据中有{len(cites)}条已非现行有效："
                + "；".join(_cite_text(c) for c in cites),
            refs={"duties": [r["id"]], "articles": [c["article"] for c in cites], "laws": [c["law"] for c in cites],
                  "departments": r["holders"], "matters": r["matters"]},
            data={"list": r["list"], "code": r["code"], "stale_citations": cites, "citations": int(r["cites"]),
                  "work_orders": n},
            impact=n, impact_note=f"自{ctx.since}以来所涉事项工单{n}件",
            next_step="将权责清单的依据更新为现行有效的条文；该职权已无依据的，删除该项",
        ))
    for r in ctx.read(q.STALE_RULINGS, stale_status=list(STALE)):
        cites = r["stale_cites"]
        # a ruling rests on several grounds: flag it only when none of its cited articles is current
        if len(cites) < int(r["cites"]):
            continue
        n = sum(ctx.orders_by_matter.get(m, 0) for m in r["matters"])
        items.append(GapItem(
            kind="stale_basis", subkind=_subkind(cites), subject=r["id"],
            matter=r["matters"][0] if r["matters"] else None,
            title=f"裁决《{r['name']}》：所引条文均已非现行有效",
            why="所引条文均已非现行有效：" + "；".join(_cite_text(c) for c in cites),
            refs={"rulings": [r["id"]], "articles": [c["article"] for c in cites], "laws": [c["law"] for c in cites],
                  "matters": r["matters"]},
            data={"decided_on": r["decided_on"], "decided_by": r["decided_by"], "stale_citations": cites,
                  "work_orders": n},
            impact=n, impact_note=f"自{ctx.since}以来所涉事项工单{n}件",
            next_step="请作出裁决的机关依据现行法律确认或重新作出裁决",
        ))
    return items
