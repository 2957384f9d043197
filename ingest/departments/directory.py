"""Read a department directory (.yaml / .csv / .xlsx) into validated entries.

A directory names the home jurisdiction, its towns and streets, and its departments with their
简称, aliases, former names (机构改革 renames keep one canonical department) and the law
authorities each acts as. Reading never touches the graph: a bad file raises `IngestError`
before anything is stored, and a bad entry is reported (file, row, field) and skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from graph.errors import IngestError
from graph.ontology.nodes import DepartmentKind, JurisdictionLevel
from ingest.yamlfile import read_yaml

TownshipKind = Literal["镇", "乡", "街道"]
_SPLIT = re.compile(r"[、，,;；|\n]+")
_LEVELS: tuple[JurisdictionLevel, ...] = ("全国", "省", "市", "县", "乡镇", "村", "网格")
_KIND_WORDS: dict[str, str] = {
    "党委": "party", "党委部门": "party", "政府": "government", "政府部门": "government", "政府工作部门": "government",
    "事业单位": "institution", "事业": "institution", "垂直": "agency", "垂直管理": "agency", "派驻": "agency",
    "内设机构": "division", "内设": "division", "科室": "division", "企业": "other", "国有企业": "other",
    "其他": "other", "镇街": "township",
}


def split_names(value: Any) -> list[str]:
    """A cell or YAML value holding one or several names → a clean list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in _SPLIT.split(str(value)) if p.strip()]


class AuthorityRef(BaseModel):
    """One ACTS_AS target; `scope` limits it to part of the authority's powers."""

    authority: str = Field(min_length=2)
    scope: str = ""

    @classmethod
    def parse(cls, value: Any) -> AuthorityRef:
        if isinstance(value, dict):
            return cls(**value)
        text = str(value).strip()
        name, sep, scope = re.split(r"([:：])", text, maxsplit=1) if re.search(r"[:：]", text) else (text, "", "")
        return cls(authority=name.strip(), scope=scope.strip())


def _refs(value: Any) -> list[AuthorityRef] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [s for s in re.split(r"[;；\n]+", str(value)) if s.strip()]
    return [AuthorityRef.parse(v) for v in items]


