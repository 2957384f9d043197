"""Lookups: departments, matters, statutes, articles (with text, status and other versions), the mandate
clauses and duties /ask cites as evidence, the jurisdiction tree, and the vocabulary (the Chinese labels the
pages show for the answers' codes).

Ids contain ':' '#' and '/', so detail routes take them with a path converter; a client sends them
percent-encoded (`law:…%23第6条`). An unknown id is a 404 problem naming it.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from api.users import User
from api.vocabulary import as_dict as vocabulary_tables
from api.web.auth import reader
from api.web.pagination import Page, PageParams, page_params
from api.web.problems import PROBLEM_RESPONSES, ProblemError
from graph.ontology.nodes import LawLevel, LawStatus
from graph.places import UnknownPlace, ancestors, resolve_place
from graph.queries import lookups as q
from graph.store.base import GraphStore

router = APIRouter(tags=["lookups"])

DUTIES_CAP = 50


def not_found(what: str, ident: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"no {what} {ident!r}", "not-found")


def place_id(store: GraphStore, jurisdiction: str | None) -> str | None:
    """A place given by name, short name or id → its id; 404 naming it when the graph has no such place."""
    if not jurisdiction:
        return None
    try:
        return resolve_place(store, jurisdiction).id
    except UnknownPlace as exc:
        raise ProblemError(404, "Not Found", str(exc), "unknown-place") from None


def _day(v: object) -> str | None:
    return str(v)[:10] if v else None


def _in_force(valid_from: str | None, valid_to: str | None) -> bool:
    today = dt.date.today().isoformat()
    return (valid_from is None or valid_from <= today) and (valid_to is None or valid_to > today)


def _ctx_store(request: Request) -> GraphStore:
    return request.app.state.ctx.store


Reader = Annotated[User | None, Depends(reader)]

# -- models ------------------------------------------------------------------------------------------


class Ref(BaseModel):
    id: str
    name: str | None = None


class DepartmentItem(BaseModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    jurisdiction: str
    kind: str | None = None
    level: str | None = None
    parent: str | None = None


class AuthorityRef(BaseModel):
    id: str
    name: str
    scope: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


class HeldDuty(BaseModel):
    id: str
    code: str | None = None
    name: str
    type: str | None = None
    list: str | None = None
    role: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool


class OwnedMatter(BaseModel):
    id: str
    name: str
    path: list[str] = Field(default_factory=list)
    role: str | None = None
    source: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool


class ClauseItem(BaseModel):
    id: str
    number: str | None = None
    kind: str | None = None
    text: str = ""
    mandate: str | None = None
    mandate_title: str | None = None
    issued: str | None = None
    boundary_with: list[Ref] = Field(default_factory=list, description="departments a boundary clause names")


class BoundaryClause(BaseModel):
    id: str
    number: str | None = None
    text: str = ""
    department: str | None = Field(None, description="whose 三定 the clause belongs to")
    department_name: str | None = None
    boundary_with: list[Ref] = Field(default_factory=list)


class DepartmentDetail(DepartmentItem):
    jurisdiction_name: str | None = None
    parent_name: str | None = None
    divisions: list[Ref] = Field(default_factory=list, description="internal divisions (科室)")
    authorities: list[AuthorityRef] = Field(description="authorities the department acts as (ACTS_AS)")
    duties: list[HeldDuty] = Field(description=f"duties held, the first `duties_limit` (default {DUTIES_CAP})")
    duties_total: int
    matters: list[OwnedMatter] = Field(description="matters it is RESPONSIBLE_FOR, every role and interval")
    mandate_clauses: list[ClauseItem] = Field(description="its 三定 clauses, boundary paragraphs included")
    boundaries: list[BoundaryClause] = Field(description="boundary clauses (职责分工) it writes or is named in")


class MatterItem(BaseModel):
    id: str
    name: str
    path: list[str] = Field(default_factory=list)
    description: str = ""


class MatterOwner(BaseModel):
    id: str
    name: str
    jurisdiction: str | None = None
    role: str | None = None
    source: str | None = None
    locator: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool


class MatterRuling(BaseModel):
    id: str
    title: str
    jurisdiction: str | None = None
    decided_on: str | None = None
    status: str | None = None


class HolderRef(BaseModel):
    id: str
    name: str | None = None
    role: str | None = None


class MatterDuty(BaseModel):
    id: str
    code: str | None = None
    name: str
    list: str | None = None
    holders: builtins.list[HolderRef] = Field(default_factory=builtins.list)


class WorkOrderCounts(BaseModel):
    total: int = Field(description="work orders about the matter")
    returned: int = Field(description="orders returned (退回) at least once")
    returns: int = Field(description="returns in all")
    last_received: str | None = None


class MatterDetail(MatterItem):
    parents: list[Ref] = Field(default_factory=list)
    children: list[Ref] = Field(default_factory=list)
    owners: list[MatterOwner]
    rulings: list[MatterRuling]
    duties: list[MatterDuty]
    work_orders: WorkOrderCounts


class LawItem(BaseModel):
    id: str
    title: str
    version: str | None = None
    level: str | None = None
    status: str | None = None
    jurisdiction: str | None = None
    effective: str | None = None


class LawVersion(BaseModel):
    id: str
    version: str | None = None
    status: str | None = None
    effective: str | None = None


class LawLink(BaseModel):
    type: str = Field(description="AMENDS, REPEALS or IMPLEMENTS")
    direction: str = Field(description="out: this statute amends/repeals the other; in: the other amends/repeals it")
    id: str
    title: str | None = None
    version: str | None = None
    status: str | None = None
    valid_from: str | None = None


class ArticleRef(BaseModel):
    id: str
    number: str | None = None
    chapter: str | None = None


class LawDetail(LawItem):
    subtitle: str | None = None
    issuer: str | None = None
    promulgated: str | None = None
    article_count: int
    articles: list[ArticleRef] = Field(description="article ids in statute order (numbers only, no text)")
    versions: list[LawVersion] = Field(description="other versions of the same title, newest first")
    links: list[LawLink] = Field(description="AMENDS / REPEALS / IMPLEMENTS, both directions")


class ArticleVersion(BaseModel):
    law_id: str
    version: str | None = None
    status: str | None = None
    effective: str | None = None
    id: str | None = Field(None, description="the same article number in that version; null when it has none")
    text: str | None = None


class Designation(BaseModel):
    id: str
    name: str
    role: str | None = None
    duty_text: str | None = None
    level: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


class ArticleDetail(BaseModel):
    id: str
    number: str
    ordinal: int | None = None
    chapter: str | None = None
    section: str | None = None
    text: str
    status: str | None = None
    law_id: str | None = None
    law_title: str | None = None
    law_status: str | None = None
    law_version: str | None = None
    law_level: str | None = None
    law_effective: str | None = None
    jurisdiction: str | None = None
    designates: list[Designation] = Field(description="authorities the article designates, with role")
    other_versions: list[ArticleVersion] = Field(description="this article number in the statute's other versions")


class ClauseDetail(BaseModel):
    id: str
    number: str | None = None
    kind: str | None = None
    text: str = ""
    issued: str | None = None
    mandate: str | None = None
    mandate_title: str | None = None
    mandate_issued: str | None = None
    department: str | None = None
    department_name: str | None = None
    boundary_with: list[Ref] = Field(default_factory=list)


class DutyArticle(BaseModel):
    id: str
    number: str | None = None
    law_title: str | None = None
    law_status: str | None = None


class DutyHolder(HolderRef):
    valid_from: str | None = None
    valid_to: str | None = None


class DutyDetail(BaseModel):
    id: str
    code: str | None = None
    name: str
    type: str | None = None
    text: str = ""
    list: str | None = None
    basis: str = ""
    holders: builtins.list[DutyHolder]
    matters: builtins.list[Ref]
    articles: builtins.list[DutyArticle] = Field(description="the articles it is BASED_ON")


class JurisdictionItem(BaseModel):
    id: str
    name: str
    level: str | None = None
    parent: str | None = Field(None, description="the nearest place above it in the graph; null at the top")
    children: list[str] = Field(default_factory=list, description="ids of the places directly under it, in id order")
    code: str | None = None
    departments: int = Field(description="departments in the place's own directory (its towns' not counted)")
    has_directory: bool


class JurisdictionList(BaseModel):
    items: list[JurisdictionItem]
    total: int


def _paged(model: type[BaseModel], total: int, rows: list[dict[str, Any]], page: PageParams) -> Page[Any]:
    end = page.offset + page.limit
    return Page[model](items=[model(**r) for r in rows], total=total, limit=page.limit,  # type: ignore[valid-type]
                       offset=page.offset, next_offset=end if end < total else None)


def _clean(row: dict[str, Any], *dates: str, **defaults: Any) -> dict[str, Any]:
    """Dates cut to ISO days; None replaced by the given defaults (a node may lack an optional field)."""
    out = dict(row)
    for d in dates:
        out[d] = _day(out.get(d))
    for k, v in defaults.items():
        if out.get(k) is None:
            out[k] = v
    return out


QText = Annotated[str | None, Query(max_length=200, description="Substring of the name.")]

# -- departments -------------------------------------------------------------------------------------


@router.get("/departments", response_model=Page[DepartmentItem], responses=PROBLEM_RESPONSES, summary="Find departments")
def list_departments(
    request: Request,
    _user: Reader,
    q_: Annotated[str | None, Query(alias="q", max_length=200, description="Substring of the name or an alias.",
                                    examples=["执法局"])] = None,
    jurisdiction: Annotated[str | None, Query(max_length=200, description="Place (and the places under it).",
                                              examples=["鲁安市"])] = None,
    page: PageParams = Depends(page_params),
) -> Page[DepartmentItem]:
    """Departments whose name or alias contains `q`, in `jurisdiction` or below it."""
    store = _ctx_store(request)
    total, rows = q.department_page(store, q_, place_id(store, jurisdiction), page.limit, page.offset)
    return _paged(DepartmentItem, total, [_clean(r, aliases=[]) for r in rows], page)


@router.get("/departments/{department_id:path}", response_model=DepartmentDetail, responses=PROBLEM_RESPONSES,
            summary="One department: authorities, duties, matters, 三定 clauses")
def get_department(
    request: Request,
    _user: Reader,
    department_id: Annotated[str, Path(description="A department id.", examples=["dept:2615e0f2624ef299"])],
    duties_limit: Annotated[int, Query(ge=0, le=500, description="How many held duties to list.")] = DUTIES_CAP,
    duties_offset: Annotated[int, Query(ge=0, description="Held duties to skip.")] = 0,
) -> DepartmentDetail:
    """What the department is, what it acts as, what it holds and owns, and the 三定 clauses that bound it."""
    store = _ctx_store(request)
    row = q.one(store, q.DEPARTMENT, id=department_id)
    if row is None:
        raise not_found("department", department_id)
    duties_total, duties = q.department_duties(store, department_id, duties_limit, duties_offset) \
        if duties_limit else (int(q.rows(store, q.DEPARTMENT_DUTIES_COUNT, id=department_id)[0]["n"]), [])
    clauses = [ClauseItem(**_clean(c, "issued", text=""), ) for c in
               ({**c, "boundary_with": q.present(c["boundary_with"])} for c in q.rows(store, q.DEPARTMENT_CLAUSES,
                                                                                      id=department_id))]
    boundaries = [BoundaryClause(id=c.id, number=c.number, text=c.text, department=department_id,
                                 department_name=row["name"], boundary_with=c.boundary_with)
                  for c in clauses if c.kind == "boundary" or c.boundary_with]
    boundaries += [BoundaryClause(**_clean(b, text=""), boundary_with=[Ref(id=department_id, name=row["name"])])
                   for b in q.rows(store, q.BOUNDARIES_NAMING, id=department_id) if b["department"] != department_id]
    return DepartmentDetail(
        **_clean(row, aliases=[]),
        divisions=[Ref(**r) for r in q.rows(store, q.DEPARTMENT_DIVISIONS, id=department_id)],
        authorities=[AuthorityRef(**r) for r in q.rows(store, q.DEPARTMENT_AUTHORITIES, id=department_id)],
        duties=[HeldDuty(**d, in_force=_in_force(d["valid_from"], d["valid_to"])) for d in duties],
        duties_total=duties_total,
        matters=[OwnedMatter(**_clean(m, path=[]), in_force=_in_force(m["valid_from"], m["valid_to"]))
                 for m in q.rows(store, q.DEPARTMENT_MATTERS, id=department_id)],
        mandate_clauses=clauses, boundaries=boundaries,
    )


# -- matters -----------------------------------------------------------------------------------------


@router.get("/matters", response_model=Page[MatterItem], responses=PROBLEM_RESPONSES, summary="Find matters")
def list_matters(
    request: Request,
    _user: Reader,
    q_: Annotated[str | None, Query(alias="q", max_length=200, description="Substring of the name or a category.",
                                    examples=["噪声"])] = None,
    page: PageParams = Depends(page_params),
) -> Page[MatterItem]:
    """Matters (事项) whose name or category chain contains `q`, in id (category) order."""
    total, rows = q.matter_page(_ctx_store(request), q_, page.limit, page.offset)
    return _paged(MatterItem, total, [_clean(r, description="", path=[]) for r in rows], page)


@router.get("/matters/{matter_id:path}", response_model=MatterDetail, responses=PROBLEM_RESPONSES,
            summary="One matter: owners, rulings, duties, work orders")
def get_matter(
    request: Request,
    _user: Reader,
    matter_id: Annotated[str, Path(description="A matter id (its category path).", examples=["matter:占道经营/占道摆摊"])],
) -> MatterDetail:
    """Who owns the matter (every role, source and interval), the rulings deciding it, the duties about it
    and how its work orders fared."""
    store = _ctx_store(request)
    row = q.one(store, q.MATTER, id=matter_id)
    if row is None:
        raise not_found("matter", matter_id)
    orders = q.rows(store, q.MATTER_ORDERS, id=matter_id)[0]
    return MatterDetail(
        **_clean(row, description="", path=[]) | {"parents": q.present(row["parents"]),
                                                  "children": q.present(row["children"])},
        owners=[MatterOwner(**o, in_force=_in_force(o["valid_from"], o["valid_to"]))
                for o in q.rows(store, q.MATTER_OWNERS, id=matter_id)],
        rulings=[MatterRuling(**_clean(r, "decided_on")) for r in q.rows(store, q.MATTER_RULINGS, id=matter_id)],
        duties=[MatterDuty(**d | {"holders": q.present(d["holders"])}) for d in q.rows(store, q.MATTER_DUTIES, id=matter_id)],
        work_orders=WorkOrderCounts(total=int(orders["total"] or 0), returned=int(orders["returned"] or 0),
                                    returns=int(orders["returns"] or 0), last_received=orders["last_received"]),
    )


# -- statutes and articles ---------------------------------------------------------------------------


@router.get("/laws", response_model=Page[LawItem], responses=PROBLEM_RESPONSES, summary="Find statutes")
def list_laws(
    request: Request,
    _user: Reader,
    q_: Annotated[str | None, Query(alias="q", max_length=200, description="Substring of the title.",
                                    examples=["食品安全"])] = None,
    level: Annotated[LawLevel | None, Query(description="法律, 行政法规, 地方性法规, 规章 …")] = None,
    status: Annotated[LawStatus | None, Query(description="现行有效, 已修改, 已废止 …",
                                              openapi_examples={"in-force": {"value": "现行有效"}})] = None,
    page: PageParams = Depends(page_params),
) -> Page[LawItem]:
    """Statute versions by title, newest version first within a title."""
    total, rows = q.law_page(_ctx_store(request), q_, level, status, page.limit, page.offset)
    return _paged(LawItem, total, [_clean(r, "effective") for r in rows], page)


@router.get("/laws/{law_id:path}", response_model=LawDetail, responses=PROBLEM_RESPONSES,
            summary="One statute version: status, versions, amendments")
def get_law(
    request: Request,
    _user: Reader,
    law_id: Annotated[str, Path(description="A statute version id.", examples=["law:d01cf9fd4abcae88"])],
    articles_limit: Annotated[int, Query(ge=0, le=2000, description="How many article ids to list.")] = 1000,
) -> LawDetail:
    """The statute version's facts, its article ids in order, its other versions and the statutes that
    amend, repeal or implement it (or that it amends)."""
    store = _ctx_store(request)
    row = q.one(store, q.LAW, id=law_id)
    if row is None:
        raise not_found("statute", law_id)
    return LawDetail(
        **_clean(row, "effective", "promulgated"),
        articles=[ArticleRef(**a) for a in q.rows(store, q.LAW_ARTICLES, id=law_id, limit=articles_limit)]
        if articles_limit else [],
        versions=[LawVersion(**_clean(v, "effective")) for v in q.rows(store, q.LAW_VERSIONS, id=law_id)],
        links=[LawLink(**_clean(x, "valid_from"), direction="out" if x["outgoing"] else "in")
               for x in q.rows(store, q.LAW_LINKS, id=law_id)],
    )


@router.get("/articles/{article_id:path}", response_model=ArticleDetail, responses=PROBLEM_RESPONSES,
            summary="One article with its text, status and versions")
def get_article(
    request: Request,
    _user: Reader,
    article_id: Annotated[str, Path(description="An article id `<law id>#第N条`, percent-encoded ('#' → %23).",
                                    examples=["law:d01cf9fd4abcae88#第6条"])],
) -> ArticleDetail:
    """What a citation opens: the article's text, chapter, the statute's title, status and version, the
    authorities it designates, and the same article number in the statute's other versions."""
    store = _ctx_store(request)
    row = q.one(store, q.ARTICLE, id=article_id)
    if row is None:
        raise not_found("article", article_id)
    return ArticleDetail(
        **_clean(row, "law_effective"),
        designates=[Designation(**d) for d in q.rows(store, q.ARTICLE_DESIGNATES, id=article_id)],
        other_versions=[ArticleVersion(**_clean(v, "effective")) for v in q.rows(store, q.ARTICLE_VERSIONS, id=article_id)],
    )


