"""Ingest by upload (admin), and the search index rebuild that an ingest makes necessary.

POST /ingest/{kind} takes one file as multipart/form-data (field `file`). Nothing is stored until the
file has passed every check: the body is counted while it streams in (413 past
DUTYGRAPH_UPLOAD_MAX_BYTES, and at once when Content-Length already says so), the name and content
must be a type the kind's loader reads (415), and a dry run must read every row (422 naming file, row
and field; see ingest.upload). Then the kind's loader runs, the ingest is written to the change log
under the caller's name, and the answer says the search index is stale until POST /index/rebuild.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from api.users import User
from api.web.context import AppContext
from api.web.deps import Admin, ContextDep, CurrentUser, per_app
from api.web.problems import MEDIA_TYPE, PROBLEM_RESPONSES, FieldProblem, Problem, ProblemError
from graph.store.base import GraphStore
from ingest import isolated, upload
from ingest.report import content_key, record_ingest
from ingest.sources import SOURCES
from search.index_build import build_indexes
from search.index_fill import fill_main_tier
from search.manifest import MANIFEST, Manifest, stale_reasons

router = APIRouter(tags=["ingest"])
Kind = Literal[tuple(SOURCES)]  # type: ignore[valid-type]  # the registry's kinds, in its order
ENVELOPE = 64 * 1024  # multipart boundaries, part headers and the small option fields around the file
CHUNK = 1 << 16


def _problem(code: int, description: str) -> dict[str, Any]:
    return {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": description}


UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: _problem(409, "Another ingest is running"), 413: _problem(413, "File too large"),
    415: _problem(415, "Not a file type this kind accepts"),
}
_MULTIPART = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "; ".join(f"{k}: {' '.join(v)}" for k, v in upload.KINDS.items())},
            **{k: {"type": "string", "description": f.description or ""}
               for k, f in upload.UploadOptions.model_fields.items()},
        }}}}},
}


class UploadResult(BaseModel):
    kind: str
    file: str
    bytes: int
    sha256: str
    report: dict[str, Any] = Field(description="the loader's report: read, written, skipped, errors (as the CLI prints)")
    logged_as: int = Field(description="sequence number of the change-log entry recording this ingest")
    index_stale: bool = Field(True, description="the search index does not include this file until POST /index/rebuild")


class IndexStatus(BaseModel):
    running: bool
    started_at: str | None = None
    finished_at: str | None = None
    started_by: str | None = None
    error: str | None = None
    built_at: str | None = Field(None, description="when the index in use was built")
    units: int | None = None
    coverage: dict[str, float] | None = Field(
        None, description="share of units with a vector, per vector tier (e5q4, st:…, static), main tier first")
    stale: bool
    stale_reasons: list[str]


# -- upload ------------------------------------------------------------------------------------------
def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "Content Too Large", f"the file is larger than {limit} bytes (DUTYGRAPH_UPLOAD_MAX_BYTES); "
                        "nothing was stored", "too-large", [FieldProblem(field="file", message=f"over {limit} bytes")])


async def _counted(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The request body, refused as soon as more has arrived than any allowed upload can take."""
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit + ENVELOPE:
            raise _too_large(limit)
        yield chunk


async def _receive(request: Request, limit: int, staging: Path) -> tuple[str, Path, upload.UploadOptions]:
    """Parse the multipart body into (name the user gave, staged file, options)."""
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise ProblemError(415, "Unsupported Media Type", "send the file as multipart/form-data in the field `file`",
                           "media-type")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + ENVELOPE:
        raise _too_large(limit)
    parser = MultiPartParser(request.headers, _counted(request, limit), max_files=1, max_fields=10)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ProblemError(400, "Bad Request", f"malformed multipart body: {exc.message}", "multipart") from None
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise ProblemError(422, "Invalid request", "body.file: a file is required", "validation",
                               [FieldProblem(field="body.file", message="a file is required")])
        try:
            opts = upload.UploadOptions(**{k: v for k, v in form.items() if k != "file" and isinstance(v, str) and v})
        except (ValidationError, TypeError) as exc:
            errs = exc.errors() if isinstance(exc, ValidationError) else []
            problems = [FieldProblem(field="body." + ".".join(str(p) for p in e["loc"]), message=e["msg"]) for e in errs]
            raise ProblemError(422, "Invalid request", "; ".join(f"{p.field}: {p.message}" for p in problems) or str(exc),
                               "validation", problems) from None
        staging.mkdir(parents=True, exist_ok=True)
        staged = staging / "upload.bin"
        size = 0
        with staged.open("wb") as out:
            while chunk := await file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                out.write(chunk)
        return file.filename or "", staged, opts
    finally:
        await form.close()


_INGEST = threading.Lock()


