"""The README's main job: `dutygraph demo` answers the sample disputes, then serves the application and
prints its address (run here over the session's sample knowledge base, so nothing is rebuilt)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph.settings import Settings
from graph.store.falkor_server import free_port

pytestmark = pytest.mark.slow


def test_demo_answers_then_serves(sample_kb: Settings) -> None:
    env = {**os.environ, "DUTYGRAPH_DATA_DIR": str(sample_kb.data_dir), "DUTYGRAPH_GRAPH_URI": sample_kb.graph_uri,
           "DUTYGRAPH_GRAPH_NAME": sample_kb.graph_name, "COLUMNS": "160"}
    port = free_port()
    exe = Path(sys.executable).with_name("dutygraph")
    proc = subprocess.Popen([str(exe), "demo", "--no-embed-rest", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 240
        address = None
        while time.monotonic() < deadline and address is None:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line and proc.poll() is not None:
                break
            lines.append(line)
            m = re.search(r"serving at (http://[\d.]+:\d+/)", line)
            address = m.group(1) if m else None
        out = "".join(lines)
        assert address == f"http://127.0.0.1:{port}/", out[-2000:]
        assert "候选责任部门" in out and "鲁安市文化和旅游局" in out, "the demo answers before serving"
        r = httpx.get(address + "api/v1/ask", params={"q": "剧本杀店的消防谁管", "top": 3}, timeout=60)
        assert r.status_code == 200 and r.json()["candidates"]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
