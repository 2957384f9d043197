"""Where asks run: in this process's threads, or in a pool of search processes fed from one queue.

Why not several uvicorn workers: a keep-alive connection stays with the worker that accepted it, so
callers split unevenly between workers (measured 12 / 8 of 20) and the busier worker's callers waited half
as long again; and within a worker, request threads take turns on one GIL, stretching every request
they share it with.

`SearchPool` keeps one server process for HTTP and hands each ask to whichever search process is
free next, in arrival order (one queue, one job at a time per process); asks that queue behind busy
processes go to the next free one together, up to ASK_BATCH in one job, which embeds their texts in one
forward pass: the model's weights are read and its small steps paid once for all of them. Work is balanced whatever the
connections do, and a caller's wait is its place in the queue, not the luck of its connection. Each
search process opens the graph store and the indexes once and reopens the indexes after a rebuild, as
the server does (`CurrentIndex`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.util import Finalize
from typing import Any

import anyio.to_thread
import orjson

from api.web.current_index import CurrentIndex
from api.web.problems import RETRY_AFTER_S, ProblemError, problem_for
from graph.errors import DutygraphError
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from search.gaps import GapItem
from search.service import SearchService

# waiting asks a free search process takes in one job: their texts go through the encoder in one forward pass
# (search.service.SearchService.asks_together). E5 CPU per split ask over the 168 鲁安市 questions in one process,
# asks 1 / 4 / 8 at a time: 16.0 / 12.7 / 11.9 ms, vectors bit-identical; more asks, longer waits for the first
ASK_BATCH = 4


def ask_contract(service: SearchService, text: str, jurisdiction: str | None, as_of: dt.date | None,
                 top: int, split: bool = False, aspects: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """The JSON answer of /ask: `AskResult.contract()`, the same shape the CLI prints and a proposal keeps;
    `split` answers each matter of a compound dispute on its own too (its `aspects`), `aspects` as given."""
    return service.ask(text, jurisdiction=jurisdiction, as_of=as_of, k=top, split=split, aspects=aspects).contract()


def ask_json(service: SearchService, text: str, jurisdiction: str | None, as_of: dt.date | None,
             top: int, split: bool = False) -> bytes:
    """`ask_contract` as the UTF-8 JSON bytes /ask sends: encoded once, where the answer is made, so the answer
    crosses to the HTTP process as one string instead of being pickled as objects and encoded again there."""
    return orjson.dumps(ask_contract(service, text, jurisdiction, as_of, top, split))


def rulings_contract(service: SearchService, text: str, place: str) -> list[dict[str, Any]]:
    """Rulings ranked by similarity to `text` (the place's own first), as JSON rows."""
    return [r.model_dump(mode="json") for r in service.rulings(text, place)]


def gaps_report(service: SearchService, kinds: tuple[str, ...], jurisdiction: str | None, as_of: str) -> list[GapItem]:
    """Gap items of these kinds, their owners suggested by the ask's ranking."""
    return service.gaps(kinds, jurisdiction, as_of)


# what a search process can be asked to do: every search the server runs is one of these
_JOBS = {"ask": ask_contract, "ask_json": ask_json, "rulings": rulings_contract, "gaps": gaps_report}


class Admission:
    """A bound on searches waiting or running at once (DUTYGRAPH_API_QUEUE_MAX): one more is refused at once with
    503 and Retry-After, so a flood of asks cannot build a queue that every later caller waits behind."""

    def __init__(self, limit: int):
        self.limit, self.active = limit, 0

    @contextlib.contextmanager
    def slot(self) -> Any:
        if self.active >= self.limit:  # the event loop's thread only: no lock needed
            raise ProblemError(503, "Busy", f"{self.active} searches are already waiting or running; try again shortly",
                               "busy", headers={"Retry-After": str(RETRY_AFTER_S)})
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1


class Searches:
    """Every search the server runs (asks, proposals, similar rulings, gaps) goes through one of these: each
    is named as its job (`_JOBS`) and handed to `_run`, in this process's threads or a search process."""

    served: dict[str, int]

    async def start(self) -> None:
        return None

    def close(self) -> None:
        return None

    async def _run(self, job: str, *args: Any) -> Any:
        raise NotImplementedError

    async def ask(self, text: str, jurisdiction: str | None, as_of: dt.date | None, top: int,
                  split: bool = False, aspects: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        return await self._run("ask", text, jurisdiction, as_of, top, split, aspects)

    async def ask_json(self, text: str, jurisdiction: str | None, as_of: dt.date | None, top: int,
                       split: bool = False) -> bytes:
        """The same answer as `ask`, as the JSON bytes of its contract (what POST /ask sends)."""
        return await self._run("ask_json", text, jurisdiction, as_of, top, split)

    async def rulings(self, text: str, place: str) -> list[dict[str, Any]]:
        return await self._run("rulings", text, place)

    async def gaps(self, kinds: tuple[str, ...], jurisdiction: str | None, as_of: str) -> list[GapItem]:
        return await self._run("gaps", kinds, jurisdiction, as_of)


class InlineSearches(Searches):
    """Asks in this process's request threads: for tests, notebooks and `--workers 0`."""

    def __init__(self, store: GraphStore, index: CurrentIndex):
        self.service = SearchService(store, index, index.settings)
        self.served: dict[str, int] = {}
        self.admission = Admission(index.settings.api_queue_max)

    async def _run(self, job: str, *args: Any) -> Any:
        with self.admission.slot():
            out = await anyio.to_thread.run_sync(_JOBS[job], self.service, *args)
        self.served[job] = self.served.get(job, 0) + 1
        return out


class SearchPool(Searches):
    """`processes` search processes (spawned, so no lock or connection is inherited), one shared queue."""

    def __init__(self, settings: Settings, processes: int):
        self.settings, self.processes = settings, processes
        self.served: dict[str, int] = {}  # answers the search processes gave, by job
        self._lock = threading.Lock()
        self._executor = self._new_executor()
        self.admission = Admission(settings.api_queue_max)
        self._waiting: list[tuple[tuple[Any, ...], asyncio.Future[tuple[str, Any]]]] = []  # asks for a free process
        self._sent = 0  # batches of asks in the search processes now (at most one per process)

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(self.settings,))

    async def start(self) -> None:
        """Start every process and load its store and indexes before the first caller is let in."""
        loop = asyncio.get_running_loop()
        pids = await asyncio.gather(*(loop.run_in_executor(self._executor, _worker_warm, 0.5)
                                      for _ in range(self.processes)))
        if len(set(pids)) < self.processes:  # a process answered twice: warm the rest
            await asyncio.gather(*(loop.run_in_executor(self._executor, _worker_warm, 0.0)
                                   for _ in range(self.processes)))

    async def _run(self, job: str, *args: Any) -> Any:
        executor = self._executor
        try:
            with self.admission.slot():
                kind, value = await asyncio.wrap_future(executor.submit(_worker_run, job, *args))
        except BrokenProcessPool:
            self._replace(executor)
            kind, value = "broken", None
        return self._answer(job, kind, value)

    def _answer(self, job: str, kind: str, value: Any) -> Any:
        if kind == "broken":
            raise ProblemError(503, "Search process failed", "a search process stopped while answering; "
                               "it has been restarted, please ask again", "search")
        if kind == "problem":
            raise ProblemError(*value)
        if kind == "error":
            raise value
        self.served[job] = self.served.get(job, 0) + 1
        return value

    async def ask_json(self, text: str, jurisdiction: str | None, as_of: dt.date | None, top: int,
                       split: bool = False) -> bytes:
        """Queued until a search process is free, which then takes up to ASK_BATCH waiting asks in one job
        (`_send`): alone when callers do not queue, together when they do."""
        with self.admission.slot():
            answered: asyncio.Future[tuple[str, Any]] = asyncio.get_running_loop().create_future()
            self._waiting.append(((text, jurisdiction, as_of, top, split), answered))
            self._send()
            kind, value = await answered
        return self._answer("ask_json", kind, value)

    def _send(self) -> None:
        """Hand the waiting asks, in arrival order, to free search processes, up to ASK_BATCH in one job."""
        self._waiting = [w for w in self._waiting if not w[1].done()]  # callers gone meanwhile
        while self._waiting and self._sent < self.processes:
            batch, self._waiting = self._waiting[:ASK_BATCH], self._waiting[ASK_BATCH:]
            executor, answered = self._executor, [f for _, f in batch]
            try:
                job = asyncio.wrap_future(executor.submit(_worker_asks, [args for args, _ in batch]))
            except Exception as exc:  # noqa: BLE001 - e.g. a pool shutting down: each ask of the batch is told, none waits
                outcome = self._failure(executor, exc)
                for future in answered:
                    future.set_result(outcome)
                continue
            self._sent += 1
            job.add_done_callback(functools.partial(self._sent_back, executor, answered))

    def _sent_back(self, executor: ProcessPoolExecutor, answered: list[asyncio.Future[tuple[str, Any]]],
                   job: asyncio.Future[list[tuple[str, Any]]]) -> None:
        self._sent -= 1
        try:
            results = job.result()
        except Exception as exc:  # noqa: BLE001 - every ask of the batch gets it, as each would have alone
            results = [self._failure(executor, exc)] * len(answered)
        for future, result in zip(answered, results, strict=True):
            if not future.done():
                future.set_result(result)
        self._send()

    def _failure(self, executor: ProcessPoolExecutor, exc: Exception) -> tuple[str, Any]:
        """What each ask of a job the pool could not run gets: a broken pool is replaced and said to be broken."""
        if isinstance(exc, BrokenProcessPool):
            self._replace(executor)
            return "broken", None
        return "error", exc

    def pids(self) -> list[int]:
        """The search processes' ids (for operators, and the tests that stop one)."""
        return sorted(p.pid for p in (self._executor._processes or {}).values() if p.pid is not None)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = self._new_executor()
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# --- inside a search process -------------------------------------------------------------------------

_service: SearchService | None = None


def _worker_init(settings: Settings) -> None:
    global _service
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server stops us in order
    store = open_store(settings, schema=False)
    _service = SearchService(store, CurrentIndex(settings), settings)
    Finalize(None, store.close, exitpriority=10)  # pool processes end through os._exit: atexit never runs


def _worker_warm(hold: float) -> int:
    """Load the indexes; `hold` keeps this process busy so the next warm-up lands on another one."""
    assert _service is not None
    with contextlib.suppress(ProblemError):  # no index yet: asks answer 503 until a rebuild writes one
        _service.index.get().warm()
    time.sleep(hold)
    return os.getpid()


def _worker_asks(asks: list[tuple[Any, ...]]) -> list[tuple[str, Any]]:
    """`ask_json` of each (text, place, as of, top, split), their texts embedded together
    (SearchService.asks_together); each ask's outcome on its own, so one failing fails no other."""
    assert _service is not None
    with _service.asks_together([(text, place, split) for text, place, _, _, split in asks]):
        return [_worker_one("ask_json", *args) for args in asks]


def _worker_one(job: str, *args: Any) -> tuple[str, Any]:
    try:
        return _worker_run(job, *args)
    except Exception as exc:  # noqa: BLE001 - sent back to that ask's caller alone
        return "error", exc


def _worker_run(job: str, *args: Any) -> tuple[str, Any]:
    """("ok", answer) or ("problem", ProblemError args): domain errors cross the process boundary as data."""
    assert _service is not None
    try:
        return "ok", _JOBS[job](_service, *args)
    except ProblemError as exc:
        return "problem", (exc.status, exc.title, exc.detail, exc.kind, exc.errors, exc.headers)
    except DutygraphError as exc:
        p = problem_for(exc)
        return "problem", (p.status, p.title, p.detail, p.kind, p.errors, p.headers)
