"""What a candidate owner is, and one piece of evidence for it.

The contract: a candidate's `score` is exactly the sum of its evidence `contribution`s, and each
contribution is the product of the `factors` listed with it, so every number shown can be traced.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field, model_validator

Role = Literal["lead", "cooperate", "territorial"]
EvidenceKind = Literal["article", "mandate_clause", "duty", "matter", "ruling", "precedent"]


class Evidence(BaseModel):
    kind: EvidenceKind
    unit: str = Field(description="id of the retrieved node the chain starts from")
    citation: str = Field(description="human-readable: law + article, department 三定 clause, duty name, ruling title")
    law_title: str | None = None
    article: str | None = None
    text: str = Field(default="", description="snippet of the unit's text")
    source: str = Field(default="", description="document or place the evidence comes from")
    path: list[str] = Field(description="the graph walk, node by node, e.g. [Article, DESIGNATES lead, Authority, ACTS_AS, Department]")
    role: Role
    valid: bool = True
    note: str = Field(default="", description="why it was discounted, if it was")
    basis: list[str] = Field(default_factory=list, description="duty evidence: its basis articles as '<law title>#<number>'")
    factors: dict[str, float] = Field(description="similarity, kind, role, validity, diminishing")
    contribution: float

    @model_validator(mode="after")
    def _product(self) -> Evidence:
        expected = math.prod(self.factors.values())
        if not math.isclose(expected, self.contribution, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(f"contribution {self.contribution} is not the product of its factors {self.factors}")
        return self


class Candidate(BaseModel):
    id: str
    name: str
    kind: Literal["department", "authority"]
    role: Role
    score: float
    role_scores: dict[str, float] = Field(default_factory=dict, description="score behind each suggested role")
    named_in_dispute: bool = Field(default=False, description="the dispute text names this body (e.g. as refusing)")
    evidence: list[Evidence]

    @model_validator(mode="after")
    def _sum(self) -> Candidate:
        total = math.fsum(e.contribution for e in self.evidence)
        if not math.isclose(total, self.score, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(f"score {self.score} is not the sum of its evidence ({total})")
        return self
