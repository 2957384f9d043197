"""A dispute case as a draft 职责分工意见 (opinion on the division of duties): the facts, each department's
position, the proposed division — per aspect where the proposal splits the dispute — with the settling
articles quoted from the graph and cited, the analogous rulings, and the decision block.

The case is read through `cases.disputes.case` (the record the page and `dispute show` read); the proposal
is the stored `/ask` JSON, read field by field with defaults, so a proposal stored before a field existed
(or a newer one with more) still makes a document. Article texts come from the graph, not the snapshot,
which keeps only an opening of each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.documents import proposal as prop
from api.documents.blocks import Document, Heading, Items, Para, Quote, Signature, Table
from api.vocabulary import ANSWERS, STANCES, role_label
from cases.disputes import case
from graph.queries import lookups as q
from graph.queries.temporal import today as china_today
from graph.store.base import GraphStore

QUOTED = 3  # settling articles quoted per division
RULINGS = 3  # analogous rulings listed per division
CN_NUMBERS = "一二三四五六七八九十"


def place_name(jurisdiction: str | None) -> str:
    """jur:全国/山东省/潍坊市/鲁安市 → 鲁安市."""
    return (jurisdiction or "").removeprefix("jur:").rsplit("/", 1)[-1]


class _Citations:
    """Numbered citations: each article once, with its statute, version and status; quotes refer to them."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.notes: list[str] = []
        self._seen: dict[str, tuple[int, dict[str, Any] | None]] = {}

    def article(self, article_id: str) -> tuple[int, dict[str, Any] | None]:
        if article_id not in self._seen:
            row = q.one(self.store, q.ARTICLE, id=article_id)
            n = len(self.notes) + 1
            if row:
                version = "，".join(x for x in (f"版本 {row['law_version']}" if row.get("law_version") else "",
                                               row.get("law_status") or "") if x)
                self.notes.append(f"《{row['law_title']}》第{row['number']}条（{version}）；条文标识 {article_id}")
            else:
                self.notes.append(f"条文 {article_id}（知识库中已无此条）")
            self._seen[article_id] = (n, row)
        return self._seen[article_id]


def _quote(cites: _Citations, article_id: str) -> Quote:
    n, row = cites.article(article_id)
    if row is None:
        return Quote(text="（此条文不在知识库中）", cite=f"{article_id} [{n}]")
    return Quote(text=row.get("text") or "", cite=f"《{row['law_title']}》第{row['number']}条 [{n}]")


def _ruling_line(r: dict[str, Any]) -> str:
    parts = [f"《{r.get('title', '')}》（{place_name(r.get('jurisdiction'))}"
             + (f"，{r['decided_on']}" if r.get("decided_on") else "") + "）"]
    if r.get("lead"):
        parts.append("牵头：" + "、".join(r["lead"]))
    if r.get("cooperate"):
        parts.append("配合：" + "、".join(r["cooperate"]))
    if r.get("principle"):
        parts.append("原则：" + r["principle"])
    if r.get("basis"):
        parts.append("依据：" + "、".join(r["basis"][:3]))
    why = r.get("why")
    if why:
        parts.append("相似理由：" + ("；".join(why) if isinstance(why, list) else str(why)))
    return "；".join(parts)


def _division(doc: Document, cites: _Citations, d: dict[str, Any]) -> None:
    doc.add(Para(prop.parties_text(d.get("lead")) or "—", label="牵头部门："),
            Para(prop.parties_text(prop.cooperating(d)) or "—", label="配合部门："))
    if territorial := prop.parties_text(d.get("territorial")):
        doc.add(Para(territorial, label="属地："))
    articles = prop.article_ids(prop.basis_articles(d))[:QUOTED]
    if articles:
        doc.add(Para("", label="依据条文："), *(_quote(cites, a) for a in articles))
    rulings = [r for r in d.get("rulings") or [] if isinstance(r, dict)][:RULINGS]
    if rulings:
        doc.add(Para("", label="类似裁决："), Items(tuple(_ruling_line(r) for r in rulings), numbered=True))