# -- the other evidence units ------------------------------------------------------------------------


@router.get("/clauses/{clause_id:path}", response_model=ClauseDetail, responses=PROBLEM_RESPONSES,
            summary="One 三定 clause")
def get_clause(
    request: Request,
    _user: Reader,
    clause_id: Annotated[str, Path(description="A mandate clause id `<mandate id>#<number>`, percent-encoded.",
                                   examples=["mandate:3f825b6eb617aa28#（三）"])],
) -> ClauseDetail:
    """A department's mandate clause (what /ask cites as 三定 evidence) with the departments it bounds."""
    row = q.one(_ctx_store(request), q.CLAUSE, id=clause_id)
    if row is None:
        raise not_found("mandate clause", clause_id)
    return ClauseDetail(**_clean(row, "issued", "mandate_issued", text="") | {"boundary_with": q.present(row["boundary_with"])})


@router.get("/duties/{duty_id:path}", response_model=DutyDetail, responses=PROBLEM_RESPONSES, summary="One duty-list item")
def get_duty(
    request: Request,
    _user: Reader,
    duty_id: Annotated[str, Path(description="A duty id.", examples=["duty:511d3b6a445aeede"])],
) -> DutyDetail:
    """A duty-list entry (what /ask cites as duty evidence): holders with role, matters, basis articles."""
    row = q.one(_ctx_store(request), q.DUTY, id=duty_id)
    if row is None:
        raise not_found("duty", duty_id)
    return DutyDetail(**_clean(row, text="", basis="") | {
        "holders": q.present(row["holders"]), "matters": q.present(row["matters"]),
        "articles": q.present(row["articles"])})


