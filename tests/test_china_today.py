""""Today" is China's date (graph.queries.temporal.today): the day an undated ask reads the law as of, the day a
deadline is counted from and what a lookup marks in force, whatever the server's zone."""

from __future__ import annotations

import datetime as dt

import pytest

from api.web.routes.common import in_force
from cases import workdays
from graph.queries import temporal

EVENING_UTC = dt.datetime(2000, 1, 1, 20, 0, tzinfo=dt.UTC)  # 04:00 on the 2nd in Beijing; far from any real clock


@pytest.fixture
def evening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(temporal, "_now", lambda: EVENING_UTC)


def test_an_undated_ask_reads_the_law_as_of_chinas_date(evening) -> None:
    assert temporal.today() == dt.date(2000, 1, 2)
    assert temporal.as_of_param(None) == "2000-01-02"
    assert temporal.as_of_param("2026-12-01") == "2026-12-01"


def test_deadlines_and_lookups_keep_the_same_day(evening) -> None:
    assert workdays.today() == temporal.today()
    assert not in_force("1999-01-01", "2000-01-02")  # ended on China's today
    assert in_force("2000-01-02", "2000-01-03")  # starts on it
    assert not in_force("2000-01-03", None)  # not yet: the server's own date would differ on both


def test_a_case_is_opened_on_chinas_date(evening, kb_store) -> None:  # noqa: ANN001
    from cases import disputes as svc
    from cases.models import DisputeCreate
    from tests import owners_kb as kb

    view = svc.open_case(kb_store, DisputeCreate(text="早市占道摆摊，两个部门互相推诿", matter=kb.M_STALL.id), kb.LUAN.id, "孙审核")
    assert str(view.opened_at)[:10] == "2000-01-02"
