"""Gaps and ask answers as spreadsheets, from the JSON the API returns (gap items, the /ask contract), with
the evidence in columns: what each item rests on can be followed from the sheet without the app."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from api.documents import proposal as prop
from api.documents.xlsx import Sheet
from api.vocabulary import EVIDENCE_KINDS, GAP_KINDS, GAP_SUBKINDS, RULING_STATUS, path_text, role_label
from graph.queries.names import node_names
from graph.store.base import GraphStore

# a gap's references by kind (GapItem.refs), as the gaps page labels them
REF_COLUMNS: dict[str, str] = {
    "departments": "相关部门", "duties": "相关权责事项", "articles": "相关法条", "laws": "相关法规", "rulings": "相关裁决",
    "matters": "相关事项", "authorities": "相关主管部门", "nearest_duties": "最接近的权责事项", "work_orders": "工单",
}
REFS_SHOWN = 50  # ids per cell; a longer list ends with its count


def _refs(ids: list[str], names: dict[str, str]) -> str:
    shown = [f"{names[i]}（{i}）" if i in names else i for i in ids[:REFS_SHOWN]]
    return "\n".join(shown) + (f"\n… 共 {len(ids)} 项" if len(ids) > REFS_SHOWN else "")


def gaps_sheet(store: GraphStore | None, items: Iterable[dict[str, Any]], caption: str = "") -> Sheet:
    """One row per gap, highest impact first as given: kind, impact, matter, why, next step, suggested owners,
    then one column per kind of reference (names read from the graph where a store is given) and the figures."""
    items = list(items)
    kinds = [k for k in REF_COLUMNS if any((i.get("refs") or {}).get(k) for i in items)]
    kinds += sorted({k for i in items for k, v in (i.get("refs") or {}).items() if v and k not in REF_COLUMNS})
    ids = {x for i in items for k in kinds for x in (i.get("refs") or {}).get(k) or []}
    names = node_names(store, ids) if store is not None and ids else {}
    header = ("序号", "类型", "细类", "影响", "影响说明", "事项", "标识", "说明", "建议", "建议责任部门",
              *(REF_COLUMNS.get(k, k) for k in kinds), "数据")
    rows = []
    for n, g in enumerate(items, 1):
        sub = "、".join(GAP_SUBKINDS.get(k, k) for k in (g.get("subkind") or "").split(",") if k)
        cands = "\n".join(f"{c.get('name', '')}（{role_label(c.get('role'))}）" + (
            f" {c['score']:.2f}" if isinstance(c.get("score"), int | float) else "") for c in g.get("candidates") or [])
        rows.append((n, GAP_KINDS.get(g["kind"], g["kind"]), sub, g.get("impact", 0), g.get("impact_note", ""),
                     g.get("title", ""), g.get("subject", ""), g.get("why", ""), g.get("next_step", ""), cands,
                     *(_refs((g.get("refs") or {}).get(k) or [], names) for k in kinds),
                     json.dumps(g.get("data") or {}, ensure_ascii=False)))
    return Sheet("空白发现", header, rows, caption=caption, widths={"数据": 40, "说明": 50, "建议": 40})


def ask_sheets(answer: dict[str, Any]) -> list[Sheet]:
    """An /ask answer (its JSON contract): the candidates, one row per piece of evidence behind each, the
    analogous rulings, the basis articles, and the aspects where the answer was split."""
    place = answer.get("jurisdiction_name") or answer.get("jurisdiction", "")
    caption = f"争议：{answer.get('query', '')}（{place}，截至 {answer.get('as_of', '')}）"
    cands = answer.get("candidates") or []
    candidates = Sheet("候选部门", ("序号", "部门", "类型", "建议角色", "得分", "争议中点名", "证据条数", "主要依据", "标识"), [
        (i, c.get("name", ""), "部门" if c.get("kind") == "department" else "主管部门", role_label(c.get("role")),
         c.get("score"), "是" if c.get("named_in_dispute") else "", len(c.get("evidence") or []),
         (c.get("evidence") or [{}])[0].get("citation", ""), c.get("id", ""))
        for i, c in enumerate(cands, 1)], caption=caption)
    evidence = Sheet("证据", ("候选序号", "部门", "证据类型", "依据", "法规", "条", "原文", "推理路径", "角色", "贡献",
                            "因子", "来源", "说明", "单元标识"), [
        (i, c.get("name", ""), EVIDENCE_KINDS.get(e.get("kind"), e.get("kind")), e.get("citation", ""),
         e.get("law_title") or "", e.get("article") or "", e.get("text", ""), path_text(e.get("path") or []),
         role_label(e.get("role")), e.get("contribution"),
         "；".join(f"{k}={v:.3g}" for k, v in (e.get("factors") or {}).items()), e.get("source", ""),
         e.get("note", ""), e.get("unit", ""))
        for i, c in enumerate(cands, 1) for e in c.get("evidence") or []], caption=caption,
        widths={"原文": 60, "推理路径": 50})
    rulings = Sheet("类似裁决", ("序号", "裁决", "地区", "本地", "决定日期", "状态", "牵头", "配合", "原则", "依据", "相似度",
                              "相似理由", "标识"), [
        (i, r.get("title", ""), (r.get("jurisdiction") or "").removeprefix("jur:"), "是" if r.get("home") else "",
         r.get("decided_on") or "", RULING_STATUS.get(r.get("status") or "", r.get("status") or ""), r.get("lead") or [],
         r.get("cooperate") or [], r.get("principle", ""), r.get("basis") or [], r.get("similarity"),
         "；".join(r["why"]) if isinstance(r.get("why"), list) else r.get("why") or "", r.get("id", ""))
        for i, r in enumerate(answer.get("rulings") or [], 1)], caption=caption)
    articles = Sheet("依据法条", ("序号", "法规", "条", "条文（节选）", "有效", "地区", "相关度", "标识"), [
        (i, a.get("law_title", ""), a.get("article", ""), a.get("text", ""), "是" if a.get("valid", True) else "否",
         (a.get("jurisdiction") or "").removeprefix("jur:"), a.get("score"), a.get("id", ""))
        for i, a in enumerate(answer.get("articles") or [], 1)], caption=caption, widths={"条文（节选）": 60})
    sheets = [candidates, evidence, rulings, articles]
    if aspects := prop.aspects(answer):
        sheets.insert(0, _aspects_sheet(aspects, caption))
    return sheets


def _aspects_sheet(aspects: list[dict[str, Any]], caption: str) -> Sheet:
    def basis(a: dict[str, Any]) -> str:
        return "\n".join(f"《{x.get('law_title', '')}》第{x.get('article', '')}条" if isinstance(x, dict) else str(x)
                         for x in prop.basis_articles(a))

    return Sheet("分项", ("序号", "方面", "争议所述", "牵头", "配合", "属地", "依据法条", "类似裁决"), [
        (i, prop.aspect_name(a, i), a.get("text") or "", prop.parties_text(a.get("lead"), "\n"),
         prop.parties_text(prop.cooperating(a), "\n"), prop.parties_text(a.get("territorial"), "\n"), basis(a),
         "\n".join(r.get("title", "") for r in a.get("rulings") or [] if isinstance(r, dict)))
        for i, a in enumerate(aspects, 1)], caption=caption)
