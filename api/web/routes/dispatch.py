"""POST /dispatch: a hotline export uploaded (multipart `file`, .csv or .xlsx) → a proposal for every order.

The rows are read and planned as `dutygraph dispatch` plans them (api.dispatch); each distinct question
is asked through the server's searches (the search processes, like every ask), several at a time, so a
day's orders keep both cores busy. JSON by default; `?format=xlsx` returns the workbook the CLI writes.
Nothing is stored: the upload is read from a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.dispatch import TOP, DispatchReport, assemble, plan, xlsx_bytes
from api.web.deps import ContextDep, CurrentUser
from api.web.problems import PROBLEM_RESPONSES
from api.web.routes.ingest import _receive, _unsupported
from ingest import upload
from ingest.dispatch_rows import read_orders
from search.dispatch import Proposal, propose

router = APIRouter(tags=["ask"])
PARALLEL = 8  # questions in flight at once: enough to keep every search process busy
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MULTIPART = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "a hotline export, .csv or .xlsx (标题, 内容, 地址, 时间 …)"}}}}}}}


async def _staged(request: Request, limit: int, folder: Path) -> Path:
    """The uploaded export, received as an ingest upload is (size, multipart, field `file`), named by its type."""
    name, staged, _ = await _receive(request, limit, folder)
    try:
        name = upload.safe_name("workorders", name)  # a work-order table: .csv or .xlsx
    except upload.UnsupportedUpload as exc:
        raise _unsupported(exc) from None
    return staged.rename(staged.with_name(f"orders{Path(name).suffix.lower()}"))


@router.post("/dispatch", response_model=DispatchReport, responses=PROBLEM_RESPONSES, openapi_extra=_MULTIPART,
             summary="Bulk dispatch of work orders")
async def dispatch_upload(
    request: Request,
    ctx: ContextDep,
    _user: CurrentUser,
    jurisdiction: Annotated[str | None, Query(max_length=200, description="The place the orders come from; "
                                              "default the loaded directory's.", examples=["鲁安市"])] = None,
    format: Annotated[Literal["json", "xlsx"], Query(description="json, or the .xlsx workbook")] = "json",
) -> DispatchReport | Response:
    """For every row of the export: the proposed lead (首派), cooperating and territorial bodies, a confidence,
    the settling duty-list item or article, and a flag where confidence is low or no one owns the matter (a
    gap candidate). Rows that cannot be read are listed by row number in `errors` and skipped."""
    t0 = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="dispatch-"))
    try:
        staged = await _staged(request, ctx.settings.upload_max_bytes, folder)
        rows = await anyio.to_thread.run_sync(lambda: list(read_orders(staged)))
        p = await anyio.to_thread.run_sync(plan, ctx.store, rows, jurisdiction)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    gate = asyncio.Semaphore(PARALLEL)

    async def one(key: tuple[str, str]) -> tuple[tuple[str, str], Proposal]:
        async with gate:
            return key, propose(await ctx.searches.ask(key[0], key[1], None, TOP))

    proposals = dict(await asyncio.gather(*(one(k) for k in p.keys)))
    report = assemble(p, proposals, "upload", time.perf_counter() - t0)
    if format == "xlsx":
        data = await anyio.to_thread.run_sync(xlsx_bytes, report)
        return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="dispatch.xlsx"'})
    return report
