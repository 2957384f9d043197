"""Downloads: a dispute case as a draft 职责分工意见 (.docx / Markdown), and gaps, an ask answer and a
department's duties as .xlsx (api.documents). Each answers the file with its media type and a
Content-Disposition naming it in UTF-8; the questions take the same parameters as their JSON routes.
"""

from __future__ import annotations

from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Response

from api.documents.dutylist import duty_list_sheet
from api.documents.files import MEDIA_TYPES, file_name
from api.documents.opinion import opinion, place_name
from api.documents.render_docx import to_docx
from api.documents.render_md import to_markdown
from api.documents.sheets import ask_sheets, gaps_sheet
from api.documents.xlsx import workbook_bytes
from api.web.deps import ContextDep, CurrentUser, SearchDep, StoreDep
from api.web.downloads import download
from api.web.problems import PROBLEM_RESPONSES
from api.web.routes.ask import AskBody, AskQuery, AskRequest
from api.web.routes.common import one_or_404
from api.web.routes.gaps import AsOfQuery, GapsDep
from graph.queries import lookups as q
from graph.queries.temporal import as_of_param

router = APIRouter()


def _file(ext: str, description: str) -> dict[int | str, dict]:
    return {**PROBLEM_RESPONSES, 200: {"content": {MEDIA_TYPES[ext].split(";")[0]: {}}, "description": description}}


DOCX_OR_MD = {**PROBLEM_RESPONSES, 200: {"content": {MEDIA_TYPES["docx"]: {}, "text/markdown": {}},
                                         "description": "The document (.docx, or Markdown with format=md)"}}


@router.get("/disputes/{dispute_id}/document", tags=["disputes"], responses=DOCX_OR_MD, response_class=Response,
            summary="The case as a draft 职责分工意见 (.docx or Markdown)")
def dispute_document(
    store: StoreDep,
    _user: CurrentUser,
    dispute_id: str,
    fmt: Annotated[Literal["docx", "md"], Query(alias="format", description="docx (Word) or md (Markdown).")] = "docx",
) -> Response:
    """The facts, each department's position, the proposed division (per aspect where the proposal splits
    the dispute) with the settling articles quoted and cited, the analogous rulings, and the decision block
    (blank signature lines while undecided)."""
    doc = opinion(store, dispute_id)
    content = to_docx(doc) if fmt == "docx" else to_markdown(doc).encode("utf-8")
    return download(content, file_name(doc.title, fmt))


@router.get("/gaps.xlsx", tags=["gaps"], responses=_file("xlsx", "The gaps as a spreadsheet"),
            response_class=Response, summary="Gaps as .xlsx")
async def gaps_xlsx(ctx: ContextDep, gaps: GapsDep, _user: CurrentUser) -> Response:
    """Every gap GET /gaps lists for the same question (all pages, from the same cache), one row each, with
    the names and ids of what it refers to."""
    items, day = [i.model_dump() for i in gaps.items], gaps.day
    where = place_name(gaps.place) or "全部地区"
    caption = f"空白发现（{where}，截至 {day}，共 {len(items)} 项）"
    content = await anyio.to_thread.run_sync(lambda: workbook_bytes([gaps_sheet(ctx.store, items, caption)]))
    return download(content, file_name(f"空白发现-{where}-{day}", "xlsx"))


async def _ask_xlsx(searches: SearchDep, body: AskRequest) -> Response:
    answer = await searches.ask(body.text, body.jurisdiction, body.as_of, body.top, body.split)
    content = await anyio.to_thread.run_sync(workbook_bytes, ask_sheets(answer))
    return download(content, file_name(f"检索结果-{body.text[:20]}", "xlsx"))


@router.post("/ask.xlsx", tags=["ask"], responses=_file("xlsx", "The answer as a spreadsheet"),
             response_class=Response, summary="An ask answer as .xlsx")
async def ask_xlsx_post(searches: SearchDep, _user: CurrentUser, body: AskBody) -> Response:
    """POST /ask's answer as sheets: candidates, their evidence (one row each), analogous rulings, basis
    articles, and the aspects where the answer is split."""
    return await _ask_xlsx(searches, body)


@router.get("/ask.xlsx", tags=["ask"], responses=_file("xlsx", "The answer as a spreadsheet"),
            response_class=Response, summary="An ask answer as .xlsx (query string)")
async def ask_xlsx_get(searches: SearchDep, _user: CurrentUser, question: AskQuery) -> Response:
    """The same as POST /ask.xlsx, for a link on the search page."""
    return await _ask_xlsx(searches, question)


@router.get("/duties.xlsx", tags=["lookups"], responses=_file("xlsx", "The department's duty list"),
            response_class=Response, summary="A department's duties as a 权责清单 (.xlsx)")
def duties_xlsx(
    store: StoreDep,
    _user: CurrentUser,
    department: Annotated[str, Query(max_length=300, description="A department id.",
                                     examples=["dept:2615e0f2624ef299"])],
    as_of: AsOfQuery = None,
) -> Response:
    """Every duty the department holds (leads, cooperates on, or holds as territory) in the columns of a
    published 权责清单; `dutygraph ingest dutylist` reads the file back as the same list."""
    dept = one_or_404(store, q.DEPARTMENT, "department", department)
    day = as_of_param(as_of)
    sheet = duty_list_sheet(store, dept, day)
    return download(workbook_bytes([sheet]), file_name(f"{dept['name']}权责清单-{day}", "xlsx"))
