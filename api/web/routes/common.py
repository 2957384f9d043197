"""What the lookup routes share: the 404 for an unknown id, a place given by name or id, and the clean-up
of a Cypher row before it becomes a response model (api.web.lookup_models).

Ids contain ':' '#' and '/', so detail routes take them with a path converter; a client sends them
percent-encoded (`law:…%23第6条`). An unknown id is a 404 problem naming it.
"""

from __future__ import annotations

from typing import Any

from api.web.problems import ProblemError
from graph.places import resolve_place
from graph.queries import lookups as q
from graph.queries.temporal import holds_on, today
from graph.store.base import GraphStore


def not_found(what: str, ident: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"no {what} {ident!r}", "not-found")


def one_or_404(store: GraphStore, query: str, what: str, ident: str) -> dict[str, Any]:
    """The row a detail read finds for `ident`; a 404 problem naming the `what` and id when there is none."""
    row = q.one(store, query, id=ident)
    if row is None:
        raise not_found(what, ident)
    return row


def place_id(store: GraphStore, jurisdiction: str | None) -> str | None:
    """A place given by name, short name or id → its id (an unknown one is `UnknownPlace`: the same 404
    problem as on /ask and /gaps)."""
    return resolve_place(store, jurisdiction).id if jurisdiction else None


def day(v: object) -> str | None:
    return str(v)[:10] if v else None


def in_force(valid_from: str | None, valid_to: str | None) -> bool:
    """Whether an interval holds today (in China, as an undated ask reads it): what a lookup marks `in_force`."""
    return holds_on(valid_from, valid_to, today().isoformat())


def clean(row: dict[str, Any], *dates: str, **defaults: Any) -> dict[str, Any]:
    """Dates cut to ISO days; None replaced by the given defaults (a node may lack an optional field)."""
    out = dict(row)
    for d in dates:
        out[d] = day(out.get(d))
    for k, v in defaults.items():
        if out.get(k) is None:
            out[k] = v
    return out
