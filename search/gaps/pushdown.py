"""属地下压: a township or street leads a duty whose statute names a county-level authority it does not act as."""

from __future__ import annotations

from graph.queries import gaps as q
from search.gaps.context import GapContext
from search.gaps.model import GapItem


def _article(row: dict) -> str:
    """《law》第N条 where the law's title is known, else the article id."""
    return f"《{row['law_title']}》{row['article'].rsplit('#', 1)[-1]}" if row.get("law_title") else row["article"]


def find_push_down(ctx: GapContext) -> list[GapItem]:
    by_duty: dict[str, list[dict]] = {}
    for r in ctx.read(q.PUSH_DOWN):
        by_duty.setdefault(r["duty"], []).append(r)
    items = []
    for duty, rows in sorted(by_duty.items()):
        r = rows[0]
        named = sorted({f"{d['name']}" + (f"（{d['level']}）" if d.get("level") else "") for x in rows for d in x["designated"]})
        matters = sorted({m for x in rows for m in x["matters"]})
        n = sum(ctx.orders_by_matter.get(m, 0) for m in matters)
        items.append(GapItem(
            kind="push_down", subject=duty, matter=matters[0] if matters else None,
            title=f"权责事项 {r['code']} {r['name']}：下压至{r['holder_name']}",
            why=f"该事项由{r['holder_name']}（乡镇/街道）牵头，但{'、'.join(_article(x) for x in rows)}"
                f"规定的主体是{'、'.join(named)}，该乡镇（街道）并不承担这一主体的职责",
            refs={"duties": [duty], "departments": [r["holder"]], "articles": [x["article"] for x in rows],
                  "authorities": sorted({d["authority"] for x in rows for d in x["designated"]}), "matters": matters},
            data={"code": r["code"], "holder": r["holder_name"], "designated": [d for x in rows for d in x["designated"]],
                  "work_orders": n},
            impact=n, impact_note=f"自{ctx.since}以来所涉事项工单{n}件",
            next_step="将牵头职责交给承担该法定主体职责的部门；乡镇（街道）保留发现、报告、协助等属地职责",
        ))
    return items
