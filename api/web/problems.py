"""RFC 9457 problem details for every error the API returns (`application/problem+json`).

Validation errors list each bad field by its location (`body.text`, `query.limit`) so a caller can
fix the request without reading server logs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from cases.errors import DisputeConflict, DisputeForbidden, DisputeInvalid, DisputeNotFound
from graph.errors import DutygraphError, IngestError, InvalidInput, StoreUnavailable
from graph.places import UnknownPlace

log = logging.getLogger("dutygraph.api")
MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_S = 5  # what a 503 asks the caller to wait: the store reconnects, a queue drains, within seconds
TYPE_BASE = "https://dutygraph.invalid/problems/"


class FieldProblem(BaseModel):
    field: str = Field(description="where the bad value is: body.text, query.limit, file …")
    message: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldProblem] = Field(default_factory=list)


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str = "", kind: str | None = None,
                 errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None):
        self.status, self.title, self.detail, self.kind = status, title, detail, kind
        self.errors, self.headers = errors or [], headers
        super().__init__(detail or title)


def problem_response(request: Request, status: int, title: str, detail: str = "", kind: str | None = None,
                     errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(type=TYPE_BASE + kind if kind else "about:blank", title=title, status=status, detail=detail,
                   instance=request.url.path, errors=errors or [])
    return JSONResponse(body.model_dump(exclude_defaults=False), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.kind, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldProblem(field=_loc(e["loc"]), message=e["msg"]) for e in exc.errors()]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        return problem_response(request, 422, "Invalid request", detail, "validation", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else ""
        return problem_response(request, exc.status_code, title, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(DutygraphError)
    async def _domain(request: Request, exc: DutygraphError) -> JSONResponse:
        p = problem_for(exc)
        return problem_response(request, p.status, p.title, p.detail, p.kind, p.errors, p.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # the last resort: a bug is still a problem document, and its internals stay in the server's log
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, _TITLES[500], "an unexpected error; it has been logged", "internal")


def problem_for(exc: DutygraphError) -> ProblemError:
    """The problem a domain error answers with; also used where the error happened in another process."""
    if isinstance(exc, IngestError):
        field = "file" + (f", row {exc.row}" if exc.row is not None else "") + (f", field {exc.field}" if exc.field else "")
        return ProblemError(422, "The file could not be read; nothing was stored", str(exc), "ingest",
                            [FieldProblem(field=field, message=exc.reason)])
    if isinstance(exc, StoreUnavailable):
        return ProblemError(503, "Graph store unavailable", str(exc), "store",
                            headers={"Retry-After": str(RETRY_AFTER_S)})
    if isinstance(exc, DisputeInvalid):  # a request field, named as request validation names it
        field = "body" + (f".{exc.field}" if exc.field else "")
        return ProblemError(422, "Invalid request", f"{field}: {exc.reason}", "validation",
                            [FieldProblem(field=field, message=exc.reason)])
    if isinstance(exc, InvalidInput):
        return ProblemError(422, "Invalid request", str(exc), "validation",
                            [FieldProblem(field=exc.field, message=exc.reason)])
    if isinstance(exc, UnknownPlace):  # the same answer on every route and in the search processes
        return ProblemError(404, "Not Found", str(exc), "unknown-place")
    if isinstance(exc, DisputeConflict):
        return ProblemError(409, "Conflict", str(exc), "conflict")
    if isinstance(exc, DisputeForbidden):
        return ProblemError(403, "Forbidden", str(exc), "forbidden")
    if isinstance(exc, DisputeNotFound):
        return ProblemError(404, "Not Found", str(exc), "not-found")
    status = 404 if type(exc).__name__.endswith("NotFound") else 400
    return ProblemError(status, _TITLES[status], str(exc), type(exc).__name__)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": _TITLES[code]}
    for code in (401, 403, 404, 422)
}
