"""Which column of a duty list holds which field.

Lists from different offices call the same thing by different headers (事项名称 / 权力事项名称,
责任部门 / 实施主体). The defaults cover the usual ones; `overrides` maps a field (or a default
header standing for it, e.g. 事项名称) to the header this file uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("事项编码", "编码", "事项编号", "序号", "code"),
    "name": ("事项名称", "职责事项", "权力事项名称", "权责事项名称", "权力名称", "name"),
    "type": ("事项类型", "权力类型", "职权类型", "事项类别", "type"),
    "basis": ("实施依据", "设定依据", "法律依据", "法定依据", "依据", "basis"),
    "lead": ("责任部门", "实施主体", "牵头部门", "主办部门", "责任单位", "lead"),
    "cooperate": ("配合部门", "协办部门", "配合单位", "cooperate"),
    "territorial": ("属地责任", "属地单位", "属地", "territorial"),
    "duties": ("责任事项", "duties"),
    "accountability": ("追责情形", "追责情形及依据", "accountability"),
    "category": ("大类", "一级分类", "category"),
    "subcategory": ("小类", "二级分类", "subcategory"),
    "case": ("情形", "三级分类", "事项情形", "case"),
    "path": ("事项分类", "分类路径", "path"),
}
REQUIRED = ("name", "lead")


def _field_of(key: str, fields: Mapping[str, tuple[str, ...]] = FIELDS) -> str | None:
    if key in fields:
        return key
    return next((f for f, headers in fields.items() if key in headers), None)


@dataclass(frozen=True)
class ColumnMap:
    """field → header actually present in the file."""

    columns: dict[str, str]

    @classmethod
    def build(cls, headers: Sequence[str], overrides: Mapping[str, str] | None = None,
              fields: Mapping[str, tuple[str, ...]] = FIELDS) -> ColumnMap:
        """Match headers to fields (a duty list's by default; another table passes its own `fields`);
        raises ValueError naming an override that fits no field or header."""
        present = set(headers)
        out: dict[str, str] = {}
        for field, names in fields.items():
            hit = next((h for h in names if h in present), None)
            if hit:
                out[field] = hit
        for key, header in (overrides or {}).items():
            field = _field_of(key, fields)
            if field is None:
                raise ValueError(f"column mapping {key}={header}: {key!r} is not a field of this table "
                                 f"({', '.join(fields)}) or one of their default headers")
            if header not in present:
                raise ValueError(f"column mapping {key}={header}: no column headed {header!r} in this file")
            out[field] = header
        return cls(out)

    def missing(self) -> list[str]:
        return [f for f in REQUIRED if f not in self.columns]


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """CLI form `事项名称=权力名称` or `name=权力名称` → {key: header}."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, header = item.partition("=")
        if not sep or not key.strip() or not header.strip():
            raise ValueError(f"column mapping {item!r}: write it as FIELD=HEADER, e.g. 事项名称=权力名称")
        out[key.strip()] = header.strip()
    return out


def all_known_headers() -> tuple[str, ...]:
    return tuple(h for names in FIELDS.values() for h in names)
