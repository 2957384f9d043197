"""`dutygraph dispute show CASE_ID`: a dispute case's whole record, as the case page shows it."""

from __future__ import annotations

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
    from graph.store import open_store

    with open_store() as store:
        try:
            view = case(store, case_id)
        except DisputeNotFound as exc:
            err_console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
    if fmt == "json":
        print(view.model_dump_json(indent=2))
    else:
        console.print(render_md(view), markup=False, highlight=False)


def render_md(v) -> str:  # noqa: ANN001 - a cases.models.DisputeView
    out = [f"# {v.title} ({v.id})", f"state {v.state}, {v.jurisdiction or '—'}, opened {v.opened_at or '—'}", "",
           v.text]
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
    out += ["", "## History"] + [f"- {h.seq} {h.at} {h.actor}: {h.action} {h.what}" for h in v.history]
    return "\n".join(out)
