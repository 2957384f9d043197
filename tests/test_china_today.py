""""Today" is China's date (graph.queries.temporal.today): the day an undated ask reads the law as of, the day a
deadline is counted from and what a lookup marks in force, whatever the server's zone."""

from __future__ import annotations

import datetime as dt

import pytest

from api.web.routes.common import in_force
from cases import workdays
from graph.queries import temporal

EVENING_UTC = dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC)  # 04:00 on the 8th in Beijing


@pytest.fixture
def evening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(temporal, "_now", lambda: EVENING_UTC)


def test_an_undated_ask_reads_the_law_as_of_chinas_date(evening) -> None:
    assert temporal.today() == dt.date(2026, 12, 8)
    assert temporal.as_of_param(None) == "2026-12-08"
    assert temporal.as_of_param("2026-12-01") == "2026-12-01"


def test_deadlines_and_lookups_keep_the_same_day(evening) -> None:
    assert workdays.today() == temporal.today()
    assert not in_force("2020-01-01", "2026-12-08")  # ended on China's today
    assert in_force("2026-12-08", None)  # starts on it
