"""Ontology: stable content-derived ids, provenance on every edge, early validation."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from graph.ontology import (
    EDGE_TYPES,
    NODE_TYPES,
    Article,
    Assigns,
    Department,
    Holds,
    Jurisdiction,
    Law,
    Matter,
    ResponsibleFor,
)


def test_same_natural_key_gives_same_id() -> None:
    a = Department(name="鲁安市公安局", jurisdiction="jur:全国/山东省/潍坊市/鲁安市", aliases=["公安局"])
    b = Department(name="鲁安市公安局", jurisdiction="jur:全国/山东省/潍坊市/鲁安市", kind="government")
    c = Department(name="鲁安市公安局", jurisdiction="jur:全国/山东省/潍坊市/别的市")
    assert a.id == b.id != c.id


def test_readable_ids_for_citations_and_places() -> None:
    nation = Jurisdiction(name="全国", level="全国")
    province = Jurisdiction(name="山东省", level="省", parent=nation.id)
    assert (nation.id, province.id) == ("jur:全国", "jur:全国/山东省")
    law = Law(title="中华人民共和国噪声污染防治法", version="2021-12-24")
    assert Article(law=law.id, number="10之1", text="…").id == f"{law.id}#第10之1条"
    assert Matter(name="广场舞噪声", path=["噪声", "社会生活噪声", "广场舞噪声"]).id == "matter:噪声/社会生活噪声/广场舞噪声"


def test_law_versions_differ() -> None:
    assert Law(title="物业管理条例", version="2007-08-26").id != Law(title="物业管理条例", version="2018-03-19").id


def test_missing_key_field_is_named() -> None:
    with pytest.raises(ValidationError, match="jurisdiction"):
        Department(name="无主部门")


def test_every_edge_carries_provenance() -> None:
    for edge_type in EDGE_TYPES:
        for field in ("source", "locator", "valid_from", "valid_to", "asserted_by"):
            assert field in edge_type.model_fields, f"{edge_type.__name__} lacks {field}"
    assert len({t.label for t in NODE_TYPES}) == len(NODE_TYPES)


def test_edge_key_is_stable_and_discriminates_role() -> None:
    lead = Holds(src="dept:a", dst="duty:b", source="list-2024", locator="row 7", role="lead")
    again = Holds(src="dept:a", dst="duty:b", source="list-2024", locator="row 7", role="lead", asserted_by="x")
    coop = Holds(src="dept:a", dst="duty:b", source="list-2024", locator="row 7", role="cooperate")
    assert lead.key == again.key != coop.key
    assert lead.props()["key"] == lead.key


def test_edge_validation_rejects_bad_labels_roles_and_intervals() -> None:
    with pytest.raises(ValidationError, match="dst_label"):
        Assigns(src="ruling:1", dst="x", source="s")
    with pytest.raises(ValidationError, match="role"):
        ResponsibleFor(src="d", dst="m", source="s", role="boss")
    with pytest.raises(ValidationError, match="before valid_from"):
        ResponsibleFor(src="d", dst="m", source="s", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2021, 1, 1))
    with pytest.raises(ValidationError, match="source"):
        ResponsibleFor(src="d", dst="m", source="")


def test_props_store_dates_as_iso_and_drop_nulls() -> None:
    law = Law(title="某条例", version="2020-01-01", effective=dt.date(2020, 3, 1))
    props = law.props()
    assert props["effective"] == "2020-03-01"
    assert "promulgated" not in props
