"""空白 and 交叉: matters with no lead in force, with two or more, or where a duty list and a ruling disagree."""

from __future__ import annotations

from collections import defaultdict

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem


def _short(matter_id: str) -> str:
    return matter_id.removeprefix("matter:")


def place_name(jurisdiction: str | None) -> str:
    """The place's own name from a `jur:` id ('jur:全国/山东省/潍坊市/鲁安市' → '鲁安市'), for texts read by people."""
    return (jurisdiction or "").removeprefix("jur:").rsplit("/", 1)[-1]


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
            kind="unowned", subject=r["matter"], matter=r["matter"], title=f"{r['name']}：无牵头部门",
            why=f"截至{ctx.as_of}，" + (f"{place_name(ctx.jurisdiction)}" if ctx.jurisdiction else "")
                + f"没有部门对“{_short(r['matter'])}”承担现行有效的牵头职责",
            data={"work_orders": n}, impact=n, impact_note=f"自{ctx.since}以来工单{n}件",
            next_step="由编办作出裁决或修订权责清单，明确牵头部门；候选部门见下",
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
            why.append(f"{len(leads)}个部门同时现行牵头：{'、'.join(names[d] for d in sorted(leads))}")
        if "list_vs_ruling" in reasons:
            why.append(f"权责清单确定由{'、'.join(names[d] for d in sorted(by_list))}牵头，但裁决确定由"
                       f"{'、'.join(names[d] for d in sorted(by_ruling))}牵头")
        n = ctx.orders_by_matter.get(mid, 0)
        items.append(GapItem(
            kind="overlap", subkind=",".join(reasons), subject=mid, matter=mid, title=f"{name}：牵头部门重叠",
            why="；".join(why),
            refs={"departments": sorted(leads), "rulings": sorted(rulings),
                  "sources": sorted({r["source"] for r in rows})},
            data={"list_leads": sorted(by_list), "ruling_leads": sorted(by_ruling), "work_orders": n,
                  "edges": [{k: r[k] for k in ("department", "name", "source", "locator", "valid_from")} for r in rows]},
            impact=n, impact_note=f"自{ctx.since}以来工单{n}件",
            next_step=("按在后的裁决修订权责清单，或提请编办裁决"
                       if "list_vs_ruling" in reasons else "由编办裁决确定唯一牵头部门，其余部门改为配合"),
        ))
    return items
