"""The statutes an ask looks into for basis articles (search.ask._law_rank): one place per statute, whatever
versions of it were retrieved, held by the version in force, or on an asked date by the version that held then."""
from __future__ import annotations

from search import ask
from search.retriever import Hit
from search.units import TextUnit
from tests.places import CN, SD


def _article(law: str, title: str, n: int, valid: bool = True, effective: str | None = None,
             place: str = CN.id) -> Hit:
    unit = TextUnit(id=f"{law}#第{n}条", kind="Article", jurisdiction=place, title=title, text="", valid=valid,
                    meta={"law_id": law, "law_title": title, "effective": effective})
    return Hit(unit=unit, score=1.0)


def test_versions_of_one_statute_hold_one_place_and_the_one_in_force_holds_it() -> None:
    old, new = _article("law:charity-2016", "慈善法", 1, valid=False), _article("law:charity-2023", "慈善法", 2)
    hits = [old, _article("law:civil", "民法典", 3), new, _article("law:company", "公司法", 4)]
    assert ask._law_rank(hits, CN.id) == {"law:charity-2023": 0, "law:civil": 1, "law:company": 3}


def test_the_statutes_looked_into_are_counted_in_statutes_not_versions(monkeypatch) -> None:
    monkeypatch.setattr(ask, "SETTLING_LAWS", 2)
    hits = [_article("law:a-2013", "渔业法", 1, valid=False), _article("law:a-2025", "渔业法", 2),
            _article("law:b", "水产资源繁殖保护条例", 3)]
    assert list(ask._law_rank(hits, CN.id)) == ["law:a-2025", "law:b"]


def test_a_statute_reached_only_in_an_old_version_keeps_that_version() -> None:
    hits = [_article("law:noise-2018", "环境噪声污染防治法", 1, valid=False), _article("law:code", "生态环境法典", 2)]
    assert ask._law_rank(hits, CN.id) == {"law:noise-2018": 0, "law:code": 1}


def test_on_an_asked_date_the_version_that_had_started_then_holds_the_place() -> None:
    old = _article("law:charity-2016", "慈善法", 1, valid=False, effective="2016-09-01")
    new = _article("law:charity-2023", "慈善法", 2, effective="2024-09-05")
    hits = [new, _article("law:civil", "民法典", 3), old]
    assert ask._law_rank(hits, CN.id, as_of="2018-01-01") == {"law:charity-2016": 0, "law:civil": 1}
    assert ask._law_rank(hits, CN.id, as_of="2025-01-01") == {"law:charity-2023": 0, "law:civil": 1}
    # before either had started, the oldest speaks, as a citation of that date resolves (pick_version)
    assert ask._law_rank(hits, CN.id, as_of="2010-01-01") == {"law:charity-2016": 0, "law:civil": 1}


def test_a_version_without_an_effective_date_starts_on_its_version_date() -> None:
    """575 snapshot statutes carry a version date and no effective one (review8a M2)."""
    old = _article("law:biz-2020", "优化营商环境条例", 1, valid=False)
    new = _article("law:biz-2024", "优化营商环境条例", 2)
    old.unit.meta["version"], new.unit.meta["version"] = "2020-03-27", "2024-11-29"
    assert ask._law_rank([old, new], CN.id, as_of="2025-06-01") == {"law:biz-2024": 0}
    assert ask._law_rank([new, old], CN.id, as_of="2021-06-01") == {"law:biz-2020": 0}


def test_statutes_of_one_title_in_two_places_are_two_statutes() -> None:
    hits = [_article("law:sd-dogs", "养犬管理条例", 1, place="山东省"), _article("law:bj-dogs", "养犬管理条例", 2)]
    # before, grouped by title alone, the first reached spoke for both and the asked place's own was lost
    assert ask._law_rank(hits, CN.id) == {"law:bj-dogs": 0, "law:sd-dogs": 1}


def test_a_law_takes_the_place_of_its_implementing_regulation_ranked_above_it() -> None:
    hits = [_article("law:rules", "中华人民共和国计量法实施细则", 47), _article("law:imports", "进口计量器具监督管理办法", 16),
            _article("law:metrology", "中华人民共和国计量法", 27), _article("law:city", "城市市容和环境卫生管理条例", 34)]
    assert ask._law_rank(hits, CN.id) == {"law:metrology": 0, "law:imports": 1, "law:rules": 2, "law:city": 3}


