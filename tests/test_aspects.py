"""Splitting a compound dispute into its statements (search.aspects): framing dropped, the shared subject
restored where a statement is too short to stand alone, lists of places kept with what they describe."""

from __future__ import annotations

import pytest

from search.aspects import statements


def _texts(text: str) -> list[str]:
    return [s.text for s in statements(text)]


def test_each_statement_with_the_subject_where_it_is_too_short_alone() -> None:
    assert _texts("楼下烧烤店油烟大、占道摆桌子、半夜还吵") == ["楼下烧烤店油烟大", "楼下烧烤店占道摆桌子", "楼下烧烤店半夜还吵"]


def test_a_and_b_after_a_shared_head_are_two_statements() -> None:
    assert _texts("剧本杀店的消防和内容谁管") == ["剧本杀店的消防", "剧本杀店的内容"]


@pytest.mark.parametrize("text", [
    "城管说归环保管，环保说归城管管：楼下饭店的油烟机正对着我家窗户排",
    "几个部门互相推：楼下饭店的油烟机正对着我家窗户排，希望尽快处理",
])
def test_the_framing_of_a_dispute_is_no_statement(text: str) -> None:
    assert _texts(text) == ["楼下饭店的油烟机正对着我家窗户排"]


def test_time_only_and_filler_statements_are_dropped() -> None:
    assert _texts("工地的振动棒还在响，晚上十点多了，已经连着一个星期了，影响休息") == ["工地的振动棒还在响"]


def test_a_list_of_places_stays_with_what_it_describes() -> None:
    got = _texts("电线杆上、楼道墙上、单元门上全是开锁办证的小广告")
    assert got == ["电线杆上、楼道墙上、单元门上全是开锁办证的小广告"]


def test_a_long_statement_is_asked_without_the_subject() -> None:
    got = _texts("新开的密室逃脱店，里面消防通道堵死了，另外营业执照好像也没有")
    assert got == ["里面消防通道堵死了", "营业执照好像也没有"]