class FormerName(BaseModel):
    name: str = Field(min_length=2)
    until: int | None = Field(default=None, description="year the rename took effect")
    short: list[str] = Field(default_factory=list, description="简称 of the former name: 工商局, 食药监局")

    @field_validator("short", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        return split_names(v)


class DivisionEntry(BaseModel):
    name: str = Field(min_length=2)
    aliases: list[str] = Field(default_factory=list)
    acts_as: list[AuthorityRef] | None = None

    @field_validator("aliases", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        return split_names(v)

    @field_validator("acts_as", mode="before")
    @classmethod
    def _acts(cls, v: Any) -> list[AuthorityRef] | None:
        return _refs(v)


class DepartmentEntry(BaseModel):
    name: str = Field(min_length=2)
    short: list[str] = Field(default_factory=list, description="简称")
    aliases: list[str] = Field(default_factory=list)
    former: list[FormerName] = Field(default_factory=list)
    kind: DepartmentKind = "government"
    parent: str | None = Field(default=None, description="name of the department this one belongs to")
    acts_as: list[AuthorityRef] | None = Field(default=None, description="replaces the name-based suggestion")
    acts_as_add: list[AuthorityRef] = Field(default_factory=list, description="added to the suggestion")
    divisions: list[DivisionEntry] = Field(default_factory=list)
    locator: str = ""

    @field_validator("short", "aliases", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        return split_names(v)

    @field_validator("former", mode="before")
    @classmethod
    def _former(cls, v: Any) -> list[Any]:
        out: list[Any] = []
        for item in v if isinstance(v, list) else split_names(v):
            if isinstance(item, str):
                m = re.fullmatch(r"(.+?)[（(](?:至)?(\d{4})年?[)）]", item.strip())
                item = {"name": m.group(1), "until": int(m.group(2))} if m else {"name": item}
            out.append(item)
        return out

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        return _KIND_WORDS.get(str(v).strip(), v) if v not in (None, "") else "government"

    @field_validator("acts_as", mode="before")
    @classmethod
    def _acts(cls, v: Any) -> list[AuthorityRef] | None:
        return _refs(v)

    @field_validator("acts_as_add", mode="before")
    @classmethod
    def _acts_add(cls, v: Any) -> list[AuthorityRef]:
        return _refs(v) or []


class TownshipEntry(BaseModel):
    """镇 / 街道: a jurisdiction under the home one, governed by a township-kind department."""

    name: str = Field(min_length=2)
    kind: TownshipKind = "街道"
    short: list[str] = Field(default_factory=list)
    note: str = ""
    locator: str = ""

    @field_validator("short", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        return split_names(v)

    @property
    def office_name(self) -> str:
        return f"{self.name}办事处" if self.kind == "街道" else f"{self.name}人民政府"


class JurisdictionEntry(BaseModel):
    name: str = Field(min_length=1)
    level: JurisdictionLevel
    code: str | None = None


class Directory(BaseModel):
    """A whole directory file, validated; `errors` are the entries that were skipped."""

    path: str
    chain: list[JurisdictionEntry] = Field(min_length=1)
    townships: list[TownshipEntry] = Field(default_factory=list)
    departments: list[DepartmentEntry] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)

    @property
    def home(self) -> JurisdictionEntry:
        return self.chain[-1]


def chain_from_text(text: str) -> list[JurisdictionEntry]:
    """'山东省/潍坊市/鲁安市' → 全国 > 山东省 > 潍坊市 > 鲁安市, levels by depth."""
    names = [n for n in re.split(r"[/>＞→]+", text) if n.strip()]
    if names and names[0] != "全国":
        names = ["全国", *names]
    if len(names) > len(_LEVELS):
        raise ValueError(f"jurisdiction chain too deep: {text!r}")
    return [JurisdictionEntry(name=n.strip(), level=_LEVELS[i]) for i, n in enumerate(names)]


def _error(path: Path, locator: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "?"
    return str(IngestError(path, first["msg"], row=locator, field=field))


def read_directory(path: str | Path, jurisdiction: str | None = None) -> Directory:
    """Read a directory file. `jurisdiction` ('山东省/潍坊市/鲁安市') is needed for .csv/.xlsx files
    and overrides the YAML file's own chain when given."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        raw = _read_yaml(path)
    elif suffix in (".csv", ".xlsx"):
        raw = _read_table(path)
    else:
        raise IngestError(path, f"unsupported department directory format {suffix!r} (use .yaml, .csv or .xlsx)")
    if jurisdiction:
        chain = chain_from_text(jurisdiction)
    elif raw.get("jurisdiction"):
        try:
            chain = [JurisdictionEntry(**j) for j in raw["jurisdiction"]]
        except (TypeError, ValidationError) as exc:
            raise IngestError(path, f"bad jurisdiction chain: {exc}", field="jurisdiction") from exc
    else:
        raise IngestError(path, "no jurisdiction: give one (e.g. 山东省/潍坊市/鲁安市)", field="jurisdiction")
    out = Directory(path=str(path), chain=chain)
    for key, model, target in (
        ("townships", TownshipEntry, out.townships),
        ("departments", DepartmentEntry, out.departments),
    ):
        for i, item in enumerate(raw.get(key) or []):
            if not isinstance(item, dict):
                out.errors.append(str(IngestError(path, f"expected a mapping, got {item!r}", row=f"{key}[{i}]")))
                continue
            item = dict(item)
            loc = str(item.pop("_row", f"{key}[{i}]"))
            try:
                target.append(model(**item, locator=loc))
            except ValidationError as exc:
                out.errors.append(_error(path, loc, exc))
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("departments", []), list):
        raise IngestError(path, "expected a mapping with a 'departments' list", field="departments")
    return data


# Table headers (Chinese as departments write them) → entry fields.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("部门名称", "机构名称", "名称", "单位名称", "name"),
    "short": ("简称", "short"),
    "aliases": ("别名", "其他名称", "aliases"),
    "former": ("曾用名", "原名称", "former"),
    "kind": ("机构类型", "类型", "机构性质", "kind"),
    "parent": ("上级部门", "所属部门", "parent"),
    "acts_as": ("对应主管部门", "履行主管部门职责", "acts_as"),
    "acts_as_add": ("追加主管部门", "acts_as_add"),
}
_TOWNSHIP_KINDS = {"镇": "镇", "乡": "乡", "街道": "街道", "镇街": None, "乡镇": None}


def _read_table(path: Path) -> dict[str, Any]:
    from ingest.tables import read_table  # shared by the duty-list reader

    deps: list[dict[str, Any]] = []
    towns: list[dict[str, Any]] = []
    rows = read_table(path, required=HEADERS["name"])
    index: dict[str, str] = {}
    for field, names in HEADERS.items():
        for h in rows.headers:
            if h in names:
                index[h] = field
    for rownum, row in rows:
        item: dict[str, Any] = {"_row": rownum}
        for header, field in index.items():
            value = row.get(header)
            if value not in (None, ""):
                item[field] = value
        if not item.get("name"):
            deps.append(item)  # validation reports the missing name with its row
            continue
        kind = str(item.get("kind", "")).strip()
        if kind in _TOWNSHIP_KINDS:
            tkind = _TOWNSHIP_KINDS[kind] or ("街道" if str(item["name"]).endswith("街道") else "镇")
            towns.append({"_row": rownum, "name": item["name"], "kind": tkind, "short": item.get("short")})
        else:
            deps.append(item)
    return {"departments": deps, "townships": towns}
