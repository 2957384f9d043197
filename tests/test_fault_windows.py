"""The narrow windows of three faults, hit every time instead of by chance: a server that stops answering is not
taken for dead (a second server on its directory would corrupt it); a crash right after an assignment edge's write
statement leaves no edge without its change-log entry; a writer paused right after its edge's write statement
cannot let another writer's entry come before its own. Each pause or crash is placed by wrapping a real part from
outside (a SIGSTOP, a wrapped `run` of the real store) — the program has no fault hooks.

The random versions (kill -9 at some point of a 10,000-row ingest, four writers racing) are in test_faults.py and
test_changelog_complete.py; they check scale, these check the windows."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from graph.errors import StoreUnavailable
from graph.ontology import Department, Matter, ResponsibleFor
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from graph.store.falkor_server import EmbeddedFalkorDB
from tests.test_faults import JURISDICTION, SAMPLES, _prepared

REPO = Path(__file__).resolve().parents[1]
EDGE_WRITE = "MERGE (a)-[e:`{rel}`"  # how the store's edge-writing statements begin their edge

# Runs `dutygraph ARGS…` and dies (as kill -9 would: no cleanup, no finally) right after the first statement that
# wrote HOLDS edges returns, before anything else runs.
CRASH_AFTER_EDGE_WRITE = f"""
import os, sys
from graph.store.falkor import FalkorStore
_run = FalkorStore.run
def run(self, cypher, params=None):
    rows = _run(self, cypher, params)
    if {EDGE_WRITE.format(rel="HOLDS")!r} in cypher:
        os._exit(9)
    return rows
FalkorStore.run = run
from api.cli import main
sys.argv = ["dutygraph", *sys.argv[1:]]
main()
"""


def _servers_of(data_dir: Path) -> set[int]:
    """The pids of every process running in `data_dir` (a redis-server runs in its data directory)."""
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if (proc / "cwd").resolve() == data_dir.resolve():
                    found.add(int(proc.name))
    return found


@pytest.mark.slow
def test_a_server_that_stops_answering_is_never_started_twice(tmp_path: Path) -> None:
    """A server stopped (SIGSTOP: alive, answering nothing, as one busy loading a large file) for longer than a
    second process waits is reported as unavailable, not replaced by a second server on its directory; once it
    answers again, the next process attaches to it."""
    data = tmp_path / "data"
    first = EmbeddedFalkorDB(data)
    info = first.acquire()
    second = EmbeddedFalkorDB(data, start_timeout=3)
    attached = None
    os.kill(info.pid, signal.SIGSTOP)
    try:
        with contextlib.suppress(StoreUnavailable):
            attached = second.acquire()
        running = _servers_of(data)
    finally:
        os.kill(info.pid, signal.SIGCONT)
        for pid in _servers_of(data) - {info.pid}:  # a second server, if one was started: gone before the check
            os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    assert running == {info.pid}, f"a second server was started on {data} beside the stopped one (pid {info.pid})"
    assert attached is None or attached.pid == info.pid

    third = EmbeddedFalkorDB(data, start_timeout=30)
    try:
        assert third.acquire().pid == info.pid
    finally:
        third.release()
        first.release()


def _dutygraph(settings: Settings, *args: str, crash: bool = False) -> subprocess.CompletedProcess[str]:
    """The command line on `settings`' graph, from this checkout; `crash`: through the wrapper above."""
    env = {**os.environ, "DUTYGRAPH_GRAPH_URI": settings.graph_uri, "DUTYGRAPH_GRAPH_NAME": settings.graph_name,
           "DUTYGRAPH_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(REPO)}
    code = CRASH_AFTER_EDGE_WRITE if crash else "import sys; from api.cli import main; sys.argv[0] = 'dutygraph'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_a_crash_right_after_an_edge_write_leaves_nothing_unlogged(settings: Settings) -> None:
    """The ingest dies right after its first HOLDS statement; the same command again gives the graph and the
    change log of one clean run, and `audit verify` finds nothing."""
    ingest = ("ingest", "dutylist", str(SAMPLES / "duty_list.csv"), "--jurisdiction", JURISDICTION, "--list", "luan-2026")
    clean = settings.model_copy(update={"graph_name": settings.graph_name + "_clean",
                                        "data_dir": settings.data_dir.with_name("clean")})
    with _prepared(clean) as store:
        done = _dutygraph(clean, *ingest)
        assert done.returncode == 0, done.stderr[-2000:]
        want = store.counts()
        store.clear()
    assert want["[:HOLDS]"] > 1000

    with _prepared(settings) as store:
        crashed = _dutygraph(settings, *ingest, crash=True)
        assert crashed.returncode == 9, crashed.stderr[-2000:]
        assert store.counts().get("[:HOLDS]", 0) > 0, "the crash came before any edge was written"
        again = _dutygraph(settings, *ingest)
        assert again.returncode == 0, again.stderr[-2000:]
        got = store.counts()
        verify = _dutygraph(settings, "audit", "verify", "--json")
        store.clear()
    # the clean run logged one ingest; the crashed one never got to its ingest entry: the same count
    assert got == want
    assert verify.returncode == 0, verify.stdout[-2000:]


@pytest.mark.slow
def test_a_writer_paused_after_its_edge_write_is_not_logged_after_a_later_writer(settings: Settings,
                                                                                  store: GraphStore) -> None:
    """Writer A asserts an edge and is held right after its write statement returns; writer B asserts the same
    edge with other contents meanwhile. Whatever order they end in, the graph holds what the log's last entry
    says (B cannot slip between A's edge and A's entry)."""
    dept = Department(name="部门0", jurisdiction="jur:全国/测试市")
    matter = Matter(name="占道经营", path=["市容", "占道经营"])
    store.upsert_nodes([matter, dept])

    def edge(i: int) -> ResponsibleFor:
        return ResponsibleFor(src=dept.id, dst=matter.id, source="ruling:x", role="lead",
                              valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=i))

    a, b = open_store(settings), open_store(settings)  # two writers, as two server workers are
    a_wrote, b_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    run = a.run

    def held_after_edge_write(cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        rows = run(cypher, params)
        if EDGE_WRITE.format(rel="RESPONSIBLE_FOR") in cypher and not a_wrote.is_set():
            a_wrote.set()
            b_done.wait(5)  # B's whole write fits in here, unless A's write statement left A holding the log
        return rows

    a.run = held_after_edge_write  # type: ignore[method-assign]

    def write(s: GraphStore, i: int, then: threading.Event | None = None) -> None:
        try:
            s.upsert_edges([edge(i)], actor=f"writer{i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            if then is not None:
                then.set()

    try:
        ta = threading.Thread(target=write, args=(a, 0))
        ta.start()
        assert a_wrote.wait(60), errors
        tb = threading.Thread(target=write, args=(b, 1, b_done))
        tb.start()
        ta.join(60)
        tb.join(60)
    finally:
        a.close()
        b.close()
    assert not errors, errors
    (live,) = store.read("MATCH (:Department)-[e:RESPONSIBLE_FOR]->(:Matter) RETURN properties(e) AS p")
    last = store.changelog.entries()[-1]
    assert json.loads(last.payload) == json.loads(json.dumps(live["p"], default=str)), (
        f"the edge holds {live['p']['valid_from']} but the log's last entry says {json.loads(last.payload)['valid_from']}")
    report = store.changelog.verify()
    assert report.ok, report.problems
