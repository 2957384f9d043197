"""Splitting compound disputes (问题拆分法): aspect recall and precision, per-aspect lead top-1 / top-3.

    .venv/bin/python benchmarks/search_kb.py /tmp/askkb          # once: the KB, built with the README's commands
    .venv/bin/python benchmarks/aspects_bench.py /tmp/askkb [--split dev|heldout|all] [--ids N:M] [--show]

Cases: benchmarks/data/compound_disputes.yaml — compound disputes of the sample city 鲁安市, each labelled
with its aspects (name, the words of the text it rests on, acceptable leads), plus single-matter controls.
Asked as `ask --split` asks them (SearchService.ask(split=True)). An answer that is not split counts as one
aspect: the whole text with the answer's own lead.

Matching, one to one: a labelled aspect is found by the predicted aspect whose words contain the most of its
keywords (at least one); each predicted aspect finds at most one labelled aspect. Recall = labelled aspects
found / labelled; precision = predicted aspects that found one / predicted. Lead top-1: the found aspect's
lead is an acceptable lead; top-3: one of its first three candidates is. Single kept whole: the share of
single-matter controls answered unsplit; compound merged: the share of compound disputes answered unsplit
(what keeping disputes whole costs). Writes benchmarks/results/aspects.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import percentile, write_results  # noqa: E402
from benchmarks.search_kb import kb_settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from search.service import SearchService  # noqa: E402

CASES = Path(__file__).resolve().parent / "data" / "compound_disputes.yaml"
PLACE = "鲁安市"


def predicted(res: Any) -> list[dict[str, Any]]:
    """(words, lead names, first three candidate names) per predicted aspect; the whole answer when unsplit."""
    if res.aspects:
        return [{"name": a.name, "words": a.text, "lead": [p.name for p in a.lead],
                 "top3": [c.name for c in a.candidates[:3]]} for a in res.aspects]
    lead = next((c for c in res.candidates if c.role == "lead"), res.candidates[0] if res.candidates else None)
    return [{"name": "(whole)", "words": res.query, "lead": [lead.name] if lead else [],
             "top3": [c.name for c in res.candidates[:3]]}]


def match(labelled: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (labelled index, predicted index) pairs, the most keyword hits first."""
    scored = sorted(((sum(k in p["words"] for k in la.get("keywords") or [la["name"]]), i, j)
                     for i, la in enumerate(labelled) for j, p in enumerate(preds)), reverse=True)
    used_l: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for hits, i, j in scored:
        if hits and i not in used_l and j not in used_p:
            used_l.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def judge(case: dict[str, Any], res: Any) -> dict[str, Any]:
    labelled = case["aspects"]
    preds = predicted(res)
    pairs = match(labelled, preds)
    top1 = [preds[j]["lead"][:1] != [] and preds[j]["lead"][0] in labelled[i]["lead"] for i, j in pairs]
    wrong = [(labelled[i]["name"], preds[j]["words"], preds[j]["lead"][:1], labelled[i]["lead"])
             for (i, j), ok in zip(pairs, top1, strict=True) if not ok]
    top3 = [bool(set(preds[j]["top3"]) & set(labelled[i]["lead"])) for i, j in pairs]
    return {"id": case["id"], "set": case["set"], "labelled": len(labelled), "predicted": len(preds),
            "found": len(pairs), "top1": sum(top1), "top3": sum(top3), "preds": preds,
            "misses": [la["name"] for i, la in enumerate(labelled) if i not in {p[0] for p in pairs}], "wrong": wrong}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"n": 0}
    lab = sum(r["labelled"] for r in rows)
    pred = sum(r["predicted"] for r in rows)
    found = sum(r["found"] for r in rows)
    compound = [r for r in rows if r["labelled"] > 1]
    single = [r for r in rows if r["labelled"] == 1]
    return {
        "n": len(rows), "compound": len(compound), "single": len(single),
        "aspect_recall": round(found / lab, 3), "aspect_precision": round(found / pred, 3),
        "lead_top1": round(sum(r["top1"] for r in rows) / found, 3) if found else None,
        "lead_top3": round(sum(r["top3"] for r in rows) / found, 3) if found else None,
        # the lead over every labelled aspect (a missed aspect counts as a wrong lead)
        "lead_top1_of_labelled": round(sum(r["top1"] for r in rows) / lab, 3),
        "single_kept_whole": round(sum(r["predicted"] == 1 for r in single) / len(single), 3) if single else None,
        # the cost of keeping disputes whole: compound disputes answered as one matter
        "compound_merged": round(sum(r["predicted"] == 1 for r in compound) / len(compound), 3) if compound else None,
    }


