"""Retrieval speed on a synthetic ~30k-unit knowledge base: index build throughput and warm query latency.

    .venv/bin/python benchmarks/retrieval_bench.py [--units 30000] [--queries 200] [--e5-sample 1000]

Writes benchmarks/results/retrieval.json. What it measures:

* graph → units → vectors → FAISS + BM25 → manifest, end to end through `build_indexes` on a real
  embedded FalkorDB, for the exact (flat) and the HNSW index. The 30k-unit builds use a hashing
  embedder (character-bigram feature hashing, 384 dims) so the figure is the pipeline's own cost;
  the bundled e5q4 model's throughput is measured separately on `--e5-sample` units (cold cache,
  then warm cache), which is what a real first build adds per unit.
* warm query latency of `Retriever.search` (k=20, hybrid) without and with kind / place filters,
  plus e5q4 query-embedding latency, which a real query adds on top.
* recall@10 of the HNSW index against the exact one on the same vectors and queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import machine, percentile, write_results  # noqa: E402
from graph.ontology import (  # noqa: E402
    Article,
    Department,
    Duty,
    Holds,
    Jurisdiction,
    Law,
    Mandate,
    MandateClause,
    Matter,
    ResponsibleFor,
    Ruling,
)
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from search.embedders import EmbeddingCache, embed_cached, make_embedder  # noqa: E402
from search.embedders.base import Embedder, normalise_rows  # noqa: E402
from search.index_build import build_indexes  # noqa: E402
from search.retriever import Retriever  # noqa: E402

OBJECTS = ["占道经营", "流动摊贩", "噪声扰民", "油烟污染", "违章建筑", "共享单车", "户外广告", "建筑垃圾", "渣土运输",
           "餐饮油烟", "宠物犬", "燃气安全", "电动车充电", "物业服务", "电梯故障", "二次供水", "食品安全", "农贸市场",
           "校外培训", "网约车", "停车收费", "河道垃圾", "秸秆焚烧", "违法养殖", "散煤燃烧", "路灯损坏", "井盖缺失",
           "绿化带", "拆迁补偿", "工资拖欠"]
ACTIONS = ["监督管理", "行政处罚", "行政许可", "日常巡查", "投诉处理", "综合整治", "安全检查", "应急处置", "统筹协调"]
BODIES = ["城市管理部门", "市场监督管理部门", "生态环境主管部门", "公安机关", "住房和城乡建设主管部门", "交通运输主管部门",
          "自然资源主管部门", "农业农村主管部门", "水行政主管部门", "应急管理部门", "街道办事处", "乡镇人民政府"]
PLACES = ["城区", "背街小巷", "居民小区", "主干道两侧", "学校周边", "集贸市场", "河道沿岸", "城乡结合部"]
COLLOQUIAL = ["{p}有人{o}，天天这样，到底归谁管？", "{o}的事打了好几次电话都说不归他们管", "我家楼下{o}问题严重，找哪个部门",
              "{p}{o}没人处理，能不能派人来看看", "反映一下{o}，社区说管不了"]


class HashingEmbedder(Embedder):
    """Feature hashing of character bigrams into 384 signed dims: deterministic and cheap (bench only)."""

    name = spec = "hash-bigram-384"
    dim = 384

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            h = int.from_bytes(hashlib.blake2b(text[i:i + 2].encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0 if h & 1 << 31 else -1.0
        return v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim)))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise_rows(self._one(text))


def synthetic_graph(n: int, rng: random.Random) -> tuple[list, list, list[str]]:
    """Nodes and edges for about `n` units: 60% articles, 20% duties, 10% matters, 7% clauses, 3% rulings."""
    cn = Jurisdiction(name="全国", level="全国")
    sd = Jurisdiction(name="山东省", level="省", parent=cn.id)
    cities = [Jurisdiction(name=f"{c}市", level="市", parent=sd.id) for c in ("潍坊", "济南", "青岛", "烟台")]
    counties = [Jurisdiction(name=f"鲁安{i}市", level="县", parent=cities[i % 4].id) for i in range(8)]
    places = [cn, sd, *cities, *counties]
    nodes: list = list(places)
    edges: list = []
    depts = [Department(name=f"{c.name}{b}", jurisdiction=c.id, level="县") for c in counties for b in BODIES]
    nodes += depts

    def sentence() -> str:
        o, a, b, p = rng.choice(OBJECTS), rng.choice(ACTIONS), rng.choice(BODIES), rng.choice(PLACES)
        return f"{b}负责{p}{o}的{a}工作，对违反规定的责令改正，情节严重的依法处理。"

    n_art = int(n * 0.6)
    per_law = 60
    for li in range(max(1, n_art // per_law)):
        place = rng.choice(places[:6])
        law = Law(title=f"{place.name}{rng.choice(OBJECTS)}管理条例{li}", version="2020-01-01", level="地方性法规",
                  status=rng.choice(["现行有效"] * 9 + ["已废止"]), jurisdiction=place.id)
        nodes.append(law)
        nodes += [Article(law=law.id, number=str(k), ordinal=k, text=sentence() + sentence()) for k in range(1, per_law + 1)]
    for i in range(int(n * 0.2)):
        d = rng.choice(depts)
        duty = Duty(name=f"{rng.choice(OBJECTS)}{rng.choice(ACTIONS)}", type=rng.choice(["行政处罚", "行政许可", "其他"]),
                    list="bench", code=str(i), text=sentence())
        nodes.append(duty)
        edges.append(Holds(src=d.id, dst=duty.id, source="bench"))
    for i in range(int(n * 0.1)):
        o = rng.choice(OBJECTS)
        m = Matter(name=f"{o}{i}", path=["城市管理", o, f"{o}{i}"], description=sentence())
        nodes.append(m)
        edges.append(ResponsibleFor(src=rng.choice(depts).id, dst=m.id, source="bench"))
    for d in depts:
        mandate = Mandate(department=d.id, issued=dt.date(2019, 1, 1))
        nodes.append(mandate)
        k = max(1, int(n * 0.07) // len(depts))
        nodes += [MandateClause(mandate=mandate.id, department=d.id, number=str(j), text=sentence()) for j in range(k)]
    for i in range(int(n * 0.03)):
        nodes.append(Ruling(title=f"关于{rng.choice(OBJECTS)}管理职责的裁决{i}", jurisdiction=rng.choice(counties).id,
                            summary=sentence(), text=sentence() + sentence()))
    queries = [rng.choice(COLLOQUIAL).format(o=rng.choice(OBJECTS), p=rng.choice(PLACES)) for _ in range(400)]
    return nodes, edges, [c.id for c in counties] + [q for q in queries]


def latency(r: Retriever, queries: list[str], **kw: object) -> dict[str, float]:
    for q in queries[:20]:
        r.search(q, **kw)
    ms = []
    for q in queries:
        t = time.perf_counter()
        r.search(q, **kw)
        ms.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2), "n": len(ms)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=30_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--e5-sample", type=int, default=1000)
    args = ap.parse_args()
    rng = random.Random(7)
    out: dict[str, object] = {
        "machine": {**machine(), "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
                    "faiss_threads": faiss.omp_get_max_threads()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(data_dir=Path(tmp), graph_name="bench")
        store = open_store(s)
        try:
            nodes, edges, extra = synthetic_graph(args.units, rng)
            counties, queries = extra[:8], extra[8:8 + args.queries]
            t = time.perf_counter()
            store.upsert_nodes(nodes)
            store.upsert_edges(edges, actor="bench")
            out["graph_write_s"] = round(time.perf_counter() - t, 2)

            hasher = HashingEmbedder()
            builds = {}
            for label, flat_max in (("flat", 10**9), ("hnsw", 0)):
                bs = s.model_copy(update={"index_flat_max": flat_max, "graph_name": f"bench-{label}"})
                t = time.perf_counter()
                m = build_indexes(store, bs, embedder=hasher,
                                  folder=Path(tmp) / "index" / label)
                wall = time.perf_counter() - t
                builds[label] = {"units": m.unit_count, "wall_s": round(wall, 2),
                                 "units_per_s": round(m.unit_count / wall), "stages_s": m.seconds, "kinds": m.kinds}
                print(f"build {label}: {m.unit_count} units in {wall:.1f}s = {m.unit_count / wall:,.0f} units/s  {m.seconds}")
            out["build_hashing_embedder"] = builds

            lat: dict[str, dict] = {}
            rs = {label: Retriever.open(s, embedder=hasher, folder=Path(tmp) / "index" / label) for label in builds}
            for label, r in rs.items():
                lat[label] = {
                    "no_filter": latency(r, queries, k=20),
                    "kinds=Duty,Matter": latency(r, queries, k=20, kinds=["Duty", "Matter"]),
                    "jurisdiction chain": latency(r, queries, k=20, jurisdictions=["jur:全国", "jur:全国/山东省",
                                                                                   counties[0]]),
                    "kind Ruling": latency(r, queries, k=20, kinds=["Ruling"]),
                }
                print(f"search {label}: {lat[label]}")
            out["search_latency_hashing_embedder"] = lat
            qv = [hasher.embed_query(q) for q in queries]
            exact = [rs["flat"].vectors.search(v, 10)[1] for v in qv]
            approx = [rs["hnsw"].vectors.search(v, 10)[1] for v in qv]
            rec = float(np.mean([len(set(a.tolist()) & set(e.tolist())) / 10 for a, e in zip(approx, exact, strict=True)]))
            out["hnsw_recall_at_10"] = round(rec, 4)
            print(f"HNSW recall@10 vs exact: {rec:.4f}")
            for r in rs.values():
                r.close()

            e5 = make_embedder("e5q4", s)
            texts = [n.text for n in nodes if isinstance(n, Article)][: args.e5_sample]
            cache = EmbeddingCache(Path(tmp) / "e5cache.sqlite")
            t = time.perf_counter()
            embed_cached(e5, texts, cache, batch_size=s.embed_batch_size)
            cold = time.perf_counter() - t
            t = time.perf_counter()
            embed_cached(e5, texts, cache, batch_size=s.embed_batch_size)
            warm = time.perf_counter() - t
            cache.close()
            for q in queries[:10]:
                e5.embed_query(q)
            qms = []
            for q in queries:
                t = time.perf_counter()
                e5.embed_query(q)
                qms.append((time.perf_counter() - t) * 1000)
            out["e5q4"] = {
                "sample_units": len(texts), "mean_chars": round(statistics.mean(len(x) for x in texts), 1),
                "cold_units_per_s": round(len(texts) / cold, 1), "cached_units_per_s": round(len(texts) / warm),
                "query_embed_p50_ms": round(percentile(qms, 50), 2), "query_embed_p95_ms": round(percentile(qms, 95), 2),
            }
            print(f"e5q4: {out['e5q4']}")
            full = lat["flat"]["no_filter"]
            out["estimated_e5q4_query_p50_ms"] = round(full["p50_ms"] + out["e5q4"]["query_embed_p50_ms"], 2)
        finally:
            store.clear()
            store.close()
    write_results("retrieval", out)


if __name__ == "__main__":
    main()
