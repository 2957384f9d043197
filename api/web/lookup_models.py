"""The response models of the lookup routes (departments, matters, statutes, articles, mandate clauses,
duties, places, the vocabulary): each the JSON an endpoint answers with.

They sit apart from the routes (api/web/routes/<resource>.py), as full-stack-fastapi-template keeps its
models apart from its routes: the resources nest each other's small references (Ref, HolderRef), and the
schema reads as one piece.
"""

from __future__ import annotations

import builtins

from pydantic import BaseModel, Field

DUTIES_CAP = 50  # held duties a department's detail lists unless asked for more


class Ref(BaseModel):
    id: str
    name: str | None = None


class HolderRef(BaseModel):
    id: str
    name: str | None = None
    role: str | None = None


# -- departments -----------------------------------------------------------------------------------


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


# -- matters ---------------------------------------------------------------------------------------


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


# -- statutes --------------------------------------------------------------------------------------


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


# -- articles --------------------------------------------------------------------------------------


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


# -- mandate clauses -------------------------------------------------------------------------------


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


# -- duties ----------------------------------------------------------------------------------------


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


# -- places ----------------------------------------------------------------------------------------


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


# -- vocabulary ------------------------------------------------------------------------------------


class Vocabulary(BaseModel):
    roles: dict[str, str] = Field(description="owner roles: lead → 牵头 …")
    relations: dict[str, str] = Field(description="graph relations as evidence paths and the change log name them")
    nodes: dict[str, str] = Field(description="node labels as an evidence-path step starts with them")
    ruling_status: dict[str, str]
    change_actions: dict[str, str] = Field(description="what a change-log entry did: assert → 确立 …")
    gap_kinds: dict[str, str]
    gap_subkinds: dict[str, str]
    dispute_states: dict[str, str] = Field(description="a dispute case's review ladder in order: researching → 研判 …")
    ladder_steps: dict[str, str] = Field(description="the moves on the ladder: submit → 提交审核 …")
    answers: dict[str, str] = Field(description="an assigned department's answer to a decision: accepted → 接受 …")
