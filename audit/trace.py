"""Audit trace (DESIGN §6): why a matter or duty belongs to a department, since when, on what basis, who
decided — every path that supports or once supported the assignment, marked in force or not on the
as-of date, and the timeline of its edges from the hash-chained change log, whose integrity is checked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.errors import DutygraphError
from graph.queries import provenance as q
from graph.queries.temporal import as_of_param, holds_on
from graph.store.base import GraphStore


class TraceNotFound(DutygraphError):
    """The matter, duty or department asked for is not in the graph (or the name is ambiguous)."""


class Path(BaseModel):
    """One support of an assignment: a ruling, or a duty-list entry (with its statute's designation)."""

    kind: Literal["ruling", "duty_list", "other"]
    department: str
    department_name: str
    role: str
    source: str
    locator: str = ""
    valid_from: str | None = None
    valid_to: str | None = None
    in_force: bool
    asserted_by: str | None = None
    decided_by: str | None = None
    decided_on: str | None = None
    title: str = ""
    principles: list[str] = Field(default_factory=list)
    citations: list[dict[str, Any]] = Field(default_factory=list)
    duties: list[dict[str, Any]] = Field(default_factory=list)
    supersedes: list[str] = Field(default_factory=list)
    superseded_by: list[dict[str, Any]] = Field(default_factory=list)
    edge_keys: list[str] = Field(default_factory=list)


class TimelineEntry(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    rel_type: str
    src: str
    dst: str
    valid_from: str | None = None
    valid_to: str | None = None
    role: str | None = None
    source: str | None = None
    changed: dict[str, Any] | None = Field(None, description="a node's properties changed: `set` (new values) and "
                                           "`before` (old values)")


class Integrity(BaseModel):
    ok: bool
    entries: int
    head_seq: int
    problems: list[str]


class Trace(BaseModel):
    target: str
    target_kind: Literal["Matter", "Duty"]
    name: str
    as_of: str
    department: str | None = None
    matters: list[str] = Field(default_factory=list)
    paths: list[Path]
    timeline: list[TimelineEntry]
    integrity: Integrity

    def current(self) -> list[Path]:
        return [p for p in self.paths if p.in_force]


def _one(rows: list[dict[str, Any]], what: str, q_: str) -> dict[str, Any] | None:
    if len(rows) > 1:
        raise TraceNotFound(f"{what} {q_!r} is ambiguous: {', '.join(r['id'] for r in rows[:5])}")
    return rows[0] if rows else None


def _department(store: GraphStore, department: str | None) -> str | None:
    if not department:
        return None
    hit = _one(q.read(store, q.FIND_DEPARTMENT, q=department), "department", department)
    if hit is None:
        raise TraceNotFound(f"department {department!r} not found")
    return hit["id"]


def trace(store: GraphStore, target: str, *, department: str | None = None,
          as_of: dt.date | str | None = None, verify_max_age_s: float | None = None) -> Trace:
    """Trace a matter or duty given by id, name or (duty) code; `department` narrows to one holder.
    `verify_max_age_s`: the log's check may be reused that long (the server's /trace; see ChangeLog.verify)."""
    day = as_of_param(as_of)
    dept = _department(store, department)
    matter = _one(q.read(store, q.FIND_MATTER, q=target), "matter", target) if not target.startswith("duty:") else None
    duty = None if matter else _one(q.read(store, q.FIND_DUTY, q=target), "duty", target)
    if matter is None and duty is None:
        raise TraceNotFound(f"no matter or duty {target!r} (give an id, a name or a duty code)")
    if matter is not None:
        assignments = q.read(store, q.MATTER_ASSIGNMENTS, id=matter["id"], dept=dept)
        duty_rows = q.read(store, q.MATTER_DUTIES, id=matter["id"], dept=dept)
        kind, tid, name, matters = "Matter", matter["id"], matter["name"], [matter["id"]]
    else:
        assignments = []
        duty_rows = q.read(store, q.DUTY_HOLDERS, id=duty["id"], dept=dept)
        matters = [m["id"] for m in q.read(store, q.DUTY_MATTERS, id=duty["id"])]
        for mid in matters:  # rulings on the duty's matter for the same holders, for context
            assignments += [a for a in q.read(store, q.MATTER_ASSIGNMENTS, id=mid, dept=dept)
                            if a["source"].startswith("ruling:")]
        kind, tid, name = "Duty", duty["id"], f"{duty['code']} {duty['name']}"
    paths = _ruling_paths(store, assignments, day) + _list_paths(store, duty_rows, assignments, day)
    paths.sort(key=lambda p: (p.valid_from or "", p.department, p.kind))
    # the assignment edges, and the nodes they join: a department renamed or a ruling superseded is in the timeline too
    keys = [k for p in paths for k in (*p.edge_keys, p.department, p.source)] + [tid]
    return Trace(target=tid, target_kind=kind, name=name, as_of=day, department=dept, matters=matters, paths=paths,
                 timeline=_timeline(store, keys), integrity=_integrity(store, verify_max_age_s))


def _ruling_paths(store: GraphStore, assignments: list[dict[str, Any]], day: str) -> list[Path]:
    rulings = sorted({a["source"] for a in assignments if a["source"].startswith("ruling:")})
    info = {r["id"]: r for r in q.read(store, q.RULINGS, ids=rulings)}
    cites: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in q.read(store, q.RULING_CITES, ids=rulings):
        row = {k: c[k] for k in ("target", "kind", "locator", "law_title", "law_status", "mandate_of") if c[k] is not None}
        cites[c["ruling"]].append({**row, "text": (c["text"] or "")[:120]})
    assigns: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in q.read(store, q.RULING_ASSIGNS, ids=rulings):
        assigns[(a["ruling"], a["target"])].append(a["key"])
    paths = []
    for a in assignments:
        src = a["source"]
        if not src.startswith("ruling:"):
            continue
        r = info.get(src)
        superseded_by = [s for s in (r or {}).get("superseded_by", []) if s.get("id")]
        # a ruling superseded later is still in force before the superseding ruling's date
        ended = any(s.get("decided_on") and s["decided_on"] <= day for s in superseded_by)
        paths.append(Path(
            kind="ruling" if r else "other", department=a["department"], department_name=a["department_name"],
            role=a["role"], source=src, locator=a["locator"] or "", valid_from=a["valid_from"],
            valid_to=a["valid_to"], in_force=holds_on(a["valid_from"], a["valid_to"], day) and not ended,
            asserted_by=a["asserted_by"], decided_by=(r or {}).get("decided_by"),
            decided_on=(r or {}).get("decided_on"), title=(r or {}).get("title") or "",
            principles=(r or {}).get("principles", []), citations=cites.get(src, []),
            supersedes=(r or {}).get("supersedes", []), superseded_by=superseded_by,
            edge_keys=[a["key"], *assigns.get((src, a["department"]), [])],
        ))
    return paths


def _list_paths(store: GraphStore, duty_rows: list[dict[str, Any]], assignments: list[dict[str, Any]],
                day: str) -> list[Path]:
    """One path per (department, role, list source): its duty entries, their bases and designations."""
    duties = sorted({d["duty"] for d in duty_rows})
    bases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in q.read(store, q.DUTY_BASES, duties=duties):
        bases[b["duty"]].append({k: v for k, v in b.items() if k != "duty" and v is not None})
    pairs = [{"article": b["article"], "department": d["department"]} for d in duty_rows for b in bases[d["duty"]]]
    designations: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for g in q.read(store, q.DESIGNATIONS, pairs=pairs):
        designations[(g["article"], g["department"])].append(
            {k: g[k] for k in ("authority", "name", "role", "level", "acts_as", "scope") if g[k] is not None})
    owner_edges = {(a["department"], a["role"], a["source"]): a for a in assignments
                   if not a["source"].startswith("ruling:")}
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for d in duty_rows:
        groups[(d["department"], d["role"], d["source"])].append(d)
    paths = []
    for (dept, role, src), rows in groups.items():
        owner = owner_edges.pop((dept, role, src), None)
        first = rows[0]
        entries = [{
            "duty": d["duty"], "code": d["code"], "name": d["name"], "list": d["list"], "basis": d["basis"],
            "valid_from": d["valid_from"], "valid_to": d["valid_to"],
            "articles": [{**b, "designates": designations.get((b["article"], dept), [])} for b in bases[d["duty"]]],
        } for d in rows]
        vf = min((d["valid_from"] for d in rows if d["valid_from"]), default=None)
        ends = [d["valid_to"] for d in rows]
        vt = None if any(e is None for e in ends) else max(ends)
        paths.append(Path(
            kind="duty_list", department=dept, department_name=first["department_name"], role=role, source=src,
            locator=(owner or {}).get("locator") or first["locator"] or "", valid_from=vf, valid_to=vt,
            in_force=any(holds_on(d["valid_from"], d["valid_to"], day) for d in rows), asserted_by=first["asserted_by"],
            title=f"权责清单 {'、'.join(sorted({d['list'] for d in rows}))}", duties=entries,
            edge_keys=[*(d["key"] for d in rows), *([owner["key"]] if owner else [])],
        ))
    for a in owner_edges.values():  # an assignment with no duty entry behind it (another kind of source)
        paths.append(Path(kind="other", department=a["department"], department_name=a["department_name"],
                          role=a["role"], source=a["source"], locator=a["locator"] or "", valid_from=a["valid_from"],
                          valid_to=a["valid_to"], in_force=holds_on(a["valid_from"], a["valid_to"], day),
                          asserted_by=a["asserted_by"], edge_keys=[a["key"]]))
    return paths


def _timeline(store: GraphStore, keys: list[str]) -> list[TimelineEntry]:
    if store.changelog is None or not keys:
        return []
    out = []
    for e in store.changelog.entries(sorted(set(keys))):
        try:
            payload = json.loads(e.payload)
        except json.JSONDecodeError:
            payload = {}
        out.append(TimelineEntry(seq=e.seq, at=e.at, actor=e.actor, action=e.action, rel_type=e.rel_type, src=e.src,
                                 dst=e.dst, valid_from=payload.get("valid_from"), valid_to=payload.get("valid_to"),
                                 role=payload.get("role"), source=payload.get("source"),
                                 changed={k: payload[k] for k in ("set", "before")} if "set" in payload else None))
    return out


def _integrity(store: GraphStore, max_age_s: float | None = None) -> Integrity:
    if store.changelog is None:
        return Integrity(ok=False, entries=0, head_seq=0, problems=["该存储未保存变更日志"])
    r = store.changelog.verify(max_age_s=max_age_s)
    return Integrity(ok=r.ok, entries=r.entries, head_seq=r.head_seq, problems=r.problems)
