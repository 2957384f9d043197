"""The embedded FalkorDB is locked and survives faults: a password only the data directory's owner can read, a
server killed while the API serves (503, then recovery without restarting the API), a server that misses
pings is waited for instead of being started a second time on the same directory."""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import threading
import time
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from api.web.app import create_app
from graph.ontology import Department, Jurisdiction
from graph.settings import Settings
from graph.store import open_store
from graph.store.falkor_server import CONFIG_FILE, LOCK_FILE, SECRET_FILE, EmbeddedFalkorDB, _alive

pytestmark = pytest.mark.slow


def test_an_unauthenticated_connection_is_refused(tmp_path: Path) -> None:
    server = EmbeddedFalkorDB(tmp_path / "data")
    info = server.acquire()
    try:
        anonymous = redis.Redis(host="127.0.0.1", port=info.port, socket_timeout=5)
        with pytest.raises(redis.AuthenticationError):
            anonymous.execute_command("GRAPH.QUERY", "dutygraph", "CREATE (:Department {id: 'dept:intruder'})")
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(host="127.0.0.1", port=info.port, password="guess", socket_timeout=5).ping()
        assert redis.Redis(host="127.0.0.1", port=info.port, password=info.password, socket_timeout=5).ping()

        data = tmp_path / "data"
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        for private in (SECRET_FILE, CONFIG_FILE):
            assert stat.S_IMODE((data / private).stat().st_mode) == 0o600, private
        # the password is not on the server's command line, where any local user could read it
        assert info.password.encode() not in Path(f"/proc/{info.pid}/cmdline").read_bytes()
    finally:
        server.release()


def test_the_api_answers_503_while_the_server_is_down_and_recovers_on_its_own(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", graph_uri="falkordb", graph_name="fault")
    with open_store(settings) as s:
        s.upsert_nodes([Jurisdiction(name="鲁安市", level="市"), Department(name="鲁安市公安局", jurisdiction="jur:鲁安市")])
        first_pid = s.server.info.pid
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            assert c.get("/api/v1/departments").status_code == 200
            os.kill(first_pid, signal.SIGKILL)
            os.waitpid(first_pid, 0)  # this process started the server: reap it
            # another process holds the data directory for a while (as one restarting the server would):
            # callers get 503s meanwhile instead of waiting
            holder = open(settings.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - released by the timer
            fcntl.flock(holder, fcntl.LOCK_EX)
            threading.Timer(5.0, holder.close).start()
            statuses = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                r = c.get("/api/v1/departments")
                statuses.append(r.status_code)
                if r.status_code == 200:
                    break
                assert r.status_code == 503, r.text
                assert r.headers["content-type"].startswith("application/problem+json")
                assert int(r.headers["Retry-After"]) > 0
                time.sleep(0.2)
            assert statuses[0] == 503 and statuses[-1] == 200, statuses
            # the persisted graph is back (AOF), served by a new server on the same directory
            names = [d["name"] for d in r.json()["items"]]
            assert names == ["鲁安市公安局"]
        assert s.counts()["Department"] == 1  # the test's own store reconnects on its next call too
        assert s.server.info.pid != first_pid
        s.clear()


def test_a_server_that_misses_pings_is_waited_for_not_started_twice(tmp_path: Path) -> None:
    first = EmbeddedFalkorDB(tmp_path)
    info = first.acquire()
    os.kill(info.pid, signal.SIGSTOP)  # alive, but answering nothing: as a server busy loading a large file looks
    waker = threading.Timer(15.0, os.kill, (info.pid, signal.SIGCONT))
    waker.start()
    second = EmbeddedFalkorDB(tmp_path, start_timeout=40)
    try:
        attached = second.acquire()
        assert attached.pid == info.pid and attached.port == info.port
    finally:
        waker.join()
        second.release()
        first.release()
    assert not _alive(info.pid) or os.waitpid(info.pid, os.WNOHANG)
