"""Extraction quality: precision and recall of (authority, role) pairs on a hand-labelled article set.

    .venv/bin/python benchmarks/extraction_bench.py [--snapshot ../shared/lawrefbook] [--show dev]

The labelled set (benchmarks/data/extraction_labels.yaml) holds references only — a file in the
LawRefBook snapshot and an article number — with the expected pairs; the article text is read from the
snapshot at run time. Exits cleanly (status 0, a message) where the snapshot is absent.
Writes benchmarks/results/extraction.json. Figures are micro-averaged over pairs, per split (dev was
used while tuning the rules; heldout was not) and for all items.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import write_results  # noqa: E402
from ingest.extract.authorities import load_table  # noqa: E402
from ingest.extract.run import extract_designations  # noqa: E402
from ingest.laws.files import read_statute  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "extraction_labels.yaml"


def scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", type=Path, default=ROOT.parent / "shared" / "lawrefbook")
    ap.add_argument("--show", choices=["dev", "heldout", "all"], help="print the wrong pairs of a split")
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats (median reported)")
    args = ap.parse_args()
    if not args.snapshot.is_dir():
        print(f"LawRefBook snapshot not found at {args.snapshot}; nothing to measure (skipped).")
        return 0
    table = load_table(None)
    items = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["items"]
    docs: dict[str, dict[str, str]] = {}
    texts = []
    for it in items:
        if it["file"] not in docs:
            doc = read_statute(args.snapshot / it["file"])
            docs[it["file"]] = {a.number: a.text for a in doc.articles}
        texts.append(docs[it["file"]][str(it["article"])])
    timings = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        found = extract_designations(texts)
        timings.append(time.perf_counter() - t0)
    counts: dict[str, Counter] = {k: Counter() for k in ("dev", "heldout", "all")}
    by_role: dict[str, Counter] = {}
    wrong: list[str] = []
    for it, got_list in zip(items, found, strict=True):
        expected = {(table.normalise(a) or a, r) for a, r in it["expected"]}
        got = {(d.authority, d.role) for d in got_list}
        for split in (it["split"], "all"):
            c = counts[split]
            c["tp"] += len(expected & got)
            c["fp"] += len(got - expected)
            c["fn"] += len(expected - got)
        for a, r in expected | got:
            rc = by_role.setdefault(r, Counter())
            rc["tp"] += (a, r) in expected and (a, r) in got
            rc["fp"] += (a, r) in got and (a, r) not in expected
            rc["fn"] += (a, r) in expected and (a, r) not in got
        if args.show in (it["split"], "all") and expected != got:
            wrong.append(f"{it['file']} 第{it['article']}条  missing {sorted(expected - got)}  extra {sorted(got - expected)}")
    result = {
        "benchmark": "extraction",
        "labelled_set": {"items": len(items), "statutes": len(docs), "expected_pairs": sum(len(i["expected"]) for i in items),
                         "heldout_items": sum(1 for i in items if i["split"] == "heldout")},
        "pairs": {k: scores(c["tp"], c["fp"], c["fn"]) for k, c in counts.items()},
        "by_role_all": {r: scores(c["tp"], c["fp"], c["fn"]) for r, c in sorted(by_role.items())},
        "extract_seconds_median": round(statistics.median(timings), 3),
        "articles_per_second": round(len(texts) / statistics.median(timings), 1),
    }
    for line in wrong:
        print(line)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    write_results("extraction", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
