"""`dutygraph gaps`: regulatory gaps and overlaps (空白, 交叉, 依据失效, 推诿热点, 新业态, 属地下压)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.console import console, err_console
from api.vocabulary import GAP_KINDS, GAP_SUBKINDS, role_label


def gaps(
    kind: Annotated[list[str] | None, typer.Option("--kind", help="unowned, overlap, stale_basis, ping_pong, "
                                                   "new_business, push_down (repeatable; default all).")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Place: a jur: id, a path or a unique name (鲁安市).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date to answer for (default today).")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many items (0 = all).")] = 0,
    embedder: Annotated[str | None, typer.Option(help="Embedder for work orders (default: DUTYGRAPH_EMBEDDER).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the gaps to this .xlsx instead (as GET /gaps.xlsx).")] = None,
) -> None:
    """Find gaps as of a date, highest impact (work orders affected) first, each with a suggested next step."""
    from graph.settings import get_settings
    from graph.store import open_store
    from search.embedders import make_embedder
    from search.service import SearchService

    s = get_settings()
    wanted = kind or None
    needs_embedder = not wanted or "new_business" in wanted or "unowned" in wanted
    emb = make_embedder(embedder, s, notice=lambda m: err_console.print(f"[yellow]notice:[/] {m}")) \
        if needs_embedder else None
    with open_store(s) as store, err_console.status("正在分析…") as status:
        service = SearchService.open(s, store, required=False)
        try:
            items = service.gaps(wanted, jurisdiction, as_of, embedder=emb,
                                 progress=lambda k: status.update(f"正在分析：{GAP_KINDS.get(k, k)}"))
        finally:
            service.close()
    if limit:
        items = items[:limit]
    if xlsx:
        from api.cli_documents import write_gaps_xlsx

        write_gaps_xlsx(items, jurisdiction, as_of, xlsx)
        return
    if as_json:
        print(json.dumps([i.model_dump() for i in items], ensure_ascii=False, indent=2))
        return
    console.print(render_table(items))
    console.print(f"共 {len(items)} 项")


def render_table(items: list) -> Table:
    """The gaps for people, in the gaps page's words (类型, 影响, 事项, 说明, 建议); --json keeps the codes."""
    t = Table("类型", "影响", "事项", "说明", "建议", show_lines=True)
    for i in items:
        sub = "、".join(GAP_SUBKINDS.get(k, k) for k in i.subkind.split(",")) if i.subkind else ""
        kind_txt = GAP_KINDS.get(i.kind, i.kind) + (f"\n（{sub}）" if sub else "")
        step = i.next_step if not i.candidates or "：" in i.next_step else \
            i.next_step + "：" + "、".join(_candidate(c) for c in i.candidates[:3])
        t.add_row(kind_txt, f"{i.impact:g}", f"{i.title}\n[dim]{i.subject}[/]", i.why, step)
    return t


def _candidate(c: dict) -> str:
    return c["name"] + (f"（{role_label(c['role'])}）" if c.get("role") else "")
