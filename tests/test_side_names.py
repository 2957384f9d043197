"""The sides of a dispute as callers name them (search.side_names): everyday names read as statutes name the
body, and sides that are no administrative authority named as such."""
from __future__ import annotations

from search.side_names import SideNames, load_side_names


def test_an_everyday_name_is_read_as_the_statutes_name() -> None:
    table = load_side_names()
    assert "渔业主管部门" in table.read("渔政 交通管").text
    assert "乡镇人民政府" in table.read("自然资源 镇里管").text
    assert table.read("渔政 交通管").others == []


def test_a_body_that_is_no_authority_is_blanked_and_listed_longest_name_first() -> None:
    table = load_side_names()
    got = table.read("供电公司 城管管 物业公司 总工会")
    assert got.others == ["供电公司", "物业公司", "总工会"]  # not also 物业 / 工会 inside them
    assert "供电" not in got.text and "物业" not in got.text and "工会" not in got.text
    assert "城管管" in got.text


def test_a_name_is_either_a_body_or_no_authority_and_a_name_put_in_is_not_read_again() -> None:
    table = load_side_names()
    assert not set(table.bodies) & set(table.not_government)
    assert table.read("公积金 人社管").text.split() == ["住房公积金管理中心", "人社管"]
    assert table.read("市政说归城管管").text.split() == ["市政工程主管部门", "说归城管管"]


def test_the_table_is_validated() -> None:
    table = SideNames.model_validate({"bodies": {"镇里": "乡镇人民政府"}, "not_government": ["物业"]})
    assert table.read("物业 镇里").text.split() == ["乡镇人民政府"]
