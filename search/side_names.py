"""The sides of a dispute as callers name them: everyday names read as the authority statutes name
(渔政 → 渔业主管部门, 镇里 → 乡镇人民政府) and bodies that are no administrative authority (供电公司, 物业, 居委会).

The authority matcher knows statutes' names and their short forms; callers name the sides as they meet them.
A side it cannot read gets no party weight, and a firm read by its field word (燃气公司 → 燃气主管部门) flags a
regulator nobody named. The table is side_names.yaml, next to this module."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator

TABLE = Path(__file__).with_name("side_names.yaml")


class SideReading(NamedTuple):
    text: str  # the span with everyday names replaced by statute names and non-government ones blanked
    others: list[str]  # the non-government bodies named, as the caller named them, each once


class SideNames(BaseModel):
    bodies: dict[str, str] = Field(default_factory=dict, description="everyday name → the statute's name")
    not_government: list[str] = Field(default_factory=list, description="bodies that are no administrative authority")
    kept: list[str] = Field(default_factory=list, description="names that hold a table's name but are another body, "
                            "left as written (市政府 holds 市政, 人民银行 银行)")
    unregulated: list[str] = Field(default_factory=list, description="the not_government bodies no field regulator "
                                   "oversees (居委会, 妇联, 工会, 部队, 法院): a side so named hides no regulator nobody named")
    _compiled: re.Pattern[str] | None = PrivateAttr(default=None)

    @field_validator("bodies", "not_government", "kept", "unregulated")
    @classmethod
    def _named(cls, names: dict[str, str] | list[str]) -> dict[str, str] | list[str]:
        words = [*names, *names.values()] if isinstance(names, dict) else names
        if any(not n.strip() for n in words):
            raise ValueError("an empty name would match everywhere")
        return names

    @model_validator(mode="after")
    def _unregulated_are_not_government(self) -> SideNames:
        if stray := set(self.unregulated) - set(self.not_government):
            raise ValueError(f"unregulated bodies not listed as not_government: {sorted(stray)}")
        return self

    def overseen(self, others: list[str]) -> list[str]:
        """The non-government bodies among `others` that a field regulator oversees (a firm, a school, a hospital)."""
        return [o for o in others if o not in self.unregulated]

    def read(self, span: str) -> SideReading:
        """`span` with the table's names replaced (a body) or blanked (no authority): one pass, the longest name
        at each place, so a statute's name put in (住房公积金管理中心 for 公积金) is not read again."""
        others: list[str] = []

        def one(m: re.Match[str]) -> str:
            name = m.group(0)
            if name in self.kept:
                return name
            if name in self.bodies:
                return f" {self.bodies[name]} "
            others.append(name)
            return " "
        text = self._pattern().sub(one, span) if self.bodies or self.not_government else span
        named = list(dict.fromkeys(others))  # 工会说…总工会…: one body, named once by its longer name
        return SideReading(text, [o for o in named if not any(o != p and o in p for p in named)])

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            names = sorted({*self.bodies, *self.not_government, *self.kept}, key=len, reverse=True)
            self._compiled = re.compile("|".join(map(re.escape, names)))
        return self._compiled


@lru_cache(maxsize=1)
def load_side_names(path: Path = TABLE) -> SideNames:
    """The table (read once)."""
    return SideNames.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
