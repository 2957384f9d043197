"""The README's main job: build the sample knowledge base if needed, answer sample disputes, then serve
the web application and API (printing its address).

First run on a fresh machine (2 cores): the 鲁安市 sample and the 378 national laws load in well under a
minute; the index then embeds what the answer needs first — the sample's duties, matters, mandate
clauses and rulings, and the statute articles they point at — while every article is searchable by
BM25 (and by the static tier's vectors, where it is on) at once. After answering, `dutygraph index fill`
embeds the remaining articles, most useful first, writing the index back as it goes (Ctrl-C is safe:
what is done is kept), so later runs have full transformer vector search.
"""

from __future__ import annotations

import os
import time

from api.console import console, err_console

QUESTIONS = (
    "小区旁边的停车场每天夜里货车进进出出，噪音吵得睡不着，打了好几次12345，几个部门都说不归自己管",
    "我们街上新开了一家剧本杀店，消防和剧本内容到底谁来管？",
)
HOME = "鲁安市"


def _sample_loaded(store) -> bool:
    from ingest.sample import HOME as HOME_ID

    rows = store.read("MATCH (d:Department)-[:IN]->(j:Jurisdiction) WHERE j.id STARTS WITH $home "
                      "RETURN count(d) AS n", {"home": HOME_ID})
    duties = store.read("MATCH (d:Duty) RETURN count(d) AS n")
    return bool(rows and rows[0]["n"] and duties and duties[0]["n"])


def _index_fresh(store, settings) -> bool:
    from search.index_build import index_dir
    from search.manifest import MANIFEST, Manifest, stale_reasons

    folder = index_dir(settings)
    if not (folder / MANIFEST).exists():
        return False
    return not stale_reasons(Manifest.load(folder), store)


def _embed_first(store):
    """Non-article units, and the articles local duties and rulings cite."""
    from graph.queries.units import linked_article_ids

    linked = linked_article_ids(store)
    return lambda unit: unit.kind != "Article" or unit.id in linked


def run_demo(embed_rest: bool = True, serve: bool = True, host: str | None = None, port: int | None = None) -> None:
    from api.cli_ask import ask_command
    from api.cli_index import build_with_progress
    from api.cli_ingest_sample import sample
    from graph.settings import get_settings
    from graph.store import open_store

    settings = get_settings()
    started = time.monotonic()
    with open_store(settings) as store:
        if not _sample_loaded(store):
            console.print("[bold]Building the 鲁安市 sample knowledge base[/] (first run only) …")
            sample(laws=True, cases=True, as_json=False)
        if not _index_fresh(store, settings):
            console.print("[bold]Indexing[/]: embedding what the demo needs first; every article is searchable by BM25 now")
            # the static tier's one-time distillation takes minutes on 2 cores: it is built after the first answer
            build_with_progress(store, settings, embed_only=_embed_first(store), static_tier=False)
    console.print(f"[dim]knowledge base ready in {time.monotonic() - started:.0f}s[/]\n")

    for q in QUESTIONS:
        console.rule(f"[bold]{q}")
        ask_command(q, jurisdiction=HOME, as_of=None, as_json=False, top=5)

    if not serve:
        if embed_rest:
            _embed_rest(settings)
        return
    if embed_rest and (_unembedded(settings) or _static_missing(settings)):
        _embed_rest_in_background(settings)
    from api.cli_serve import run_server

    run_server(host or settings.api_host, settings.api_port if port is None else port, settings.api_workers)


def _unembedded(settings) -> int:
    from search.index_build import index_dir
    from search.manifest import Manifest

    return Manifest.load(index_dir(settings)).unembedded


def _static_missing(settings) -> bool:
    """The static tier is wanted (DUTYGRAPH_STATIC_TIER) but the index was built without it."""
    from search.index_build import index_dir
    from search.manifest import Manifest

    return settings.static_tier and Manifest.load(index_dir(settings)).static is None


def _embed_rest_in_background(settings) -> None:
    """`dutygraph index rebuild` (static tier first, then the transformer's vectors) or, where the static
    tier is there already, `dutygraph index fill`, in a child process, so the embedding never holds up
    the server's answers; the server picks up each version of the index written back."""
    import subprocess
    import sys
    from pathlib import Path

    job = ["index", "rebuild"] if _static_missing(settings) else ["index", "fill"]
    log = Path(settings.data_dir) / "index-rebuild.log"
    exe = Path(sys.executable).with_name("dutygraph")
    cmd = [str(exe), *job] if exe.exists() else [sys.executable, "-m", "api.cli", *job]
    env = dict(os.environ)
    if not settings.fill_workers:  # beside a server that answers, one core is left to it; a set value decides
        env["DUTYGRAPH_FILL_WORKERS"] = str(max(1, (os.cpu_count() or 1) - 1))
    with open(log, "w") as fh:
        subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    err_console.print(
        f"\n[bold]{_unembedded(settings):,}[/] statute articles are ranked by BM25 until embedded; a background "
        f"`dutygraph {' '.join(job)}` gives every unit a static vector (minutes) and then the transformer's, most "
        f"useful first (about 10/s on 2 cores; progress in {log}). The server picks up each version it writes."
    )


def _embed_rest(settings) -> None:
    """Embed the articles the first index left to BM25 and rebuild the index (Ctrl-C keeps what is done)."""
    from api.cli_index import build_with_progress, fill_with_progress
    from graph.store import open_store

    n = _unembedded(settings)
    if not n and not _static_missing(settings):
        return
    err_console.print(
        f"\n[bold]{n:,}[/] statute articles lack transformer vectors. Embedding them now for later "
        "searches (about 10/s on 2 cores; Ctrl-C stops safely, what is done is kept and "
        "`dutygraph index fill` resumes) …"
    )
    try:
        if _static_missing(settings):
            with open_store(settings) as store:
                build_with_progress(store, settings, static_tier=True, embed_only=lambda u: False)
        fill_with_progress(settings)
    except KeyboardInterrupt:
        err_console.print("stopped; run `dutygraph index fill` later to finish (what is done is kept)")
