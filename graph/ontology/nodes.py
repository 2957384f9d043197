"""Node types of the duty graph (DESIGN §3). Each is defined here and nowhere else."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from graph.ids import slug
from graph.ontology.base import Node

JurisdictionLevel = Literal["全国", "省", "市", "县", "乡镇", "村", "网格"]
DepartmentKind = Literal["party", "government", "institution", "township", "agency", "division", "other"]
LawLevel = Literal["宪法", "法律", "行政法规", "监察法规", "司法解释", "地方性法规", "自治条例", "规章", "规范性文件", "其他"]
LawStatus = Literal["现行有效", "已修改", "已废止", "尚未生效", "失效", "未知"]
REPEALED: LawStatus = "已废止"
AMENDED: LawStatus = "已修改"
# A statute repealed or lapsed: nothing can rest on it any more (evidence from it counts for nothing).
NOT_IN_FORCE: tuple[LawStatus, ...] = (REPEALED, "失效")
# A basis that no longer reads as it did when cited: amended, repealed or lapsed (依据失效).
STALE: tuple[LawStatus, ...] = (AMENDED, *NOT_IN_FORCE)
ClauseKind = Literal["main", "internal", "boundary", "other"]
RulingStatus = Literal["in_force", "superseded", "draft"]
# The review ladder 研判 → 审核 → 协调 → 裁决 → 反馈 (cases.ladder; older stored states are read through it).
DisputeState = Literal["researching", "reviewing", "coordinating", "decided", "fed_back"]


class Jurisdiction(Node):
    """行政区划. Id is the administrative code or a slug given by the source."""

    label: ClassVar[str] = "Jurisdiction"
    id_prefix: ClassVar[str] = "jur"
    key_fields: ClassVar[tuple[str, ...]] = ("name", "parent")
    nullable_key_fields: ClassVar[tuple[str, ...]] = ("parent",)

    name: str
    level: JurisdictionLevel
    parent: str | None = None
    code: str | None = None

    @classmethod
    def derive_id(cls, name: str, parent: str | None) -> str:
        return f"jur:{slug(name)}" if not parent else f"{parent}/{slug(name)}"


class Department(Node):
    """部门 / 机构: a concrete body in a jurisdiction, or an internal division (科室) of one."""

    label: ClassVar[str] = "Department"
    id_prefix: ClassVar[str] = "dept"
    key_fields: ClassVar[tuple[str, ...]] = ("jurisdiction", "name")

    name: str
    jurisdiction: str
    aliases: list[str] = Field(default_factory=list)
    kind: DepartmentKind = "government"
    level: JurisdictionLevel | None = None
    parent: str | None = Field(default=None, description="parent department id for an internal division")


class Authority(Node):
    """主管部门 as a law names it, normalised: 公安机关, 城市管理部门, 市场监督管理部门 …"""

    label: ClassVar[str] = "Authority"
    id_prefix: ClassVar[str] = "authority"
    key_fields: ClassVar[tuple[str, ...]] = ("name",)

    name: str
    aliases: list[str] = Field(default_factory=list)

    @classmethod
    def derive_id(cls, name: str) -> str:
        return f"authority:{slug(name)}"


class Law(Node):
    """A statute in one version (法律 / 行政法规 / 地方性法规 / 规章 …)."""

    label: ClassVar[str] = "Law"
    id_prefix: ClassVar[str] = "law"
    key_fields: ClassVar[tuple[str, ...]] = ("title", "version")

    title: str
    version: str = Field(description="version date (ISO) or label; distinguishes versions of one statute")
    level: LawLevel = "其他"
    issuer: str | None = None
    jurisdiction: str | None = None
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    status: LawStatus = "未知"
    subtitle: str | None = None
    source_path: str | None = None


class Article(Node):
    """条. Id is `<law id>#第<number>条`, readable in citations."""

    label: ClassVar[str] = "Article"
    id_prefix: ClassVar[str] = "art"
    key_fields: ClassVar[tuple[str, ...]] = ("law", "number")

    law: str
    number: str = Field(description="arabic form, e.g. '101' or '10之1'")
    ordinal: int = Field(default=0, description="position in the statute, for ordering")
    chapter: str | None = None
    section: str | None = None
    text: str
    status: LawStatus = "未知"

    @classmethod
    def derive_id(cls, law: str, number: str) -> str:
        return f"{law}#第{number}条"


class Mandate(Node):
    """三定规定 of one department, as issued on one date."""

    label: ClassVar[str] = "Mandate"
    id_prefix: ClassVar[str] = "mandate"
    key_fields: ClassVar[tuple[str, ...]] = ("department", "issued")
    nullable_key_fields: ClassVar[tuple[str, ...]] = ("issued",)

    department: str
    issued: dt.date | None = None
    title: str | None = None
    text: str = ""


class MandateClause(Node):
    """A numbered duty clause, an internal body's duties, or a 职责分工 boundary paragraph."""

    label: ClassVar[str] = "MandateClause"
    id_prefix: ClassVar[str] = "clause"
    key_fields: ClassVar[tuple[str, ...]] = ("mandate", "number")

    mandate: str
    department: str
    number: str
    kind: ClauseKind = "main"
    text: str
    issued: dt.date | None = None

    @classmethod
    def derive_id(cls, mandate: str, number: str) -> str:
        return f"{mandate}#{number}"


