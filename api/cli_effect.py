"""`dutygraph effect RULING_ID`: did a ruling work — its matters' work orders before and after the decision."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from api.console import console


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _num(v: float | None, digits: int = 2) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def effect_command(
    ruling_id: Annotated[str, typer.Argument(help="A ruling id (ruling:…), as `dutygraph trace` or the pages show it.")],
    months: Annotated[int, typer.Option(help="Months compared on each side of the decision date.", min=1, max=120)] = 12,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (the API's JSON).")] = False,
) -> None:
    """Share first dispatched to the ruled lead, return (退单) rate, departments per order and days to close,
    before and after the ruling — overall, per matter and per department."""
    from audit.effect import ruling_effect
    from graph.store import open_store

    with open_store() as store:
        e = ruling_effect(store, ruling_id, months)
    if as_json:
        print(e.model_dump_json(indent=2))
        return
    console.print(f"[bold]{e.title}[/]（{e.decided_on}）牵头：{'、'.join(x['name'] for x in e.leads) or '—'}；"
                  f"事项：{'、'.join(m['name'] for m in e.matters) or '—'}")
    t = Table(title=f"裁决前后各 {e.months} 个月的工单")
    for col in ("范围", "时段", "工单", "首派牵头部门", "退单率", "平均流转部门数", "平均办结天数"):
        t.add_column(col)
    rows = [("全部", e.before.figures, e.after.figures)] + [(m.name, m.before, m.after) for m in e.by_matter] \
        if len(e.by_matter) > 1 else [("全部", e.before.figures, e.after.figures)]
    for name, before, after in rows:
        for label, f in (("裁决前", before), ("裁决后", after)):
            t.add_row(name if label == "裁决前" else "", label, str(f.orders), _pct(f.first_to_lead), _pct(f.returned),
                      _num(f.departments), _num(f.days_to_close, 1))
    console.print(t)
    d = Table(title="各部门（前 → 后）")
    for col in ("部门", "首派", "退回", "退回率", "最终承办"):
        d.add_column(col)
    for x in e.by_department[:12]:
        d.add_row(x.name + (" [bold](牵头)[/]" if x.lead else ""), f"{x.before.first} → {x.after.first}",
                  f"{x.before.returned} → {x.after.returned}",
                  f"{_pct(x.before.return_rate)} → {_pct(x.after.return_rate)}", f"{x.before.final} → {x.after.final}")
    console.print(d)
    if e.note:
        console.print(f"[yellow]{e.note}[/]")


def register(app: typer.Typer) -> None:
    app.command("effect")(effect_command)
