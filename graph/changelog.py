"""The hash-chained change log of the graph's writes: assignment edges (HOLDS, RESPONSIBLE_FOR, ASSIGNS), node
status changes, ingests, and whatever else a caller records (case transitions, user management).

Each entry holds the previous entry's hash, and its own hash covers every field, so rewriting an
entry breaks its hash and removing one breaks the chain. Removing entries from the end leaves a valid
shorter chain; the head (seq, hash) is therefore also written to an anchor file outside the graph,
and `dutygraph audit verify` reports a missing or unreadable anchor. `audit head` prints it for keeping elsewhere.

The store writes an edge and its entry in one statement, under the log's lock (see GraphStore.upsert_edges),
so a crash leaves both or neither, and the log's last entry for an edge is what the graph holds. `verify`
therefore also reconciles the live assignment edges against the log: an edge written, changed or deleted
around the program is reported by its key. An edge a newer source file states again is re-keyed in place (`rekey`,
or `merge` where the same fact stood twice; see GraphStore._restate): verify follows it to its new key, and an
edge's entries include those of the keys it had before.

Entry hashes are versioned: version 1 (entries written before `asserted_by` had a field of its own) hashes the
fields it had, so an existing log still verifies; version 2 adds `asserted_by` and `v` to what is hashed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from graph.ontology import ASSIGNMENT_TYPES

if TYPE_CHECKING:
    from graph.store.base import GraphStore

GENESIS = "0" * 64
LABEL = "ChangeLogEntry"
HASH_VERSION = 2
_V1_FIELDS = {"hash", "v", "asserted_by"}  # what a version-1 hash leaves out: the fields it did not have
# an edge of a source file restated by another file (GraphStore._restate): re-keyed in place, or merged into one
REKEYS = frozenset({"rekey", "merge"})


class ChangeEntry(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    rel_type: str
    edge_key: str
    src: str
    dst: str
    payload: str
    prev_hash: str
    asserted_by: str = ""
    v: int = 1
    hash: str = ""

    def compute_hash(self) -> str:
        body = self.model_dump(exclude=_V1_FIELDS if self.v == 1 else {"hash"})
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class VerifyReport(BaseModel):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problems: list[str]


def plain(value: Any) -> Any:
    """A value as the log's payload holds it (dates as ISO text, tuples as lists), so a live value compares with
    its entry."""
    return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


class ChangeLog:
    def __init__(self, store: GraphStore, anchor: Path | None):
        self.store = store
        self.anchor = anchor
        self._lock = threading.RLock()
        self._depth = 0  # how deep the holding thread is in writer()
        self._verified: tuple[tuple[Any, ...], VerifyReport] | None = None
        self._verified_at = 0.0

    def head(self) -> tuple[int, str]:
        rows = self.store.read(f"MATCH (c:{LABEL}) RETURN c.seq AS seq, c.hash AS hash ORDER BY c.seq DESC LIMIT 1")
        return (int(rows[0]["seq"]), rows[0]["hash"]) if rows else (0, GENESIS)

    @contextlib.contextmanager
    def writer(self) -> Iterator[None]:
        """One writer at a time, across threads and across processes on the same data directory (the server's
        workers, a CLI ingest beside them): a file lock beside the anchor file. Reentrant within a thread, so a
        store write that appends entries may run inside it."""
        with self._lock:
            self._depth += 1
            try:
                if self.anchor is None or self._depth > 1:
                    yield
                    return
                self.anchor.parent.mkdir(parents=True, exist_ok=True)
                with open(self.anchor.with_name(self.anchor.name + ".lock"), "a") as fh:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                    try:
                        yield
                    finally:
                        fcntl.flock(fh, fcntl.LOCK_UN)
            finally:
                self._depth -= 1

    def prepare(self, action: str, rel_type: str, rows: list[dict[str, Any]], actor: str | None,
                after: tuple[int, str] | None = None) -> list[ChangeEntry]:
        """Entries for changed rows (`src`, `dst`, `key`, `props`) following `after` (default: the head), not yet
        written: the store writes them with the change itself. Call under `writer()`."""
        seq, prev = after or self.head()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entries = []
        for r in rows:
            seq += 1
            props = r.get("props", {})
            e = ChangeEntry(
                seq=seq, at=now, actor=actor or props.get("asserted_by") or "system", action=action,
                rel_type=rel_type, edge_key=r["key"], src=r["src"], dst=r["dst"],
                payload=json.dumps(props, sort_keys=True, ensure_ascii=False, default=str), prev_hash=prev,
                asserted_by=str(props.get("asserted_by") or ""), v=HASH_VERSION,
            )
            e.hash = e.compute_hash()
            prev = e.hash
            entries.append(e)
        return entries

    def anchor_to(self, entries: list[ChangeEntry]) -> None:
        """Move the anchor to the last entry: written to a temporary file, synced, then renamed over the old one,
        so a crash leaves the old anchor or the new one, never a torn file."""
        if not entries or self.anchor is None:
            return
        self.anchor.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.anchor.with_name(self.anchor.name + ".tmp")
        with open(tmp, "w") as fh:
            fh.write(json.dumps({"seq": entries[-1].seq, "hash": entries[-1].hash}))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.anchor)

    def append(self, action: str, rel_type: str, rows: list[dict[str, Any]], actor: str | None) -> list[ChangeEntry]:
        """Append one entry per row (`src`, `dst`, `key`, `props`) for a change already made or made by the caller
        under `writer()`."""
        with self.writer():
            entries = self.prepare(action, rel_type, rows, actor)
            self.store.upsert_node_rows(LABEL, [{"id": f"log:{e.seq}", "props": e.model_dump()} for e in entries])
            self.anchor_to(entries)
            return entries

    def record(self, action: str, label: str, node_id: str, payload: dict[str, Any], actor: str) -> ChangeEntry:
        """Log a write that is not an assignment edge (a dispute opened, a file ingested) with its caller:
        `rel_type` holds the label written and `edge_key`/`src` the node id, so one chain covers all writes."""
        return self.append(action, label, [{"key": node_id, "src": node_id, "dst": "", "props": payload}], actor)[0]

    def entries(self, edge_keys: list[str] | None = None) -> list[ChangeEntry]:
        """Every entry, or those of the given keys and of the keys they were re-keyed from (`rekey`, `merge`: a fact
        moved to a new source file keeps its history)."""
        if edge_keys is None:
            rows = self.store.read(f"MATCH (c:{LABEL}) RETURN properties(c) AS c ORDER BY c.seq")
            return [ChangeEntry(**{k: v for k, v in r["c"].items() if k != "id"}) for r in rows]
        seen, todo, found = set(edge_keys), list(edge_keys), {}
        while todo:
            for r in self.store.read(f"MATCH (c:{LABEL}) WHERE c.edge_key IN $keys RETURN properties(c) AS c",
                                     {"keys": todo}):
                e = ChangeEntry(**{k: v for k, v in r["c"].items() if k != "id"})
                found[e.seq] = e
            todo = [k for e in found.values() if e.action in REKEYS
                    if (k := json.loads(e.payload).get("from")) and k not in seen]
            seen.update(todo)
        return [found[s] for s in sorted(found)]

    # -- verification ---------------------------------------------------------------------------------
    def verify(self, anchor_hash: str | None = None, *, max_age_s: float | None = None) -> VerifyReport:
        """The chain, the anchor, and the live graph against the log.

        `max_age_s` (a busy /trace) reuses a report at most that old while the log's head, the graph's write
        version and the anchor are unchanged, so the whole log is not re-read on every call. An edit made
        around the program to an older entry moves none of those, so a cached report can miss it for that
        long: without `max_age_s` (`audit verify`, a trace from the command line) the log is always read."""
        key = (self.head(), self.store.version(), anchor_hash, self._anchor_text())
        now = time.monotonic()
        if (max_age_s is not None and self._verified is not None and self._verified[0] == key
                and now - self._verified_at <= max_age_s):
            return self._verified[1]
        report = self._verify(anchor_hash)
        self._verified, self._verified_at = (key, report), now
        return report

    def _anchor_text(self) -> str | None:
        try:
            return self.anchor.read_text() if self.anchor is not None else None
        except OSError:
            return None

    def _verify(self, anchor_hash: str | None) -> VerifyReport:
        problems: list[str] = []
        prev, expected_seq = GENESIS, 1
        entries = self.entries()
        for e in entries:
            if e.seq != expected_seq:
                problems.append(f"entry {expected_seq}..{e.seq - 1} missing (removed)")
            if e.prev_hash != prev:
                problems.append(f"entry {e.seq}: previous-hash link broken (an earlier entry was removed or rewritten)")
            if e.compute_hash() != e.hash:
                problems.append(f"entry {e.seq}: content does not match its hash (rewritten)")
            prev, expected_seq = e.hash, e.seq + 1
        head_seq = entries[-1].seq if entries else 0
        head_hash = entries[-1].hash if entries else GENESIS
        want, want_seq = anchor_hash, None
        if want is None and self.anchor is not None and entries:
            text = self._anchor_text()
            if text is None:
                problems.append(f"the anchor file {self.anchor.name} is missing: removal of entries from the end "
                                "cannot be checked (keep `dutygraph audit head` elsewhere, and pass it with --anchor)")
            else:
                try:
                    raw = json.loads(text)
                    want, want_seq = str(raw["hash"]), int(raw["seq"])
                except (ValueError, KeyError, TypeError):
                    problems.append(f"the anchor file {self.anchor.name} is unreadable (torn or edited)")
        if want is not None and want != head_hash and not any(e.hash == want for e in entries):
            where = f" (seq {want_seq})" if want_seq else ""
            problems.append(f"anchored head{where} {want[:12]}… is not in the log: entries were removed from the end or rewritten")
        problems += self.reconcile(entries)
        return VerifyReport(ok=not problems, entries=len(entries), head_seq=head_seq, head_hash=head_hash, problems=problems)

    def reconcile(self, entries: list[ChangeEntry]) -> list[str]:
        """The live assignment edges against what the log says they are: an edge the log does not know (written
        around the program), one whose properties differ from its last entry, or one the log has that is gone."""
        expected: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for e in entries:
            if e.rel_type not in ASSIGNMENT_TYPES:
                continue
            k = (e.rel_type, e.src, e.dst, e.edge_key)
            payload = json.loads(e.payload)
            if e.action == "assert":  # the store writes `SET e += props`: what it had stays unless overwritten
                expected[k] = {**expected.get(k, {}), **payload}
            elif e.action == "supersede":
                expected.setdefault(k, {})["valid_to"] = payload.get("valid_to")
            elif e.action in REKEYS:  # the edge `from` now has this key and these properties, or was merged into it
                before = expected.pop((e.rel_type, e.src, e.dst, payload.pop("from", "")), {})
                if e.action == "rekey":
                    expected[k] = {**before, **payload}
        types = "|".join(sorted(ASSIGNMENT_TYPES))
        live = {(r["t"], r["s"], r["d"], r["p"].get("key")): plain(r["p"]) for r in self.store.read(
            f"MATCH (a)-[e:{types}]->(b) RETURN type(e) AS t, a.id AS s, b.id AS d, properties(e) AS p")}
        problems = []
        for k in sorted(live.keys() - expected.keys()):
            problems.append(f"edge {k[0]} {k[3]} ({k[1]} → {k[2]}) is not in the change log: written around the program")
        for k in sorted(expected.keys() - live.keys()):
            problems.append(f"edge {k[0]} {k[3]} ({k[1]} → {k[2]}) is in the change log but not in the graph: deleted")
        for k in sorted(live.keys() & expected.keys()):
            want, have = expected[k], live[k]
            changed = sorted(f for f in want.keys() | have.keys() if want.get(f) != have.get(f))
            if changed:
                problems.append(f"edge {k[0]} {k[3]} ({k[1]} → {k[2]}): {', '.join(changed)} changed outside the change log")
        return problems
