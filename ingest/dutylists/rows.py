"""One validated duty-list row. Validation errors name the column as the file heads it."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

_SPLIT = re.compile(r"[、，,;；/\s]+")
NO_OWNER = frozenset({"待明确", "暂无", "无", "未明确", "待定"})
ALL_TOWNSHIPS = frozenset({"各镇（街道）", "各镇(街道)", "各镇街", "各镇、街道", "属地镇街", "各乡镇（街道）", "镇街"})
TYPES = {
    "行政许可": "许可", "许可": "许可", "行政处罚": "处罚", "处罚": "处罚", "行政检查": "检查", "检查": "检查",
    "行政强制": "强制", "强制": "强制", "行政确认": "确认", "确认": "确认", "行政裁决": "裁决", "裁决": "裁决",
    "行政给付": "给付", "给付": "给付", "行政征收": "征收", "征收": "征收", "行政奖励": "奖励", "奖励": "奖励",
    "公共服务": "公共服务", "其他行政权力": "其他", "其他": "其他", "其他权力": "其他",
}


def split_departments(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    text = str(value)
    for marker in ALL_TOWNSHIPS:
        text = text.replace(marker, "各镇（街道）")
    return [p for p in _SPLIT.split(text) if p]


class DutyRow(BaseModel):
    code: str = "-"
    name: str = Field(min_length=2)
    type: str = "其他"
    basis: str = ""
    lead: list[str] = Field(default_factory=list)
    cooperate: list[str] = Field(default_factory=list)
    territorial: list[str] = Field(default_factory=list)
    duties: str = ""
    accountability: str = ""
    path: list[str] = Field(default_factory=list)

    @field_validator("code", "name", "basis", "duties", "accountability", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return "" if v is None else str(v).strip()

    @field_validator("code", mode="after")
    @classmethod
    def _code(cls, v: str) -> str:
        return v or "-"

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        text = "" if v is None else str(v).strip()
        return TYPES.get(text, text or "其他")

    @field_validator("lead", "cooperate", "territorial", mode="before")
    @classmethod
    def _depts(cls, v: Any) -> list[str]:
        return v if isinstance(v, list) else split_departments(v)

    @model_validator(mode="after")
    def _someone(self) -> DutyRow:
        self.lead = [d for d in self.lead if d not in NO_OWNER]
        if not self.lead and not self.cooperate:
            raise ValueError("no responsible department (责任部门 and 配合部门 are both empty)")
        if not self.path:
            self.path = ["未分类", self.name]
        return self

    @property
    def text(self) -> str:
        parts = [self.name]
        if self.duties:
            parts.append(f"责任事项：{self.duties}")
        if self.accountability:
            parts.append(f"追责情形：{self.accountability}")
        return "\n".join(parts)
