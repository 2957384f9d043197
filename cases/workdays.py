"""Working days (工作日) as the State Council's holiday notices set them, from the `chinese-calendar` package:
public holidays are off, make-up working days (调休上班, a Saturday or Sunday) count. A follow-up limit of
"3 working days" is counted on this calendar, never on weekdays alone.

The package carries each year once the notice is published (late in the year before). For a date past its
data the count falls back to Monday–Friday and says so (`estimated`), so a deadline is still given and the
page can flag it; upgrading `chinese-calendar` makes it exact.
"""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

from graph.queries.temporal import CHINA, today  # China's date: one definition with the asks' (re-exported)

log = logging.getLogger(__name__)
__all__ = ["CHINA", "add_working_days", "is_working_day", "today", "working_days_between"]


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working day?, estimated?) — estimated when the package has no data for the year."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_working_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    """The n-th working day after `start` (start itself not counted; n = 0 gives start), and whether any day
    on the way was estimated."""
    day, counted, estimated = start, 0, False
    while counted < n:
        day += dt.timedelta(days=1)
        working, guess = is_working_day(day)
        estimated |= guess
        counted += working
    if estimated:
        log.warning("chinese-calendar has no holiday data for %s: counted Monday–Friday; upgrade the package",
                    day.year)
    return day, estimated


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    day, count = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)[0]
    return count
