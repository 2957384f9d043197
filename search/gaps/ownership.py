"""空白 and 交叉: matters with no lead in force, with two or more, or where a duty list and a ruling disagree."""

from __future__ import annotations

from collections import defaultdict

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem


def _short(matter_id: str) -> str:
    return matter_id.removeprefix("matter:")


def find_unowned(ctx: GapContext) -> list[GapItem]:
    """Leaf matters with no lead in force. Within a jurisdiction, only matters that concern it: its work
    orders are about them, or one of its departments was once responsible (a matter the place never
    meets is not its gap)."""
    concern = {r["matter"] for r in ctx.read(q.EVER_ASSIGNED)} if ctx.jurisdiction else set()
    items = []
    for r in ctx.read(q.LEADS):
        if r["leads"]:
            continue
        n = ctx.orders_by_matter.get(r["matter"], 0)
        if ctx.jurisdiction and not n and r["matter"] not in concern:
            continue
        items.append(GapItem(
            kind="unowned", subject=r["matter"], matter=r["matter"], title=f"{r['name']}: no lead department",
            why=f"no department holds a lead RESPONSIBLE_FOR on {_short(r['matter'])} in force on {ctx.as_of}"
                + (f" in {ctx.jurisdiction}" if ctx.jurisdiction else ""),
            data={"work_orders": n}, impact=n, impact_note=f"{n} work orders since {ctx.since}",
            next_step="assign a lead (编办 ruling or duty-list amendment); candidate owners below",
        ))
    return items


def find_overlaps(ctx: GapContext) -> list[GapItem]:
    """Two or more leads in force; or the leads from in-force rulings differ from the other (duty-list) leads."""
    multi = {r["matter"]: r for r in ctx.read(q.LEADS) if len(r["leads"]) >= 2}
    ruled = {r["matter"]: r for r in ctx.read(q.RULING_LEADS)}
    edges: dict[str, list[dict]] = defaultdict(list)
    for r in ctx.read(q.LEAD_EDGES, matters=sorted(set(multi) | set(ruled))):
        edges[r["matter"]].append(r)
    items = []
    for mid in sorted(set(multi) | set(ruled)):
        rows = edges.get(mid, [])
        rulings = set(ruled[mid]["rulings"]) if mid in ruled else set()
        by_ruling = {r["department"] for r in rows if r["source"] in rulings}
        by_list = {r["department"] for r in rows if r["source"] not in rulings}
        leads = by_ruling | by_list
        reasons = []
        if len(leads) >= 2:
            reasons.append("two_leads")
        if by_ruling and by_list and by_ruling != by_list:
            reasons.append("list_vs_ruling")
        if not reasons:
            continue
        names = ctx.department_names(sorted(leads))
        name = (multi.get(mid) or ruled.get(mid) or {}).get("name") or _short(mid)
        why = []
        if "two_leads" in reasons:
            why.append(f"{len(leads)} departments lead it in force: {', '.join(names[d] for d in sorted(leads))}")
        if "list_vs_ruling" in reasons:
            why.append(f"duty list names {', '.join(names[d] for d in sorted(by_list))} but ruling(s) name "
                       f"{', '.join(names[d] for d in sorted(by_ruling))}")
        n = ctx.orders_by_matter.get(mid, 0)
        items.append(GapItem(
            kind="overlap", subkind=",".join(reasons), subject=mid, matter=mid, title=f"{name}: overlapping leads",
            why="; ".join(why),
            refs={"departments": sorted(leads), "rulings": sorted(rulings),
                  "sources": sorted({r["source"] for r in rows})},
            data={"list_leads": sorted(by_list), "ruling_leads": sorted(by_ruling), "work_orders": n,
                  "edges": [{k: r[k] for k in ("department", "name", "source", "locator", "valid_from")} for r in rows]},
            impact=n, impact_note=f"{n} work orders since {ctx.since}",
            next_step=("amend the duty list to follow the later ruling, or bring the conflict to 编办 for a ruling"
                       if "list_vs_ruling" in reasons else "settle one lead (编办 ruling); make the others cooperate"),
        ))
    return items