def _ingest(ctx: AppContext, kind: str, name: str, staged: Path, opts: upload.UploadOptions, user: User) -> UploadResult:
    store: GraphStore = ctx.store
    try:
        upload.check_content(kind, name, staged, ctx.settings.upload_max_unzipped_bytes)
    except upload.UnsupportedUpload as exc:
        raise _unsupported(exc) from None
    final_dir = Path(ctx.settings.data_dir) / "uploads" / kind
    if not _INGEST.acquire(blocking=False):
        raise ProblemError(409, "Conflict", "another ingest is running; try again when it has finished", "busy")
    try:
        # the file takes its own name for the dry run, so errors and source ids name what the user sent
        checking = staged.with_name(name)
        staged.rename(checking)
        try:  # in a child process under memory and CPU limits: a hostile file cannot take this server down
            isolated.dry_run(ctx.settings, kind, checking, name, opts)
        except isolated.ReadLimitExceeded as exc:
            raise ProblemError(413, "Content Too Large", str(exc), "too-large",
                               [FieldProblem(field="file", message=f"{exc.reason} ({exc.setting})")]) from None
        # the stored copy is the source document the edges cite, kept by content: a later file of the same name
        # does not replace it, and the same bytes sent again land on it
        final = final_dir / content_key(checking) / name
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(checking, final)
        report = upload.load(store, ctx.settings, kind, final, name, opts, actor=user.name)
        entry = record_ingest(store, kind, name, final, report, user.name, bytes=final.stat().st_size, via="upload",
                              **opts.model_dump(mode="json", exclude_none=True))
        data_len, digest = final.stat().st_size, json.loads(entry.payload)["sha256"]
    finally:
        _INGEST.release()
    return UploadResult(kind=kind, file=name, bytes=data_len, sha256=digest, report=report.model_dump(mode="json"),
                        logged_as=entry.seq)


def _unsupported(exc: upload.UnsupportedUpload) -> ProblemError:
    return ProblemError(415, "Unsupported Media Type", str(exc), "media-type",
                        [FieldProblem(field="file", message=f"{exc.reason}; accepted: {', '.join(exc.allowed)}")])


@router.post("/ingest/{kind}", responses=UPLOAD_RESPONSES, openapi_extra=_MULTIPART, summary="Load a source file")
async def ingest_upload(request: Request, ctx: ContextDep, kind: Kind, user: Admin) -> UploadResult:
    """Upload one file of a source kind; it is checked in full before anything is stored, then loaded as
    `dutygraph ingest <kind> FILE` would load it. Accepted types: laws .md/.txt/.docx; departments
    .yaml/.csv/.xlsx; matters .yaml; mandates .md/.txt/.docx; dutylist .csv/.xlsx; rulings
    .yaml/.json/.txt/.md/.docx; workorders .csv/.xlsx."""
    limit = ctx.settings.upload_max_bytes
    staging = Path(ctx.settings.data_dir) / "uploads" / ".staging" / uuid.uuid4().hex
    try:
        name, staged, opts = await _receive(request, limit, staging)
        try:
            name = upload.safe_name(kind, name)
        except upload.UnsupportedUpload as exc:
            raise _unsupported(exc) from None
        return await run_in_threadpool(_ingest, ctx, kind, name, staged, opts, user)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- index rebuild -----------------------------------------------------------------------------------
class _IndexJob:
    """The one background index build this process may run at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.started_at: str | None = None
        self.finished_at: str | None = None
        self.started_by: str | None = None
        self.error: str | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, ctx: AppContext, user: User) -> bool:
        with self.lock:
            if self.running:
                return False
            self.started_at, self.finished_at, self.error = _now(), None, None
            self.started_by = user.name
            self.thread = threading.Thread(target=self._run, args=(ctx,), name="index-rebuild", daemon=True)
            self.thread.start()
            return True

    def _run(self, ctx: AppContext) -> None:
        try:
            # as `dutygraph index rebuild`: with the static tier every unit is searchable as soon as the first
            # version is swapped in (ctx.retriever() reopens on the manifest); the main vectors follow
            tiered = ctx.settings.static_tier
            build_indexes(ctx.store, ctx.settings, embed_only=(lambda u: False) if tiered else None)
            if tiered:
                fill_main_tier(ctx.settings, workers=1)  # the server keeps a core for answering
        except Exception as exc:  # reported through GET /index/status; the previous index stays in use
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished_at = _now()


def _job(request: Request) -> _IndexJob:
    return per_app(request, "index_job", _IndexJob)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


JobDep = Annotated[_IndexJob, Depends(_job)]


def _status(ctx: AppContext, job: _IndexJob) -> IndexStatus:
    folder = ctx.index_folder
    built_at = units = coverage = None
    if (folder / MANIFEST).exists():
        manifest = Manifest.load(folder)
        built_at, units, coverage = manifest.built_at, manifest.unit_count, manifest.coverage()
        reasons = stale_reasons(manifest, ctx.store)
    else:
        reasons = ["no index has been built"]
    return IndexStatus(running=job.running, started_at=job.started_at, finished_at=job.finished_at,
                       started_by=job.started_by, error=job.error, built_at=built_at, units=units,
                       coverage=coverage, stale=bool(reasons), stale_reasons=reasons)


@router.post("/index/rebuild", status_code=202, responses={**PROBLEM_RESPONSES, 409: _problem(409, "A rebuild is running")},
             summary="Rebuild the search index in the background")
def index_rebuild(ctx: ContextDep, job: JobDep, user: Admin) -> IndexStatus:
    """Starts a rebuild from the graph and returns at once; poll GET /index/status. Searches keep using
    the previous index until the new one is swapped in."""
    if not job.start(ctx, user):
        raise ProblemError(409, "Conflict", "an index rebuild is already running", "busy")
    return _status(ctx, job)


@router.get("/index/status", responses=PROBLEM_RESPONSES, summary="Search index state")
def index_status(ctx: ContextDep, job: JobDep, _user: CurrentUser) -> IndexStatus:
    """Whether a rebuild is running, when the index in use was built, and why it no longer matches the graph."""
    return _status(ctx, job)
