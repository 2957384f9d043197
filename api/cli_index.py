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


def build_with_progress(store, settings, *, embedder: str | None = None, embed_only=None, static_tier: bool | None = None):
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
                             static_tier=static_tier)


@index_app.command("rebuild")
def rebuild(
    embedder: Annotated[str | None, typer.Option(help="Embedder for this build (default: DUTYGRAPH_EMBEDDER).")] = None,
    static_tier: Annotated[bool | None, typer.Option(
        "--static-tier/--no-static-tier", help="Also build the fast static tier (default: DUTYGRAPH_STATIC_TIER).")] = None,
    cached_only: Annotated[bool, typer.Option(
        "--cached-only", help="With the static tier: give the main embedder's vectors only to units the embedding "
        "cache has (the static tier covers the rest at once); a later rebuild without it fills them in.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Read every text unit from the graph, embed what the cache lacks, and write fresh indexes."""
    from graph.settings import get_settings
    from graph.store import open_store
    from search.index_build import index_dir

    s = get_settings()
    with open_store(s) as store:
        manifest = build_with_progress(store, s, embedder=embedder, static_tier=static_tier,
                                       embed_only=(lambda u: False) if cached_only else None)
    if as_json:
        print(manifest.model_dump_json(indent=2))
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
    if as_json:
        print(json.dumps({"manifest": manifest.model_dump(), "coverage": manifest.coverage(), "stale": reasons},
                         ensure_ascii=False, indent=2))
    else:
        console.print(f"{manifest.unit_count:,} units, {manifest.model} ({manifest.dim} dims, {manifest.index_type}), "
                      f"built {manifest.built_at}")
        console.print(f"vectors: {coverage_line(manifest)}")
        console.print("[green]up to date[/]" if not reasons else "[yellow]stale[/]: " + "; ".join(reasons))
    raise typer.Exit(1 if reasons else 0)
