"""Law citations inside articles."""

from ingest.extract.citations import extract_citations, title_key


def test_citation_forms() -> None:
    found = extract_citations(
        "违反本条例第十条、第十二条规定的，依照《中华人民共和国行政处罚法》第三十二条处理；"
        "前款规定的情形，依照前条执行。"
    )
    got = {(c.title, c.number, c.relative) for c in found}
    assert got == {
        (None, "10", None), (None, "12", None), ("中华人民共和国行政处罚法", "32", None),
        (None, None, "前款"), (None, None, "前条"),
    }


def test_inserted_article_and_bare_reference() -> None:
    got = {(c.title, c.number) for c in extract_citations("依照第十条之一第二款的规定办理。")}
    assert got == {(None, "10之1")}


def test_title_key_ignores_country_prefix() -> None:
    assert title_key("《中华人民共和国食品安全法》") == title_key("食品安全法") == "食品安全法"
