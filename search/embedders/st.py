"""sentence-transformers models from a local folder or the local Hugging Face cache, never the network.

Production points `DUTYGRAPH_EMBEDDER=st:/models/bge-small-zh-v1.5` at a copy on the intranet machine.
Query/passage prompts come from the model's own configuration (`encode_query` / `encode_document`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from graph.errors import ModelNotFound
from search.embedders.base import Embedder, normalise_rows

SETTING = "DUTYGRAPH_EMBEDDER"


def resolve_model_path(name: str) -> Path:
    """A folder that holds the model: the name itself if it is a path, else its snapshot in the HF cache."""
    p = Path(name).expanduser()
    if p.is_dir():
        return p
    if p.is_absolute() or name.startswith((".", "~")):
        raise ModelNotFound(name, SETTING, fallback="e5q4")
    from huggingface_hub import snapshot_download

    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo in candidates:
        try:
            return Path(snapshot_download(repo, local_files_only=True))
        except Exception:  # LocalEntryNotFoundError, HFValidationError (bad repo id), …
            continue
    raise ModelNotFound(name, SETTING, fallback="e5q4")


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, model: str, *, offline: bool = True, device: str = "cpu") -> None:
        if offline:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = resolve_model_path(model)
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        self.spec = f"st:{model}"
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            dim = int(self._model.encode(["x"]).shape[1])
        self.dim = int(dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode_document(list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return normalise_rows(out)

    def embed_query(self, text: str) -> np.ndarray:
        return normalise_rows(self._model.encode_query(text, convert_to_numpy=True, show_progress_bar=False))
