"""Owner and basis quality on real places: hotline complaints and disputes over seven provinces and the nation.

    .venv/bin/python benchmarks/realplaces_bench.py /tmp/rpkb            # builds the KB first if needed
    .venv/bin/python benchmarks/realplaces_bench.py /tmp/rpkb --skip-build --modes hybrid --misses

The knowledge base is built with the README's own commands (benchmarks/kb_cli.py), nothing private:

    dutygraph ingest laws china-law
    dutygraph ingest laws ../shared/lawrefbook
    dutygraph index rebuild --cached-only

Queries: benchmarks/data/realplaces_*.yaml, written from the statutes' text without running the system
(complaints in callers' words, disputes phrased "X说归Y管，Y说归X管"), each labelled with the acceptable
lead authorities (statutory name, then today's successors), the cooperating ones and the settling
article(s); a `split` of dev / heldout, tuned only on dev. Metrics as in search_bench.py: owner top-1 /
top-3 / MRR, basis-article recall@10, warm latency; per split, per province, complaints vs disputes.
Writes benchmarks/results/realplaces.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import AskRuns, parse_run, write_results  # noqa: E402
from benchmarks.kb_cli import cli_env, run_commands  # noqa: E402
from benchmarks.search_bench import _authority, judge, summarise  # noqa: E402
from graph.divisions import divisions  # noqa: E402
from graph.places import NATIONAL, ancestors  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from search.filters import UnitFilter  # noqa: E402
from search.retriever import Retriever  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
GRAPH = "realplaces"
MODES = ("hybrid", "lexical", "vector")  # also "<mode>@e5|static|both" and "<mode>-noexpand" (benchmarks._common)
LAWREFBOOK = Path(__file__).resolve().parents[2] / "shared" / "lawrefbook"


def readme_commands(lawrefbook: Path, embedder: str | None) -> list[list[str]]:
    """The README's commands; the index: a static vector for every unit (the default tier), e5 where the cache
    has one (a cold e5 pass over the 139k articles takes hours on 2 cores: `index fill` adds it later)."""
    rebuild = ["index", "rebuild", "--cached-only"] + (["--embedder", embedder] if embedder else [])
    return [["ingest", "laws", "china-law"], ["ingest", "laws", str(lawrefbook)], rebuild]


def province_of(place: str) -> str:
    if place in ("全国", ""):
        return "全国"
    found = divisions().lookup(place)
    return found[0].province if found else place


def load_cases(files: list[Path] | None = None) -> list[dict[str, Any]]:
    cases = []
    for path in files or sorted(DATA.glob("realplaces_*.yaml")):
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]:
            cases.append({
                "set": path.stem, "q": q["q"], "place": q["place"], "province": province_of(q["place"]),
                "kind": q.get("kind", "complaint"), "split": q.get("split", "dev"),
                "lead": {_authority(a) for a in q["lead"]}, "authority": True, "basis": q.get("basis") or [],
                "ruling": None,
            })
    return cases


def run(settings: Settings, cases: list[dict[str, Any]], modes: tuple[str, ...], misses: bool) -> dict[str, Any]:
    store = open_store(settings)
    runs = AskRuns(store, settings)
    results: dict[str, Any] = {}
    try:
        for name in modes:
            mode = parse_run(name)[0]
            rows = []
            for c, res, ms, retriever in runs.answers(name, cases):
                local_in_national = c["place"] == "全国" and any(
                    a.jurisdiction not in ("", NATIONAL) for a in res.articles[:10])
                diag = _retrieval_diagnosis(retriever, c, res, mode) if name == modes[0] else {}
                rows.append({**judge(c, res), **diag, "ms": ms, "split": c["split"], "set": c["set"], "province": c["province"],
                             "kind": c["kind"], "q": c["q"], "place": c["place"], "lead": sorted(c["lead"]),
                             "basis": c["basis"], "got_basis": [f"{a.law_title}#{a.article}" for a in res.articles[:3]],
                             "local_in_national": local_in_national})
            results[name] = _groups(rows)
            a = results[name]["all"]["all"]
            h = results[name]["heldout"]["all"]
            print(f"{name:16s} all n={a['n']} top1={a['owner_top1']} top3={a['owner_top3']} basis@10={a['basis_recall_at_10']}"
                  f" | heldout n={h['n']} top1={h.get('owner_top1')} top3={h.get('owner_top3')} basis@10={h.get('basis_recall_at_10')}"
                  f" | p50={a['latency_p50_ms']} p95={a['latency_p95_ms']} ms", flush=True)
            if name == modes[0]:
                print("  settling article missing from the ten returned (all splits):", results[name]["all"]["basis_misses"])
                for set_name, f in results[name]["dev"]["sets"].items():
                    print(f"  dev {set_name}: n={f['n']} top1={f['owner_top1']} top3={f['owner_top3']}"
                          f" basis@10={f['basis_recall_at_10']}")
            if misses and name == modes[0]:
                for r in rows:
                    if r["split"] == "dev" and (r["rank"] != 1 or not r.get("basis_hit", True)):
                        print(f"  [{r['place']}] rank={r['rank']} basis={r.get('basis_hit')} {r['q'][:34]}\n"
                              f"      want={r['lead']} {r['basis']}\n      got={r['top']} {r['got_basis']}")
    finally:
        manifest = runs.manifest
        runs.close()
        store.close()
    return {"cases": len(cases), "results": results,
            "kb": {"units": manifest.unit_count, "kinds": manifest.kinds, "model": manifest.model,
                   "unembedded": manifest.unembedded, "coverage": manifest.coverage()}}


def _retrieval_diagnosis(retriever: Retriever, case: dict[str, Any], res: Any, mode: str) -> dict[str, Any]:
    """Where a settling article is lost: not retrieved at all, retrieved but not among the ten returned,
    or its statute retrieved but not the article. Articles alone, the place's applicable statutes, top 100."""
    if not case["basis"]:
        return {}
    wanted = {(b.split("#")[0].removeprefix("中华人民共和国"), b.split("#")[1]) for b in case["basis"]}
    laws = {w[0] for w in wanted}
    where = UnitFilter(kinds=frozenset({"Article"}), jurisdictions=frozenset(ancestors(res.jurisdiction)))
    hits = retriever.search(res.query, where=where, k=100, mode=mode)
    ranks = [i for i, h in enumerate(hits, 1)
             if ((h.unit.meta.get("law_title") or "").removeprefix("中华人民共和国"), str(h.unit.meta.get("article"))) in wanted]
    law_ranks = [i for i, h in enumerate(hits, 1)
                 if (h.unit.meta.get("law_title") or "").removeprefix("中华人民共和国") in laws]
    return {"settling_rank": ranks[0] if ranks else None, "law_rank": law_ranks[0] if law_ranks else None}


