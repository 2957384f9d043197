"""`dutygraph trace`: why a matter or duty belongs to a department — paths, dates, deciders, change log."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from api.console import console
from api.vocabulary import CHANGE_ACTIONS, RELATIONS, role_label


def trace_cmd(
    target: Annotated[str, typer.Argument(help="Matter or duty: an id, a name, or a duty code.")],
    department: Annotated[str | None, typer.Option(help="Only this department (id or name).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date to mark what was in force (default today).")] = None,
    fmt: Annotated[Literal["md", "json"], typer.Option("--format", help="md (readable) or json.")] = "md",
) -> None:
    """Every path that supports or once supported the assignment, and the change-log timeline (integrity checked).

    Exits 1 when the change log fails verification."""
    from audit.trace import trace
    from graph.store import open_store

    with open_store() as store:
        t = trace(store, target, department=department, as_of=as_of)
    if fmt == "json":
        print(t.model_dump_json(indent=2))
    else:
        console.print(render_md(t), markup=False, highlight=False)
    raise typer.Exit(0 if t.integrity.ok else 1)


def _dates(p) -> str:  # noqa: ANN001 - a audit.trace.Path
    return f"{p.valid_from or '…'} 至 {p.valid_to or '今'}"


def render_md(t) -> str:  # noqa: ANN001 - a audit.trace.Trace
    """The trace as Markdown in the trace page's words: current paths first, then history, then the
    change-log timeline and its check (`--format json` keeps the codes)."""
    out = [f"# 追溯：{t.name}（{t.target}）", f"截至 {t.as_of}" + (f"，部门 {t.department}" if t.department else "")]
    for title, paths in (("现行依据路径", [p for p in t.paths if p.in_force]),
                         ("历史依据路径（已失效）", [p for p in t.paths if not p.in_force])):
        out += ["", f"## {title}"]
        if not paths:
            out.append("（无）")
        for p in paths:
            head = f"- **{p.department_name}** — {role_label(p.role)}，{_dates(p)}，"
            if p.kind == "ruling":
                out.append(head + f"裁决《{p.title}》，{p.decided_on} 由 {p.decided_by} 作出（来源 {p.source}）")
                if p.principles:
                    out.append(f"  - 原则：{'、'.join(p.principles)}")
                for c in p.citations:
                    out.append(f"  - 引用 {c.get('locator') or c['target']}"
                               + (f" [{c['law_status']}]" if c.get("law_status") else ""))
                for s in p.superseded_by:
                    out.append(f"  - 已被取代：《{s['title']}》，{s['decided_on']}（{s['id']}）")
            elif p.kind == "duty_list":
                out.append(head + f"权责清单 {p.title}（来源 {p.source}，{p.locator}）")
                for d in p.duties:
                    out.append(f"  - 权责事项 {d['code']} {d['name']}（清单 {d['list']}，{d['valid_from']} 至 "
                               f"{d['valid_to'] or '今'}）")
                    for a in d["articles"]:
                        out.append(f"    - 依据《{a.get('title')}》第{a.get('number')}条 [{a.get('status')}]")
                        for g in a["designates"]:
                            acts = "履行" if g.get("acts_as") else "并不履行"
                            out.append(f"      - {RELATIONS['DESIGNATES']} {g['name']}（{role_label(g.get('role'))}，"
                                       f"{g.get('level') or '-'}）：本部门{acts}该主管部门的职权")
            else:
                out.append(head + f"来源 {p.source} {p.locator}")
    out += ["", "## 变更日志"]
    for e in t.timeline:
        what = f"有效期自 {e.valid_from}" if e.action in ("assert", "rekey") else f"有效期至 {e.valid_to}"
        out.append(f"- #{e.seq} {e.at} {e.actor}：{CHANGE_ACTIONS.get(e.action, e.action)} "
                   f"{RELATIONS.get(e.rel_type, e.rel_type)} {e.src} → {e.dst}（{what}"
                   + (f"，{role_label(e.role)}" if e.role else "") + "）")
    i = t.integrity
    out += ["", "## 完整性校验",
            f"变更日志完整：共 {i.entries} 条，哈希链校验通过（链头 #{i.head_seq}）" if i.ok else
            f"变更日志校验未通过：共 {i.entries} 条，链头 #{i.head_seq}"]
    out += [f"- {p}" for p in i.problems]
    return "\n".join(out)
