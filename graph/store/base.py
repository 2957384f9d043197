"""The graph store interface: one set of operations, two backends (embedded FalkorDB, Neo4j over Bolt).

Everything above the graph layer talks to a `GraphStore`. Writes are batched, idempotent
`UNWIND $rows … MERGE` statements; labels and relationship types come from the ontology, never from
user text, and every value travels as a parameter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from graph.changelog import plain
from graph.ontology import ASSIGNMENT_TYPES, EDGE_TYPES, NODE_LABELS, Edge, Node

CHANGELOG_LABEL = "ChangeLogEntry"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REL_TYPES = frozenset(t.type for t in EDGE_TYPES)
_LABELS = frozenset(NODE_LABELS) | {CHANGELOG_LABEL}
# properties looked up by value beside the ids: a statute's versions share its title (graph.queries.laws
# version_spans, read for every ask's statutes: a label scan of the laws per statute asked, ~40 ms for 20 on 2,945)
_PROPERTY_INDEXES: tuple[tuple[str, str], ...] = (("Law", "title"),)
_LOGGED_ELSEWHERE = frozenset({CHANGELOG_LABEL, "Dispute"})  # a dispute's moves are logged by cases, each as one entry
# A source document that is a file the user gave (departments, matters, mandates, duty lists), as opposed to one
# that is itself a node (a law, a ruling, a work order). Its id was once the file's folder and name; it is now its
# content hash (ingest.departments.source_id): both forms start so.
FILE_SOURCE = "file:"


def ident(name: str, allowed: frozenset[str] | None = None) -> str:
    """Quote a label or type for Cypher after checking it is one the ontology knows."""
    if not _IDENT.match(name) or (allowed is not None and name not in allowed):
        raise ValueError(f"not a known graph identifier: {name!r}")
    return f"`{name}`"


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def content_hash(props: dict[str, Any]) -> str:
    """An assignment edge's content, who asserted it included: a new asserter is a change, and is logged."""
    return "2:" + _sha(props, ("chash",))


def _legacy_hash(props: dict[str, Any]) -> str:
    """The content hash edges were written with before it covered `asserted_by` (no version prefix)."""
    return _sha(props, ("chash", "asserted_by"))