def _diagnosis(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the cases whose settling article is not in the ten returned: why."""
    missed = [r for r in rows if r.get("basis_hit") is False and "law_rank" in r]
    n = len(missed)
    if not n:
        return {"missed": 0}
    return {
        "missed": n,
        "article_in_top20_retrieval": sum(1 for r in missed if r["settling_rank"] and r["settling_rank"] <= 20),
        "article_in_top100_only": sum(1 for r in missed if r["settling_rank"] and r["settling_rank"] > 20),
        "statute_retrieved_not_article": sum(1 for r in missed if not r["settling_rank"] and r["law_rank"]),
        "statute_not_retrieved": sum(1 for r in missed if not r["settling_rank"] and not r["law_rank"]),
    }


def _groups(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in ("all", "dev", "heldout"):
        sel = [r for r in rows if split == "all" or r["split"] == split]
        by_prov: dict[str, list] = defaultdict(list)
        for r in sel:
            by_prov[r["province"]].append(r)
        out[split] = {
            "all": summarise(sel),
            "national_with_local_basis": sum(1 for r in sel if r["local_in_national"]),
            "basis_misses": _diagnosis(sel),
            "complaints": summarise([r for r in sel if r["kind"] != "dispute"]),
            "disputes": summarise([r for r in sel if r["kind"] == "dispute"]),
            "provinces": {p: summarise(v) for p, v in sorted(by_prov.items())},
            "sets": {name: summarise([r for r in sel if r["set"] == name]) for name in sorted({r["set"] for r in sel})},
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--lawrefbook", type=Path, default=LAWREFBOOK)
    ap.add_argument("--skip-build", action="store_true", help="the KB in data_dir is built: only ask")
    ap.add_argument("--embedder", default=None, help="`index rebuild --embedder` for the build (default: the setting)")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--limit", type=int, default=None, help="only the first N cases (no results file)")
    ap.add_argument("--misses", action="store_true", help="print the dev-split cases the full system gets wrong")
    a = ap.parse_args()
    t = time.perf_counter()
    env = cli_env(a.data_dir, GRAPH)
    build_s = {} if a.skip_build else run_commands(readme_commands(a.lawrefbook, a.embedder), env,
                                                   a.data_dir / "build.log")
    settings = Settings(data_dir=a.data_dir, graph_name=GRAPH)
    cases = load_cases()[: a.limit or None]
    out = run(settings, cases, tuple(a.modes.split(",")), a.misses)
    out.update({"build_seconds": build_s, "commands": ["dutygraph " + " ".join(c) for c in
                                                       readme_commands(Path("../shared/lawrefbook"), a.embedder)],
                "wall_s": round(time.perf_counter() - t, 1), "load_avg_1m_at_end": round(os.getloadavg()[0], 2)})
    if a.limit is None:
        write_results("realplaces", out)


if __name__ == "__main__":
    main()
