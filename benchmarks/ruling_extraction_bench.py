"""Ruling-text extraction benchmark: precision and recall of (party, role) pairs.

Corpus: the free-text sample rulings of 鲁安市 (gold in benchmarks/data/ruling_extraction_gold.yaml)
plus every structured sample ruling (home and precedents) whose `text` is compared with its own
`parties`. Names on both sides are resolved before comparing — home names to department ids through
the department directory, precedent names to normalised authority types — so 市文旅局 and
市文化和旅游局 count as the same party. Caveat: the texts and the rules were written by the same
project, so this is a development figure, not a held-out one.

    .venv/bin/python benchmarks/ruling_extraction_bench.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine  # noqa: E402
from ingest.departments.resolve import DepartmentResolver  # noqa: E402
from ingest.rulings.extract import extract_ruling  # noqa: E402
from ingest.rulings.parties import TERRITORIAL, PartyParser  # noqa: E402
from ingest.rulings.records import read_text_file  # noqa: E402
from ingest.rulings.resolve import authority_name  # noqa: E402

SAMPLES = ROOT / "ingest" / "samples" / "luan"
GOLD = ROOT / "benchmarks" / "data" / "ruling_extraction_gold.yaml"
OUT = ROOT / "benchmarks" / "results" / "ruling_extraction.json"
ROLES = ("lead", "cooperate", "territorial")
HELD_OUT = ("held_out", "held_out_2", "held_out_3")


def parser_and_resolver() -> tuple[PartyParser, DepartmentResolver]:
    resolver = DepartmentResolver.from_directory(SAMPLES / "departments.yaml")
    names: set[str] = set()
    for rec in resolver.records.values():
        for n in (rec.name, *rec.aliases):
            names.add(n)
            if (m := re.match(r"^([\u4e00-\u9fff]{2,4}[市县区])(.+)$", n)) and len(m.group(2)) >= 2:
                names.add("市" + m.group(2))
    return PartyParser.with_names(names), resolver


def corpus() -> list[dict]:
    """Documents as {id, text, home, gold: {(name, role)}}."""
    docs = []
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    for key in HELD_OUT:
        for i, h in enumerate(data.get(key, []), 1):
            docs.append({"id": f"{key}#{i}", "text": h["text"], "home": h["home"], "held_out": key,
                         "gold": {(n, r) for r in ROLES for n in h.get(r, [])}})
    for name, roles in data["files"].items():
        text = read_text_file(SAMPLES / "rulings" / "texts" / name)
        docs.append({"id": f"texts/{name}", "text": text, "home": True,
                     "gold": {(n, r) for r in ROLES for n in roles.get(r, [])}})
    for fname, home in (("home.yaml", True), ("precedents.yaml", False)):
        for i, r in enumerate(yaml.safe_load((SAMPLES / "rulings" / fname).read_text(encoding="utf-8"))["rulings"], 1):
            if r.get("text"):
                docs.append({"id": f"{fname}#{i}", "text": r["text"], "home": home,
                             "gold": {(p["name"], p.get("role", "lead")) for p in r["parties"]}})
    return docs


def canon(name: str, home: bool, resolver: DepartmentResolver, parser: PartyParser) -> str:
    name = parser.canonical(name)
    if name == TERRITORIAL:
        return TERRITORIAL
    if home:
        return resolver.resolve(name) or f"?{name}"
    return authority_name(name)


def main() -> dict:
    parser, resolver = parser_and_resolver()
    docs = corpus()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    held: dict[str, Counter[str]] = {k: Counter() for k in HELD_OUT}
    misses = []
    times = []
    for d in docs:
        t0 = time.perf_counter()
        ex = extract_ruling(d["text"], parser)
        times.append(time.perf_counter() - t0)
        got = {(canon(p.name, d["home"], resolver, parser), p.role) for p in ex.parties}
        want = {(canon(n, d["home"], resolver, parser), r) for n, r in d["gold"]}
        for role in ROLES:
            g = {x for x in got if x[1] == role}
            w = {x for x in want if x[1] == role}
            tp[role] += len(g & w)
            fp[role] += len(g - w)
            fn[role] += len(w - g)
            if d.get("held_out"):
                h = held[d["held_out"]]
                h["tp"] += len(g & w)
                h["fp"] += len(g - w)
                h["fn"] += len(w - g)
        if got != want:
            misses.append({"doc": d["id"], "extra": sorted(map(list, got - want)), "missing": sorted(map(list, want - got))})

    def pr(t: int, p: int, n: int) -> dict:
        return {"precision": round(t / (t + p), 4) if t + p else 0.0, "recall": round(t / (t + n), 4) if t + n else 0.0,
                "tp": t, "fp": p, "fn": n}

    per_role = {r: pr(tp[r], fp[r], fn[r]) for r in ROLES}
    overall = pr(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    times.sort()
    result = {
        "benchmark": "ruling_extraction",
        "documents": len(docs),
        "free_text_documents": sum(1 for d in docs if d["id"].startswith("texts/")),
        "gold_pairs": sum(len(d["gold"]) for d in docs),
        "overall": overall,
        "per_role": per_role,
        "held_out": {"documents": sum(1 for d in docs if d.get("held_out") == "held_out"),
                     **pr(held["held_out"]["tp"], held["held_out"]["fp"], held["held_out"]["fn"]),
                     "note": "first run on these texts gave precision 0.947 / recall 0.837; the misses led to rule changes "
                             "(会同 at a clause start, 等部门 suffix sharing, 各相关部门, 对…监督管理, 镇街做好…), so this set "
                             "is no longer held out"},
        "held_out_2": {"documents": sum(1 for d in docs if d.get("held_out") == "held_out_2"),
                       **pr(held["held_out_2"]["tp"], held["held_out_2"]["fp"], held["held_out_2"]["fn"]),
                       "note": "first run gave precision 0.963 / recall 0.788; its misses led to rule changes "
                               "(统筹 as lead, 提供…支持/指导 as cooperation, X对…负责, an assisting town is territorial)"},
        "held_out_3": {"documents": sum(1 for d in docs if d.get("held_out") == "held_out_3"),
                       **pr(held["held_out_3"]["tp"], held["held_out_3"]["fp"], held["held_out_3"]["fn"]),
                       "note": "written after the last rule change; measured once, not used to change any rule"},
        "median_ms_per_document": round(1000 * times[len(times) // 2], 2),
        "targets": {"precision": 0.9, "recall": 0.9},
        "meets_targets": overall["precision"] >= 0.9 and overall["recall"] >= 0.9,
        "mismatched_documents": misses,
        "machine": machine(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"documents: {len(docs)} ({result['free_text_documents']} free-text files), gold pairs: {result['gold_pairs']}")
    print(f"overall  precision {overall['precision']:.3f}  recall {overall['recall']:.3f}")
    for key in HELD_OUT:
        ho = result[key]
        print(f"{key} ({ho['documents']} texts): precision {ho['precision']:.3f}  recall {ho['recall']:.3f}")
    for r in ROLES:
        print(f"{r:12s} precision {per_role[r]['precision']:.3f}  recall {per_role[r]['recall']:.3f}")
    print(f"median {result['median_ms_per_document']} ms per document; mismatched documents: {len(misses)}")
    for m in misses:
        print("  ", m)
    print(f"written to {OUT.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()
