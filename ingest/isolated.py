"""An upload's dry run in a child process with a memory and a CPU limit, so a hostile file cannot take the server
down with it.

A few hundred bytes of YAML whose anchors repeat each other (an alias bomb) expand to millions of objects when
read; a workbook's shared strings or a Word document's XML are read whole into memory. The zip limits in
`ingest.upload` catch the crude cases; this catches what they cannot: the dry run, which reads the whole file with
the loader's own readers, runs in a freshly spawned process (nothing of the server's memory, locks or connections
inherited) under RLIMIT_AS and RLIMIT_CPU, with a wall-clock limit for a reader that blocks. The server only waits.
Past a limit the child is gone and the upload is refused (`ReadLimitExceeded`); nothing was stored.

The load that follows a passed dry run reads the file with the same readers, so it needs about what the dry run
needed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import signal
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import DutygraphError, IngestError
from graph.settings import Settings
from ingest.sources import UploadOptions

_MB = 1 << 20
_START_S = 10  # wall seconds to spawn the child and open the store, before its CPU limit starts counting
_WALL_FACTOR = 3  # a loaded machine stretches CPU seconds into wall seconds; past this the reader is taken as blocked
# What Rust's allocator prints before it aborts the process (pydantic-core's validation of a huge document): under
# RLIMIT_AS an allocation there fails as often as one in Python does, where it is a MemoryError
_RUST_OOM = "memory allocation of "
_log = logging.getLogger(__name__)


class ReadLimitExceeded(DutygraphError):
    """Reading the file needed more memory or time than an upload may take (`setting` names the limit)."""

    def __init__(self, name: str, reason: str, setting: str):
        self.name, self.reason, self.setting = name, reason, setting
        super().__init__(f"{name}: {reason} ({setting}); nothing was stored")


def dry_run(settings: Settings, kind: str, path: Path, name: str, opts: UploadOptions) -> None:
    """`ingest.upload.dry_run` in a child process under the settings' limits; raises its IngestError (or another
    domain error) as it would, and ReadLimitExceeded when the child runs out of memory or time."""
    mem_mb, cpu_s = settings.upload_read_memory_mb, settings.upload_read_cpu_s
    mp = multiprocessing.get_context("spawn")
    receive, send = mp.Pipe(duplex=False)
    with tempfile.TemporaryDirectory(prefix="upload-check-") as tmp:
        stderr = Path(tmp) / "stderr"  # what a child that dies says last, to tell why
        child = mp.Process(target=_child, name=f"upload-check {name}", daemon=True,
                           args=(send, settings, kind, str(path), name, opts.model_dump(mode="json"), mem_mb, cpu_s,
                                 str(stderr)))
        child.start()
        send.close()  # the child holds the only writing end: a child that dies ends the wait at once (EOF)
        try:
            outcome = receive.recv() if receive.poll(_START_S + _WALL_FACTOR * cpu_s) else ("wall", None)
        except EOFError:  # died without a word: killed by a limit or crashed
            outcome = ("died", None)
        finally:
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()
        said = stderr.read_text(errors="replace")[-2000:] if stderr.exists() else ""
    if said.strip():
        _log.warning("the upload check of %s wrote: %s", name, said.strip())
    _raise(outcome, child.exitcode, name, mem_mb, cpu_s, said)


def _raise(outcome: tuple[str, Any], exitcode: int | None, name: str, mem_mb: int, cpu_s: int, said: str = "") -> None:
    """The upload's fate from what the child sent, how it ended and (`said`) what it last wrote to stderr."""
    what, value = outcome
    if what == "ok":
        return
    if what == "ingest":
        raise IngestError(*value)
    if what == "error":
        raise value
    memory = ReadLimitExceeded(name, f"reading this file needs more than {mem_mb} MB of memory",
                               "DUTYGRAPH_UPLOAD_READ_MEMORY_MB")
    if what == "memory" or what == "died" and (exitcode == -signal.SIGKILL
                                               or exitcode == -signal.SIGABRT and _RUST_OOM in said):
        raise memory
    if what == "wall" or exitcode == -signal.SIGXCPU:
        raise ReadLimitExceeded(name, f"reading this file takes more than {cpu_s} s", "DUTYGRAPH_UPLOAD_READ_CPU_S")
    raise IngestError(name, f"the reader stopped on this file (exit code {exitcode})")


def _child(send: Connection, settings: Settings, kind: str, path: str, name: str, opts: dict[str, Any],
           mem_mb: int, cpu_s: int, stderr: str) -> None:
    """Inside the child: stderr to the file the parent reads, the memory limit, the CPU limit once the store is
    open (the reading starts there); the outcome goes back as data, never as a traceback."""
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    resource.setrlimit(resource.RLIMIT_AS, (mem_mb * _MB, mem_mb * _MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would otherwise leave a core file behind
    outcome: tuple[str, Any]
    try:
        from graph.store import open_store
        from ingest import upload

        store = open_store(settings, schema=False)
        try:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            used = int(usage.ru_utime + usage.ru_stime) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_s, used + cpu_s + 5))
            upload.dry_run(store, kind, Path(path), name, UploadOptions(**opts))
        finally:
            store.close()
        outcome = ("ok", None)
    except MemoryError:
        outcome = ("memory", None)
    except IngestError as exc:  # sent as its fields: its constructor does not take its own message back
        outcome = ("ingest", (exc.file, exc.reason, exc.row, exc.field))
    except DutygraphError as exc:
        outcome = ("error", exc) if _round_trips(exc) else ("ingest", (name, str(exc), None, None))
    send.send(outcome)
    send.close()


def _round_trips(exc: Exception) -> bool:
    """Whether the error comes out of pickle as it went in (domain errors with their own constructor may not)."""
    try:
        return type(pickle.loads(pickle.dumps(exc))) is type(exc)
    except Exception:
        return False
