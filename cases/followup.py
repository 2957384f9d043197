"""Follow-up of a decided case (抓落实): each department the decision assigns accepts it or objects, within a
limit of working days after the decision date (`cases.workdays`: Chinese holidays off, make-up days on).

The answers are kept on the Dispute node as an append-only list (`acknowledgements`, JSON: ruling, department,
answer, reason, at, recorded_by) and each one is also a change-log entry; the latest answer of a department for
the case's current ruling is the one that counts. This module reads them: a case's follow-up and the overdue
list across cases. The writes are `cases.disputes.acknowledge`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cases import ladder
from cases.models import FollowUp, FollowUpDepartment, OverdueItem
from cases.workdays import add_working_days, today, working_days_between
from graph.queries import disputes as q
from graph.settings import Settings
from graph.store.base import GraphStore

DEFAULT_DAYS: int = Settings.model_fields["followup_working_days"].default


def acknowledgements(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer recorded on the case, oldest first."""
    raw = node.get("acknowledgements")
    return json.loads(raw) if raw else []


def latest_answers(node: dict[str, Any], ruling: str) -> dict[str, dict[str, Any]]:
    """Each department's latest answer to `ruling`."""
    return {a["department"]: a for a in acknowledgements(node) if a["ruling"] == ruling}


def _since(ruling: dict[str, Any], node: dict[str, Any]) -> dt.date:
    """The decision's date (the ruling's decided_on), else the day it was recorded."""
    when = ruling.get("decided_on") or (node.get("decided_at") or "")[:10]
    return dt.date.fromisoformat(when) if when else today()


def follow_up(node: dict[str, Any], decided: dict[str, Any] | None, default_days: int | None = None,
              as_of: dt.date | None = None) -> FollowUp | None:
    """The follow-up of a case decided (or fed back) by `decided` (from `graph.queries.disputes.dispute_ruling`)."""
    if decided is None or ladder.canonical(node.get("state")) not in ("decided", "fed_back"):
        return None
    ruling = decided["ruling"]
    since = _since(ruling, node)
    limit = int(node.get("ack_days") or default_days or DEFAULT_DAYS)
    due, estimated = add_working_days(since, limit)
    late = (as_of or today()) > due
    answers = latest_answers(node, ruling["id"])
    rows = []
    for a in decided["assigns"]:
        got = answers.get(a["id"], {})
        rows.append(FollowUpDepartment(department=a["id"], name=a.get("name"), role=a["role"], answer=got.get("answer"),
                                       reason=got.get("reason", ""), at=got.get("at"),
                                       recorded_by=got.get("recorded_by"), overdue=late and not got))
    return FollowUp(ruling=ruling["id"], since=since, limit_days=limit, due=due, estimated=estimated,
                    departments=rows)


def overdue(store: GraphStore, default_days: int | None = None, as_of: dt.date | None = None) -> list[OverdueItem]:
    """Every assigned department of a decided case that has not answered within its limit, most overdue first."""
    as_of = as_of or today()
    items: list[OverdueItem] = []
    for row in q.follow_ups(store, ladder.stored_values("decided")):
        node, ruling = row["dispute"], row["ruling"]
        since = _since(ruling, node)
        due, estimated = add_working_days(since, int(node.get("ack_days") or default_days or DEFAULT_DAYS))
        if as_of <= due:
            continue
        answered = latest_answers(node, ruling["id"])
        items += [OverdueItem(dispute=node["id"], title=node.get("title") or node["text"][:30], department=a["id"],
                              name=a.get("name"), role=a["role"], since=since, due=due,
                              working_days_late=working_days_between(due, as_of), estimated=estimated)
                  for a in row["assigns"] if a.get("id") and a["id"] not in answered]
    return sorted(items, key=lambda i: (i.due, i.dispute, i.department))
