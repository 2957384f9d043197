"""Embedding throughput of each tier on real statute articles: the static tier vs the bundled e5q4.

    .venv/bin/python benchmarks/embed_bench.py [--lawrefbook ../shared/lawrefbook] [--units 2000] [--e5-sample 300]

Articles (160–1,500 characters, `<title> 第N条` + text, as search units read) are drawn from every part
of the LawRefBook snapshot, at most 20 per statute, in a seeded random order. Measured in one run on
one machine, each figure the median of 3:

* static tier: units/s of `StaticEmbedder.embed_passages` (jieba segmentation included) on all units,
  and of the two parts apart (segmentation; ST encode of segmented text);
* e5q4: units/s of `E5Q4Embedder.embed_passages` in batches of 64 (the index build's default) on the
  first `--e5-sample` units (same distribution; all 2,000 would take ~10 minutes per run);
* distillation of the static model over all units: cold (empty teacher cache, fresh data directory),
  reuse (model already built: a load), and incremental (one new article: new model, teacher cache warm).

Articles are split here with a plain 第…条 rule so the figure does not depend on the ingest code.
Writes benchmarks/results/embed.json.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import write_results  # noqa: E402
from search.embedders.cache import EmbeddingCache  # noqa: E402
from search.embedders.distil import distil  # noqa: E402
from search.embedders.e5q4 import E5Q4Embedder  # noqa: E402
from search.embedders.static import StaticEmbedder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百千零〇两]+)条[\s　]*(.*)$")
_VERSION = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
SKIP = {"_index.md", "README.md", "法律法规模版.md"}


def articles(path: Path) -> list[str]:
    """`<title> 第N条\\n<text>` for each article of one LawRefBook Markdown file."""
    title = _VERSION.sub("", path.stem)
    out: list[str] = []
    head, body = None, []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        m = _ARTICLE.match(line)
        if m:
            if head:
                out.append("\n".join([head, *body]))
            head, body = f"{title} 第{m.group(1)}条", [m.group(2)] if m.group(2) else []
        elif head and line and not line.startswith(("#", "<!--")):
            body.append(line)
    if head:
        out.append("\n".join([head, *body]))
    return out


def sample(root: Path, n: int, seed: int = 13, per_file: int = 20) -> list[str]:
    files = sorted(p for p in root.rglob("*.md") if p.name not in SKIP)
    rnd = random.Random(seed)
    rnd.shuffle(files)
    out: list[str] = []
    for f in files:
        arts = [a for a in articles(f) if 160 <= len(a) <= 1500]
        rnd.shuffle(arts)
        out.extend(arts[:per_file])
        if len(out) >= n:
            break
    return out[:n]


def rate(fn: Callable[[], object], units: int, runs: int = 3) -> dict[str, Any]:
    secs = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        secs.append(time.perf_counter() - t)
    med = statistics.median(secs)
    return {"units": units, "seconds": [round(s, 3) for s in secs], "units_per_s": round(units / med, 1)}


def e5_passages(emb: E5Q4Embedder, texts: list[str], batch: int = 64) -> None:
    for i in range(0, len(texts), batch):
        emb.embed_passages(texts[i : i + batch])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lawrefbook", type=Path, default=ROOT.parent / "shared" / "lawrefbook")
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--e5-sample", type=int, default=300)
    ap.add_argument("--dims", type=int, default=256)
    args = ap.parse_args()

    load_start = os.getloadavg()
    texts = sample(args.lawrefbook, args.units)
    print(f"{len(texts)} articles, mean {statistics.mean(map(len, texts)):.0f} chars")
    teacher = E5Q4Embedder()
    teacher.embed_passages(["预热"])  # the model's first call allocates its buffers

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        cache = EmbeddingCache.in_data_dir(data_dir)
        t = time.perf_counter()
        static = distil(texts, teacher, data_dir, cache=cache, dims=args.dims)
        cold = time.perf_counter() - t
        m = static.manifest
        print(f"distilled {m.vocab_size:,} items → {m.dim} dims in {cold:.1f}s ({m.seconds})")
        t = time.perf_counter()
        StaticEmbedder(static.folder)
        reuse = time.perf_counter() - t
        t = time.perf_counter()
        grown = distil([*texts, "户外广告设施的设置审批由城市管理部门负责，具体办法由市人民政府制定。"], teacher, data_dir,
                       cache=cache, dims=args.dims)
        incremental = time.perf_counter() - t
        cache.close()

        static.embed_passages(texts[:50])  # warm: jieba's dictionary, torch
        segmented = [static.segment(x) for x in texts]
        tiers = {
            "static": {
                **rate(lambda: static.embed_passages(texts), len(texts)),
                "parts": {"segment": rate(lambda: [static.segment(x) for x in texts], len(texts)),
                          "encode": rate(lambda: static.embed_segmented(segmented), len(texts))},
                "dim": static.dim, "model": static.name,
            },
        }
        e5_texts = texts[: args.e5_sample]
        tiers["e5q4"] = {**rate(lambda: e5_passages(teacher, e5_texts), len(e5_texts)), "dim": teacher.dim,
                         "model": teacher.name, "batch": 64}
        for name, r in tiers.items():
            print(f"{name}: {r['units_per_s']:,.1f} units/s ({r['seconds']})")
        speedup = tiers["static"]["units_per_s"] / tiers["e5q4"]["units_per_s"]
        print(f"static / e5q4: {speedup:.0f}×")
        write_results("embed", {
            "corpus": {"source": str(args.lawrefbook), "units": len(texts), "chars_min": 160, "chars_max": 1500,
                       "mean_chars": round(statistics.mean(map(len, texts)), 1), "per_statute_max": 20},
            "tiers": tiers,
            "speedup_static_vs_e5q4": round(speedup, 1),
            "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
            "distillation": {
                "cold_seconds": round(cold, 2), "stages": m.seconds, "vocab_size": m.vocab_size, "dim": m.dim,
                "teacher_items_per_s": round(m.teacher_embedded / max(m.seconds.get("teacher", 0), 1e-9), 1),
                "reuse_load_seconds": round(reuse, 3),
                "incremental_seconds": round(incremental, 2), "incremental_teacher_items": grown.manifest.teacher_embedded,
            },
        })


if __name__ == "__main__":
    main()
