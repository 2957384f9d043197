"""As-of reads: a fact holds on a date when valid_from <= date < valid_to (open ends are unbounded).

Dates are ISO strings on both backends, so string comparison is date comparison.
"""

from __future__ import annotations

import datetime as dt

from graph.ontology.base import iso


def valid_at(var: str, param: str = "as_of") -> str:
    """A Cypher predicate on relationship or node variable `var` (a fixed name from code, never user text)."""
    if not var.isidentifier() or not param.isidentifier():
        raise ValueError("valid_at takes Cypher identifiers")
    return (
        f"({var}.valid_from IS NULL OR {var}.valid_from <= ${param}) AND "
        f"({var}.valid_to IS NULL OR {var}.valid_to > ${param})"
    )


def holds_on(valid_from: str | None, valid_to: str | None, day: str) -> bool:
    """`valid_at` for rows already read: does a fact with this interval hold on `day` (an ISO date)?"""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to > day)


def as_of_param(date: dt.date | str | None) -> str:
    """The as-of date as an ISO string; today when not given."""
    return iso(date) or dt.date.today().isoformat()
