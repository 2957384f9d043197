"""As-of reads: a fact holds on a date when valid_from <= date < valid_to (open ends are unbounded).

Dates are ISO strings on both backends, so string comparison is date comparison.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from graph.ontology.base import iso

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991: exact, no tz database


def _now() -> dt.datetime:
    """The clock, an aware UTC instant (a test sets it)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The date in China now: the day an undated ask reads the law as of and a deadline is counted from. The offices
    asked about keep China's day, whatever the server's zone (a UTC host is still on yesterday until 08:00 there)."""
    return _now().astimezone(CHINA).date()


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
    """The as-of date as an ISO string; today in China (`today`) when not given."""
    if isinstance(date, str) and date:
        try:  # compared as text downstream: 20260101 reads as 2026-01-01
            return dt.date.fromisoformat(date).isoformat()
        except ValueError:
            return date
    return iso(date) or today().isoformat()


def applies_on(row: dict[str, Any]) -> str:
    """When a version starts to apply: the later of its effective and version dates."""
    dates = [d for d in (row.get("effective"), row.get("version")) if d and d[:1].isdigit()]
    return max(dates) if dates else ""


def pick_version(rows: list[dict[str, Any]], as_of: str | None) -> dict[str, Any] | None:
    """The version that had started by `as_of` (the newest started by then; before any had, the oldest); without a
    date, the newest stored 现行有效. Dates and status only: a version ended by a repealing statute or a later
    version not among `rows` still counts here, and the earliest version counts from its own dates. Where the
    graph's links are at hand, `standing_on` (search.dated.DatedLaws) says whether a version was in force;
    this is how a citation of a date resolves a title (ingest.laws.resolve)."""
    if not rows:
        return None
    ordered = sorted(rows, key=lambda r: (applies_on(r), r.get("version") or ""))
    if as_of:
        started = [r for r in ordered if applies_on(r) and applies_on(r) <= as_of]
        return started[-1] if started else ordered[0]
    current = [r for r in ordered if r.get("status") == "现行有效"]
    return (current or ordered)[-1]


_IN_FORCE = frozenset({"现行有效", "尚未生效", "未知", ""})
Standing = Literal["not yet", "in force", "ended"]


def standing_on(row: dict[str, Any], day: str, *, first: bool = False) -> Standing:
    """Where a statute version stood on `day`: not yet started (`applies_on`), in force, or ended (`ended`: when a
    later version or a repealing statute took over, as `version_spans` reads it). Where the graph knows no end,
    the stored status decides (a source's 已废止 with no date stays ended); 尚未生效 was stored before it started,
    so a version started by then was in force whatever that status says. `first`: the earliest version the graph
    holds of its statute, which counts from the statute's own effective date — a text amended since (山东省环境噪声
    污染防治条例, effective 2004, held as amended in 2018) was in force before its version date in a wording the
    graph does not hold, not out of force."""
    start = (row.get("effective") or row.get("version") or "") if first else applies_on(row)
    start = start if start[:1].isdigit() else ""
    if start and start > day:
        return "not yet"
    ended = str(row.get("ended") or "")[:10]
    if ended:
        return "in force" if ended > day else "ended"
    status = row.get("status") or ""
    if status == "尚未生效" and not start:
        return "not yet"
    return "in force" if status in _IN_FORCE else "ended"


def in_force_on(row: dict[str, Any], day: str, *, first: bool = False) -> bool:
    """`standing_on(...) == "in force"`."""
    return standing_on(row, day, first=first) == "in force"
