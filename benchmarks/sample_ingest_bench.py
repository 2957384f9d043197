"""Sample-jurisdiction ingest speed: departments, matters, mandates and the duty list of 鲁安市 into a
fresh embedded FalkorDB graph (no national laws, no rulings or work orders: those have their own
benchmarks), repeated; then the throughput of a large synthetic duty list built from the sample's rows.

    .venv/bin/python benchmarks/sample_ingest_bench.py [--repeats 3] [--rows 20000]

Prints and writes medians to benchmarks/results/sample_ingest.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import write_results  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from ingest.dutylists import load_duty_list  # noqa: E402
from ingest.sample import SAMPLE_DIR, sample_steps  # noqa: E402


def synthetic_list(path: Path, rows: int) -> None:
    """`rows` duty items: the sample's rows repeated with fresh codes and names (same departments, matters)."""
    with (SAMPLE_DIR / "duty_list.csv").open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    header, body = lines[1], lines[2:]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(rows):
            r = list(body[i % len(body)])
            r[0] = f"SYN-{i:06d}"
            r[4] = f"{r[4]}（第{i // len(body) + 1}批）"
            w.writerow(r)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rows", type=int, default=20000)
    args = ap.parse_args()
    steps: dict[str, list[float]] = {}
    totals: list[float] = []
    reruns: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sample-bench-") as tmp:
        for i in range(args.repeats):
            settings = Settings(data_dir=Path(tmp), graph_uri="falkordb", graph_name=f"bench{i}")
            store = open_store(settings)
            try:
                t_all = time.perf_counter()
                for step in sample_steps(store, settings=settings, laws=False, cases=False):
                    t0 = time.perf_counter()
                    step.run(None)
                    steps.setdefault(step.name, []).append(time.perf_counter() - t0)
                totals.append(time.perf_counter() - t_all)
                counts = store.counts()
                t0 = time.perf_counter()
                for step in sample_steps(store, settings=settings, laws=False, cases=False):
                    step.run(None)
                reruns.append(time.perf_counter() - t0)
                assert store.counts() == counts, "a re-run changed the graph"
                if i == 0:
                    big = Path(tmp) / "big.csv"
                    synthetic_list(big, args.rows)
                    t0 = time.perf_counter()
                    rep = load_duty_list(store, big, list_id="synthetic", list_date=dt.date(2026, 9, 30))
                    big_seconds = time.perf_counter() - t0
                    assert rep.skipped == 0, rep.errors[:3]
            finally:
                store.clear()
                store.close()
    result = {
        "benchmark": "sample_ingest",
        "note": "2 cores shared with other work; FalkorDB embedded on the same machine",
        "repeats": args.repeats,
        "median_seconds_by_step": {k: round(statistics.median(v), 3) for k, v in steps.items()},
        "median_total_seconds": round(statistics.median(totals), 3),
        "median_rerun_seconds": round(statistics.median(reruns), 3),
        "graph_counts": counts,
        "synthetic_duty_list": {"rows": args.rows, "seconds": round(big_seconds, 2),
                                "rows_per_second": round(args.rows / big_seconds)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    write_results("sample_ingest", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
