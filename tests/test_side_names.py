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


def test_a_longer_name_holding_a_table_name_is_not_broken_up() -> None:
    """市政府 is the city's government, not 市政; 人民银行 a regulator, not a bank; 物业管理部门 the housing office,
    消防部队 the fire service (review6a H1). Each would have been read as the shorter name inside it."""
    table = load_side_names()
    assert table.read("市政府 城管管").text.split() == ["市政府", "城管管"]
    got = table.read("人民银行 社区矫正机构 消防部队 物业管理部门 环卫公司")
    assert got.others == ["环卫公司"]
    assert "人民银行" in got.text and "社区矫正机构" in got.text
    assert "消防救援机构" in got.text and "房产管理部门" in got.text and "城市管理部门" not in got.text
    assert table.read("城管 城镇里管").text.split() == ["城管", "城镇里管"]
    assert table.read("工会 总工会").others == ["总工会"]  # one body under two names


def test_a_supply_firm_is_no_authority() -> None:
    """供电局 and the former 电业局 supply power (电力法 第二十五条); the 电力管理部门 is the government's (第六条)."""
    table = load_side_names()
    assert table.read("供电局 城管管").others == ["供电局"]
    assert table.read("电业局 城管管").others == ["电业局"]


def test_a_regulators_or_a_fields_enforcement_name_is_not_read_as_a_bank_or_the_city_enforcers() -> None:
    """银行业监督管理机构 is the banking regulator, not a bank; 交通执法局 transport's enforcement, not 城管
    (review6b M3); 武警部队 and 社区居委会 are one body each."""
    table = load_side_names()
    got = table.read("银行业监督管理机构 交通执法局 市场监管执法局")
    assert got.others == [] and "城市管理部门" not in got.text
    assert table.read("武警部队 社区居委会 市政公司").others == ["武警部队", "社区居委会", "市政公司"]


def test_an_empty_name_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SideNames.model_validate({"not_government": [""]})
    with pytest.raises(ValidationError):
        SideNames.model_validate({"bodies": {" ": "城市管理部门"}})


def test_a_firm_or_a_school_is_overseen_by_a_regulator_and_a_peoples_organisation_is_not() -> None:
    """Only a non-government side that some field regulator oversees hides a regulator nobody named."""
    import pytest
    from pydantic import ValidationError

    table = load_side_names()
    assert table.overseen(["供电公司", "学校", "妇联", "居委会", "部队", "总工会"]) == ["供电公司", "学校"]
    with pytest.raises(ValidationError):
        SideNames.model_validate({"not_government": ["物业"], "unregulated": ["妇联"]})
