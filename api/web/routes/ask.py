"""POST/GET /ask: candidate owners with evidence chains and analogous rulings for a dispute."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Body, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.web.deps import SearchDep, read_router

router = read_router("ask")


class AskRequest(BaseModel):
    text: str = Field(min_length=2, max_length=4000, description="The dispute in plain words.")
    jurisdiction: str | None = Field(None, max_length=200,
                                     description="鲁安市, 潍坊市, 山东省, 全国 or an id; default: the loaded directory's place.")
    as_of: dt.date | None = Field(None, description="Read the graph as of this date; default today.")
    top: int = Field(10, ge=1, le=50, description="How many candidates and rulings.")
    split: bool = Field(True, description="Where the dispute raises several matters, answer each on its own too "
                        "(`aspects`: its lead, cooperating bodies with their tasks, basis and rulings).")


EXAMPLE = AskRequest(text="小区旁边的停车场每天夜里货车进进出出，噪音吵得睡不着，几个部门都说不归自己管",
                     jurisdiction="鲁安市", top=5)


# the question as a body, with the example the docs show (POST /ask, POST /ask.xlsx)
AskBody = Annotated[AskRequest, Body(openapi_examples={"parking-noise": {"summary": "夜间停车场噪音",
                                                                        "value": EXAMPLE.model_dump(mode="json")}})]


def ask_query(
    q: Annotated[str, Query(min_length=2, max_length=4000, description="The dispute in plain words.",
                           examples=["我们街上新开了一家剧本杀店，消防和剧本内容到底谁来管？"])],
    jurisdiction: Annotated[str | None, Query(max_length=200)] = None,
    as_of: Annotated[dt.date | None, Query()] = None,
    top: Annotated[int, Query(ge=1, le=50)] = 10,
    split: Annotated[bool, Query()] = True,
) -> AskRequest:
    """The question as a query string (GET /ask, GET /ask.xlsx): the body's fields, for links and quick calls."""
    return AskRequest(text=q, jurisdiction=jurisdiction, as_of=as_of, top=top, split=split)


AskQuery = Annotated[AskRequest, Depends(ask_query)]


async def run_ask(searches: SearchDep, body: AskRequest) -> Response:
    # the search process sends the contract already encoded: no pickled objects, no second encoding here
    out = await searches.ask_json(body.text, body.jurisdiction, body.as_of, body.top, body.split)
    return Response(out, media_type="application/json")


@router.post("/ask", summary="Who should own this dispute")
async def ask_post(searches: SearchDep, body: AskBody) -> Response:
    """Candidate owners (lead / cooperate / territorial) with the evidence behind each score, analogous
    rulings (home first) and the statute articles retrieved. The shape is the `dutygraph ask --json` contract."""
    return await run_ask(searches, body)


@router.get("/ask", summary="Who should own this dispute (query string)")
async def ask_get(searches: SearchDep, question: AskQuery) -> Response:
    """The same as POST /ask, for links and quick calls."""
    return await run_ask(searches, question)