def opinion(store: GraphStore, dispute_id: str, today: dt.date | None = None) -> Document:
    """The case's opinion document; raises cases.errors.DisputeNotFound for an unknown case."""
    v = case(store, dispute_id)
    decision = getattr(v, "decision", None)
    place = place_name(v.jurisdiction)
    doc = Document(
        title=f"关于{v.title or v.text[:30]}的职责分工意见" + ("" if decision else "（草案）"),
        subtitle=f"{place} · 案件 {v.id} · 登记于 {v.opened_at or '—'} · 生成于 {(today or china_today()).isoformat()}",
    )
    cites = _Citations(store)
    doc.add(Heading("一、基本情况"), Para(v.text))
    if v.matter:
        doc.add(Para(v.matter.get("name") or v.matter["id"], label="涉及事项："))

    doc.add(Heading("二、各方意见"))
    current = [p for p in v.parties if not p.until]
    if current:
        doc.add(Table(("部门", "意见", "理由", "记录"),
                      tuple((p.name, STANCES.get(p.stance, p.stance), p.position or "—",
                             f"{p.since or ''} {p.asserted_by}".strip()) for p in current)))
    else:
        doc.add(Para("尚未记录各方意见。"))

    doc.add(Heading("三、职责分工建议"))
    p = v.proposal
    if not p:
        doc.add(Para("尚未附上系统建议。"))
    else:
        doc.add(Para(f"以下建议由系统于 {(v.proposal_at or '').replace('T', ' ')} 依据截至 {p.get('as_of', '—')} 的"
                     f"知识库（{p.get('jurisdiction_name') or place}）生成，供研判参考。"))
        aspects = prop.aspects(p)
        if aspects:
            doc.add(Para(f"本争议涉及 {len(aspects)} 个方面，逐项分工如下。"))
            for i, a in enumerate(aspects, 1):
                doc.add(Heading(f"（{CN_NUMBERS[i - 1] if i <= 10 else i}）{prop.aspect_name(a, i)}", level=2))
                if a.get("text"):
                    doc.add(Para(str(a["text"]), label="争议所述："))
                _division(doc, cites, a)
        else:
            _division(doc, cites, prop.whole_answer(p))

    doc.add(Heading("四、裁决意见"))
    if decision:
        doc.add(Para(decision.summary))
        for role in ("lead", "cooperate", "territorial"):
            names = [a.name or a.department for a in decision.assigns if a.role == role]
            if names:
                doc.add(Para("、".join(names), label=f"{role_label(role)}："))
        if decision.principles:
            doc.add(Para("、".join(decision.principles), label="适用原则："))
        if decision.basis:
            doc.add(Para("", label="裁决依据："), *(_quote(cites, a) for a in decision.basis))
        doc.add(Signature((("决定机关", decision.decided_by or ""), ("决定日期", decision.decided_on or ""),
                           ("裁决文号", decision.ruling))))
    else:
        doc.add(Para("（待裁决）"), Signature((("决定机关", ""), ("签发人", ""), ("日期", ""))))
    _feedback(doc, getattr(v, "follow_up", None))
    doc.notes = tuple(cites.notes)
    return doc


def _feedback(doc: Document, follow: Any) -> None:
    """五、反馈: each assigned department's answer to the decision, where the case keeps them."""
    departments = getattr(follow, "departments", None) or []
    if not departments:
        return
    due = getattr(follow, "due", None)
    doc.add(Heading("五、反馈"))
    if due:
        doc.add(Para(f"承办部门应于 {due} 前（{getattr(follow, 'limit_days', '—')} 个工作日内）答复。"))
    doc.add(Table(("部门", "职责", "答复", "理由", "时间"), tuple(
        (d.name or d.department, role_label(d.role),
         ANSWERS.get(d.answer, d.answer) if d.answer else ("逾期未答复" if getattr(d, "overdue", False) else "未答复"),
         d.reason or "—", (d.at or "")[:10]) for d in departments)))
