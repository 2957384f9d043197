"""Did a ruling work? (抓落实) The work orders about its matters before and after the decision date.

A ruling counts only when the departments take it up and complaints stop bouncing. For the orders about
the ruling's matters (and their sub-matters) received in the `months` before the decision and the
`months` from it on, four figures, overall, per matter and per department:

- first to lead: the share of orders whose first dispatch went to the ruled lead (a department assigned
  the lead, or one of the ruling's place acting as an authority it assigned);
- returned: the share of orders returned (退单) at least once;
- departments: the mean number of distinct departments an order was dispatched to;
- days to close: the mean days from receipt to closing, over the orders that were closed.

Per department: orders first sent to it, orders it returned, its return rate (orders it returned /
orders sent to it) and orders it finally handled (the last department sent to). A month-by-month series
(orders, first-to-lead share, returned share) feeds the chart on the pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import DutygraphError
from graph.queries import effect as q
from graph.store.base import GraphStore

DEFAULT_MONTHS = 12


class RulingNotFound(DutygraphError):
    """No ruling with this id."""


class Figures(BaseModel):
    orders: int = 0
    first_to_lead: float | None = Field(None, description="share of orders first dispatched to the ruled lead")
    returned: float | None = Field(None, description="share of orders returned (退单) at least once")
    departments: float | None = Field(None, description="mean number of departments an order was dispatched to")
    days_to_close: float | None = Field(None, description="mean days from receipt to closing (closed orders)")
    closed: int = 0


class Side(BaseModel):
    since: str
    until: str
    figures: Figures


class MatterEffect(BaseModel):
    id: str
    name: str
    before: Figures
    after: Figures


class DepartmentFigures(BaseModel):
    dispatched: int = Field(0, description="orders dispatched to it at any hop")
    first: int = Field(0, description="orders first dispatched to it")
    returned: int = Field(0, description="orders it returned")
    return_rate: float | None = Field(None, description="orders it returned / orders dispatched to it")
    final: int = Field(0, description="orders it finally handled (the last department dispatched to)")


class DepartmentEffect(BaseModel):
    id: str
    name: str
    lead: bool = Field(description="a ruled lead")
    before: DepartmentFigures
    after: DepartmentFigures


class Month(BaseModel):
    month: str
    orders: int
    first_to_lead: float | None
    returned: float | None


class Effect(BaseModel):
    ruling: str
    title: str
    decided_on: str
    status: str | None = None
    months: int
    leads: list[dict[str, str]]
    matters: list[dict[str, str]]
    before: Side
    after: Side
    by_matter: list[MatterEffect]
    by_department: list[DepartmentEffect]
    series: list[Month]
    note: str = ""


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _shift(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (the 31st becomes the month's last day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _share(n: int, of: int) -> float | None:
    return round(n / of, 4) if of else None


def figures(orders: Iterable[dict[str, Any]], leads: set[str]) -> Figures:
    """The four figures over some orders (each with `dispatched` hops in time order and `returned` hops)."""
    orders = list(orders)
    n = len(orders)
    first = sum(1 for o in orders if o["dispatched"] and o["dispatched"][0]["id"] in leads)
    returned = sum(1 for o in orders if o["returned"])
    depts = [len({h["id"] for h in o["dispatched"]}) for o in orders]
    days = [(dt.datetime.fromisoformat(str(o["closed_at"])) - dt.datetime.fromisoformat(str(o["received_at"])))
            .total_seconds() / 86400 for o in orders if o.get("closed_at") and o.get("received_at")]
    return Figures(orders=n, first_to_lead=_share(first, n), returned=_share(returned, n),
                   departments=round(sum(depts) / n, 3) if n else None,
                   days_to_close=round(sum(days) / len(days), 2) if days else None, closed=len(days))


def _departments(orders: list[dict[str, Any]]) -> dict[str, tuple[str, DepartmentFigures]]:
    out: dict[str, tuple[str, DepartmentFigures]] = {}

    def of(hop: dict[str, Any]) -> DepartmentFigures:
        if hop["id"] not in out:
            out[hop["id"]] = (hop.get("name") or hop["id"], DepartmentFigures())
        return out[hop["id"]][1]

    for o in orders:
        for did in dict.fromkeys(h["id"] for h in o["dispatched"]):
            of(next(h for h in o["dispatched"] if h["id"] == did)).dispatched += 1
        for did in dict.fromkeys(h["id"] for h in o["returned"]):
            of(next(h for h in o["returned"] if h["id"] == did)).returned += 1
        if o["dispatched"]:
            of(o["dispatched"][0]).first += 1
            of(o["dispatched"][-1]).final += 1
    for _, f in out.values():
        f.return_rate = _share(f.returned, f.dispatched)
    return out


def _series(orders: list[dict[str, Any]], leads: set[str]) -> list[Month]:
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in orders:
        by_month[str(o["received_at"])[:7]].append(o)
    out = []
    for month in sorted(by_month):
        f = figures(by_month[month], leads)
        out.append(Month(month=month, orders=f.orders, first_to_lead=f.first_to_lead, returned=f.returned))
    return out


def ruling_effect(store: GraphStore, ruling_id: str, months: int = DEFAULT_MONTHS) -> Effect:
    """Before/after figures for a ruling's matters, `months` on each side of its decision date."""
    r = q.ruling(store, ruling_id)
    if r is None:
        raise RulingNotFound(f"no ruling {ruling_id!r}")
    if not r.get("decided_on"):
        raise RulingNotFound(f"ruling {ruling_id!r} has no decision date, so there is no before and after")
    decided = _date(r["decided_on"])
    since, until = _shift(decided, -months), _shift(decided, months)
    leads = q.leads(store, ruling_id)
    lead_ids = {x["id"] for x in leads}
    matters = r["matters"]
    rows = q.orders(store, [m["id"] for m in matters], since.isoformat(), until.isoformat())
    cut = decided.isoformat()
    before = [o for o in rows if str(o["received_at"]) < cut]
    after = [o for o in rows if str(o["received_at"]) >= cut]
    by_matter = []
    for m in matters:
        def under(o: dict[str, Any], mid: str = m["id"]) -> bool:
            return o["matter"] == mid or str(o["matter"]).startswith(mid + "/")
        by_matter.append(MatterEffect(id=m["id"], name=m["name"] or m["id"],
                                      before=figures((o for o in before if under(o)), lead_ids),
                                      after=figures((o for o in after if under(o)), lead_ids)))
    dept_before, dept_after = _departments(before), _departments(after)
    by_department = [
        DepartmentEffect(id=did, name=(dept_before.get(did) or dept_after[did])[0], lead=did in lead_ids,
                         before=dept_before.get(did, ("", DepartmentFigures()))[1],
                         after=dept_after.get(did, ("", DepartmentFigures()))[1])
        for did in dict.fromkeys([*dept_before, *dept_after])
    ]
    by_department.sort(key=lambda d: (not d.lead, -(d.before.dispatched + d.after.dispatched), d.name))
    note = ""
    if not rows:
        note = f"{since.isoformat()} 至 {until.isoformat()} 之间没有关于该裁决所涉事项的工单"
    elif not before or not after:
        note = "裁决日期前或后没有工单，无法比较"
    return Effect(
        ruling=r["id"], title=r["title"] or "", decided_on=cut, status=r.get("status"), months=months,
        leads=[{"id": x["id"], "name": x["name"]} for x in leads],
        matters=[{"id": m["id"], "name": m["name"] or ""} for m in matters],
        before=Side(since=since.isoformat(), until=cut, figures=figures(before, lead_ids)),
        after=Side(since=cut, until=until.isoformat(), figures=figures(after, lead_ids)),
        by_matter=by_matter, by_department=by_department, series=_series(rows, lead_ids), note=note,
    )