def _id_range(text: str) -> tuple[int, int]:
    """--ids N:M as two case numbers (argparse reports a bad value as a usage error)."""
    lo, sep, hi = text.partition(":")
    if not (sep and lo.strip().isdigit() and hi.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"expected N:M (e.g. 203:226), got {text!r}")
    return int(lo), int(hi)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path, help="data folder built by benchmarks/search_kb.py")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    ap.add_argument("--show", action="store_true", help="print each dev case's aspects, found and missed")
    ap.add_argument("--ids", type=_id_range, default=None, metavar="N:M",
                    help="only cases cd-N to cd-M (203:226): one batch's figures, as first run (no results file)")
    ap.add_argument("--min-share", type=float, default=None, help="tuning: search.aspects.MIN_SHARE (no results file)")
    ap.add_argument("--context-share", type=float, default=None, help="tuning: search.aspects.CONTEXT_SHARE")
    ap.add_argument("--stands-alone", type=int, default=None, help="tuning: search.aspects.STANDS_ALONE (no results file)")
    ap.add_argument("--whole-rank", type=int, default=None, help="tuning: search.aspects.WHOLE_RANK (no results file)")
    a = ap.parse_args()
    tuning = any(v is not None for v in (a.min_share, a.stands_alone, a.context_share, a.whole_rank))
    import search.aspects

    if a.min_share is not None:
        search.aspects.MIN_SHARE = a.min_share
    if a.stands_alone is not None:
        search.aspects.STANDS_ALONE = a.stands_alone
    if a.context_share is not None:
        search.aspects.CONTEXT_SHARE = a.context_share
    if a.whole_rank is not None:
        search.aspects.WHOLE_RANK = a.whole_rank
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    if a.split != "all":
        cases = [c for c in cases if c["set"] == a.split]
    if a.ids:
        lo, hi = a.ids
        cases = [c for c in cases if lo <= int(c["id"].removeprefix("cd-")) <= hi]
    s = kb_settings(a.data_dir)
    rows: list[dict[str, Any]] = []
    ms: list[float] = []
    t0 = time.perf_counter()
    with open_store(s) as store:
        service = SearchService.open(s, store)
        try:
            service.ask(cases[0]["text"], PLACE, split=True)  # warm: model, masks, caches
            for c in cases:
                t = time.perf_counter()
                res = service.ask(c["text"], PLACE, split=True)
                ms.append((time.perf_counter() - t) * 1000)
                rows.append(judge(c, res))
        finally:
            service.close()
    if a.show:
        for r in rows:
            if r["set"] == "dev":
                print(f"{r['id']} found {r['found']}/{r['labelled']} predicted {r['predicted']} "
                      f"lead {r['top1']} missed {r['misses']}")
                for p in r["preds"]:
                    print(f"     {p['name']} | {p['words']} | {p['lead']}")
                for w in r["wrong"]:
                    print(f"  WRONG {w[0]} | {w[1]} | got {w[2]} want {w[3]}")
    out = {"cases": len(cases), "place": PLACE,
           "results": {k: summarise([r for r in rows if k == "all" or r["set"] == k]) for k in ("all", "dev", "heldout")},
           "latency_p50_ms": round(percentile(ms, 50), 1), "latency_p95_ms": round(percentile(ms, 95), 1),
           "wall_s": round(time.perf_counter() - t0, 1),
           "targets": {"aspect_recall": 0.80, "aspect_precision": 0.75, "lead_top1": 0.80}}
    for k, v in out["results"].items():
        print(k, v)
    if a.split == "all" and not tuning and not a.ids:
        write_results("aspects", out)


if __name__ == "__main__":
    main()