def _sha(props: dict[str, Any], leave_out: tuple[str, ...]) -> str:
    body = {k: v for k, v in props.items() if k not in leave_out}
    return hashlib.sha1(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


# One node counts the graph's writes, so a process can tell whether what it derived from the graph (the
# place's department names, the authority matcher) is still current, whichever process wrote. The token
# changes when the graph is cleared and written again, so a count never repeats a state it had before.
VERSION_LABEL = "GraphVersion"
_BUMP = ("MERGE (v:GraphVersion {id: 'graph'}) ON CREATE SET v.token = $token "
         "SET v.n = coalesce(v.n, 0) + 1")
_VERSION = "MATCH (v:GraphVersion {id: 'graph'}) RETURN v.token AS token, v.n AS n"


class GraphStore(ABC):
    """Operations every backend offers. Results are lists of plain dicts (nodes as property maps)."""

    backend: str = "?"

    def __init__(self, batch_size: int = 5000):
        self.batch_size = batch_size
        self.changelog = None  # set by open_store: graph.changelog.ChangeLog
        self._held = threading.local()  # the version `one_version` holds in this thread

    # -- backend primitives ---------------------------------------------------------------------
    @abstractmethod
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one parameterised statement and return its rows."""

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A read-only statement; backends may route it to a replica."""
        return self.run(cypher, params)

    @abstractmethod
    def _create_id_index(self, label: str) -> None: ...

    @abstractmethod
    def _create_index(self, label: str, prop: str) -> None:
        """An index on `prop` of `label` nodes (not unique), left as it is where it exists."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and edge of this graph (tests, `dutygraph reset`)."""

    @abstractmethod
    def close(self) -> None: ...

    def _batches(self, rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """How rows are cut into UNWIND batches; a backend with a message-size limit overrides it."""
        return batched(rows, self.batch_size)

    # -- schema ---------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        for label in sorted(_LABELS):
            self._create_id_index(label)
        for label, prop in _PROPERTY_INDEXES:
            self._create_index(label, prop)

    # -- writes ---------------------------------------------------------------------------------
    def version(self) -> str:
        """The graph's write version: changes on every upsert or supersede, from any process."""
        held = getattr(self._held, "version", None)
        if held is not None:
            return held
        rows = self.read(_VERSION)
        return f"{rows[0]['token']}:{rows[0]['n']}" if rows else "0"

    @contextmanager
    def one_version(self) -> Iterator[str]:
        """Read-only work in this thread sees, until the block ends, the version read at its start: one search
        (an ask with its statements and aspects) keeps what it reads under one version and asks the graph for
        it once instead of at every step (~8 round trips for a compound dispute). Not for blocks that write."""
        if getattr(self._held, "version", None) is not None:  # already inside one
            yield self._held.version
            return
        self._held.version = self.version()
        try:
            yield self._held.version
        finally:
            self._held.version = None

    def _bump(self) -> None:
        self.run(_BUMP, {"token": uuid.uuid4().hex})

    def upsert_nodes(self, nodes: Iterable[Node], actor: str | None = None) -> int:
        """Create or update nodes. A property change of an existing node (a department renamed in a re-read
        directory, a duty's text edited) is logged with its values before and after, like `set_node_props`;
        a new node is not (its ingest is logged), nor is a dispute (cases log each of its moves)."""
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for n in nodes:
            by_label[n.label].append({"id": n.id, "props": n.props()})
        written = 0
        for label, rows in by_label.items():
            if self.changelog is None or label in _LOGGED_ELSEWHERE:
                written += self.upsert_node_rows(label, rows)
            else:
                self._write_nodes_logged(label, rows, actor, create=True)
                written += len(rows)
        return written

    def upsert_node_rows(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """Rows are `{"id": …, "props": {…}}`; existing properties not in `props` are kept."""
        q = f"UNWIND $rows AS r MERGE (n:{ident(label, _LABELS)} {{id: r.id}}) SET n += r.props"
        for chunk in self._batches(rows):
            self.run(q, {"rows": chunk})
        if rows:
            self._bump()
        return len(rows)

    def upsert_edges(self, edges: Iterable[Edge], actor: str | None = None) -> int:
        """Upsert relationships; both ends must exist. Returns how many were written.

        Assignment edges (HOLDS, RESPONSIBLE_FOR, ASSIGNS) that are new or changed are also appended
        to the hash-chained change log; re-asserting an unchanged edge logs nothing. The check, the edge
        and its entry are one step under the log's lock, written by one statement: a crash leaves both or
        neither, and concurrent writers of one edge leave the graph as the log's last entry says.
        """
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        kinds: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for e in edges:
            props = e.props()
            if e.type in ASSIGNMENT_TYPES:
                props["chash"] = content_hash(props)
            groups[(e.type, e.src_label, e.dst_label)].append({"src": e.src, "dst": e.dst, "key": props["key"], "props": props})
            kinds[(e.type, e.src_label, e.dst_label)] = e.discriminators
        written = 0
        for (rel, s, d), rows in groups.items():
            if rel not in ASSIGNMENT_TYPES or self.changelog is None:
                for chunk in self._batches(rows):
                    self._restate(rel, s, d, kinds[(rel, s, d)], chunk)
                written += self.upsert_edge_rows(rel, s, d, rows)
                continue
            with self.changelog.writer():
                head = self.changelog.head()
                for chunk in self._batches(rows):
                    head = self._restate(rel, s, d, kinds[(rel, s, d)], chunk, actor, head)
                    changed = self._changed_assignments(rel, s, d, chunk)
                    entries = self.changelog.prepare("assert", rel, changed, actor, after=head)
                    logs = {r["key"]: e.model_dump() | {"id": f"log:{e.seq}"} for r, e in zip(changed, entries, strict=True)}
                    written += self._write_logged(rel, s, d, [{**r, "log": logs.get(r["key"])} for r in chunk])
                    if entries:
                        head = (entries[-1].seq, entries[-1].hash)
                        self.changelog.anchor_to(entries)
            self._bump()
        return written

    def _restate(self, rel: str, s: str, d: str, discriminators: tuple[str, ...], rows: list[dict[str, Any]],
                 actor: str | None = None, head: tuple[int, str] | None = None) -> tuple[int, str] | None:
        """Move to these edges the live edges of the same facts (ends, locator, discriminators) that another source
        file asserted: the same file loaded from another path or upload name, an edited version of it, or a file
        loaded when source ids were paths. The first such edge takes the new key and properties, any further one
        (the same fact twice) is removed, so a file loaded again restates its facts instead of adding them twice.
        Assignment edges are logged (`rekey`: the new key with `from` the old one; `merge`: removed into it) in the
        statement that changes them; call under the log's writer with its head, which is returned moved on."""
        mine = [r for r in rows if str(r["props"].get("source", "")).startswith(FILE_SOURCE)]
        if not mine:
            return head
        found = self.read(
            f"UNWIND $rows AS r MATCH (a:{ident(s, _LABELS)} {{id: r.src}})-[e:{ident(rel, _REL_TYPES)}]->"
            f"(b:{ident(d, _LABELS)} {{id: r.dst}}) WHERE e.valid_to IS NULL AND e.source STARTS WITH $file "
            "AND coalesce(e.locator, '') = r.locator RETURN r.key AS new, e.key AS old, properties(e) AS p",
            {"rows": [{"src": r["src"], "dst": r["dst"], "key": r["key"], "locator": r["props"].get("locator", "")}
                      for r in mine], "file": FILE_SOURCE})
        by_key = {r["key"]: r for r in mine}
        same: dict[str, list[str]] = defaultdict(list)
        for f in found:
            new = by_key[f["new"]]["props"]
            if all(plain(f["p"].get(k)) == plain(new.get(k)) for k in discriminators):
                same[f["new"]].append(f["old"])
        moves: list[dict[str, Any]] = []  # {src, dst, old, new, props, drop}
        for new, found_keys in same.items():
            olds = sorted(o for o in found_keys if o != new)
            keep = None if new in found_keys or not olds else olds[0]  # the new edge there already: all are merged
            r = by_key[new]
            moves += [{"src": r["src"], "dst": r["dst"], "old": o, "new": new, "props": r["props"], "drop": o != keep}
                      for o in olds]
        if not moves:
            return head
        logged = self.changelog is not None and rel in ASSIGNMENT_TYPES
        for drop in (True, False):
            batch = [m for m in moves if m["drop"] is drop]
            if not batch:
                continue
            logs: list[dict[str, Any] | None] = [None] * len(batch)
            entries: list[Any] = []
            if logged:
                assert self.changelog is not None
                entries = self.changelog.prepare(
                    "merge" if drop else "rekey", rel,
                    [{"src": m["src"], "dst": m["dst"], "key": m["new"],
                      "props": {"from": m["old"]} if drop else {**m["props"], "from": m["old"]}} for m in batch],
                    actor, after=head)
                logs = [e.model_dump() | {"id": f"log:{e.seq}"} for e in entries]
            change = "DELETE e" if drop else "SET e += r.props"
            self.run(
                f"UNWIND $rows AS r MATCH (a:{ident(s, _LABELS)} {{id: r.src}})-[e:{ident(rel, _REL_TYPES)} {{key: r.old}}]->"
                f"(b:{ident(d, _LABELS)} {{id: r.dst}}) {change} "
                f"WITH r FOREACH (l IN CASE WHEN r.log IS NULL THEN [] ELSE [r.log] END | "
                f"MERGE (c:{CHANGELOG_LABEL} {{id: l.id}}) SET c += l)",
                {"rows": [{**m, "log": log} for m, log in zip(batch, logs, strict=True)]})
            if entries:
                head = (entries[-1].seq, entries[-1].hash)
                self.changelog.anchor_to(entries)  # type: ignore[union-attr]
        self._bump()
        return head

    def _write_logged(self, rel: str, src_label: str, dst_label: str, rows: list[dict[str, Any]]) -> int:
        """Edges and, for the rows that carry one (`log`), their change-log entries, in one statement."""
        q = (
            f"UNWIND $rows AS r MATCH (a:{ident(src_label, _LABELS)} {{id: r.src}}) "
            f"MATCH (b:{ident(dst_label, _LABELS)} {{id: r.dst}}) "
            f"MERGE (a)-[e:{ident(rel, _REL_TYPES)} {{key: r.key}}]->(b) SET e += r.props "
            f"WITH r, e FOREACH (l IN CASE WHEN r.log IS NULL THEN [] ELSE [r.log] END | "
            f"MERGE (c:{CHANGELOG_LABEL} {{id: l.id}}) SET c += l) RETURN count(e) AS n"
        )
        res = self.run(q, {"rows": rows})
        return int(res[0]["n"]) if res else 0

    def upsert_edge_rows(self, rel: str, src_label: str, dst_label: str, rows: Sequence[dict[str, Any]]) -> int:
        """Rows are `{"src", "dst", "key", "props"}`; the raw fast path under `upsert_edges`."""
        q = (
            f"UNWIND $rows AS r MATCH (a:{ident(src_label, _LABELS)} {{id: r.src}}) "
            f"MATCH (b:{ident(dst_label, _LABELS)} {{id: r.dst}}) "
            f"MERGE (a)-[e:{ident(rel, _REL_TYPES)} {{key: r.key}}]->(b) SET e += r.props RETURN count(e) AS n"
        )
        written = 0
        for chunk in self._batches(rows):
            res = self.run(q, {"rows": chunk})
            written += int(res[0]["n"]) if res else 0
        if rows:
            self._bump()
        return written

    def _changed_assignments(self, rel: str, s: str, d: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        q = (
            f"UNWIND $rows AS r MATCH (a:{ident(s, _LABELS)} {{id: r.src}})-[e:{ident(rel, _REL_TYPES)} {{key: r.key}}]->"
            f"(b:{ident(d, _LABELS)} {{id: r.dst}}) RETURN e.key AS key, e.chash AS chash, e.asserted_by AS by"
        )
        known = {r["key"]: (r["chash"], r["by"]) for r in
                 self.read(q, {"rows": [{"src": r["src"], "dst": r["dst"], "key": r["key"]} for r in rows]})}

        def changed(r: dict[str, Any]) -> bool:
            chash, by = known.get(r["key"], (None, None))
            if chash is None or str(chash).startswith("2:"):
                return chash != r["props"]["chash"]
            # written before the hash covered asserted_by: the old content hash, and who asserted it
            return chash != _legacy_hash(r["props"]) or by != r["props"].get("asserted_by")
        return [r for r in rows if changed(r)]

    def supersede(self, edges: Iterable[Edge], valid_to: dt.date, actor: str | None = None) -> int:
        """End the validity of edges instead of deleting them (DESIGN §3 time)."""
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for e in edges:
            groups[(e.type, e.src_label, e.dst_label)].append({"src": e.src, "dst": e.dst, "key": e.key})
        total = 0
        for (rel, s, d), rows in groups.items():
            q = (
                f"UNWIND $rows AS r MATCH (a:{ident(s, _LABELS)} {{id: r.src}})-[e:{ident(rel, _REL_TYPES)} {{key: r.key}}]->"
                f"(b:{ident(d, _LABELS)} {{id: r.dst}}) WHERE e.valid_to IS NULL OR e.valid_to > $to "
                "SET e.valid_to = $to RETURN r.src AS src, r.dst AS dst, r.key AS key"
            )
            if rel not in ASSIGNMENT_TYPES or self.changelog is None:
                total += sum(len(self.run(q, {"rows": chunk, "to": valid_to.isoformat()})) for chunk in self._batches(rows))
                continue
            with self.changelog.writer():  # which edges end is read and written under the lock, then logged
                done = [r for chunk in self._batches(rows)
                        for r in self.read(q.replace("SET e.valid_to = $to ", ""), {"rows": chunk, "to": valid_to.isoformat()})]
                head = self.changelog.head()
                for chunk in self._batches(done):
                    entries = self.changelog.prepare(
                        "supersede", rel, [{**r, "props": {"valid_to": valid_to.isoformat()}} for r in chunk], actor,
                        after=head)
                    self._end_logged(rel, s, d, [{**r, "log": e.model_dump() | {"id": f"log:{e.seq}"}}
                                                 for r, e in zip(chunk, entries, strict=True)], valid_to.isoformat())
                    if entries:
                        head = (entries[-1].seq, entries[-1].hash)
                        self.changelog.anchor_to(entries)
            total += len(done)
        if total:
            self._bump()
        return total

    def _end_logged(self, rel: str, s: str, d: str, rows: list[dict[str, Any]], to: str) -> None:
        """End edges' validity and write their change-log entries, in one statement."""
        self.run(
            f"UNWIND $rows AS r MATCH (a:{ident(s, _LABELS)} {{id: r.src}})-[e:{ident(rel, _REL_TYPES)} {{key: r.key}}]->"
            f"(b:{ident(d, _LABELS)} {{id: r.dst}}) SET e.valid_to = $to "
            f"WITH r MERGE (c:{CHANGELOG_LABEL} {{id: r.log.id}}) SET c += r.log", {"rows": rows, "to": to})

    def set_node_props(self, label: str, rows: Sequence[dict[str, Any]], actor: str | None) -> int:
        """Change properties of existing nodes (`{"id", "props"}`: a law's status, a ruling superseded) and log each
        change with what it was before, in one statement per batch under the log's lock. Returns how many changed."""
        if self.changelog is None:
            for chunk in self._batches(rows):
                self.run(f"UNWIND $rows AS r MATCH (n:{ident(label, _LABELS)} {{id: r.id}}) SET n += r.props",
                         {"rows": chunk})
            return len(rows)
        return self._write_nodes_logged(label, rows, actor, create=False)

    def _write_nodes_logged(self, label: str, rows: Sequence[dict[str, Any]], actor: str | None, create: bool) -> int:
        """Node properties (`{"id", "props"}`; `create`: nodes not there yet are made, unlogged) and, for each
        existing node a row changes, a change-log entry `set` holding the changed values and `before` them, written
        with the node in one statement per batch under the log's lock. Returns how many existing nodes changed."""
        assert self.changelog is not None
        lab = ident(label, _LABELS)
        n = wrote = 0
        with self.changelog.writer():
            head = self.changelog.head()
            for chunk in self._batches(rows):
                changed, existing = self._node_changes(lab, chunk)
                entries = self.changelog.prepare("set", label, changed, actor, after=head)
                logs = {c["key"]: e.model_dump() | {"id": f"log:{e.seq}"} for c, e in zip(changed, entries, strict=True)}
                todo = [r for r in chunk if r["id"] in logs or create and r["id"] not in existing]  # unchanged: no write
                if todo:
                    self.run(f"UNWIND $rows AS r {'MERGE' if create else 'MATCH'} (n:{lab} {{id: r.id}}) SET n += r.props "
                             f"WITH r FOREACH (l IN CASE WHEN r.log IS NULL THEN [] ELSE [r.log] END | "
                             f"MERGE (c:{CHANGELOG_LABEL} {{id: l.id}}) SET c += l)",
                             {"rows": [{"id": r["id"], "props": r["props"], "log": logs.get(r["id"])} for r in todo]})
                if entries:
                    head = (entries[-1].seq, entries[-1].hash)
                    self.changelog.anchor_to(entries)
                n, wrote = n + len(changed), wrote + len(todo)
        if wrote:
            self._bump()
        return n

    def _node_changes(self, lab: str, chunk: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], set[str]]:
        """The rows that change an existing node, as change-log rows (`set`: the changed values, and `before`), and
        the ids of the nodes that exist."""
        before = {r["id"]: r["p"] for r in self.read(
            f"UNWIND $ids AS i MATCH (n:{lab} {{id: i}}) RETURN n.id AS id, properties(n) AS p",
            {"ids": [r["id"] for r in chunk]})}
        out = []
        for r in chunk:
            old = before.get(r["id"])
            diff = {} if old is None else {k: v for k, v in r["props"].items()
                                           if old.get(k) != v and plain(old.get(k)) != plain(v)}
            if diff:
                out.append({"key": r["id"], "src": r["id"], "dst": "",
                            "props": {"set": diff, "before": {k: old.get(k) for k in diff}}})
        return out, set(before)

    # -- reads ----------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Node counts by label and relationship counts by type, for stats and idempotence checks."""
        out: dict[str, int] = {}
        for r in self.read("MATCH (n) WHERE NOT n:GraphVersion RETURN labels(n)[0] AS k, count(n) AS c"):
            out[r["k"]] = int(r["c"])
        for r in self.read("MATCH ()-[e]->() RETURN type(e) AS k, count(e) AS c"):
            out[f"[:{r['k']}]"] = int(r["c"])
        return out

    def get_node(self, label: str, node_id: str) -> dict[str, Any] | None:
        rows = self.read(f"MATCH (n:{ident(label, _LABELS)} {{id: $id}}) RETURN properties(n) AS n", {"id": node_id})
        return rows[0]["n"] if rows else None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
