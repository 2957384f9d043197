"""The hash-chained change log of assignment edges (HOLDS, RESPONSIBLE_FOR, ASSIGNS).

Each entry holds the previous entry's hash, and its own hash covers every field, so rewriting an
entry breaks its hash and removing one breaks the chain. Removing entries from the end leaves a valid
shorter chain; the head (seq, hash) is therefore also written to an anchor file outside the graph,
and `dutygraph audit head` prints it for keeping elsewhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from graph.store.base import GraphStore

GENESIS = "0" * 64
LABEL = "ChangeLogEntry"


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
    hash: str = ""

    def compute_hash(self) -> str:
        body = self.model_dump(exclude={"hash"})
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class VerifyReport(BaseModel):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problems: list[str]


class ChangeLog:
    def __init__(self, store: GraphStore, anchor: Path | None):
        self.store = store
        self.anchor = anchor
        self._lock = threading.Lock()

    def head(self) -> tuple[int, str]:
        rows = self.store.read(f"MATCH (c:{LABEL}) RETURN c.seq AS seq, c.hash AS hash ORDER BY c.seq DESC LIMIT 1")
        return (int(rows[0]["seq"]), rows[0]["hash"]) if rows else (0, GENESIS)

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """One appender at a time, across threads and across processes on the same data directory (the
        server's workers, a CLI ingest beside them): a file lock beside the anchor file."""
        with self._lock:
            if self.anchor is None:
                yield
                return
            self.anchor.parent.mkdir(parents=True, exist_ok=True)
            with open(self.anchor.with_name(self.anchor.name + ".lock"), "a") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def append(self, action: str, rel_type: str, rows: list[dict[str, Any]], actor: str | None) -> list[ChangeEntry]:
        """Append one entry per changed edge row (`src`, `dst`, `key`, `props`)."""
        with self._writer():
            seq, prev = self.head()
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            entries = []
            for r in rows:
                seq += 1
                props = r.get("props", {})
                e = ChangeEntry(
                    seq=seq, at=now, actor=actor or props.get("asserted_by") or "system", action=action,
                    rel_type=rel_type, edge_key=r["key"], src=r["src"], dst=r["dst"],
                    payload=json.dumps(props, sort_keys=True, ensure_ascii=False, default=str), prev_hash=prev,
                )
                e.hash = e.compute_hash()
                prev = e.hash
                entries.append(e)
            self.store.upsert_node_rows(
                LABEL, [{"id": f"log:{e.seq}", "props": e.model_dump()} for e in entries]
            )
            if entries and self.anchor is not None:
                self.anchor.parent.mkdir(parents=True, exist_ok=True)
                self.anchor.write_text(json.dumps({"seq": seq, "hash": prev}))
            return entries

    def record(self, action: str, label: str, node_id: str, payload: dict[str, Any], actor: str) -> ChangeEntry:
        """Log a write that is not an assignment edge (a dispute opened, a file ingested) with its caller:
        `rel_type` holds the label written and `edge_key`/`src` the node id, so one chain covers all writes."""
        return self.append(action, label, [{"key": node_id, "src": node_id, "dst": "", "props": payload}], actor)[0]

    def entries(self, edge_keys: list[str] | None = None) -> list[ChangeEntry]:
        if edge_keys is None:
            rows = self.store.read(f"MATCH (c:{LABEL}) RETURN properties(c) AS c ORDER BY c.seq")
        else:
            rows = self.store.read(
                f"MATCH (c:{LABEL}) WHERE c.edge_key IN $keys RETURN properties(c) AS c ORDER BY c.seq", {"keys": edge_keys}
            )
        return [ChangeEntry(**{k: v for k, v in r["c"].items() if k != "id"}) for r in rows]

    def verify(self, anchor_hash: str | None = None) -> VerifyReport:
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
        want = anchor_hash
        want_seq = None
        if want is None and self.anchor is not None and self.anchor.exists():
            raw = json.loads(self.anchor.read_text())
            want, want_seq = raw["hash"], raw["seq"]
        if want is not None and want != head_hash and not any(e.hash == want for e in entries):
            where = f" (seq {want_seq})" if want_seq else ""
            problems.append(f"anchored head{where} {want[:12]}… is not in the log: entries were removed from the end or rewritten")
        return VerifyReport(ok=not problems, entries=len(entries), head_seq=head_seq, head_hash=head_hash, problems=problems)
