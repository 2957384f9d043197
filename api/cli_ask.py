"""`dutygraph ask "<dispute>"`: candidate owners with evidence and analogous rulings, as Chinese tables or JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.markup import escape
from rich.table import Table

from api.console import console
from api.vocabulary import RULING_STATUS, path_text, role_label


def ask_command(
    text: Annotated[str, typer.Argument(help="The dispute, in plain words: 剧本杀店的消防和内容谁管?")],
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", "-j", help="A place: 鲁安市, 潍坊市, 山东省, 全国 or an id (jur:全国/山东省). Default: the loaded directory's.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read the graph as of this date (YYYY-MM-DD); default today.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The stable JSON contract instead of tables.")] = False,
    top: Annotated[int, typer.Option(help="How many candidates and rulings.", min=1, max=50)] = 10,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the answer to this .xlsx instead (as POST /ask.xlsx).")] = None,
    split: Annotated[bool, typer.Option("--split/--no-split", help="Answer each matter of a compound dispute on its own "
                                        "too (问题拆分).")] = True,
) -> None:
    """Who should own this dispute, in what role, on what evidence; and the most analogous rulings."""
    from graph.settings import get_settings
    from graph.store import open_store
    from search.service import SearchService

    if as_of is not None:
        try:  # compared as text downstream: 20260101 becomes 2026-01-01
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise typer.BadParameter(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    s = get_settings()
    with open_store(s) as store:
        service = SearchService.open(s, store)
        try:
            result = service.ask(text, jurisdiction=jurisdiction, as_of=as_of, k=top, split=split)
        finally:
            service.close()
    if xlsx:
        from api.cli_documents import write_ask_xlsx

        write_ask_xlsx(result.contract(), xlsx)
        return
    if as_json:
        print(json.dumps(result.contract(), ensure_ascii=False, indent=2))
        return
    console.print(render_tables(result))


def render_tables(result) -> Group:  # noqa: ANN001 - a search.ask.AskResult
    """The answer for people, in the pages' words: 候选责任部门 with their evidence paths in Chinese, then
    类似裁决 (the JSON contract keeps the codes)."""
    head = f"[bold]{result.jurisdiction_name}[/]（{result.jurisdiction}），截至 {result.as_of}" + (
        "" if result.mode == "department" else " — 此地没有部门目录：候选为主管部门（抽象）")
    lines = [head]
    if result.place_note:
        lines.append(f"[yellow]{escape(result.place_note)}[/]")
    if result.named_departments:
        lines.append(f"争议中点名（与其他部门一样按证据排序）：{'、'.join(result.named_departments)}")
    if result.named_others:
        lines.append(f"争议一方不是行政机关（不对应任何部门）：{'、'.join(result.named_others)}")
    if result.searched_terms:
        lines.append(f"[dim]另检索的法条用语：{escape('、'.join(result.searched_terms))}[/]")
    t = Table(title="候选责任部门", show_lines=True)
    for col in ("#", "部门", "角色", "得分", "主要证据（贡献）"):
        t.add_column(col)
    for i, c in enumerate(result.candidates, 1):
        ev = "\n".join(f"{e.contribution:.3f}  {e.citation}" + (f" [dim]（{e.note}）[/]" if e.note else "")
                       + (f"\n       [dim]{escape(path_text(e.path))}[/]" if e.path else "") for e in c.evidence[:3])
        t.add_row(str(i), c.name + (" *" if c.named_in_dispute else ""), role_label(c.role), f"{c.score:.3f}", ev)
    r = Table(title="类似裁决（本地优先）", show_lines=True)
    for col in ("裁决", "地区", "牵头", "原则", "依据", "相似度 / 理由"):
        r.add_column(col)
    for x in result.rulings:
        r.add_row(f"{x.title}\n[dim]{x.decided_on or ''} {RULING_STATUS.get(x.status, x.status) if x.status != 'in_force' else ''}[/]",
                  ("本地 " if x.home else "") + x.jurisdiction.removeprefix("jur:"), "、".join(x.lead), x.principle,
                  "\n".join(x.basis[:3]), f"{x.similarity:.2f}\n" + "；".join(x.why))
    parts: list = [*lines, t, r]
    if result.aspects:
        a = Table(title=f"问题拆分：{len(result.aspects)} 个事项，逐项分工", show_lines=True)
        for col in ("#", "事项", "争议中的说法", "牵头", "配合（任务）", "属地", "依据"):
            a.add_column(col)
        for i, x in enumerate(result.aspects, 1):
            a.add_row(str(i), escape(x.name), escape(x.text), "、".join(p.name for p in x.lead),
                      "\n".join(f"{p.name}（{escape(p.task)}）" if p.task else p.name for p in x.cooperating),
                      "、".join(p.name for p in x.territorial),
                      "\n".join(f"《{b.law_title}》第{b.article}条" for b in x.articles[:2]))
        parts.append(a)
    return Group(*parts)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
