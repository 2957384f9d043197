"""Chinese numerals as statutes write article numbers."""

import pytest

from graph.numerals import article_number, cn_to_int, number_sort_key


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零一", 101), ("二百", 200), ("一百一十", 110),
     ("一千零五", 1005), ("两万", 20000), ("一〇一", 101), ("101", 101), ("１２", 12)],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "number"),
    [("第一百零一条", "101"), ("第十条之一", "10之1"), ("第二百条", "200"), ("第一条", "1"), ("十条之二", "10之2"), ("第12条", "12")],
)
def test_article_number(text: str, number: str) -> None:
    assert article_number(text) == number


def test_bad_numeral_raises() -> None:
    with pytest.raises(ValueError):
        cn_to_int("十甲")
    with pytest.raises(ValueError):
        article_number("第X条")


def test_sort_key_orders_inserted_articles() -> None:
    assert sorted(["11", "10之1", "10", "2"], key=number_sort_key) == ["2", "10", "10之1", "11"]
