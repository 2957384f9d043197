"""Statutes ranked as wholes (search.ask._law_rank, search.statutes): by their best few articles together, and by the
question's mean cosine with their articles."""
from __future__ import annotations

import numpy as np
import pytest

from search import ask
from search.retriever import Hit, PreparedQuery
from search.statutes import StatuteCodes, by_mean_cosine
from search.units import TextUnit
from search.vector.tiers import VectorTier
from tests.places import CN, JN


def _article(law: str, n: int, title: str = "", jurisdiction: str = CN.id) -> Hit:
    unit = TextUnit(id=f"{law}#第{n}条", kind="Article", jurisdiction=jurisdiction, title=title or law, text="",
                    meta={"law_id": law, "law_title": title or law, "article": str(n)})
    return Hit(unit=unit, score=1.0)


def test_a_statute_reached_in_two_articles_outranks_one_reached_once_just_above_them() -> None:
    hits = [_article("law:stray", 1), _article("law:field", 3), _article("law:field", 40)]
    assert ask._law_rank(hits, CN.id) == {"law:field": 0, "law:stray": 1}


def test_with_one_article_a_statute_the_old_order_holds(monkeypatch) -> None:
    monkeypatch.setattr(ask, "STATUTE_ARTICLES", 1)
    hits = [_article("law:stray", 1), _article("law:field", 3), _article("law:field", 40)]
    assert ask._law_rank(hits, CN.id) == {"law:stray": 0, "law:field": 1}


def test_one_article_reached_in_two_versions_counts_once() -> None:
    hits = [_article("law:stray", 1), _article("law:a-2013", 5, "渔业法"), _article("law:a-2025", 5, "渔业法")]
    assert list(ask._law_rank(hits, CN.id)) == ["law:stray", "law:a-2013"]


def test_a_statute_only_the_vectors_reach_enters_and_leads_where_it_is_the_places_own() -> None:
    hits = [_article("law:cn", 1), _article("law:cn2", 2)]
    ranked = ask._law_rank(hits, JN.id, by_vectors=[("law:jn-trees", JN.id)])
    assert ranked["law:jn-trees"] == 0 and set(ranked) == {"law:cn", "law:cn2", "law:jn-trees"}
    assert "law:jn-trees" not in ask._law_rank(hits, JN.id)


def test_statutes_are_ranked_by_the_mean_cosine_of_their_allowed_articles_with_a_vector() -> None:
    codes = StatuteCodes(law_of=np.array([0, 0, 1, 1, -1, 2]), law_ids=["a", "b", "c"],
                         places=[CN.id, CN.id, JN.id])
    cosines = np.array([0.9, 0.1, 0.6, 0.6, 0.99, np.nan], dtype=np.float32)
    assert by_mean_cosine(codes, cosines, None, 5) == [("b", CN.id), ("a", CN.id)]  # c: no vector; 4: no article
    mask = np.array([True, False, True, True, True, True])
    assert by_mean_cosine(codes, cosines, mask, 1) == [("a", CN.id)]


class _Index:
    kind = "flat"

    def __init__(self, sims: list[float]):
        self.sims = np.array(sims, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.sims)

    def similarities(self, _vector: np.ndarray) -> np.ndarray:
        return self.sims


class _Embedder:
    name = "fake"

    def embed_query(self, _text: str) -> np.ndarray:
        return np.ones(2, dtype=np.float32)


class _Retriever:
    """The two tiers of a KB built with the README's commands: e5 with no vector yet, the static tier for all."""

    def __init__(self) -> None:
        self.tiers = [VectorTier("e5", _Embedder(), _Index([0.0, 0.0]), 0.5, np.array([False, False])),  # type: ignore[arg-type]
                      VectorTier("static", _Embedder(), _Index([0.3, 0.7]), 0.5)]  # type: ignore[arg-type]

    def ranking_tiers(self) -> list[VectorTier]:
        return self.tiers

    def held_scan(self, _tier: str, _text: str) -> None:
        return None

    @property
    def query_vectors(self) -> object:
        class _Cache:
            def get(self, _name: str, text: str, embed: object) -> np.ndarray:
                return embed(text)  # type: ignore[operator]
        return _Cache()


def test_the_statute_cosines_read_either_tier_nan_where_it_holds_no_vector() -> None:
    retriever = _Retriever()
    query = PreparedQuery(retriever, "狗不打狂犬疫苗")  # type: ignore[arg-type]
    assert np.isnan(query._main_cosines()).all()  # the feedback reads the main tier as before
    assert query._tier_cosines(retriever.tiers[1]).tolist() == pytest.approx([0.3, 0.7])
    retriever.tiers[0].covered = np.array([True, False])  # e5 filling in: it speaks for its units
    assert np.isnan(query._main_cosines()).tolist() == [False, True]
