"""The embedded FalkorDB server: persistence across restarts, one server per data directory, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import SettingError, StoreUnavailable
from graph.ontology import Authority, Jurisdiction
from graph.settings import Settings, load_settings
from graph.store import open_store
from graph.store.falkor_server import EmbeddedFalkorDB, _alive

pytestmark = pytest.mark.slow


def test_graph_survives_a_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, graph_name="persist")
    store = open_store(settings)
    pid = store.server.info.pid
    store.upsert_nodes([Jurisdiction(name="全国", level="全国"), Authority(name="公安机关")])
    store.close()  # last client: server saves and stops
    assert not _alive(pid) or os.waitpid(pid, os.WNOHANG)
    assert EmbeddedFalkorDB(tmp_path).status() is None

    store = open_store(settings)
    try:
        assert store.server.info.pid != pid
        assert store.counts() == {"Jurisdiction": 1, "Authority": 1}
    finally:
        store.close()


_CHILD = """
import sys
from graph.settings import Settings
from graph.store import open_store
s = open_store(Settings(data_dir=sys.argv[1], graph_name="shared"))
print(s.server.info.pid, s.server.info.port, flush=True)
sys.stdin.readline()
s.close()
"""


def test_two_processes_share_one_server(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", _CHILD, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        seen = [p.stdout.readline().split() for p in procs]
        assert seen[0] == seen[1], "both processes must use the same server"
        server_pid = int(seen[0][0])
        procs[0].communicate("\n", timeout=30)
        assert _alive(server_pid), "server must stay up while another process uses it"
        procs[1].communicate("\n", timeout=60)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert EmbeddedFalkorDB(tmp_path).status() is None


def test_bad_settings_name_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYGRAPH_GRAPH_URI", "mysql://nope")
    with pytest.raises(SettingError, match="DUTYGRAPH_GRAPH_URI"):
        load_settings()
    monkeypatch.delenv("DUTYGRAPH_GRAPH_URI")
    monkeypatch.setenv("DUTYGRAPH_BATCH_SIZE", "0")
    with pytest.raises(SettingError, match="DUTYGRAPH_BATCH_SIZE"):
        load_settings()


def test_busy_port_and_unreachable_server_name_the_setting(tmp_path: Path, falkor_server) -> None:
    with pytest.raises(StoreUnavailable, match="DUTYGRAPH_FALKORDB_PORT"):
        open_store(Settings(data_dir=tmp_path, falkordb_port=falkor_server.port))
    with pytest.raises(StoreUnavailable, match="DUTYGRAPH_GRAPH_URI"):
        open_store(Settings(data_dir=tmp_path, graph_uri="falkordb://127.0.0.1:1"))
    with pytest.raises(StoreUnavailable, match="DUTYGRAPH_GRAPH_URI"):
        open_store(Settings(data_dir=tmp_path, graph_uri="bolt://127.0.0.1:1"))


def test_unwritable_data_dir_names_the_setting(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="DUTYGRAPH_DATA_DIR"):
        open_store(Settings(data_dir=blocker / "sub"))


def test_nested_stores_in_one_process_keep_the_server(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, graph_name="nested")
    outer = open_store(settings)
    inner = open_store(settings)
    assert inner.server.info.pid == outer.server.info.pid
    inner.close()
    assert outer.counts() == {}  # still answering
    outer.close()
    assert EmbeddedFalkorDB(tmp_path).status() is None


_TERMINATED = """
import signal, sys, time
from api.cli import _exit_on_term
from graph.settings import Settings
from graph.store import open_store
signal.signal(signal.SIGTERM, _exit_on_term)  # what `dutygraph` installs for every command
with open_store(Settings(data_dir=sys.argv[1], graph_name="term")) as store:
    print(store.server.info.pid, flush=True)
    time.sleep(120)
"""


def test_a_terminated_command_stops_the_server_it_started(tmp_path: Path) -> None:
    """`kill` (SIGTERM) on a long command such as `dutygraph index rebuild` must not leave FalkorDB running."""
    import signal

    child = subprocess.Popen([sys.executable, "-c", _TERMINATED, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(child.stdout.readline())
        assert _alive(server_pid)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=120) == 128 + signal.SIGTERM
        assert EmbeddedFalkorDB(tmp_path).status() is None
    finally:
        if child.poll() is None:
            child.kill()
