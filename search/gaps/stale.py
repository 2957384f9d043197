"""依据失效: duties and rulings in force that rest on articles of repealed or amended statutes."""

from __future__ import annotations

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem

STALE_STATUS = ["已修改", "已废止", "失效"]


def _subkind(cites: list[dict]) -> str:
    repealed = any(c["how"] == "REPEALS" or (c["how"] is None and c["status"] in ("已废止", "失效")) for c in cites)
    return "repealed" if repealed else "amended"


def _cite_text(c: dict) -> str:
    after = f", replaced by {c['successor']} (effective {c['successor_effective']})" if c.get("successor") else ""
    return f"《{c['title']}》 {c['article'].rsplit('#', 1)[-1]} ({c['status']}{after})"


def find_stale(ctx: GapContext) -> list[GapItem]:
    items = []
    for r in ctx.read(q.STALE_DUTIES, stale_status=STALE_STATUS):
        cites = r["stale_cites"]
        matter = r["matters"][0] if r["matters"] else None
        n = sum(ctx.orders_by_matter.get(m, 0) for m in r["matters"])
        items.append(GapItem(
            kind="stale_basis", subkind=_subkind(cites), subject=r["id"], matter=matter,
            title=f"duty {r['code']} {r['name']}: basis out of date",
            why=f"{len(cites)} of its {int(r['cites'])} cited articles are no longer current: "
                + "; ".join(_cite_text(c) for c in cites),
            refs={"duties": [r["id"]], "articles": [c["article"] for c in cites], "laws": [c["law"] for c in cites],
                  "departments": r["holders"], "matters": r["matters"]},
            data={"list": r["list"], "code": r["code"], "stale_citations": cites, "citations": int(r["cites"]),
                  "work_orders": n},
            impact=n, impact_note=f"{n} work orders since {ctx.since} on its matter",
            next_step="update the duty list's basis to the article in force (or drop the item if the power lapsed)",
        ))
    for r in ctx.read(q.STALE_RULINGS, stale_status=STALE_STATUS):
        cites = r["stale_cites"]
        # a ruling rests on several grounds: flag it only when none of its cited articles is current
        if len(cites) < int(r["cites"]):
            continue
        n = sum(ctx.orders_by_matter.get(m, 0) for m in r["matters"])
        items.append(GapItem(
            kind="stale_basis", subkind=_subkind(cites), subject=r["id"],
            matter=r["matters"][0] if r["matters"] else None,
            title=f"ruling 《{r['name']}》: every cited article is out of date",
            why="; ".join(_cite_text(c) for c in cites),
            refs={"rulings": [r["id"]], "articles": [c["article"] for c in cites], "laws": [c["law"] for c in cites],
                  "matters": r["matters"]},
            data={"decided_on": r["decided_on"], "decided_by": r["decided_by"], "stale_citations": cites,
                  "work_orders": n},
            impact=n, impact_note=f"{n} work orders since {ctx.since} on its matters",
            next_step="ask the deciding body to confirm or reissue the ruling on current law",
        ))
    return items