def test_a_law_ranked_above_its_regulation_and_a_regulation_of_another_law_stay() -> None:
    hits = [_article("law:food", "中华人民共和国食品安全法", 34), _article("law:food-rules", "中华人民共和国食品安全法实施条例", 67),
            _article("law:drug-rules", "中华人民共和国药品管理法实施条例", 73), _article("law:forest", "中华人民共和国森林法", 9)]
    assert ask._law_rank(hits, CN.id) == {"law:food": 0, "law:food-rules": 1, "law:drug-rules": 2, "law:forest": 3}


def test_below_the_nation_the_national_pair_keeps_its_order() -> None:
    hits = [_article("law:rules", "中华人民共和国计量法实施细则", 47), _article("law:metrology", "中华人民共和国计量法", 27)]
    assert ask._law_rank(hits, SD.id) == {"law:rules": 0, "law:metrology": 1}


class _Day:
    """A DatedLaws stand-in: each version's standing on the day, as given."""

    def __init__(self, standing: dict[str, str], held: dict[str, str] | None = None):
        self.by, self.held = standing, held or {}  # held: a version -> its statute's version in force that day

    def load(self, law_ids: list[str]) -> None:
        pass

    def standing(self, law_id: str | None) -> str | None:
        return self.by.get(law_id or "")

    def in_force(self, law_id: str | None, default: bool = True) -> bool:
        s = self.standing(law_id)
        return default if s is None else s == "in force"

    def version_in_force(self, law_id: str | None) -> str | None:
        return self.held.get(law_id or "")


def test_a_statute_not_yet_in_force_takes_no_place() -> None:
    """医疗保障法 (from 2027-01-01) asked in 2026: it settles nothing yet, so it does not push a statute out."""
    hits = [_article("law:medsec", "医疗保障法", 1, valid=False), _article("law:ins", "社会保险法", 2)]
    day = _Day({"law:medsec": "not yet", "law:ins": "in force"})
    assert ask._law_rank(hits, CN.id, by_vectors=[("law:medsec", CN.id)], dated=day) == {"law:ins": 0}
    # an ended statute still ranks (at 0.3 in the basis), as before
    day = _Day({"law:medsec": "ended", "law:ins": "in force"})
    assert set(ask._law_rank(hits, CN.id, dated=day)) == {"law:medsec", "law:ins"}


def test_an_amended_statute_reached_only_in_its_text_not_yet_in_force_keeps_its_place() -> None:
    """农业法 is in force in its 2012 text; a question reaching only the 2027 text still ranks the statute, the
    version in force speaking for it (review9c M1: the whole statute had dropped out)."""
    hits = [_article("law:agri-2027", "农业法", 1, valid=False), _article("law:ins", "社会保险法", 2)]
    day = _Day({"law:agri-2027": "not yet", "law:agri-2012": "in force", "law:ins": "in force"},
               held={"law:agri-2027": "law:agri-2012"})
    assert ask._law_rank(hits, CN.id, dated=day) == {"law:agri-2012": 0, "law:ins": 1}
    # a statute none of whose versions is in force yet takes no place
    day = _Day({"law:agri-2027": "not yet", "law:ins": "in force"})
    assert ask._law_rank(hits, CN.id, dated=day) == {"law:ins": 0}


def test_the_version_in_force_by_the_graphs_links_speaks_where_the_hits_carry_no_dates() -> None:
    """Without dates on the hits `pick_version` kept the first reached, here the text a later version ended;
    the day's standing (search.dated: AMENDS/REPEALS ends, the earliest-version rule) picks the one in force."""
    old, new = _article("law:dogs-2011", "养犬管理条例", 1, valid=False), _article("law:dogs-2022", "养犬管理条例", 2)
    day = _Day({"law:dogs-2011": "ended", "law:dogs-2022": "in force"})
    assert ask._law_rank([old, new], CN.id, as_of="2026-12-07") == {"law:dogs-2011": 0}  # as before, by dates
    assert ask._law_rank([old, new], CN.id, as_of="2026-12-07", dated=day) == {"law:dogs-2022": 0}