class Duty(Node):
    """An item of a 权责清单 / 职责清单 (one list, one version)."""

    label: ClassVar[str] = "Duty"
    id_prefix: ClassVar[str] = "duty"
    key_fields: ClassVar[tuple[str, ...]] = ("list", "code", "name")

    name: str
    type: str = "其他"
    text: str = ""
    list: str = Field(description="which duty list and version, e.g. 'luan-2024'")
    code: str = Field(default="-", description="the item's number in its list, '-' if it has none")
    basis: str = ""


class Matter(Node):
    """事项 / 诉求分类 / 情形, in a hierarchy 大类 → 小类 → 情形."""

    label: ClassVar[str] = "Matter"
    id_prefix: ClassVar[str] = "matter"
    key_fields: ClassVar[tuple[str, ...]] = ("path",)

    name: str
    path: list[str] = Field(min_length=1, description="category chain ending in this matter's name")
    # None = not said here: a duty list names a matter without describing it, and writing "" would erase the
    # taxonomy's description of the same matter on every load
    description: str | None = None

    @classmethod
    def derive_id(cls, path: list[str]) -> str:
        return "matter:" + "/".join(slug(p) for p in path)


class Ruling(Node):
    """裁决 / 职责分工意见 / 会议纪要, at home or elsewhere (外地案例)."""

    label: ClassVar[str] = "Ruling"
    id_prefix: ClassVar[str] = "ruling"
    key_fields: ClassVar[tuple[str, ...]] = ("jurisdiction", "title", "decided_on")
    nullable_key_fields: ClassVar[tuple[str, ...]] = ("decided_on",)

    title: str
    jurisdiction: str
    decided_on: dt.date | None = None
    decided_by: str | None = None
    summary: str = ""
    text: str = ""
    status: RulingStatus = "in_force"


class Principle(Node):
    """原则 applied in a ruling: 职责就近, 管理沿用, 谁审批谁监管 …"""

    label: ClassVar[str] = "Principle"
    id_prefix: ClassVar[str] = "principle"
    key_fields: ClassVar[tuple[str, ...]] = ("name",)

    name: str
    description: str = ""

    @classmethod
    def derive_id(cls, name: str) -> str:
        return f"principle:{slug(name)}"


class WorkOrder(Node):
    """工单: a hotline complaint and how it was handled."""

    label: ClassVar[str] = "WorkOrder"
    id_prefix: ClassVar[str] = "wo"
    key_fields: ClassVar[tuple[str, ...]] = ("number",)

    number: str = Field(description="the hotline's own order number")
    text: str
    received_at: dt.datetime | None = None
    place: str | None = None
    jurisdiction: str | None = None
    channel: str | None = None
    final_handler: str | None = None
    result: str | None = None
    satisfaction: str | None = None
    closed_at: dt.datetime | None = Field(default=None, description="办结: when the order was closed")

    @classmethod
    def derive_id(cls, number: str) -> str:
        return f"wo:{number}"


class Dispute(Node):
    """争议: a case under adjudication."""

    label: ClassVar[str] = "Dispute"
    id_prefix: ClassVar[str] = "dispute"
    key_fields: ClassVar[tuple[str, ...]] = ("text", "opened_at")
    nullable_key_fields: ClassVar[tuple[str, ...]] = ("opened_at",)

    text: str
    title: str = ""
    jurisdiction: str | None = None
    state: DisputeState = "researching"
    opened_at: dt.date | None = None


NODE_TYPES: tuple[type[Node], ...] = (
    Jurisdiction, Department, Authority, Law, Article, Mandate, MandateClause,
    Duty, Matter, Ruling, Principle, WorkOrder, Dispute,
)
NODE_LABELS: tuple[str, ...] = tuple(t.label for t in NODE_TYPES)
