"""`dutygraph ask "<dispute>"`: candidate owners with evidence and analogous rulings, as a table or JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from api.console import console

_ROLE = {"lead": "牵头 lead", "cooperate": "配合 cooperate", "territorial": "属地 territorial"}


def ask_command(
    text: Annotated[str, typer.Argument(help="The dispute, in plain words: 剧本杀店的消防和内容谁管?")],
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", "-j", help="A place: 鲁安市, 潍坊市, 山东省, 全国 or an id (jur:全国/山东省). Default: the loaded directory's.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read the graph as of this date (YYYY-MM-DD); default today.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The stable JSON contract instead of tables.")] = False,
    top: Annotated[int, typer.Option(help="How many candidates and rulings.", min=1, max=50)] = 10,
) -> None:
    """Who should own this dispute, in what role, on what evidence; and the most analogous rulings."""
    from graph.settings import get_settings
    from graph.store import open_store
    from search.ask import ask
    from search.retriever import Retriever

    if as_of is not None:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    s = get_settings()
    retriever = Retriever.open(s)
    try:
        with open_store(s) as store:
            result = ask(store, retriever, text, jurisdiction=jurisdiction, as_of=as_of, k=top)
    finally:
        retriever.close()
    if as_json:
        print(json.dumps(result.contract(), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{result.jurisdiction_name}[/] ({result.jurisdiction}), as of {result.as_of}"
                  + ("" if result.mode == "department" else " — no department directory here: candidates are authorities"))
    if result.named_departments:
        console.print(f"named in the dispute (ranked on evidence like any other): {'、'.join(result.named_departments)}")
    t = Table(title="candidate owners", show_lines=True)
    for col in ("#", "owner", "role", "score", "top evidence (contribution)"):
        t.add_column(col)
    for i, c in enumerate(result.candidates, 1):
        ev = "\n".join(f"{e.contribution:.3f}  {e.citation}" + (f" [dim]({e.note})[/]" if e.note else "")
                       for e in c.evidence[:3])
        t.add_row(str(i), c.name + (" *" if c.named_in_dispute else ""), _ROLE[c.role], f"{c.score:.3f}", ev)
    console.print(t)
    r = Table(title="analogous rulings (home first)", show_lines=True)
    for col in ("ruling", "where", "lead", "principle", "basis", "similarity / why"):
        r.add_column(col)
    for x in result.rulings:
        r.add_row(f"{x.title}\n[dim]{x.decided_on or ''} {x.status if x.status != 'in_force' else ''}[/]",
                  ("本地 " if x.home else "") + x.jurisdiction.removeprefix("jur:"), "、".join(x.lead), x.principle,
                  "\n".join(x.basis[:3]), f"{x.similarity:.2f}\n" + "；".join(x.why))
    console.print(r)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
