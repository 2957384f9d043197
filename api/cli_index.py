"""`dutygraph index …`: build and inspect the search indexes (vector + BM25) derived from the graph."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from api.console import console, err_console, progress

if TYPE_CHECKING:
    from search.manifest import Manifest

index_app = typer.Typer(help="The search indexes (FAISS vectors + BM25), rebuilt from the graph.", no_args_is_help=True)

_STAGES = {"read": "reading units", "segment": "segmenting (static tier)", "distil": "distilling the static model",
           "static": "static vectors", "embed": "embedding", "tokenise": "tokenising", "index": "building indexes"}


def build_with_progress(store, settings, *, embedder: str | None = None, embed_only=None, static_tier: bool | None = None,
                        force: bool = False):
    """`build_indexes` with a progress bar per stage; shared by `index rebuild` and the demo."""
    from search.embedders import make_embedder
    from search.embedders.static_tier import is_static_spec
    from search.index_build import build_indexes

    notice = lambda msg: err_console.print(f"[yellow]notice:[/] {msg}")  # noqa: E731
    spec = embedder or settings.embedder
    # a static spec is distilled over the corpus by the build itself
    emb = spec if is_static_spec(spec) else make_embedder(spec, settings, notice=notice)
    with progress() as bar:
        tasks: dict[str, int] = {}

        def tick(stage: str, n: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.advance(tasks[stage], n)

        return build_indexes(store, settings, embedder=emb, progress=tick, notice=notice, embed_only=embed_only,
                             static_tier=static_tier, force=force)


@index_app.command("rebuild")
def rebuild(
    embedder: Annotated[str | None, typer.Option(help="Embedder for this build (default: DUTYGRAPH_EMBEDDER).")] = None,
    static_tier: Annotated[bool | None, typer.Option(
        "--static-tier/--no-static-tier", help="Also build the fast static tier (default: DUTYGRAPH_STATIC_TIER).")] = None,
    cached_only: Annotated[bool, typer.Option(
        "--cached-only", help="With the static tier: stop once every unit is searchable — the main embedder's "
        "vectors only where the embedding cache has them; `dutygraph index fill` adds the rest later.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild even when the index was built from the same units and settings.")] = False,
) -> None:
    """Read every text unit from the graph and write fresh indexes.

    When the current index was built from the same units with the same embedder and settings (a change
    that moved the change log but no unit, such as re-extracted designations), only the graph's new state
    is recorded in its manifest, in the time it takes to read the units; `--force` rebuilds anyway.

    With the static tier (the default) every unit is searchable by BM25 and static vectors within minutes;
    the command then fills in the main embedder's vectors, most useful units first, writing the index back
    every few minutes (a running server picks each version up). Ctrl-C stops and keeps what is done."""
    from graph.settings import get_settings
    from graph.store import open_store

    s = get_settings()
    tiered = s.static_tier if static_tier is None else static_tier
    with open_store(s) as store:
        manifest = build_with_progress(store, s, embedder=embedder, static_tier=static_tier, force=force,
                                       embed_only=(lambda u: False) if tiered or cached_only else None)
    filling = tiered and not cached_only and manifest.unembedded > 0
    if not (as_json and filling):
        _report(manifest, s, as_json, refreshed=manifest.refreshed_at is not None)
    if filling:
        _report(fill_with_progress(s), s, as_json)


@index_app.command("fill")
def fill(
    checkpoint: Annotated[float, typer.Option(help="Seconds between two writes of the index while filling.")] = 300.0,
    limit: Annotated[int | None, typer.Option(help="Stop after this many units.")] = None,
) -> None:
    """Add the main embedder's vectors to the units of the current index that lack them (most useful first),
    writing the index back every `--checkpoint` seconds; Ctrl-C stops and keeps what is done."""
    from graph.settings import get_settings

    s = get_settings()
    _report(fill_with_progress(s, checkpoint_s=checkpoint, limit=limit), s, False)


def fill_with_progress(settings, *, checkpoint_s: float = 300.0, limit: int | None = None) -> Manifest:
    """`fill_main_tier` with a progress bar; shared by `index rebuild`, `index fill` and the demo."""
    from search.index_build import index_dir
    from search.index_fill import fill_main_tier
    from search.manifest import Manifest

    current = Manifest.load(index_dir(settings))
    missing = current.unembedded
    err_console.print(
        f"every unit is searchable now (BM25 and static vectors); embedding the {missing:,} units that lack "
        f"{current.model} vectors, most useful first, written back every "
        f"{checkpoint_s:.0f} s. Ctrl-C stops and keeps what is done (`dutygraph index fill` resumes).")
    with progress() as bar:
        task = bar.add_task("embedding (main tier)", total=min(missing, limit or missing))

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return fill_main_tier(settings, checkpoint_s=checkpoint_s, progress=tick, limit=limit)


def _report(manifest: Manifest, s, as_json: bool, *, refreshed: bool = False) -> None:
    from search.index_build import index_dir

    if as_json:
        print(manifest.model_dump_json(indent=2))
        return
    if refreshed:  # a rebuild that found nothing to change in the index files
        console.print(f"index unchanged: {manifest.unit_count:,} units, {manifest.model}, built {manifest.built_at}; "
                      f"graph state recorded {manifest.refreshed_at} → {index_dir(s)}")
        console.print(f"vectors: {coverage_line(manifest)}")
        return
    secs = manifest.seconds
    total = sum(secs.values()) or 1e-9
    console.print(
        f"indexed [bold]{manifest.unit_count:,}[/] units ({', '.join(f'{k} {v:,}' for k, v in manifest.kinds.items())}) "
        f"with {manifest.model} ({manifest.dim} dims, {manifest.index_type}) in {total:.1f}s "
        f"({manifest.unit_count / total:,.0f} units/s) → {index_dir(s)}"
    )
    console.print(f"vectors: {coverage_line(manifest)}")


def coverage_line(manifest: Manifest) -> str:
    """`e5q4 34.0% (…/…) · static 100.0% (…)`: the share of units each vector tier covers."""
    n = manifest.unit_count
    return " · ".join(f"{tier} {share:.1%} ({round(share * n):,}/{n:,})" for tier, share in manifest.coverage().items())


@index_app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Show the manifest and whether the indexes still match the graph; exit 1 if stale or missing."""
    from graph.settings import get_settings
    from graph.store import open_store
    from ingest.laws.loader import older_extractions
    from search.index_build import index_dir
    from search.manifest import MANIFEST, Manifest, stale_reasons

    s = get_settings()
    folder = index_dir(s)
    if not (folder / MANIFEST).exists():
        err_console.print(f"no index in {folder}: run `dutygraph index rebuild`")
        raise typer.Exit(1)
    manifest = Manifest.load(folder)
    with open_store(s) as store:
        reasons = stale_reasons(manifest, store)
    older, loaded = older_extractions(s)
    if as_json:
        print(json.dumps({"manifest": manifest.model_dump(), "coverage": manifest.coverage(), "stale": reasons,
                          "older_extractions": older, "statutes_loaded": loaded}, ensure_ascii=False, indent=2))
    else:
        console.print(f"{manifest.unit_count:,} units, {manifest.model} ({manifest.dim} dims, {manifest.index_type}), "
                      f"built {manifest.built_at}")
        console.print(f"vectors: {coverage_line(manifest)}")
        if manifest.refreshed_at:
            console.print(f"graph state recorded {manifest.refreshed_at} (units unchanged since the build)")
        console.print("[green]up to date[/]" if not reasons else "[yellow]stale[/]: " + "; ".join(reasons))
        if older:
            console.print(f"[yellow]{older:,} of {loaded:,} statutes were extracted by an older extractor or authority "
                          "table[/]: run `dutygraph ingest laws` on their folders again to re-extract them (their "
                          "designations change, not their texts: `index rebuild` then only records the graph's state)")
    raise typer.Exit(1 if reasons else 0)
