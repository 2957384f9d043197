"""An upload is read in a child process under a memory and a CPU limit: a file of a few hundred bytes that expands
to millions of objects (a YAML alias bomb) is refused with 413 naming the file and the limit, the server's own
memory does not grow with it, nothing is stored, and the server goes on answering and loading good files."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.errors import IngestError
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.isolated import ReadLimitExceeded, _raise
from tests.test_api_uploads import _upload

pytest_plugins = ["tests.test_api_uploads"]  # its admin fixture (kb_store comes from conftest)

API = "/api/v1"
GOOD = "matters:\n  - name: 夜市管理\n    children: [{name: 夜市噪声}]\n".encode()


def alias_bomb(levels: int, fan: int = 10) -> bytes:
    """A matters taxonomy in which each level's node lists the level below `fan` times by alias: fan**levels nodes."""
    lines = ["leaf: &l0 {name: 叶}"]
    for k in range(1, levels + 1):
        lines.append(f"l{k}: &l{k} {{name: 层{k}, children: [{', '.join([f'*l{k - 1}'] * fan)}]}}")
    lines.append(f"matters: [*l{levels}]")
    return ("\n".join(lines) + "\n").encode()


@contextmanager
def rss_growth() -> Iterator[list[int]]:
    """The largest growth of this process's resident memory (bytes) while the block runs, sampled every 20 ms."""
    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * page

    start, peak, done = rss(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], rss() - start)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        yield peak
    finally:
        done.set()
        t.join()
        peak[0] = max(peak[0], rss() - start)


def _client(settings: Settings, **limits: int) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=limits)), raise_server_exceptions=False)


@pytest.mark.slow
def test_an_alias_bomb_is_refused_and_the_server_keeps_serving(settings: Settings, kb_store: GraphStore,
                                                               admin: dict[str, str]) -> None:
    bomb = alias_bomb(7)  # 11 million matters from 600 bytes: about 6 GB if read in the server
    assert len(bomb) < 1_000
    before = kb_store.counts()
    # The reading-time limit is lifted so that on a loaded machine the memory limit, the one under test, is reached first.
    with _client(settings, upload_read_memory_mb=400, upload_read_cpu_s=600) as c, rss_growth() as grew:
        r = _upload(c, "matters", "炸弹.yaml", bomb, admin)
        assert r.status_code == 413, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert "炸弹.yaml" in body["detail"] and "DUTYGRAPH_UPLOAD_READ_MEMORY_MB" in body["detail"]
        assert body["errors"][0]["field"] == "file"
        assert kb_store.counts() == before
        # the server answers, and the next (good) upload is read and stored as usual
        assert c.get(f"{API}/departments").status_code == 200
        ok = _upload(c, "matters", "夜市.yaml", GOOD, admin)
        assert ok.status_code == 200, ok.text
    assert kb_store.counts().get("Matter", 0) == before.get("Matter", 0) + 2
    assert grew[0] < 150 * 2**20, f"the server grew by {grew[0] / 2**20:.0f} MB reading the upload"


@pytest.mark.slow
def test_a_file_that_reads_too_long_is_refused(settings: Settings, kb_store: GraphStore,
                                               admin: dict[str, str]) -> None:
    before = kb_store.counts()
    with _client(settings, upload_read_cpu_s=2) as c:
        r = _upload(c, "matters", "慢.yaml", alias_bomb(7), admin)
        assert r.status_code == 413, r.text
        assert "慢.yaml" in r.json()["detail"] and "DUTYGRAPH_UPLOAD_READ_CPU_S" in r.json()["detail"]
        assert c.get(f"{API}/departments").status_code == 200
    assert kb_store.counts() == before


def test_a_reader_aborted_by_a_failed_allocation_is_refused_for_memory() -> None:
    """Under the memory limit an allocation may fail in Rust (pydantic-core) rather than in Python: the child then
    aborts after saying so on stderr (about 1 bomb in 4 here) — that is the memory limit too, not a broken file.
    Another abort stays a reader failure."""
    said = "memory allocation of 25165824 bytes failed\n"
    with pytest.raises(ReadLimitExceeded) as refused:
        _raise(("died", None), -signal.SIGABRT, "炸弹.yaml", 400, 60, said)
    assert refused.value.setting == "DUTYGRAPH_UPLOAD_READ_MEMORY_MB"
    with pytest.raises(IngestError, match="exit code -6"):
        _raise(("died", None), -signal.SIGABRT, "坏.yaml", 400, 60, "Fatal Python error: Aborted\n")
