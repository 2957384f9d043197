"""Build a benchmark's knowledge base the way the README tells a user to: `dutygraph` commands, nothing else.

Every benchmark that needs a knowledge base calls `run_commands` with the README's command lines, so a
figure in benchmarks/results/ is what a user who typed those commands gets. Settings go through the
environment (`DUTYGRAPH_DATA_DIR`, `DUTYGRAPH_GRAPH_NAME`, any other documented `DUTYGRAPH_*`), as a
user would set them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUTYGRAPH = ROOT / ".venv" / "bin" / "dutygraph"


def cli_env(data_dir: Path, graph: str, **settings: str) -> dict[str, str]:
    """The environment a user sets: a data folder, a graph name, and any documented setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYGRAPH_")}
    env.update({"DUTYGRAPH_DATA_DIR": str(data_dir), "DUTYGRAPH_GRAPH_NAME": graph})
    env.update({f"DUTYGRAPH_{k.upper()}": v for k, v in settings.items()})
    return env


def run_commands(commands: list[list[str]], env: dict[str, str], log: Path | None = None) -> dict[str, float]:
    """Run each `dutygraph …` command in order; stop with its output on failure. Returns seconds per command."""
    exe = str(DUTYGRAPH) if DUTYGRAPH.exists() else "dutygraph"
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    for args in commands:
        line = "dutygraph " + shlex.join(args)
        print(f"$ {line}", flush=True)
        t = time.perf_counter()
        with (log.open("a", encoding="utf-8") if log else open(os.devnull, "w")) as out:
            done = subprocess.run([exe, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            out.write(f"$ {line}\n{done.stdout}\n")
        seconds[line] = round(time.perf_counter() - t, 1)
        tail = "\n".join(done.stdout.strip().splitlines()[-3:])
        print(f"  {seconds[line]:.0f} s  {tail}", flush=True)
        if done.returncode != 0:
            sys.exit(f"`{line}` failed (exit {done.returncode}):\n{done.stdout[-4000:]}")
    return seconds
