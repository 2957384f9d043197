"""Reliability: an API fuzzer against the running app, the fault tests, and a load mix of anonymous callers.

    python benchmarks/reliability_bench.py DATA_DIR [--examples 25] [--fuzz-seconds 240] [--stateful-seconds 120] [--seed 17]
                                           [--callers 50] [--seconds 60] [--skip-fuzz] [--skip-faults] [--skip-load]

DATA_DIR is a knowledge base (`./dev demo` builds one); use a scratch copy: the admin fuzzing writes to it.

1. **Fuzzing.** `dutygraph serve` over DATA_DIR (rate limits off, so the fuzzer reaches every operation),
   then schemathesis on its OpenAPI document, every operation, all phases (examples, coverage and fuzzing in one
   run, stateful in another with its own time budget), once anonymous and once with an admin key; each call is
   read back from schemathesis' HAR report and counted by status. Target: 0 responses ≥ 500 (client time-outs are counted apart).
2. **Faults.** The fault tests (tests/test_locked_store.py, test_changelog_complete.py, test_hostile_input.py,
   test_faults.py, test_fault_windows.py, test_load_limits.py, test_reliability_caches.py, test_upload_limits.py,
   test_idempotency.py), their outcomes and durations from pytest's JUnit report.
3. **Load.** `dutygraph serve` with its default limits; `--callers` anonymous callers loop over POST /ask,
   GET /gaps with a different as_of each time and GET /trace for `--seconds`, while one keyed reader calls
   GET /departments. Targets: no 5xx but 503 with Retry-After; the keyed reader's p95 < 200 ms.

Writes benchmarks/results/reliability.json.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest's JUnit report
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import percentile, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAULT_TESTS = ["tests/test_locked_store.py", "tests/test_changelog_complete.py", "tests/test_hostile_input.py",
               "tests/test_faults.py", "tests/test_fault_windows.py", "tests/test_load_limits.py",
               "tests/test_reliability_caches.py", "tests/test_upload_limits.py", "tests/test_idempotency.py"]
CLIENT_TIMEOUT_S = 120
ASKS = ["夜里广场舞噪音扰民谁管", "小区电动车飞线充电谁来管", "剧本杀店的消防和内容谁管", "占用消防通道停车谁处理",
        "餐馆油烟扰民找哪个部门", "无证流动摊贩占道经营谁管"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: Path, port: int, extra_env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, "DUTYGRAPH_DATA_DIR": str(data_dir), **extra_env}
    exe = Path(sys.executable).with_name("dutygraph")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/jurisdictions", timeout=10).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(1)
    proc.terminate()
    raise SystemExit("server did not answer within 300 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(120)
    except subprocess.TimeoutExpired:
        proc.kill()


def _key(data_dir: Path, name: str, role: str) -> str:
    from api.users import KeyStore

    ks = KeyStore.for_data_dir(data_dir)
    try:
        return ks.add(f"{name}-{int(time.time())}", role)
    finally:
        ks.close()


# schemathesis' time budget (--max-time) is for the whole run: with every phase in one run, the stateful phase (links
# between operations, which schemathesis infers) may get no time at all. It therefore runs apart with its own budget.
PHASES = {"generated": "examples,coverage,fuzzing", "stateful": "stateful"}


def _phase_lines(stdout: str) -> list[str]:
    """schemathesis' own account of each phase (ran, skipped, why) and of the stateful links it covered."""
    keep = re.compile(r"^\W*(Examples|Coverage|Fuzzing|Stateful|Scenarios:|API Links:)|generated,")
    return [line.strip() for line in stdout.splitlines() if keep.search(line.strip())]


