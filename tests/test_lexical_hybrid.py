"""BM25 over jieba words + bigrams, and the fusion of the two rankings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pydantic import ValidationError

from search.hybrid import FusionParams, fused_top
from search.lexical import LexicalIndex, tokenize


def fuse(vector: tuple[np.ndarray, np.ndarray], lexical: tuple[np.ndarray, np.ndarray], params: FusionParams,
         k: int) -> list[SimpleNamespace]:
    """The fused rows with their fields as attributes, as a search makes its hits of them."""
    return [SimpleNamespace(pos=p, **parts) for p, parts in fused_top(vector, lexical, params, k)]


DOCS = [
    "鲁安市综合行政执法局负责查处占用城市道路摆摊设点的行为。",
    "鲁安市市场监督管理局负责食品经营许可和食品安全监督检查。",
    "公安机关交通管理部门负责道路交通管理工作。",
    "街道办事处负责辖区夜市摊点的日常巡查和劝导。",
    "住房和城乡建设主管部门负责物业服务活动的监督管理。",
]


def test_tokens_are_words_plus_prefixed_bigrams() -> None:
    toks = tokenize("占道经营，谁管？ABC")
    assert "abc" in toks and "，" not in toks and "？" not in toks
    assert {"#占道", "#道经", "#经营", "#谁管"} <= set(toks)


def test_bigrams_find_what_word_splitting_misses(tmp_path: Path) -> None:
    index = LexicalIndex.build(DOCS)
    query = "鲁安综合执法"  # jieba: 鲁安 / 综合执法; the document has 鲁安市 / 综合 / 行政 / 执法局
    words = {t for t in tokenize(query) if not t.startswith("#")}
    assert not words & {t for t in tokenize(DOCS[0]) if not t.startswith("#")}
    scores, pos = index.search(query, 3)
    assert pos[0] == 0 and scores[0] > 0  # found through the bigrams 鲁安, 综合, 执法
    assert pos.tolist() == sorted(pos.tolist(), key=lambda p: -index.scores(query)[p])
    assert index.search("量子计算", 3)[1].size == 0  # nothing matches: no hits, not random ones

    index.save(tmp_path / "lex")
    back = LexicalIndex.load(tmp_path / "lex")
    s2, p2 = back.search(query, 3)
    assert np.array_equal(pos, p2) and np.allclose(scores, s2)


def test_mask_restricts_lexical_hits() -> None:
    index = LexicalIndex.build(DOCS)
    mask = np.array([False, True, True, True, True])
    _, pos = index.search("摊点 巡查 摆摊", 5, mask)
    assert 0 not in pos.tolist() and pos[0] == 3


def test_rrf_fusion_order_and_traceable_scores() -> None:
    vector = (np.array([0.9, 0.8, 0.7], dtype=np.float32), np.array([10, 11, 12]))
    lexical = (np.array([12.0, 7.0], dtype=np.float32), np.array([12, 13]))
    out = fuse(vector, lexical, FusionParams(weight=0.5, rrf_k=60), k=10)
    assert [f.pos for f in out] == [12, 10, 11, 13]  # in both lists beats first in one
    top = out[0]
    assert top.vector_rank == 3 and top.lexical_rank == 1 and top.vector_score == pytest.approx(0.7)
    assert top.vector_part == pytest.approx(0.5 / 63) and top.lexical_part == pytest.approx(0.5 / 61)
    for f in out:
        assert f.score == pytest.approx(f.vector_part + f.lexical_part)
    only_vec = out[[f.pos for f in out].index(10)]
    assert only_vec.lexical_rank is None and only_vec.lexical_part == 0
    # weight 1 = vectors only, in vector order; weight 0 = BM25 first
    assert [f.pos for f in fuse(vector, lexical, FusionParams(weight=1.0), k=3)] == [10, 11, 12]
    assert [f.pos for f in fuse(vector, lexical, FusionParams(weight=0.0), k=2)] == [12, 13]


def test_score_mixing_normalises_each_list() -> None:
    vector = (np.array([0.9, 0.5], dtype=np.float32), np.array([1, 2]))
    lexical = (np.array([30.0, 20.0, 10.0], dtype=np.float32), np.array([2, 3, 4]))
    out = fuse(vector, lexical, FusionParams(method="mix", weight=0.3), k=5)
    by = {f.pos: f for f in out}
    assert by[1].vector_part == pytest.approx(0.3) and by[2].vector_part == pytest.approx(0.0)
    assert by[2].lexical_part == pytest.approx(0.7) and by[3].lexical_part == pytest.approx(0.35)
    assert [f.pos for f in out] == [2, 3, 1, 4]


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_weight_outside_zero_one_is_rejected(bad: float) -> None:
    with pytest.raises(ValidationError, match="weight"):
        FusionParams(weight=bad)


def test_a_search_makes_its_hits_as_model_construct_would() -> None:
    """The retriever builds each hit from fused_top's parts without model_construct's walk over the fields: the hit
    is the one model_construct gives — the same fields in the same order, all of them set, frozen — so whatever
    reads, dumps, compares or copies a hit sees no difference."""
    from search.retriever import Hit, _hit
    from search.units import TextUnit

    unit = TextUnit(id="law:x#第1条", kind="Article", text="占用城市道路摆摊设点的，由城市管理部门责令改正。")
    vector = (np.array([0.9, 0.8, 0.7], dtype=np.float32), np.array([10, 11, 12]))
    lexical = (np.array([12.0, 7.0], dtype=np.float32), np.array([12, 13]))
    for _, parts in fused_top(vector, lexical, FusionParams(weight=0.5), k=10):
        fast, slow = _hit(unit, parts), Hit.model_construct(unit=unit, **parts)
        assert fast == slow and list(fast.__dict__) == list(slow.__dict__)
        assert fast.model_fields_set == slow.model_fields_set == set(Hit.model_fields)
        assert fast.model_dump() == slow.model_dump() and fast.model_copy(update={"score": 0.0}).score == 0.0
        assert fast.__pydantic_extra__ is slow.__pydantic_extra__ and fast.__pydantic_private__ is slow.__pydantic_private__
        with pytest.raises(ValidationError):
            fast.score = 1.0  # frozen, as every hit is
