"""Pseudo-relevance feedback (search.feedback): the statute's words the first units reached share, searched too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search import feedback
from search.lexical import LexicalIndex
from search.unit_store import UnitStore, write_units
from search.units import TextUnit

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
