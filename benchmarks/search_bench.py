"""Owner search quality and latency on labelled dev sets: full system vs BM25-only vs vector-only.

    .venv/bin/python benchmarks/search_kb.py /tmp/askkb          # once: build the KB with the README's commands
    .venv/bin/python benchmarks/search_bench.py /tmp/askkb [--limit N] [--modes hybrid@e5,hybrid@static,hybrid]

Dev sets (benchmarks/data): search_dev_luan.yaml — colloquial disputes in the sample jurisdiction
鲁安市 with acceptable lead departments, basis article and analogous ruling; search_dev_places.yaml —
questions about real places (山东省, 潍坊市, 济南市, 全国) answered by the authorities their statutes
designate, each with the article that settles it. Each set has a held-out part that was not looked at
while tuning; figures are reported for dev, held-out and all.

Metrics: owner top-1 / top-3 accuracy and MRR (rank of the first acceptable candidate), ruling
recall@5 (an analogous ruling labelled for the query among the first five), basis-article recall@10
(the settling article among the first ten articles returned), warm latency p50 / p95 of `ask()`.
Writes benchmarks/results/search.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import AskRuns, percentile, write_results  # noqa: E402
from benchmarks.search_kb import kb_settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from ingest.extract.authorities import normalise_authority  # noqa: E402
from search.ask import AskResult  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
MODES = ("hybrid", "lexical", "vector")
NATIONAL_PREFIX = "中华人民共和国"


def _law(title: str) -> str:
    """A statute's title as labels write it: 山东省实施《渔业法》办法 and the file's 山东省实施《中华人民共和国渔业法》办法 are one."""
    return title.removeprefix(NATIONAL_PREFIX).replace("《" + NATIONAL_PREFIX, "《")


def _authority(name: str) -> str:
    return normalise_authority(name) or name


def load_cases() -> list[dict[str, Any]]:
    luan = yaml.safe_load((DATA / "search_dev_luan.yaml").read_text())
    depts = luan["departments"]
    cases = []
    for q in luan["queries"]:
        basis = q.get("basis")
        cases.append({
            "set": "luan", "q": q["q"], "place": "鲁安市", "domain": q["d"], "split": q.get("split", "dev"),
            "lead": {depts[c] for c in q["lead"]}, "authority": False,
            "basis": [basis] if isinstance(basis, str) else (basis or []), "ruling": q.get("ruling"),
        })
    for q in yaml.safe_load((DATA / "search_dev_places.yaml").read_text())["queries"]:
        cases.append({
            "set": "places", "q": q["q"], "place": q["place"], "domain": q["place"], "split": q.get("split", "dev"),
            "lead": {_authority(a) for a in q["lead"]}, "authority": True, "basis": q.get("basis") or [],
            "ruling": q.get("ruling"),
        })
    return cases


def judge(case: dict[str, Any], res: AskResult) -> dict[str, Any]:
    names = [(_authority(c.name) if case["authority"] else c.name) for c in res.candidates]
    rank = next((i + 1 for i, n in enumerate(names) if n in case["lead"]), None)
    out: dict[str, Any] = {"rank": rank, "top": names[:3]}
    if case["basis"]:
        wanted = {(_law(b.split("#")[0]), b.split("#")[1]) for b in case["basis"]}
        got = [(_law(a.law_title), str(a.article)) for a in res.articles[:10]]
        out["basis_hit"] = any(g in wanted for g in got)
    if case["ruling"]:
        out["ruling_hit"] = any(case["ruling"] in r.title for r in res.rulings[:5])
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {"n": 0}
    ranks = [r["rank"] for r in rows]
    basis = [r["basis_hit"] for r in rows if "basis_hit" in r]
    rulings = [r["ruling_hit"] for r in rows if "ruling_hit" in r]
    lat = [r["ms"] for r in rows]
    return {
        "n": n,
        "owner_top1": round(sum(1 for k in ranks if k == 1) / n, 3),
        "owner_top3": round(sum(1 for k in ranks if k and k <= 3) / n, 3),
        "owner_mrr": round(sum(1 / k for k in ranks if k) / n, 3),
        "ruling_recall_at_5": round(sum(rulings) / len(rulings), 3) if rulings else None, "ruling_n": len(rulings),
        "basis_recall_at_10": round(sum(basis) / len(basis), 3) if basis else None, "basis_n": len(basis),
        "latency_p50_ms": round(percentile(lat, 50), 1), "latency_p95_ms": round(percentile(lat, 95), 1),
    }


def run(data_dir: Path, limit: int | None, modes: tuple[str, ...], show_misses: bool) -> dict[str, Any]:
    s = kb_settings(data_dir)
    cases = load_cases()[: limit or None]
    store = open_store(s)
    runs = AskRuns(store, s)
    results: dict[str, Any] = {}
    try:
        for name in modes:
            rows = [{**judge(c, res), "ms": ms, "set": c["set"], "split": c["split"], "q": c["q"],
                     "lead": sorted(c["lead"])} for c, res, ms, _ in runs.answers(name, cases)]
            groups: dict[str, Any] = {}
            for split, sel in (("all", lambda r: True), ("dev", lambda r: r["split"] == "dev"),
                               ("heldout", lambda r: r["split"] == "heldout")):
                groups[split] = {
                    "all_sets": summarise([r for r in rows if sel(r)]),
                    "luan": summarise([r for r in rows if sel(r) and r["set"] == "luan"]),
                    "places": summarise([r for r in rows if sel(r) and r["set"] == "places"]),
                }
            results[name] = groups
            if show_misses and name == modes[0]:
                for r in rows:
                    if r["rank"] != 1 and r["split"] == "dev":
                        print(f"  miss rank={r['rank']} {r['q'][:30]} want={r['lead']} got={r['top']}")
            a = groups["all"]["all_sets"]
            print(f"{name:16s} n={a['n']} top1={a['owner_top1']} top3={a['owner_top3']} mrr={a['owner_mrr']} "
                  f"ruling@5={a['ruling_recall_at_5']} basis@10={a['basis_recall_at_10']} "
                  f"p50={a['latency_p50_ms']}ms p95={a['latency_p95_ms']}ms")
    finally:
        manifest = runs.manifest
        runs.close()
        store.close()
    return {"cases": len(cases), "domains": len({c["domain"] for c in cases if c["set"] == "luan"}), "results": results,
            "kb": {"units": manifest.unit_count, "kinds": manifest.kinds, "model": manifest.model,
                   "coverage": manifest.coverage()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path, help="data folder built by benchmarks/search_kb.py")
    ap.add_argument("--limit", type=int, default=None, help="only the first N cases (quick runs; no results file)")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--misses", action="store_true", help="print the dev-split queries the full system ranks wrong")
    a = ap.parse_args()
    t = time.perf_counter()
    out = run(a.data_dir, a.limit, tuple(a.modes.split(",")), a.misses)
    out["wall_s"] = round(time.perf_counter() - t, 1)
    out["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    out["note"] = ("latency = one ask() call, warm (indexes, model and graph server loaded), 2 shared cores; "
                   "medians over queries (p50) and the 95th percentile")
    full = out["results"].get("hybrid", {}).get("all", {}).get("all_sets", {})
    if full:
        print("full system:", {k: full[k] for k in ("owner_top1", "owner_top3", "owner_mrr", "basis_recall_at_10",
                                                     "latency_p50_ms", "latency_p95_ms")})
    if a.limit is None:
        write_results("search", out)


if __name__ == "__main__":
    main()
