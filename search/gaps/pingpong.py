"""推诿热点: matters whose work orders are returned and redispatched often (aggregated in the database)."""

from __future__ import annotations

from collections import defaultdict

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem

MIN_ORDERS = 20
MIN_RETURN_RATE = 0.3


def _trend(months: list[dict]) -> tuple[list[dict], float]:
    """Monthly return rates and the change from the first half of the window to the second."""
    series = [{"month": m["month"], "orders": int(m["orders"]), "returned": int(m["returned"]),
               "rate": round(m["returned"] / m["orders"], 3) if m["orders"] else 0.0} for m in months]
    half = len(series) // 2
    if half == 0:
        return series, 0.0

    def rate(part: list[dict]) -> float:
        n = sum(p["orders"] for p in part)
        return sum(p["returned"] for p in part) / n if n else 0.0

    return series, round(rate(series[half:]) - rate(series[:half]), 3)


def find_ping_pong(ctx: GapContext, min_orders: int = MIN_ORDERS, min_rate: float = MIN_RETURN_RATE) -> list[GapItem]:
    hot = ctx.read(q.PING_PONG, min_orders=min_orders, min_rate=min_rate)
    ids = [r["matter"] for r in hot]
    months: dict[str, list[dict]] = defaultdict(list)
    depts: dict[str, list[dict]] = defaultdict(list)
    if ids:
        for r in ctx.read(q.PING_PONG_MONTHS, matters=ids):
            months[r["matter"]].append(r)
        for r in ctx.read(q.PING_PONG_DEPTS, matters=ids):
            depts[r["matter"]].append(r)
    items = []
    for r in hot:
        rate = r["returned"] / r["orders"]
        series, change = _trend(months[r["matter"]])
        returners = [{"department": d["department"], "name": d["name"], "returns": int(d["returns"])}
                     for d in depts[r["matter"]]]
        items.append(GapItem(
            kind="ping_pong", subject=r["matter"], matter=r["matter"], title=f"{r['name']}：工单反复退回",
            why=(f"{int(r['orders'])}件工单中有{int(r['returned'])}件（{rate:.0%}）至少被退回一次；"
                 f"平均每件派单{float(r['mean_hops']):.2f}次（最多{int(r['max_hops'])}次）；"
                 f"退回率{'上升' if change > 0.05 else '下降' if change < -0.05 else '持平'}（{change:+.2f}）"),
            refs={"departments": [d["department"] for d in returners]},
            data={"orders": int(r["orders"]), "returned": int(r["returned"]), "returns": int(r["returns"]),
                  "return_rate": round(rate, 3), "mean_hops": round(float(r["mean_hops"]), 3),
                  "max_hops": int(r["max_hops"]), "trend": change, "months": series, "returned_by": returners},
            impact=int(r["returned"]), impact_note=f"自{ctx.since}以来被退回工单{int(r['returned'])}件",
            next_step="由编办对该事项的牵头部门作出裁决，并点明退回工单的部门；"
                      "裁决作出前，为派单中心明确首接负责规则",
        ))
    return items
