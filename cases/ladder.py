"""The review ladder a dispute case climbs: 研判 → 审核 → 协调 → 裁决 → 反馈, and who may move each step.

One table (`STEPS`) says which moves exist, the role each needs and whether it needs a reason; the service
(`cases.disputes.transition`) looks a move up here before it writes anything, so a move that is not in the
table is a conflict (409) and one the caller's role may not make is forbidden (403). The roles are the API
key roles (`api.users.ROLES`, ranked reader < adjudicator < reviewer < admin) named as strings, since this
layer does not import the API: the caller passes its own `can(role)` check in.

Cases stored before the ladder carry the states open / researching / proposed / decided / closed; they are
read through `canonical` (no rewrite needed, nothing lost) and take the new state at their next move.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel

from graph.ontology.nodes import DisputeState

State = DisputeState
STATES: tuple[State, ...] = get_args(DisputeState)
LABELS: dict[State, str] = {"researching": "研判", "reviewing": "审核", "coordinating": "协调", "decided": "裁决",
                            "fed_back": "反馈"}

# Old states (before the ladder) → the ladder state a case in them is in now.
LEGACY: dict[str, State] = {"open": "researching", "researching": "researching", "proposed": "researching",
                            "decided": "decided", "closed": "fed_back"}

Action = Literal["submit", "approve", "return", "decide", "feed_back", "reopen"]


class Step(BaseModel):
    """One allowed move. `via` names the endpoint that makes it when it is not a plain transition (a
    decision carries its ruling; feedback follows the departments' acceptances)."""

    src: State
    dst: State
    action: Action
    role: str
    reason_required: bool = False
    via: str | None = None


STEPS: tuple[Step, ...] = (
    Step(src="researching", dst="reviewing", action="submit", role="adjudicator"),
    Step(src="reviewing", dst="coordinating", action="approve", role="reviewer"),
    Step(src="reviewing", dst="researching", action="return", role="reviewer", reason_required=True),
    Step(src="coordinating", dst="researching", action="return", role="reviewer", reason_required=True),
    Step(src="coordinating", dst="decided", action="decide", role="adjudicator", via="decision"),
    Step(src="decided", dst="fed_back", action="feed_back", role="adjudicator", via="acknowledgements"),
    Step(src="decided", dst="coordinating", action="reopen", role="admin", reason_required=True),
    Step(src="decided", dst="researching", action="reopen", role="admin", reason_required=True),
    Step(src="fed_back", dst="coordinating", action="reopen", role="admin", reason_required=True),
    Step(src="fed_back", dst="researching", action="reopen", role="admin", reason_required=True),
)


def canonical(state: str | None) -> State:
    """The ladder state of a stored state value, old or new (an unknown value reads as 研判)."""
    if state in STATES:
        return state  # type: ignore[return-value]
    return LEGACY.get(state or "", "researching")


def stored_values(state: State) -> list[str]:
    """Every stored value that reads as `state`: itself and the old states that map to it (for list filters)."""
    return [state] + [old for old, new in LEGACY.items() if new == state and old != state]


def step(src: State, dst: State) -> Step | None:
    return next((s for s in STEPS if s.src == src and s.dst == dst), None)


def steps_from(src: State) -> list[Step]:
    return [s for s in STEPS if s.src == src]


def describe(state: str) -> str:
    """`审核 (reviewing)` — how messages and the CLI name a state."""
    s = canonical(state)
    return f"{LABELS[s]} ({s})"
