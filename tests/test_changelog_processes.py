"""Two processes writing to one data directory (the server's workers, a CLI ingest beside them) keep one
unbroken hash chain: appends are serialised by a file lock, not only a thread lock."""

from __future__ import annotations

import multiprocessing as mp

from graph.settings import Settings
from graph.store import open_store

N = 150


def _writer(settings_json: str, who: str) -> None:
    settings = Settings.model_validate_json(settings_json)
    with open_store(settings) as store:
        for i in range(N):
            store.changelog.record("note", "Dispute", f"dispute:{who}-{i}", {"i": i}, actor=who)


def test_concurrent_processes_keep_the_chain(settings: Settings, store) -> None:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(settings.model_dump_json(), name)) for name in ("w1", "w2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    report = store.changelog.verify()
    assert report.ok, report.problems
    assert report.entries == 2 * N and report.head_seq == 2 * N
    assert {e.actor for e in store.changelog.entries()} == {"w1", "w2"}
