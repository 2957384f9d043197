"""The sides of a dispute as callers name them: everyday names read as the authority statutes name
(渔政 → 渔业主管部门, 镇里 → 乡镇人民政府) and bodies that are no administrative authority (供电公司, 物业, 居委会).

The authority matcher knows statutes' names and their short forms; callers name the sides as they meet them.
A side it cannot read gets no party weight, and a firm read by its field word (燃气公司 → 燃气主管部门) flags a
regulator nobody named. The table is side_names.yaml, next to this module."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import BaseModel, Field

TABLE = Path(__file__).with_name("side_names.yaml")


class SideReading(NamedTuple):
    text: str  # the span with everyday names replaced by statute names and non-government ones blanked
    others: list[str]  # the non-government bodies named, as the caller named them


class SideNames(BaseModel):
    bodies: dict[str, str] = Field(default_factory=dict, description="everyday name → the statute's name")
    not_government: list[str] = Field(default_factory=list, description="bodies that are no administrative authority")

    def read(self, span: str) -> SideReading:
        """`span` with the table's names, longest first, replaced (a body) or blanked (no authority)."""
        others: list[str] = []
        names = sorted([*self.bodies, *self.not_government], key=len, reverse=True)
        for name in names:
            if name not in span:
                continue
            if name in self.bodies:
                span = span.replace(name, f" {self.bodies[name]} ")
            else:
                span = span.replace(name, " ")
                others.append(name)
        return SideReading(span, others)


@lru_cache(maxsize=1)
def load_side_names(path: Path = TABLE) -> SideNames:
    """The table (read once)."""
    return SideNames.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
