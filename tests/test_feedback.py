"""Pseudo-relevance feedback (search.feedback): the statute's words the first units reached share, searched too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search import feedback
from search.lexical import LexicalIndex
from search.unit_store import UnitStore, write_units
from search.units import TextUnit

# A toy corpus to show the mechanism. On the real-place KB this question's first units are about seeds and
# reeds, not wetlands: its feedback words there are others (the module docstring's 没人带队 is a case it wins).
QUESTION = "村边那片长芦苇的大水洼子，有人挖了条沟把水全放干了"
DOCS = [
    "芦苇湿地是候鸟的栖息地，禁止在湿地内捕鸟。",
    "湿地内的芦苇不得擅自收割。",
    "芦苇生长的湿地，地方人民政府应当划定保护范围。",
    "违反本法规定，开垦、填埋自然湿地，由林业草原主管部门责令停止违法行为，处以罚款。",  # shares no word with it
    "公安机关交通管理部门负责道路交通管理工作。",
    "食品经营者应当依法取得食品经营许可。",
    "住房和城乡建设主管部门负责物业服务活动监督管理。",
    "城市管理部门负责查处占用城市道路摆摊设点行为。",
    "生产经营单位应当建立安全生产责任制。",
    "医疗机构应当按照规定处置医疗废物。",
]
SETTLING = 3


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[LexicalIndex, UnitStore]:
    write_units(tmp_path / "units.sqlite", [TextUnit(id=f"a{i}", kind="Article", text=t) for i, t in enumerate(DOCS)])
    return LexicalIndex.build(DOCS), UnitStore(tmp_path / "units.sqlite")


def test_the_shared_statute_word_reaches_the_article_the_question_cannot(corpus, monkeypatch) -> None:
    lexical, units = corpus
    monkeypatch.setattr(feedback, "FEEDBACK_MAX_DF", 0.5)  # ten units: 湿地 is in four
    own = lexical.scores(QUESTION)
    assert own[SETTLING] == 0  # the caller's words miss the sanction article
    scores, added = feedback.with_feedback(own, None, QUESTION, lexical, units)
    assert added == ["湿地"]  # shared by the three units reached; 芦苇 is the question's own
    assert scores[SETTLING] > 0 and np.all(scores >= own)
    assert set(np.flatnonzero(scores > 0)) == {0, 1, 2, SETTLING}


def test_a_word_too_many_units_hold_is_no_feedback(corpus, monkeypatch) -> None:
    lexical, units = corpus
    monkeypatch.setattr(feedback, "FEEDBACK_MAX_DF", 0.3)
    own = lexical.scores(QUESTION)
    scores, added = feedback.with_feedback(own, None, QUESTION, lexical, units)
    assert added == [] and scores is own
    assert lexical.share_holding("湿地") == pytest.approx(0.4) and lexical.share_holding("量子") == 1.0


def test_the_vectors_choose_the_units_read_too() -> None:
    lexical = np.array([0.0, 3.0, 2.0, 0.0, 1.0], dtype=np.float32)
    cosines = np.array([0.9, np.nan, 0.1, 0.8, 0.2], dtype=np.float32)
    assert feedback.first_positions(lexical, None, 5) == [1, 2, 4]  # units BM25 scores 0 are not reached by it
    firsts = feedback.first_positions(lexical, cosines, 3)
    assert firsts == [2, 4, 0]  # in both rankings first; then the first by cosine (tied with BM25's first: lower position)


def test_title_words_and_one_statutes_articles_are_no_shared_words() -> None:
    """Three articles of one statute share its title (杭州市…条例) and their own words: neither is fed back, since
    the title is no article's text and one statute's articles count once (review7a M1); three statutes' do count."""
    lexical = LexicalIndex.build(["湿地内禁止捕捉候鸟", "杭州市", *(["其他"] * 98)])  # each held by 1 % of units

    def unit(i: int, law: str, text: str) -> TextUnit:
        return TextUnit(id=f"{law}#{i}", kind="Article", title=f"{law} 第{i}条", text=f"{law} 第{i}条\n{text}",
                        meta={"law_id": law, "law_title": law})

    one = [unit(i, "杭州市生态保护条例", "湿地内禁止捕捉候鸟。") for i in range(1, 4)]
    assert feedback.feedback_words(one, "大水洼子被放干了", lexical) == []
    three = [unit(1, f"{p}生态保护条例", "湿地内禁止捕捉候鸟。") for p in ("杭州市", "济南市", "青岛市")]
    assert set(feedback.feedback_words(three, "大水洼子被放干了", lexical)) == {"湿地", "禁止", "捕捉", "候鸟"}
