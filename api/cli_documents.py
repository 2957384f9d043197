"""Documents out on the command line: `dutygraph dispute export CASE_ID --format docx|md [--out FILE]` and
`dutygraph duties export DEPARTMENT [--out FILE]`; `gaps --xlsx` and `ask --xlsx` write through `write_xlsx`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from api.console import err_console

duties_app = typer.Typer(help="A department's duties (权责清单).", no_args_is_help=True)


def write_xlsx(sheets: list, path: Path) -> None:  # noqa: ANN001 - api.documents.xlsx.Sheet
    """Save the sheets as a workbook and say where."""
    from api.documents.xlsx import workbook_bytes

    _write(path, workbook_bytes(sheets))


def _write(path: Path, content: bytes) -> None:
    """Write the file and say where; a path that cannot be written exits 1 naming it."""
    try:
        path.write_bytes(content)
    except OSError as exc:
        err_console.print(f"[red]cannot write {path}: {exc.strerror or exc}[/]")
        raise typer.Exit(1) from None
    err_console.print(f"已写入 {path}")


def dispute_export(
    case_id: Annotated[str, typer.Argument(help="The case id, as the API returns it (dispute:…).")],
    fmt: Annotated[Literal["docx", "md"], typer.Option("--format", help="docx (Word) or md (Markdown).")] = "docx",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write; '-' prints Markdown. "
                                             "Default: the document's title in the current folder.")] = None,
) -> None:
    """The case as a draft 职责分工意见: facts, positions, the proposed division with the articles quoted,
    analogous rulings and the decision block. Exits 1 when there is no such case."""
    from api.documents.files import file_name
    from api.documents.opinion import opinion
    from api.documents.render_docx import to_docx
    from api.documents.render_md import to_markdown
    from cases.errors import DisputeNotFound
    from graph.store import open_store

    with open_store() as store:
        try:
            doc = opinion(store, case_id)
        except DisputeNotFound as exc:
            err_console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
    if str(out) == "-":
        if fmt != "md":
            raise typer.BadParameter("only --format md can be printed; give --out FILE for docx", param_hint="--out")
        print(to_markdown(doc))  # as is: rich would wrap the lines
        return
    _write(out or Path(file_name(doc.title, fmt)), to_docx(doc) if fmt == "docx" else to_markdown(doc).encode("utf-8"))


@duties_app.command("export")
def duties_export(
    department: Annotated[str, typer.Argument(help="A department id, or its exact name or alias (鲁安市公安局).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="The .xlsx to write; default: <name>权责清单.xlsx.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO date to answer for (default today).")] = None,
) -> None:
    """The department's duties in the columns of a published 权责清单 (.xlsx), the ones it leads first;
    `dutygraph ingest dutylist` reads the file back. Exits 1 for an unknown or ambiguous department."""
    from api.documents.dutylist import duty_list_sheet
    from api.documents.files import file_name
    from graph.places import NATIONAL
    from graph.queries.disputes import find_departments
    from graph.queries.temporal import as_of_param
    from graph.store import open_store

    with open_store() as store:
        found = find_departments(store, department, NATIONAL)
        if len(found) != 1:
            err_console.print(f"[red]{department!r} names {len(found)} departments[/]" + (
                f": {', '.join(d['name'] + ' ' + d['id'] for d in found[:5])}; give the id" if found else
                " (give an id, or an exact name or alias)"))
            raise typer.Exit(1)
        day = as_of_param(as_of)
        sheet = duty_list_sheet(store, found[0], day)
    write_xlsx([sheet], out or Path(file_name(f"{found[0]['name']}权责清单", "xlsx")))


def register(app: typer.Typer, dispute_app: typer.Typer) -> None:
    dispute_app.command("export")(dispute_export)
    app.add_typer(duties_app, name="duties")


def write_gaps_xlsx(items: list, jurisdiction: str | None, as_of: str | None, path: Path) -> None:  # noqa: ANN001
    """`dutygraph gaps --xlsx`: the gap items (search.gaps.GapItem) as GET /gaps.xlsx writes them."""
    from api.documents.sheets import gaps_sheet
    from graph.queries.temporal import as_of_param
    from graph.store import open_store

    where = jurisdiction or "全部地区"
    with open_store() as store:
        sheet = gaps_sheet(store, [i.model_dump() for i in items],
                           caption=f"空白发现（{where}，截至 {as_of_param(as_of)}，共 {len(items)} 项）")
    write_xlsx([sheet], path)


def write_ask_xlsx(answer: dict, path: Path) -> None:
    """`dutygraph ask --xlsx`: the answer's JSON contract as POST /ask.xlsx writes it."""
    from api.documents.sheets import ask_sheets

    write_xlsx(ask_sheets(answer), path)
