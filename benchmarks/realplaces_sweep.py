"""The real-place cases of one split asked on a built KB, with module constants overridden for a try: how a
session measures a change before it lands (the keep rule: tune gains; dev7 … dev10 lose nothing; the gate's
totals do not drop; the fresh set is run only in the final benches). The KB is realplaces_bench.py's.

    KB=/tmp/rpkb .venv/bin/python benchmarks/realplaces_sweep.py SPLIT [module.CONST=value ...]

SPLIT: dev | heldout | all (every file but the fresh dev11) | every (all + dev11) | dev2..dev11 | devall (dev + dev2..dev10)
       | tune (= dev + dev2 + dev3 + dev4 + dev7 + dev8 + dev9 + dev10) | gate (= dev5 + dev6; totals only, never read cases)
Env: KB (data dir, default /tmp/rpkb), ROOT (the checkout whose code answers, default this one), DUMP=file.json (rows),
     KIND=complaint|dispute, PROV=山东省|全国|...  MODE=hybrid|lexical|vector
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(os.environ.get("ROOT", Path(__file__).resolve().parents[1])).resolve()
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from benchmarks._common import AskRuns  # noqa: E402
from benchmarks.realplaces_bench import DATA, GRAPH, load_cases  # noqa: E402
from benchmarks.search_bench import judge, summarise  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402

FRESH = "realplaces_dev11"
ORIG = ["realplaces_national_bj_sh_cq", "realplaces_shandong", "realplaces_zj_gd_hn"]
TUNE_SETS = ["realplaces_dev2", "realplaces_dev3", "realplaces_dev4", "realplaces_dev7", "realplaces_dev8",
             "realplaces_dev9", "realplaces_dev10"]
GATE_SETS = ["realplaces_dev5", "realplaces_dev6"]


def select(split: str) -> tuple[list[dict], bool]:
    files = sorted(DATA.glob("realplaces_*.yaml"))
    cases = load_cases(files)

    def by(names: list[str]) -> list[dict]:
        return [c for c in cases if c["set"] in names]
    if split == "dev":
        return [c for c in cases if c["set"] in ORIG and c["split"] == "dev"], False
    if split == "heldout":
        return [c for c in cases if c["split"] == "heldout"], False
    if split == "all":
        return [c for c in cases if c["set"] != FRESH], False
    if split == "every":
        return cases, False
    if split == "devall":
        return [c for c in cases if c["split"] == "dev" and c["set"] != FRESH], False
    if split == "tune":
        return [c for c in cases if c["set"] in ORIG and c["split"] == "dev"] + by(TUNE_SETS), False
    if split == "gate":
        return by(GATE_SETS), True
    if split.startswith("dev") and split[3:].isdigit():
        return by([f"realplaces_{split}"]), False
    raise SystemExit(f"unknown split {split}")


def override(spec: str) -> None:
    target, _, value = spec.partition("=")
    mod_name, _, const = target.rpartition(".")
    mod = importlib.import_module(mod_name)
    old = getattr(mod, const)
    new = type(old)(value) if not isinstance(old, bool) else value.lower() in ("1", "true", "yes")
    setattr(mod, const, new)
    print(f"override {mod_name}.{const}: {old!r} -> {new!r}", file=sys.stderr)


def main() -> None:
    split, specs = sys.argv[1], sys.argv[2:]
    for s in specs:
        override(s)
    cases, totals_only = select(split)
    if os.environ.get("KIND"):
        cases = [c for c in cases if (c["kind"] == "dispute") == (os.environ["KIND"] == "dispute")]
    if os.environ.get("PROV"):
        cases = [c for c in cases if c["province"] == os.environ["PROV"]]
    kb = Path(os.environ.get("KB", "/tmp/rpkb"))
    settings = Settings(data_dir=kb, graph_name=GRAPH)
    store = open_store(settings, schema=False)  # a built KB, read only: no index writes
    runs = AskRuns(store, settings)
    rows = []
    try:
        for c, res, ms, _ in runs.answers(os.environ.get("MODE", "hybrid"), cases):
            rows.append({**judge(c, res), "ms": ms, "set": c["set"], "kind": c["kind"], "province": c["province"],
                         "q": c["q"], "place": c["place"], "lead": sorted(c["lead"]), "basis": c["basis"],
                         "got_basis": [f"{a.law_title}#{a.article}" for a in res.articles[:10]]})
    finally:
        runs.close()
        store.close()
    def line(name: str, sel: list[dict]) -> str:
        s = summarise(sel)
        if not s["n"]:
            return f"{name:34s} n=   0"
        return f"{name:34s} n={s['n']:4d} top1={s['owner_top1']} top3={s['owner_top3']} basis={s.get('basis_recall_at_10')}"
    if os.environ.get("DUMP") and not totals_only:
        Path(os.environ["DUMP"]).write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    print(line(f"TOTAL {split}", rows))
    if not totals_only:
        groups = defaultdict(list)
        for r in rows:
            groups[r["set"]].append(r)
        for name, sel in sorted(groups.items()):
            print(line("  " + name, sel))
        for kind in ("complaint", "dispute"):
            print(line("  kind " + kind, [r for r in rows if r["kind"] == kind]))
        provs = defaultdict(list)
        for r in rows:
            provs[r["province"]].append(r)
        for p, sel in sorted(provs.items()):
            print(line("  prov " + p, sel))


if __name__ == "__main__":
    main()
