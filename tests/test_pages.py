"""The page fragments render through the shared layout with their common parts (api/web/static/pages/_parts.html)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from api.web.pages import PAGES, render

FRAGMENTS = [fragment for _, fragment, _, _ in PAGES] + ["dispute"]


class _Ids(HTMLParser):
    """Every element's attributes by id, and the ids seen twice."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.twice: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs) | {"tag": tag}
        if a.get("id"):
            self.twice += [a["id"]] if a["id"] in self.by_id else []
            self.by_id[a["id"]] = a


def _ids(fragment: str) -> _Ids:
    parser = _Ids()
    parser.feed(render(fragment, "t", fragment))
    return parser


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_fragment_renders_without_template_leftovers_or_repeated_ids(fragment: str) -> None:
    html = render(fragment, "t", fragment)
    assert not re.search(r"\{[{%#]|[%}]\}", html), "a macro call or tag left unrendered"
    assert _ids(fragment).twice == []


@pytest.mark.parametrize(("fragment", "place", "as_of"), [
    ("search", "place", "as-of"), ("gaps", "gap-place", "gap-as-of"), ("trace", None, "trace-as-of"),
    ("disputes", "d-place", None),
])
def test_shared_fields_keep_each_pages_ids_and_names(fragment: str, place: str | None, as_of: str | None) -> None:
    ids = _ids(fragment).by_id
    if place:
        assert ids[place]["tag"] == "select" and ids[place]["name"] == "jurisdiction"
    if as_of:
        assert ids[as_of]["tag"] == "input" and ids[as_of]["type"] == "date" and ids[as_of]["name"] == "as_of"


def test_list_cards_are_labelled_by_their_heading() -> None:
    ids = _ids("search").by_id
    for list_id, title_id, tag in (("candidates", "cand-title", "ol"), ("rulings", "rul-title", "ul")):
        assert ids[list_id]["tag"] == tag and ids[title_id]["tag"] == "h2"
    assert _ids("search").by_id["as-of"]["aria-describedby"] == "as-of-hint"
    assert "aria-describedby" not in _ids("gaps").by_id["gap-as-of"]
