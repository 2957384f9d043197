"""The colloquial lexicon: the shipped file is valid and large enough, matching is longest-first and
deduplicated, bad files fail loudly, and the statute terms really occur in statutes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from search.lexicon import colloquial
from search.lexicon.colloquial import DEFAULT_PATH, Lexicon, load_lexicon, read_lexicon

GENERIC_KEYS = {"管", "问题", "投诉", "举报", "反映", "部门", "处理", "要求", "解决", "情况", "市民", "小区"}
# sentences the lexicon must read, and must not misread: tests/data/lexicon_sentences.yaml
SENTENCES = yaml.safe_load((Path(__file__).parent / "data" / "lexicon_sentences.yaml").read_text(encoding="utf-8"))
QUERIES = [
    "楼上邻居家的狗天天叫，晚上十一点还在装修，电钻声吵得睡不着，物业也不管",
    "小区门口烧烤摊油烟很大，占道经营，垃圾乱扔，希望城管来处理一下谢谢",
    "培训机构跑路了，预付卡里还有三千块钱没退，老板电话打不通，请帮忙追回",
    "外卖平台上的店没有营业执照，吃了以后拉肚子，怀疑食物中毒，要求查处",
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def small(entries: dict[str, list[str]]) -> Lexicon:
    return Lexicon(entries, "test")


def write(tmp_path: Path, body: str, name: str = "lex.yaml") -> Path:
    path = tmp_path / name
    path.write_text("version: 1\nentries:\n" + body, encoding="utf-8")
    return path


def test_shipped_file_is_valid_and_large(lexicon: Lexicon) -> None:
    assert len(lexicon) >= 400
    assert lexicon is load_lexicon() is load_lexicon(DEFAULT_PATH)  # parsed once
    for key, terms in lexicon.entries.items():
        assert 1 <= len(key) <= 8, key
        assert key not in GENERIC_KEYS, key
        assert terms and all(terms) and terms != (key,), key


@pytest.mark.parametrize(("text", "expected"), SENTENCES["reads"])
def test_expand_examples(lexicon: Lexicon, text: str, expected: list[str]) -> None:
    got = lexicon.expand(text)
    assert all(t in got for t in expected), got


def test_expand_nothing_for_unrelated_text(lexicon: Lexicon) -> None:
    assert lexicon.expand("请问今天几点下班") == []
    assert lexicon.rewrite("请问今天几点下班") == "请问今天几点下班"


@pytest.mark.parametrize(("text", "wrong"), SENTENCES["stays_out"])
def test_keys_hidden_in_common_words_stay_out(lexicon: Lexicon, text: str, wrong: str) -> None:
    """Keys are matched as substrings, so one that sits inside an everyday word fires where it means nothing;
    such keys were left out of the file (放生, 上环, 门头, 当铺, 村医), as were places and objects named in passing
    (火车站, 机场, 水库, 游船, 庙会), and must not come back."""
    assert wrong not in lexicon.expand(text)


def test_longest_match_and_contained_keys_not_counted() -> None:
    lx = small({"遛狗": ["携犬出户"], "遛狗不拴绳": ["未束犬链"], "不拴绳": ["束犬链"]})
    assert lx.expand("遛狗不拴绳") == ["未束犬链"]
    assert lx.expand("遛狗不拴绳，昨天又去遛狗") == ["未束犬链", "携犬出户"]  # a separate occurrence counts
    partial = small({"电梯广告": ["利用共有部分"], "广告牌": ["户外广告设施"]})
    assert partial.expand("电梯广告牌") == ["利用共有部分", "户外广告设施"]  # overlapping, neither inside the other


def test_terms_deduplicated_in_order_of_appearance() -> None:
    lx = small({"噪音": ["噪声"], "太吵": ["噪声污染", "噪声"], "狗屎": ["犬只粪便"]})
    assert lx.expand("狗屎满地，噪音太吵，噪音") == ["犬只粪便", "噪声", "噪声污染"]


def test_rewrite_appends_only_new_terms() -> None:
    lx = small({"电梯坏": ["电梯", "特种设备"], "噪音": ["噪声"]})
    assert lx.rewrite("电梯坏了") == "电梯坏了 特种设备"
    assert lx.rewrite("噪音和噪音") == "噪音和噪音 噪声"
    assert lx.rewrite("没有关系") == "没有关系"


def test_normalised_matching() -> None:
    lx = small({"KTV": ["歌舞娱乐场所"]})
    assert lx.expand("ktv") == lx.expand("ＫＴＶ") == ["歌舞娱乐场所"]
    assert "ktv" in lx and "别的" not in lx


def test_fallback_scan_matches_automaton(lexicon: Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(colloquial, "ahocorasick", None)
    plain = Lexicon(lexicon.entries, "plain")
    assert plain._automaton is None
    for q in [*QUERIES, "遛狗不拴绳", "ＫＴＶ唱歌扰民", ""]:
        assert plain.matches(q) == lexicon.matches(q), q


@pytest.mark.parametrize(("body", "key"), [
    ("  噪音: []\n", "噪音"),
    ("  噪音: 噪声\n", "噪音"),
    ("  噪音: [噪声, '']\n", "噪音"),
    ("  噪音: [噪声, 3]\n", "噪音"),
    ("  违建: [违建]\n", "违建"),
    ("  '': [噪声]\n", "''"),
    ("  996: [延长工作时间]\n", "996"),
    ("  噪音: [噪声]\n  油烟: [油烟污染]\n  噪音: [噪声污染]\n", "噪音"),
    ("  KTV: [娱乐场所]\n  ktv: [歌舞娱乐场所]\n", "ktv"),
])
def test_malformed_entry_raises_naming_the_key(tmp_path: Path, body: str, key: str) -> None:
    path = write(tmp_path, "  油烟: [油烟污染]\n" + body if "油烟" not in body else body)
    with pytest.raises(ValueError, match=key):
        read_lexicon(path)
    with pytest.raises(ValueError, match=key):
        load_lexicon(path)


def test_malformed_file_raises(tmp_path: Path) -> None:
    bad_version = tmp_path / "v.yaml"
    bad_version.write_text("version: 2\nentries:\n  噪音: [噪声]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="version"):
        read_lexicon(bad_version)
    empty = write(tmp_path, "", "empty.yaml")
    with pytest.raises(ValueError, match="no entries"):
        read_lexicon(empty)
    broken = write(tmp_path, "  噪音: [噪声\n", "broken.yaml")
    with pytest.raises(ValueError, match="broken.yaml"):
        read_lexicon(broken)


@pytest.mark.lawrefbook
@pytest.mark.slow
def test_statute_terms_occur_in_lawrefbook(lawrefbook: Path, lexicon: Lexicon) -> None:
    """At least 90% of entries have every statute term written somewhere in a LawRefBook statute."""
    skip = {"_index.md", "README.md", "法律法规模版.md"}
    corpus = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                       for p in sorted(lawrefbook.rglob("*.md")) if p.name not in skip)
    assert len(corpus) > 1_000_000, "LawRefBook snapshot looks truncated"
    terms = {t for ts in lexicon.entries.values() for t in ts}
    found = {t for t in terms if t in corpus}
    missing = {k: [t for t in ts if t not in found] for k, ts in lexicon.entries.items() if not set(ts) <= found}
    share = 1 - len(missing) / len(lexicon)
    assert share >= 0.9, f"only {share:.1%} of entries fully attested; missing: {missing}"


def test_a_blocker_swallows_the_keys_inside_it_and_adds_nothing() -> None:
    lx = Lexicon({"狗": ["犬只"], "遛狗": ["携犬出户"]}, "test", blockers=["狗仗人势"])
    assert lx.expand("保安狗仗人势") == []
    assert lx.expand("保安狗仗人势，还遛狗不牵") == ["携犬出户"]
    assert lx.blockers == ("狗仗人势",)


@pytest.mark.parametrize(("blockers", "why"), [
    (["狗"], "also an entry's key"), (["请问"], "holds no key"), ([""], "non-empty"), ("狗仗人势", "must be a list"),
])
def test_malformed_blockers_raise(blockers: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Lexicon({"狗": ["犬只"]}, "test", blockers=blockers)  # type: ignore[arg-type]
