"""One flagged gap: what kind, why, the ids behind it, an impact figure for ranking, a next step."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

GapKind = Literal["unowned", "overlap", "stale_basis", "ping_pong", "new_business", "push_down"]
KINDS: tuple[str, ...] = ("unowned", "overlap", "stale_basis", "ping_pong", "new_business", "push_down")


class GapItem(BaseModel):
    kind: GapKind
    subkind: str = Field(default="", description="e.g. two_leads / list_vs_ruling, repealed / amended")
    subject: str = Field(description="id of the node the item is about (matter, duty, ruling, or a cluster key)")
    title: str
    matter: str | None = Field(default=None, description="the matter whose ownership is in question, if any")
    why: str
    refs: dict[str, list[str]] = Field(default_factory=dict, description="ids to follow, by kind: departments, duties …")
    data: dict[str, Any] = Field(default_factory=dict, description="the figures behind the flag")
    impact: float = Field(default=0.0, description="ranking figure: work orders affected in the window")
    impact_note: str = ""
    next_step: str = ""
    candidates: list[dict[str, Any]] = Field(default_factory=list, description="suggested owners, best first")


def sort_items(items: list[GapItem]) -> list[GapItem]:
    """Highest impact first; ties by kind and subject so the order is stable."""
    return sorted(items, key=lambda g: (-g.impact, KINDS.index(g.kind), g.subject))