def fuzz(data_dir: Path, examples: int, seconds: int, stateful_seconds: int, seed: int) -> dict:
    import schemathesis

    port = _free_port()
    proc = _serve(data_dir, port, {"DUTYGRAPH_API_RATE_ANONYMOUS": "0", "DUTYGRAPH_API_RATE_KEYED": "0"})
    runs = {}
    try:
        key = _key(data_dir, "fuzz-admin", "admin")
        for who, headers in (("anonymous", []), ("admin", ["-H", f"X-API-Key: {key}"])):
            for part, phases in PHASES.items():
                out = Path(tempfile.mkdtemp(prefix=f"dg-fuzz-{who}-{part}-"))
                t = time.perf_counter()
                budget = stateful_seconds if part == "stateful" else seconds
                cmd = [str(Path(sys.executable).with_name("schemathesis")), "run", f"http://127.0.0.1:{port}/openapi.json",
                       "--checks", "not_a_server_error", "--phases", phases,
                       "-n", str(examples), "--seed", str(seed), "--max-time", str(budget), "--request-timeout", "60",
                       "--generation-allow-x00", "true", "--report", "har", "--report-dir", str(out), *headers]
                done = subprocess.run(cmd, capture_output=True, text=True, cwd=out)  # its cache stays out of the checkout
                entries = [e for f in glob.glob(str(out / "har-*.json"))
                           for e in json.loads(Path(f).read_text())["log"]["entries"]]
                status = collections.Counter(e["response"]["status"] for e in entries)
                errors = [f"{e['request']['method']} {e['request']['url'][:200]} → {e['response']['status']}"
                          for e in entries if e["response"]["status"] >= 500]
                run = f"{who} {part}"
                runs[run] = {"phases": phases, "calls": len(entries),
                             "by_status": {str(k): v for k, v in sorted(status.items())},
                             "server_errors": len(errors), "server_error_examples": errors[:10],
                             "timed_out": status.get(0, 0), "seconds": round(time.perf_counter() - t, 1),
                             "schemathesis_says": _phase_lines(done.stdout),
                             "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]}
                print(run, runs[run]["calls"], "calls,", runs[run]["server_errors"], "≥ 500", flush=True)
    finally:
        _stop(proc)
    return {"schemathesis": schemathesis.__version__ if hasattr(schemathesis, "__version__") else "?",
            "seed": seed, "max_examples": examples, "phases": "examples,coverage,fuzzing,stateful",
            "calls": sum(r["calls"] for r in runs.values()),
            "stateful_calls": sum(r["calls"] for r in runs.values() if r["phases"] == "stateful"),
            "server_errors": sum(r["server_errors"] for r in runs.values()), "runs": runs}


def faults() -> dict:
    report = Path(tempfile.mkdtemp(prefix="dg-faults-")) / "junit.xml"
    tests = [t for t in FAULT_TESTS if (ROOT / t).exists()]
    subprocess.run([sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
                   cwd=ROOT, capture_output=True, text=True)
    outcomes, seconds = {}, {}
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314 - written by our own pytest just now
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        name = f"{case.get('classname')}.{case.get('name')}"
        outcomes[name] = "failed" if failed else "skipped" if skipped else "passed"
        seconds[name] = round(float(case.get("time") or 0), 1)
    return {"tests": outcomes, "seconds": seconds, "passed": sum(v == "passed" for v in outcomes.values()),
            "total": len(outcomes), "rows_of_the_kill_test": int(os.environ.get("DUTYGRAPH_TEST_FAULT_ROWS", "10000"))}


async def _load(base: str, callers: int, seconds: int, key: str) -> dict:
    statuses: collections.Counter = collections.Counter()
    bad: list[str] = []
    keyed_ms: list[float] = []
    stop = time.monotonic() + seconds
    matters = [m["id"] for m in httpx.get(f"{base}/api/v1/matters", params={"limit": 50}, timeout=60).json()["items"]]

    async def anonymous(i: int, client: httpx.AsyncClient) -> None:
        rnd = random.Random(i)
        n = 0
        while time.monotonic() < stop:
            n += 1
            kind = (i + n) % 3
            try:
                if kind == 0:
                    r = await client.post(f"{base}/api/v1/ask", json={"text": rnd.choice(ASKS), "jurisdiction": "鲁安市"})
                elif kind == 1:
                    day = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randrange(2000))
                    r = await client.get(f"{base}/api/v1/gaps", params={"as_of": day.isoformat(), "limit": 5})
                else:
                    r = await client.get(f"{base}/api/v1/trace", params={"matter": rnd.choice(matters)})
            except httpx.HTTPError as exc:  # a time-out (120 s) or a dropped connection: counted apart from 5xx
                statuses[f"client {type(exc).__name__}"] += 1
                continue
            statuses[r.status_code] += 1
            if r.status_code >= 500 and not (r.status_code == 503 and r.headers.get("retry-after")):
                bad.append(f"{r.request.method} {r.request.url.path} → {r.status_code}")
            if r.status_code in (429, 503):
                await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), 2.0))

    async def keyed(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            t = time.perf_counter()
            r = await client.get(f"{base}/api/v1/departments", params={"limit": 20}, headers={"X-API-Key": key})
            keyed_ms.append((time.perf_counter() - t) * 1000)
            statuses[f"keyed {r.status_code}"] += 1
            await asyncio.sleep(0.2)

    limits = httpx.Limits(max_connections=callers + 5, max_keepalive_connections=callers + 5)
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT_S, limits=limits) as client:
        await asyncio.gather(keyed(client), *(anonymous(i, client) for i in range(callers)))
    return {"callers": callers, "seconds": seconds, "client_timeout_s": CLIENT_TIMEOUT_S, "by_status": {str(k): v for k, v in sorted(statuses.items(), key=str)},
            "bad_5xx": len(bad), "bad_examples": bad[:10], "keyed_departments_calls": len(keyed_ms),
            "keyed_departments_p50_ms": round(percentile(keyed_ms, 50), 1),
            "keyed_departments_p95_ms": round(percentile(keyed_ms, 95), 1)}


def load(data_dir: Path, callers: int, seconds: int) -> dict:
    port = _free_port()
    key_store_key = _key(data_dir, "load-reader", "reader")
    proc = _serve(data_dir, port, {})
    try:
        return asyncio.run(_load(f"http://127.0.0.1:{port}", callers, seconds, key_store_key))
    finally:
        _stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--examples", type=int, default=25)
    ap.add_argument("--fuzz-seconds", type=int, default=240, help="time budget of each generated-phases run")
    ap.add_argument("--stateful-seconds", type=int, default=120, help="time budget of each stateful run")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--callers", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--skip-fuzz", action="store_true")
    ap.add_argument("--skip-faults", action="store_true")
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args()
    out_path = ROOT / "benchmarks" / "results" / "reliability.json"
    result = json.loads(out_path.read_text()) if out_path.exists() else {}
    result.pop("machine", None)
    if not args.skip_fuzz:
        result["fuzz"] = fuzz(args.data_dir, args.examples, args.fuzz_seconds, args.stateful_seconds, args.seed)
    if not args.skip_faults:
        result["faults"] = faults()
        print("faults:", result["faults"]["passed"], "of", result["faults"]["total"], "passed", flush=True)
    if not args.skip_load:
        result["load"] = load(args.data_dir, args.callers, args.seconds)
        print("load:", json.dumps(result["load"], ensure_ascii=False), flush=True)
    write_results("reliability", result)


if __name__ == "__main__":
    main()
