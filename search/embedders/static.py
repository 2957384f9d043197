"""The fast tier: a static embedder (one vector per jieba word, averaged), distilled from the bundled e5.

A transformer on 2 CPU cores embeds ~10 statute articles a second; a static model embeds thousands,
so every unit of a province's statutes has a vector within minutes. The model is built once per
corpus by `search.embedders.distil` into `<data_dir>/models/static-<hash>/` and served through
sentence-transformers' own `StaticEmbedding` module (the project's one embedding entry point).

Texts are segmented with jieba here and handed over space-joined; the module's WordPiece tokenizer
(no continuation prefix) maps each word to itself, splits a word it lacks into the longest known
pieces, and the module averages the pieces' rows (already SIF-weighted). Rows are L2-normalised.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import numpy as np
from pydantic import Field

from graph.errors import ModelNotFound
from search.embedders.base import Embedder, normalise_rows
from search.manifest import FolderFile
from search.tokens import chars, words

PREFIX = "static"
MANIFEST = "static.json"
MODEL_DIR = "st"
UNK = "[UNK]"


class StaticManifest(FolderFile):
    """What built a static model: enough to tell whether it fits a corpus and what it cost."""

    FILE: ClassVar[str] = MANIFEST
    format: int = 1
    hash: str
    teacher: str = Field(description="embedder name of the teacher (keys its vectors in the embedding cache)")
    vocab_size: int
    dim: int
    corpus_digest: str = Field(description="sha1 over the sorted sha1s of the distilled texts")
    texts: int
    min_count: int
    sif: float
    built_at: str
    build_seconds: float
    seconds: dict[str, float] = Field(default_factory=dict, description="segment / teacher / pca / save")
    teacher_embedded: int = Field(default=0, description="vocabulary items the teacher embedded (not cached)")


def models_root(data_dir: Path) -> Path:
    return Path(data_dir) / "models"


def model_folder(data_dir: Path, digest: str) -> Path:
    return models_root(data_dir) / f"{PREFIX}-{digest}"


class StaticEmbedder(Embedder):
    """Serves a distilled static model; passages and queries are embedded the same way (no prefixes)."""

    def __init__(self, folder: Path) -> None:
        if not (folder / MANIFEST).exists():
            raise ModelNotFound(str(folder), "DUTYGRAPH_EMBEDDER", fallback="e5q4")
        from sentence_transformers import SentenceTransformer

        self.folder = folder
        self.manifest = StaticManifest.load(folder)
        self._model = SentenceTransformer(str(folder / MODEL_DIR), device="cpu", local_files_only=True)
        module = self._model[0]
        self._vocab = frozenset(module.tokenizer.get_vocab())
        self.dim = int(module.get_embedding_dimension())
        self.spec = f"{PREFIX}:{self.manifest.hash}"
        self.name = f"{PREFIX}/{self.manifest.teacher}/{self.manifest.hash}"

    def segment(self, text: str) -> str:
        """jieba words, space-joined, ready for `embed_segmented`."""
        return self.join(words(text))

    def join(self, tokens: list[str]) -> str:
        """Space-joined words; a word holding characters the model never saw is split into its characters."""
        vocab = self._vocab
        out: list[str] = []
        for w in tokens:
            if w in vocab or all(c in vocab for c in w):
                out.append(w)  # known, or WordPiece finds known pieces
            else:
                out.extend(chars(w))  # keep the known characters, the unknown ones become [UNK] (a zero row)
        return " ".join(out)

    def embed_segmented(self, segmented: list[str], batch_size: int = 1024) -> np.ndarray:
        """Vectors of texts already passed through `segment` (an index build segments once)."""
        if not segmented:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(segmented, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)
        return normalise_rows(out)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.embed_segmented([self.segment(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_segmented([self.segment(text)])[0]


def latest_model(data_dir: Path) -> Path | None:
    """The most recently built static model in the data directory, if any."""
    found = []
    for folder in models_root(data_dir).glob(f"{PREFIX}-*"):
        try:
            found.append((json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["built_at"], folder))
        except (OSError, ValueError, KeyError):
            continue
    return max(found)[1] if found else None


def load_static(spec: str, data_dir: Path) -> StaticEmbedder:
    """`static:<hash>` = that model; `static` = the latest one built. ModelNotFound when there is none."""
    digest = spec.partition(":")[2]
    folder = model_folder(data_dir, digest) if digest else latest_model(data_dir)
    if folder is None or not (folder / MANIFEST).exists():
        raise ModelNotFound(spec if digest else f"{spec} (none built yet: run `dutygraph index rebuild`)",
                            "DUTYGRAPH_EMBEDDER", fallback="e5q4")
    return StaticEmbedder(folder)
