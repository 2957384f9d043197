"""`dutygraph dispute show CASE_ID`: a dispute case's whole record, as the case page shows it (its place on the
review ladder and who moved it, the decision and each assigned department's acknowledgement), and
`dutygraph dispute overdue`: the departments that have not acknowledged a decision in time."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

import typer

from api.console import console, err_console

dispute_app = typer.Typer(help="Dispute cases (争议) opened through the web application.", no_args_is_help=True)


@dispute_app.command("show")
def show(
    case_id: Annotated[str, typer.Argument(help="The case id, as the API returns it (dispute:…).")],
    fmt: Annotated[Literal["md", "json"], typer.Option("--format", help="md (readable) or json (as GET /disputes/{id}).")] = "md",
) -> None:
    """Text, state, parties and their positions, the proposal, the decision, and who did what when.
    Exits 1 when there is no such case."""
    from cases.disputes import case
    from cases.errors import DisputeNotFound
    from graph.settings import get_settings
    from graph.store import open_store

    with open_store() as store:
        try:
            view = case(store, case_id, get_settings().followup_working_days)
        except DisputeNotFound as exc:
            err_console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
    if fmt == "json":
        print(view.model_dump_json(indent=2))
    else:
        console.print(render_md(view), markup=False, highlight=False)


@dispute_app.command("overdue")
def overdue_cmd(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count as of this date (YYYY-MM-DD); default today in China.")] = None,
    fmt: Annotated[Literal["md", "json"], typer.Option("--format", help="md (a table) or json (as GET /disputes/overdue).")] = "md",
) -> None:
    """Departments a decided case assigns that have neither accepted nor objected within the limit in working
    days (DUTYGRAPH_FOLLOWUP_WORKING_DAYS unless the decision set its own), earliest due first."""
    from rich.table import Table

    from cases.followup import overdue
    from graph.settings import get_settings
    from graph.store import open_store

    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        err_console.print(f"[red]--as-of {as_of!r}: give a date as YYYY-MM-DD[/]")
        raise typer.Exit(2) from None
    with open_store() as store:
        items = overdue(store, get_settings().followup_working_days, day)
    if fmt == "json":
        print(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        console.print("no overdue acknowledgements")
        return
    table = Table("case", "department", "role", "decided", "due", "working days late")
    for i in items:
        table.add_row(f"{i.title} ({i.dispute})", i.name or i.department, i.role, str(i.since),
                      f"{i.due}{' (estimated)' if i.estimated else ''}", str(i.working_days_late))
    console.print(table)


def render_md(v) -> str:  # noqa: ANN001 - a cases.models.DisputeView
    from cases.ladder import describe

    out = [f"# {v.title} ({v.id})", f"state {describe(v.state)}, {v.jurisdiction or '—'}, opened {v.opened_at or '—'}",
           "next: " + (", ".join(f"{describe(n.to)} by {n.role}" + (" (with a reason)" if n.reason_required else "")
                                 for n in v.next_steps) or "—"), "", v.text]
    if v.matter:
        out.append(f"matter: {v.matter.get('name')} ({v.matter['id']})")
    out += ["", "## Parties"] + ([f"- {p.name}: {p.stance}" + (f" — {p.position}" if p.position else "")
                                  + (f" (until {p.until})" if p.until else "") for p in v.parties] or ["(none)"])
    if v.proposal:
        out += ["", f"## Proposal ({v.proposal_at})"]
        out += [f"- {c.get('name')} ({c.get('role')})" for c in v.proposal.get("candidates", [])[:5]]
    if v.decision:
        d = v.decision
        out += ["", f"## Decision: 《{d.title}》 ({d.ruling})", f"decided {d.decided_on} by {d.decided_by}: {d.summary}"]
        out += [f"- {a.name or a.department}: {a.role}" for a in d.assigns]
        if d.principles:
            out.append(f"principles: {', '.join(d.principles)}")
        if d.basis:
            out.append(f"basis: {', '.join(d.basis)}")
    if f := v.follow_up:
        out += ["", f"## Follow-up: {f.limit_days} working days after {f.since}, due {f.due}"
                + (" (estimated: the holiday calendar lacks that year)" if f.estimated else "")]
        out += [f"- {d.name or d.department} ({d.role}): " + (
            f"{d.answer} {d.at} by {d.recorded_by}" + (f" — {d.reason}" if d.reason else "") if d.answer
            else "OVERDUE" if d.overdue else "awaiting") for d in f.departments]
    out += ["", "## History"] + [f"- {h.seq} {h.at} {h.actor}: {h.action} {h.what}" + _moved(h) for h in v.history]
    return "\n".join(out)


def _moved(h) -> str:  # noqa: ANN001 - a cases.models.HistoryEntry
    """A transition's from → to and reason, or an acknowledgement's department and answer."""
    from cases.ladder import describe

    p = h.payload
    if h.action == "transition":
        return f" {describe(p['from'])} → {describe(p['to'])}" + (f" — {p['reason']}" if p.get("reason") else "")
    if h.action == "acknowledge":
        return f" {p['department']}: {p['answer']}" + (f" — {p['reason']}" if p.get("reason") else "")
    return ""
