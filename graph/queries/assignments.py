"""Who is assigned a matter, as of a date, with the provenance of each assignment."""

from __future__ import annotations

from typing import Any

from graph.queries.temporal import as_of_param, valid_at
from graph.store.base import GraphStore

_OWNERS = f"""
MATCH (m:Matter) WHERE m.name CONTAINS $q
MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(m)
WHERE {valid_at("r")}
RETURN m.name AS matter, d.name AS department, r.role AS role, r.source AS source,
       r.locator AS locator, r.valid_from AS valid_from, r.valid_to AS valid_to
ORDER BY matter, CASE r.role WHEN 'lead' THEN 0 WHEN 'cooperate' THEN 1 ELSE 2 END, department
"""


def owners_of_matter(store: GraphStore, text: str, as_of: str | None = None) -> list[dict[str, Any]]:
    """Departments responsible for matters whose name contains `text`, valid on `as_of` (default today)."""
    return store.read(_OWNERS, {"q": text, "as_of": as_of_param(as_of)})
