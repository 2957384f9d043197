"""Work-order ingest at scale: time and peak memory for N synthetic orders (default 1,000,000).

Generates the rows to a temporary CSV (streamed, seeded), starts a fresh embedded FalkorDB server on a
temporary data directory, loads the sample department directory and matter taxonomy, then streams
the CSV in. Peak memory is reported for both processes: the Python loader (ru_maxrss) and the
FalkorDB server (VmHWM from /proc, plus the largest RSS seen while sampling; a background save's
forked child is sampled separately, since it shares pages with its parent).

    .venv/bin/python benchmarks/workorder_ingest_bench.py            # 1,000,000 rows, several minutes
    .venv/bin/python benchmarks/workorder_ingest_bench.py --rows 50000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine  # noqa: E402
from devtools.workorders import SAMPLES, write_csv  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from ingest.departments.loader import load_departments  # noqa: E402
from ingest.matters.taxonomy import load_matters  # noqa: E402
from ingest.workorders import load_work_orders  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "workorder_ingest.json"
MIB = 1024 * 1024


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Sampler(threading.Thread):
    """Largest RSS seen, every `every` seconds, for this process, the server and the server's children."""

    def __init__(self, server_pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.server_pid, self.every = server_pid, every
        self.peak = {"python": 0, "server": 0, "server_child": 0}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak["python"] = max(self.peak["python"], _status_kib(os.getpid(), "VmRSS"))
            self.peak["server"] = max(self.peak["server"], _status_kib(self.server_pid, "VmRSS"))
            for c in _children(self.server_pid):
                self.peak["server_child"] = max(self.peak["server_child"], _status_kib(c, "VmRSS"))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dutygraph-wo-bench-"))
    try:
        csv_path = tmp / "workorders.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, args.rows, args.seed)
        gen_s = time.perf_counter() - t0
        print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / MIB:.0f} MiB) in {gen_s:.1f} s")

        store = open_store(Settings(data_dir=tmp / "data", graph_name="bench"))
        server_pid = store.server.info.pid  # type: ignore[attr-defined]
        try:
            load_departments(store, SAMPLES / "departments.yaml")
            load_matters(store, SAMPLES / "matters.yaml")
            sampler = Sampler(server_pid)
            sampler.start()
            done = [0]
            step = max(args.rows // 10, 1)

            def tick(n: int) -> None:
                done[0] += n
                if done[0] % step < n:
                    now = time.perf_counter()
                    print(f"  {done[0]:>9,} rows  {now - t1:7.1f} s  python {_status_kib(os.getpid(), 'VmRSS') / 1024:6.0f} MiB"
                          f"  server {_status_kib(server_pid, 'VmRSS') / 1024:6.0f} MiB", flush=True)

            t1 = time.perf_counter()
            report = load_work_orders(store, csv_path, batch_size=args.batch, progress=tick)
            ingest_s = time.perf_counter() - t1
            sampler.stop()
            counts = store.counts()
            server_hwm = _status_kib(server_pid, "VmHWM")
        finally:
            store.close()
        python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        result = {
            "benchmark": "workorder_ingest",
            "rows": args.rows,
            "batch_size": args.batch,
            "generate_seconds": round(gen_s, 1),
            "ingest_seconds": round(ingest_s, 1),
            "rows_per_second": round(args.rows / ingest_s),
            "read": report.read, "written": report.written, "skipped": report.skipped, "problems": len(report.errors),
            "graph": {k: v for k, v in counts.items() if k in ("WorkOrder", "[:ABOUT]", "[:DISPATCHED_TO]", "[:RETURNED_BY]")},
            "peak_rss_mib": {
                "python_process": round(python_peak / 1024),
                "falkordb_server": round(max(server_hwm, sampler.peak["server"]) / 1024),
                "falkordb_save_child_sampled": round(sampler.peak["server_child"] / 1024),
                "python_sampled": round(sampler.peak["python"] / 1024),
            },
            "target_peak_mib_each": 2048,
            "meets_target": python_peak / 1024 < 2048 and max(server_hwm, sampler.peak["server"]) / 1024 < 2048,
            "machine": {**machine(), "note": "2 cores shared with other work while measured"},
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    main()
