"""GET /jurisdictions: every place in the graph with its parent and children, for the pages' place pickers."""

from __future__ import annotations

from api.web.deps import StoreDep, read_router
from api.web.lookup_models import JurisdictionItem, JurisdictionList
from graph.places import ancestors
from graph.queries import lookups as q

router = read_router("lookups")


@router.get("/jurisdictions", response_model=JurisdictionList,
            summary="Every place, with its parent, its children and whether it has a department directory")
def list_jurisdictions(store: StoreDep) -> JurisdictionList:
    """A flat list in id order (ids are paths, so a parent sorts before its children); each item names its
    `parent` and its `children` by id.

    Flat rather than nested (`?tree=true`): every caller (the pages' place pickers, scripts) wants the
    places as one list, a tree is one pass over `parent`/`children`, and the item model stays the one the
    list already had. The parent is the node's own `parent` when that place is in the graph, else the
    nearest of its path ancestors that is (a town loaded before its county still finds the city)."""
    rows = q.rows(store, q.JURISDICTIONS)
    known = {r["id"] for r in rows}
    parents = {r["id"]: _parent(r["id"], r.get("parent"), known) for r in rows}
    children: dict[str, list[str]] = {}
    for pid, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    items = [JurisdictionItem(**r | {"parent": parents[r["id"]]}, children=sorted(children.get(r["id"], [])),
                              has_directory=int(r["departments"]) > 0) for r in rows]
    return JurisdictionList(items=items, total=len(items))


def _parent(pid: str, stored: str | None, known: set[str]) -> str | None:
    if stored in known and stored != pid:
        return stored
    return next((a for a in reversed(ancestors(pid)[:-1]) if a in known), None)
