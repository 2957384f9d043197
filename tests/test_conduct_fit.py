"""search.owners.conduct: an article fits a question as well as its best item or sentence does, not as the sum of
its items — each item states one conduct, and a penalty article listing several names one body for all of them."""
from __future__ import annotations

from search.owners.conduct import conduct_fit, spans
from search.owners.crossrefs import AuthorityMatcher

MATCHER = AuthorityMatcher([
    {"id": "authority:公安机关", "name": "公安机关", "aliases": ["公安"]},
    {"id": "authority:城市管理部门", "name": "城市管理部门", "aliases": ["城管"]},
])
# two items, each holding half of the question's words; one sentence holding both
ITEMS = "有下列行为之一的，由公安机关责令改正：\n（一）在楼道堆放杂物的；\n（二）饲养犬只不办理登记的。"
ONE = "在楼道内饲养犬只的，由城市管理部门责令改正。"


def test_an_article_fits_as_its_best_item_not_as_all_its_items_together() -> None:
    """楼道里养狗: the article whose one sentence holds both 楼道 and 饲养犬只 fits best; the article whose items
    each hold half fits less, though all its text together holds as many of the question's words (review6b M4)."""
    fit = conduct_fit({"items": [ITEMS], "one": [ONE]}, "楼道里饲养犬只", MATCHER)
    assert fit["one"] == 1.0
    assert fit["items"] < 1.0


def test_spans_are_sentences_and_item_lines() -> None:
    assert spans(ITEMS) == ["有下列行为之一的，由公安机关责令改正：", "（一）在楼道堆放杂物的", "（二）饲养犬只不办理登记的"]
    assert spans("") == []
