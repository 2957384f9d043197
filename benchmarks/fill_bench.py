"""`dutygraph index fill` with one embedding process against several, on the same statutes in one run.

    .venv/bin/python benchmarks/fill_bench.py /tmp/fillkb [--folder ../shared/lawrefbook/DLC/河南地方法规]
                                              [--units 3000] [--workers 1,2]

Builds a knowledge base of one snapshot folder with the README's commands (`ingest laws`, `index rebuild
--cached-only`: BM25 and static vectors, no e5 yet), then for each worker count copies its index into a
fresh data folder (an empty embedding cache, so every unit is embedded) and runs `dutygraph index fill
--limit N` there with DUTYGRAPH_FILL_WORKERS set. Reports wall seconds and units per second of each fill,
and checks that the vectors agree (cosine of the same unit between the runs). Writes
benchmarks/results/fill.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import write_results  # noqa: E402
from benchmarks.kb_cli import cli_env, run_commands  # noqa: E402
from search.vector import VectorIndex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GRAPH = "fillbench"


def _vectors(data_dir: Path) -> np.ndarray:
    live = VectorIndex.load(data_dir / "index" / GRAPH / "vectors.faiss")
    out = live.vectors().copy()  # a view into the index's memory: copied while it is held
    del live
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--folder", type=Path, default=ROOT.parent / "shared" / "lawrefbook" / "DLC" / "河南地方法规")
    ap.add_argument("--units", type=int, default=3000, help="units each fill embeds (`index fill --limit`)")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare, in this order")
    ap.add_argument("--skip-build", action="store_true")
    a = ap.parse_args()
    base = a.data_dir / "kb"
    if not a.skip_build:
        shutil.rmtree(base, ignore_errors=True)
        run_commands([["ingest", "laws", str(a.folder)], ["index", "rebuild", "--cached-only"]],
                     cli_env(base, GRAPH), a.data_dir / "build.log")
    runs: dict[str, dict] = {}
    vectors: dict[str, np.ndarray] = {}
    for w in a.workers.split(","):
        here = a.data_dir / f"fill-{w}"
        shutil.rmtree(here, ignore_errors=True)
        shutil.copytree(base / "index", here / "index")
        load = os.getloadavg()[0]
        t = time.perf_counter()
        seconds = run_commands([["index", "fill", "--limit", str(a.units)]],
                               cli_env(here, GRAPH, fill_workers=w), a.data_dir / "fill.log")
        wall = time.perf_counter() - t
        vectors[w] = _vectors(here)
        done = int(vectors[w].any(axis=1).sum())
        runs[w] = {"workers": int(w), "units": done, "wall_s": round(wall, 1), "units_per_s": round(done / wall, 1),
                   "command_s": next(iter(seconds.values())), "load_avg_1m_before": round(load, 2)}
        print(f"workers {w}: {done} units in {wall:.1f} s = {done / wall:.1f} units/s (load {load:.1f})")
    first, *others = list(vectors)
    agree = {}
    for w in others:
        both = vectors[first].any(axis=1) & vectors[w].any(axis=1)
        agree[w] = round(float(np.min(np.sum(vectors[first][both] * vectors[w][both], axis=1))), 6)
    write_results("fill", {"folder": str(a.folder), "runs": runs,
                           "min_cosine_to_first_run": agree, "cpus": os.cpu_count()})
    print("min cosine to the first run:", agree)


if __name__ == "__main__":
    main()