# -- jurisdictions -----------------------------------------------------------------------------------


@router.get("/jurisdictions", response_model=JurisdictionList, responses=PROBLEM_RESPONSES,
            summary="Every place, with its parent, its children and whether it has a department directory")
def list_jurisdictions(request: Request, _user: Reader) -> JurisdictionList:
    """A flat list in id order (ids are paths, so a parent sorts before its children); each item names its
    `parent` and its `children` by id.

    Flat rather than nested (`?tree=true`): every caller (the pages' place pickers, scripts) wants the
    places as one list, a tree is one pass over `parent`/`children`, and the item model stays the one the
    list already had. The parent is the node's own `parent` when that place is in the graph, else the
    nearest of its path ancestors that is (a town loaded before its county still finds the city)."""
    rows = q.rows(_ctx_store(request), q.JURISDICTIONS)
    known = {r["id"] for r in rows}
    parents = {r["id"]: _parent(r["id"], r.get("parent"), known) for r in rows}
    children: dict[str, list[str]] = {}
    for pid, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    items = [JurisdictionItem(**r | {"parent": parents[r["id"]]}, children=sorted(children.get(r["id"], [])),
                              has_directory=int(r["departments"]) > 0) for r in rows]
    return JurisdictionList(items=items, total=len(items))


def _parent(pid: str, stored: str | None, known: set[str]) -> str | None:
    if stored in known and stored != pid:
        return stored
    return next((a for a in reversed(ancestors(pid)[:-1]) if a in known), None)


# -- vocabulary --------------------------------------------------------------------------------------


class Vocabulary(BaseModel):
    roles: dict[str, str] = Field(description="owner roles: lead → 牵头 …")
    relations: dict[str, str] = Field(description="graph relations as evidence paths and the change log name them")
    nodes: dict[str, str] = Field(description="node labels as an evidence-path step starts with them")
    ruling_status: dict[str, str]
    change_actions: dict[str, str] = Field(description="what a change-log entry did: assert → 确立 …")
    gap_kinds: dict[str, str]
    gap_subkinds: dict[str, str]


@router.get("/vocabulary", response_model=Vocabulary, summary="The Chinese labels for the API's codes")
def get_vocabulary() -> Vocabulary:
    """The labels the pages show for codes in the answers (`HOLDS lead` → 承担权责（牵头）), from the one
    table the CLI uses too (api.vocabulary). Open without a key: it holds no data, and a page needs it
    before anyone has entered one."""
    return Vocabulary(**vocabulary_tables())
