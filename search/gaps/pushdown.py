"""属地下压: a township or street leads a duty whose statute names a county-level authority it does not act as."""

from __future__ import annotations

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem


def find_push_down(ctx: GapContext) -> list[GapItem]:
    by_duty: dict[str, list[dict]] = {}
    for r in ctx.read(q.PUSH_DOWN):
        by_duty.setdefault(r["duty"], []).append(r)
    items = []
    for duty, rows in sorted(by_duty.items()):
        r = rows[0]
        named = sorted({f"{d['name']}" + (f" ({d['level']})" if d.get("level") else "") for x in rows for d in x["designated"]})
        matters = sorted({m for x in rows for m in x["matters"]})
        n = sum(ctx.orders_by_matter.get(m, 0) for m in matters)
        items.append(GapItem(
            kind="push_down", subject=duty, matter=matters[0] if matters else None,
            title=f"duty {r['code']} {r['name']}: pushed down to {r['holder_name']}",
            why=f"{r['holder_name']} (township/street) leads it, but {', '.join(x['article'] for x in rows)} "
                f"designates {', '.join(named)}, which it does not act as",
            refs={"duties": [duty], "departments": [r["holder"]], "articles": [x["article"] for x in rows],
                  "authorities": sorted({d["authority"] for x in rows for d in x["designated"]}), "matters": matters},
            data={"code": r["code"], "holder": r["holder_name"], "designated": [d for x in rows for d in x["designated"]],
                  "work_orders": n},
            impact=n, impact_note=f"{n} work orders since {ctx.since} on its matter",
            next_step="give the lead to the department acting as the designated authority; keep the township's "
                      "属地 duty (discover, report, assist) as territorial",
        ))
    return items
