"""The three workflow notebooks: shipped executed, and executed again here against the sample KB.

The slow test runs each notebook in a fresh kernel on a temporary copy (the committed file is never
rewritten) with DUTYGRAPH_* pointing at the session's sample knowledge base; a failing cell fails the
test with that cell's source and error. The kernel is the `python3` kernelspec, which jupyter_client
starts with the interpreter running the tests (.venv's python), so the notebooks see the project.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from graph.settings import Settings

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_adjudicator.ipynb", "02_analyst_gaps.ipynb", "03_auditor_trace.ipynb"]
CELL_TIMEOUT = 240  # seconds per cell; each notebook takes well under a minute on a built index


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_valid_and_shipped_executed(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{name} has no code cells"
    not_run = [i for i, c in enumerate(code) if c.execution_count is None]
    assert not not_run, f"{name}: code cells {not_run} were never executed; ship it executed"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), f"{name}: cells run out of order"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name} was shipped with an error output: {errors[0].ename}: {errors[0].evalue}"
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2, f"{name}: most cells have no stored output"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


def test_kernel_runs_this_interpreter() -> None:
    """The python3 kernelspec must start the interpreter running the tests, or the kernel would not see
    the project's packages (jupyter_client replaces a bare `python` in argv with sys.executable)."""
    argv = KernelSpecManager().get_kernel_spec("python3").argv
    assert argv[0] in ("python", "python3", sys.executable), argv


def _kernel_env(kb: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYGRAPH_")}
    env.update({
        "DUTYGRAPH_DATA_DIR": str(kb.data_dir),
        "DUTYGRAPH_GRAPH_URI": kb.graph_uri,
        "DUTYGRAPH_GRAPH_NAME": kb.graph_name,
        "HF_HUB_OFFLINE": "1",
    })
    if "DUTYGRAPH_FALKORDB_PASSWORD" in os.environ:  # the test server's password (tests/conftest.py)
        env["DUTYGRAPH_FALKORDB_PASSWORD"] = os.environ["DUTYGRAPH_FALKORDB_PASSWORD"]
    return env


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_against_sample(name: str, sample_kb: Settings, tmp_path: Path) -> None:
    shipped = (NOTEBOOKS / name).read_bytes()
    copy = tmp_path / name
    shutil.copyfile(NOTEBOOKS / name, copy)
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:  # start from a clean copy so the outputs checked below are this run's
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    try:
        client.execute(env=_kernel_env(kb=sample_kb))
    except CellExecutionError as e:  # its message holds the failing cell's source and traceback
        pytest.fail(f"{name} failed:\n{e}", pytrace=False)
    elapsed = time.perf_counter() - t0
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{name}: some cells did not run"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    print(f"{name}: {len(code)} cells in {elapsed:.1f} s")
    assert (NOTEBOOKS / name).read_bytes() == shipped, f"running {name} rewrote the committed file"
