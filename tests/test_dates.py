"""One date reader (ingest/dates.py) for statutes, rulings and 三定: every form any of them writes is read by all."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.dates import iso_date, parse_date
from ingest.laws.text_parser import parse_statute
from ingest.mandates import parse_mandate
from ingest.rulings import extract_ruling

DAY = dt.date(2020, 1, 2)
FORMS = ["2020年1月2日", "2020 年 01 月 02 日", "二〇二〇年一月二日", "二○二○年一月二日", "2020-01-02"]


@pytest.mark.parametrize("written", FORMS)
def test_every_form_is_read(written: str) -> None:
    assert parse_date(f"（{written}印发）") == DAY


def test_chinese_numerals_past_ten() -> None:
    assert parse_date("二〇二三年十二月二十六日") == dt.date(2023, 12, 26)


def test_only_the_first_date_counts_and_a_false_one_is_none() -> None:
    assert parse_date("2019年3月1日印发，2020年1月2日修订") == dt.date(2019, 3, 1)
    assert parse_date("2023年2月30日") is None
    assert parse_date("第2023号") is None


def test_a_number_that_only_contains_a_date_is_none() -> None:
    assert parse_date("3023年1月1日") is None  # no year of this or the last century
    assert parse_date("编号12023-05-123") is None
    assert parse_date("电话0531-2023-05-12") is None


@pytest.mark.parametrize(("value", "expected"), [("2020-01-02", DAY), ("undated", None), ("", None), (None, None)])
def test_iso_values(value: str | None, expected: dt.date | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize("written", FORMS)
def test_a_mandate_is_issued_on_a_date_in_any_form(written: str) -> None:
    m = parse_mandate(["鲁安市水利局职能配置、内设机构和人员编制规定", f"（{written}印发）", "第二条 主要职责",
                       "（一）负责水资源的合理开发利用。"])
    assert m.issued == DAY


@pytest.mark.parametrize("written", FORMS)
def test_a_ruling_is_decided_on_its_signature_date_in_any_form(written: str) -> None:
    ex = extract_ruling(f"关于河道采砂管理职责分工的意见\n河道采砂由市水利局牵头负责。\n鲁安市委编办\n{written}")
    assert ex.decided_on == DAY


def test_a_statute_signed_in_chinese_numerals_is_promulgated_then() -> None:
    doc = parse_statute("# 示例暂行规定\n\n劳动部\n\n二〇二〇年一月二日\n\n2020年3月1日 执行\n\n<!-- INFO END -->\n\n"
                        "第一条 为了示例，制定本规定。\n", "test", "示例暂行规定(2020-01-02)")
    assert doc.promulgated == DAY


def test_a_statute_in_force_from_a_date_in_chinese_numerals_is_effective_then() -> None:
    doc = parse_statute("# 示例保护条例\n\n<!-- INFO END -->\n\n第一条 为了示例，制定本条例。\n"
                        "第二条 本条例自一九九三年一月一日起施行。\n", "test", "示例保护条例")
    assert doc.effective == dt.date(1993, 1, 1)
