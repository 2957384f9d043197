"""Distil a static model from the teacher (the bundled e5q4) over the corpus being indexed (model2vec's recipe).

Vocabulary = the corpus's jieba words (seen `min_count` times) plus every word character seen, so any
text of the corpus, and nearly any query, is covered. Each item is embedded once by the teacher as a
passage (through the embedding cache: a grown corpus only embeds its new words), centred and reduced
by PCA, then each row is scaled by its SIF weight a / (a + p(word)), so frequent words count little
in the average. Built into a temporary folder and renamed, so readers never see half a model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from search.embedders.base import Embedder
from search.embedders.cache import EmbeddingCache, embed_cached, text_sha1
from search.embedders.static import MANIFEST, MODEL_DIR, UNK, StaticEmbedder, StaticManifest, model_folder
from search.tokens import chars, words

RECIPE = 1  # bump when the recipe changes: the hash then names a new model
TEACHER_BATCH = 1024  # short items: large batches amortise the teacher's per-call cost (measured 64: 122/s, 1024: 261/s)


def corpus_digest(texts: Sequence[str]) -> str:
    """Order-free digest of the texts (the vocabulary and its weights do not depend on order)."""
    h = hashlib.sha1()
    for sha in sorted(text_sha1(t) for t in texts):
        h.update(sha.encode())
    return h.hexdigest()


def model_hash(teacher: str, digest: str, dims: int, min_count: int, sif: float) -> str:
    key = {"recipe": RECIPE, "teacher": teacher, "corpus": digest, "dims": dims, "min_count": min_count, "sif": sif}
    return hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def vocabulary(segmented: Sequence[Sequence[str]], min_count: int) -> tuple[list[str], np.ndarray]:
    """(items, counts): words seen `min_count` times, then single characters; most frequent first.

    A character's count is how often it occurs anywhere, so a character that stands in for a missing
    word is weighted by how common it is, not by how rarely jieba left it alone.
    """
    wc: Counter[str] = Counter()
    cc: Counter[str] = Counter()
    for toks in segmented:
        wc.update(toks)
        for t in toks:
            cc.update(chars(t))
    items = {w: n for w, n in wc.items() if n >= min_count and len(w) > 1}
    items.update(cc)  # single characters: every one seen, counted by occurrence
    ordered = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ordered], np.array([n for _, n in ordered], dtype=np.float64)


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Centre and project onto the top `dims` principal axes (eigh of the covariance: d×d, cheap)."""
    x = x.astype(np.float64) - x.mean(axis=0, keepdims=True)
    dims = max(1, min(dims, x.shape[0], x.shape[1]))
    vals, vecs = np.linalg.eigh(x.T @ x)
    axes = vecs[:, np.argsort(vals)[::-1][:dims]]
    axes *= np.where(axes[np.abs(axes).argmax(axis=0), np.arange(dims)] < 0, -1.0, 1.0)  # a fixed sign: reproducible
    return x @ axes


def sif_weights(counts: np.ndarray, total: float, a: float) -> np.ndarray:
    return a / (a + counts / max(total, 1.0))


def _write_model(folder: Path, items: list[str], matrix: np.ndarray, teacher: str) -> None:
    """The tokenizer (WordPiece over the vocabulary, row 0 = [UNK] = zeros) and the weighted rows, as an ST model."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {UNK: 0, **{w: i for i, w in enumerate(items, start=1)}}
    tok = Tokenizer(models.WordPiece(vocab, unk_token=UNK, continuing_subword_prefix="", max_input_chars_per_word=100))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    weights = np.vstack([np.zeros((1, matrix.shape[1]), dtype=np.float32), matrix.astype(np.float32)])
    module = StaticEmbedding(tok, embedding_weights=weights, base_model=teacher)
    # no model card: generating one costs seconds and says nothing the manifest does not
    SentenceTransformer(modules=[module], device="cpu").save(str(folder / MODEL_DIR), create_model_card=False)


def distil(
    texts: Sequence[str],
    teacher: Embedder,
    data_dir: Path,
    *,
    cache: EmbeddingCache | None = None,
    dims: int = 256,
    min_count: int = 1,
    sif: float = 1e-4,
    segmented: Sequence[Sequence[str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> StaticEmbedder:
    """The static model of `texts`: loaded if built before (same teacher, corpus and recipe), else built.

    `segmented` (the jieba words of each text) saves segmenting twice when the caller has them;
    `progress(n)` counts vocabulary items the teacher finished.
    """
    digest = corpus_digest(texts)
    h = model_hash(teacher.name, digest, dims, min_count, sif)
    folder = model_folder(data_dir, h)
    if (folder / MANIFEST).exists():
        return StaticEmbedder(folder)
    seconds: dict[str, float] = {}
    t0 = t = time.perf_counter()
    segs = segmented if segmented is not None else [words(x) for x in texts]
    items, counts = vocabulary(segs, min_count)
    seconds["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    before = cache.count(teacher.name) if cache is not None else 0
    vecs = embed_cached(teacher, items, cache, batch_size=TEACHER_BATCH, progress=progress)
    embedded = cache.count(teacher.name) - before if cache is not None else len(items)
    seconds["teacher"] = time.perf_counter() - t

    t = time.perf_counter()
    total = float(sum(len(s) for s in segs))
    if items:
        matrix = pca(vecs, dims) * sif_weights(counts, total, sif)[:, None]
    else:  # an empty corpus: a model that maps everything to [UNK]
        matrix = np.zeros((0, min(dims, teacher.dim)))
    seconds["pca"] = time.perf_counter() - t

    t = time.perf_counter()
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write_model(tmp, items, matrix, teacher.name)
        seconds["save"] = time.perf_counter() - t
        StaticManifest(
            hash=h, teacher=teacher.name, vocab_size=len(items) + 1, dim=int(matrix.shape[1]), corpus_digest=digest,
            texts=len(texts), min_count=min_count, sif=sif,
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - t0, 3),
            seconds={k: round(v, 3) for k, v in seconds.items()}, teacher_embedded=embedded,
        ).save(tmp)
        if not folder.exists():  # else another process finished the same model first: keep theirs
            tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return StaticEmbedder(folder)
