"""`dutygraph trace`: why a matter or duty belongs to a department — paths, dates, deciders, change log."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from api.console import console


def trace_cmd(
    target: Annotated[str, typer.Argument(help="Matter or duty: an id, a name, or a duty code.")],
    department: Annotated[str | None, typer.Option(help="Only this department (id or name).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date to mark what was in force (default today).")] = None,
    fmt: Annotated[Literal["md", "json"], typer.Option("--format", help="md (readable) or json.")] = "md",
) -> None:
    """Every path that supports or once supported the assignment, and the change-log timeline (integrity checked).

    Exits 1 when the change log fails verification."""
    from graph.store import open_store
    from search.trace import trace

    with open_store() as store:
        t = trace(store, target, department=department, as_of=as_of)
    if fmt == "json":
        print(t.model_dump_json(indent=2))
    else:
        console.print(render_md(t), markup=False, highlight=False)
    raise typer.Exit(0 if t.integrity.ok else 1)


def _dates(p) -> str:  # noqa: ANN001 - a search.trace.Path
    return f"{p.valid_from or '…'} → {p.valid_to or 'now'}"


def render_md(t) -> str:  # noqa: ANN001 - a search.trace.Trace
    """The trace as Markdown: current paths first, then history, then the timeline and the log check."""
    out = [f"# Trace: {t.name} ({t.target})", f"as of {t.as_of}" + (f", department {t.department}" if t.department else "")]
    for title, paths in (("In force", [p for p in t.paths if p.in_force]), ("History (no longer in force)",
                                                                            [p for p in t.paths if not p.in_force])):
        out += ["", f"## {title}"]
        if not paths:
            out.append("(none)")
        for p in paths:
            head = f"- **{p.department_name}** — {p.role}, {_dates(p)}, "
            if p.kind == "ruling":
                out.append(head + f"ruling 《{p.title}》 decided {p.decided_on} by {p.decided_by} ({p.source})")
                if p.principles:
                    out.append(f"  - principles: {', '.join(p.principles)}")
                for c in p.citations:
                    out.append(f"  - cites {c.get('locator') or c['target']}"
                               + (f" [{c['law_status']}]" if c.get("law_status") else ""))
                for s in p.superseded_by:
                    out.append(f"  - superseded by 《{s['title']}》 on {s['decided_on']} ({s['id']})")
            elif p.kind == "duty_list":
                out.append(head + f"{p.title} ({p.source}, {p.locator})")
                for d in p.duties:
                    out.append(f"  - entry {d['code']} {d['name']} (list {d['list']}, {d['valid_from']} → "
                               f"{d['valid_to'] or 'now'})")
                    for a in d["articles"]:
                        out.append(f"    - basis 《{a.get('title')}》第{a.get('number')}条 [{a.get('status')}]")
                        for g in a["designates"]:
                            acts = "acts as it" if g.get("acts_as") else "does NOT act as it"
                            out.append(f"      - designates {g['name']} ({g.get('role')}, {g.get('level') or '-'}): "
                                       f"holder {acts}")
            else:
                out.append(head + f"{p.source} {p.locator}")
    out += ["", "## Change log"]
    for e in t.timeline:
        what = f"valid_from {e.valid_from}" if e.action == "assert" else f"valid_to {e.valid_to}"
        out.append(f"- #{e.seq} {e.at} {e.actor}: {e.action} {e.rel_type} {e.src} → {e.dst} ({what}"
                   + (f", {e.role}" if e.role else "") + ")")
    i = t.integrity
    out += ["", "## Integrity",
            f"change log {'OK' if i.ok else 'FAILED'}: {i.entries} entries, head {i.head_seq}"]
    out += [f"- {p}" for p in i.problems]
    return "\n".join(out)
