"""Bulk dispatch (批量派单): a hotline export in, a proposal for every order out, fast enough for a day's orders.

Each good row is asked as `dutygraph ask` would ask it (search.service.SearchService), in the place its
address narrows to (graph.address): the county or district for the ask, the town or street for the
territorial body. Orders with the same text in the same place are asked once (a day's orders repeat
themselves: 同一小区多人反映, templated app submissions), and the distinct questions are spread over
`workers` processes, each with its own store connection, indexes and model. The query embedding costs
about as much CPU per text in a batch as alone (e5 on 2 cores: 36 ms alone, 42 ms per text in batches of
16–64, padding included), so the gain is from asking each distinct text once and from the second core.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from graph.address import AddressPlace, AddressPlaces
from graph.places import UnknownPlace, resolve_place
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.dispatch_rows import BadRow, DispatchRow
from search.dispatch import Proposal, propose, question

TOP = 6  # candidates an ask ranks: the lead, up to three cooperating bodies and the territorial one
CHUNK = 8  # distinct questions a worker answers per job (small: the progress bar moves, the cores stay even)
POOL_MIN = 24  # fewer distinct questions than this are answered in this process (starting workers costs ~5 s)
TERRITORIAL_GENERIC = "属地镇（街道）"
Key = tuple[str, str]  # (question, place id)


class DispatchedRow(BaseModel):
    row: int = Field(description="row number in the file, as a spreadsheet shows it")
    number: str = ""
    text: str
    address: str = ""
    received_at: str = ""
    place: str = Field(description="the place asked in (jur: id): the jurisdiction, or the county the address names")
    township: str = Field("", description="the town or street the address names")
    lead: str = Field(description="proposed lead (牵头/首派); empty when no one owns it")
    lead_id: str = ""
    cooperate: list[str] = Field(default_factory=list)
    territorial: list[str] = Field(default_factory=list)
    confidence: float
    basis: str = Field("", description="the lead's strongest evidence: duty-list item, article or ruling")
    basis_kind: str = ""
    article: str = ""
    flag: str = Field("", description="'' | low_confidence | gap (no one owns it: a gap candidate)")


class DispatchReport(BaseModel):
    source: str
    jurisdiction: str
    rows: int = Field(description="data rows read")
    answered: int
    skipped: int
    distinct: int = Field(description="distinct (question, place) pairs asked")
    flagged: dict[str, int] = Field(default_factory=dict)
    seconds: float = 0.0
    rows_per_second: float = 0.0
    errors: list[str] = Field(default_factory=list, description="bad rows, by row number and column")
    items: list[DispatchedRow] = Field(default_factory=list)


class Plan(BaseModel):
    """The rows to answer with their places and questions; what to ask is `keys`."""

    jurisdiction: str
    rows: list[tuple[DispatchRow, AddressPlace, str]] = Field(default_factory=list)
    bad: list[BadRow] = Field(default_factory=list)

    @property
    def keys(self) -> list[Key]:
        return list(dict.fromkeys((q, ap.place) for _, ap, q in self.rows))

    def weights(self) -> dict[Key, int]:
        out: dict[Key, int] = {}
        for _, ap, q in self.rows:
            out[(q, ap.place)] = out.get((q, ap.place), 0) + 1
        return out


def plan(store: GraphStore, rows: Iterable[DispatchRow | BadRow], jurisdiction: str | None) -> Plan:
    """Resolve the place once (and each other place a 辖区 column names once), narrow each row's place by its
    address, and form its question. A row whose own place is unknown is a bad row."""
    place = resolve_place(store, jurisdiction)
    by_place: dict[str, AddressPlaces | BadRow] = {"": AddressPlaces(store, place)}
    out = Plan(jurisdiction=place.id)
    for r in rows:
        if isinstance(r, BadRow):
            out.bad.append(r)
            continue
        if r.jurisdiction not in by_place:
            try:
                by_place[r.jurisdiction] = AddressPlaces(store, resolve_place(store, r.jurisdiction))
            except UnknownPlace as exc:
                by_place[r.jurisdiction] = BadRow(row=0, field="辖区", message=str(exc))
        places = by_place[r.jurisdiction]
        if isinstance(places, BadRow):
            out.bad.append(places.model_copy(update={"row": r.row}))
            continue
        ap = places.narrow(r.address, r.township)
        out.rows.append((r, ap, question(r.text, r.address)))
    out.bad.sort(key=lambda b: b.row)
    return out


def assemble(p: Plan, proposals: dict[Key, Proposal], source: str, seconds: float) -> DispatchReport:
    """Each row's answer: the proposal for its question, with its own town's office as the territorial body."""
    items = []
    for r, ap, q in p.rows:
        pr = proposals[(q, ap.place)]
        office = ap.office or (TERRITORIAL_GENERIC if ap.township == "" else ap.township_name)
        lead = office if pr.lead_territorial else pr.lead
        lead_id = ap.office_id if pr.lead_territorial else pr.lead_id
        items.append(DispatchedRow(
            row=r.row, number=r.number, text=r.text, address=r.address, received_at=r.received_at, place=ap.place,
            township=ap.township_name, lead=lead, lead_id=lead_id, cooperate=pr.cooperate,
            territorial=[office] if pr.territorial and not pr.lead_territorial else [],
            confidence=pr.confidence, basis=pr.basis, basis_kind=pr.basis_kind, article=pr.article, flag=pr.flag))
    flagged: dict[str, int] = {}
    for i in items:
        if i.flag:
            flagged[i.flag] = flagged.get(i.flag, 0) + 1
    n = len(items) + len(p.bad)
    return DispatchReport(source=source, jurisdiction=p.jurisdiction, rows=n, answered=len(items), skipped=len(p.bad),
                          distinct=len(proposals), flagged=flagged, seconds=round(seconds, 2),
                          rows_per_second=round(len(items) / seconds, 1) if seconds > 0 else 0.0,
                          errors=[str(b) for b in p.bad], items=sorted(items, key=lambda i: i.row))


# -- answering the distinct questions ------------------------------------------------------------------
def answer_keys(settings: Settings, store: GraphStore, keys: list[Key], *, workers: int = 2,
                progress: Callable[[Key], None] | None = None) -> dict[Key, Proposal]:
    """A proposal for every (question, place): in this process, or in `workers` processes when worth it."""
    if workers <= 1 or len(keys) < POOL_MIN:
        from search.service import SearchService

        service = SearchService.open(settings, store)
        try:
            out = {}
            for key in keys:
                out[key] = propose(service.ask(key[0], key[1], k=TOP).contract())
                if progress:
                    progress(key)
            return out
        finally:
            service.close()
    out = {}
    chunks = [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(settings,)) as pool:
        for fut in as_completed([pool.submit(_worker_answer, c) for c in chunks]):
            for key, data in fut.result():
                out[key] = Proposal(**data)
                if progress:
                    progress(key)
    return out


def dispatch(settings: Settings, store: GraphStore, rows: Iterable[DispatchRow | BadRow], jurisdiction: str | None,
             source: str, *, workers: int = 2, progress: Callable[[int, int], None] | None = None) -> DispatchReport:
    """Answer every good row of `rows`; `progress(rows done, rows in all)` as answers come in."""
    t0 = time.perf_counter()
    p = plan(store, rows, jurisdiction)
    weights = p.weights()
    total = len(p.rows)
    done = 0

    def tick(key: Key) -> None:
        nonlocal done
        done += weights[key]
        if progress:
            progress(done, total)

    proposals = answer_keys(settings, store, p.keys, workers=workers, progress=tick)
    return assemble(p, proposals, source, time.perf_counter() - t0)


# -- inside a worker process ---------------------------------------------------------------------------
_service: Any = None


def _worker_init(settings: Settings) -> None:
    global _service
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the parent stops the pool
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one process per core: no OpenMP threads fighting over it
    from graph.store import open_store
    from search.service import SearchService

    store = open_store(settings, schema=False)
    _service = SearchService.open(settings, store)
    Finalize(None, store.close, exitpriority=10)  # pool processes end through os._exit: atexit never runs


def _worker_answer(keys: list[Key]) -> list[tuple[Key, dict]]:
    return [(key, propose(_service.ask(key[0], key[1], k=TOP).contract()).model_dump()) for key in keys]


# -- output --------------------------------------------------------------------------------------------
FLAG_LABELS = {"": "", "low_confidence": "置信度低，请人工复核", "gap": "无明确责任部门（疑似空白）"}
HEADER = ("行号", "工单编号", "诉求内容", "地址", "受理时间", "镇街", "建议牵头（首派）", "配合部门", "属地", "置信度",
          "依据（权责事项/条文/裁决）", "依据条文", "提示")


def sheets(report: DispatchReport) -> list:
    """The report as workbook sheets: one row per answered order, then the rows skipped and why."""
    from api.documents.xlsx import Sheet

    rows = ([i.row, i.number, i.text, i.address, i.received_at, i.township, i.lead or "—", i.cooperate, i.territorial,
             i.confidence, i.basis, i.article, FLAG_LABELS.get(i.flag, i.flag)] for i in report.items)
    caption = (f"批量派单建议：{Path(report.source).name}（{report.jurisdiction.removeprefix('jur:')}），"
               f"{report.answered} 件已答复，{report.skipped} 行跳过")
    out = [Sheet("派单建议", HEADER, rows, caption=caption, widths={"诉求内容": 60})]
    if report.errors:
        out.append(Sheet("跳过的行", ("问题",), ([e] for e in report.errors)))
    return out


def write_xlsx(report: DispatchReport, path: str | Path) -> Path:
    from api.documents.xlsx import save

    return save(sheets(report), path)


def xlsx_bytes(report: DispatchReport) -> bytes:
    from api.documents.xlsx import workbook_bytes

    return workbook_bytes(sheets(report))


def default_out(path: Path) -> Path:
    return path.with_name(path.stem + ".dispatch.xlsx")
