"""The Chinese words people see for the graph's codes: roles, relations, node labels, gap kinds.

Defined once here. The CLI renders with it directly; the web pages read it from `GET /api/v1/vocabulary`
(api.web.routes.vocabulary), so a label changed here changes in the terminal and the browser alike. The
JSON contracts keep the codes (`lead`, `HOLDS`): only what is shown to people is translated, and a code
missing here is shown as it is.
"""

from __future__ import annotations

import re

from cases.ladder import LABELS as LADDER_LABELS

ROLES: dict[str, str] = {"lead": "牵头", "cooperate": "配合", "territorial": "属地"}

# edge types (graph.ontology.edges), as an evidence path or a change-log entry names them
RELATIONS: dict[str, str] = {
    "HOLDS": "承担权责",
    "ABOUT": "涉及事项",
    "RESPONSIBLE_FOR": "负责事项",
    "DESIGNATES": "法定指定",
    "REFERRED_BY": "罚则引用",  # not an edge: a rule → the article on its breach (search.owners.crossrefs)
    "ACTS_AS": "履行职权",
    "ASSIGNS": "裁决指定",
    "DECIDES": "裁决事项",
    "BASED_ON": "依据",
    "CITES": "引用",
    "APPLIES": "适用原则",
    "SUPERSEDES": "取代",
    "HAS_CLAUSE": "三定条款",
    "HAS_MANDATE": "三定规定",
    "HAS_ARTICLE": "条文",
    "BOUNDARY_WITH": "职责分工",
    "AMENDS": "修改",
    "REPEALS": "废止",
    "IMPLEMENTS": "实施",
    "PART_OF": "隶属",
    "IN": "所在地区",
    "DISPATCHED_TO": "派单至",
    "RETURNED_BY": "被退回",
    "CONCERNS": "涉及",
    "PARTY": "当事方",
    "RESOLVED_BY": "裁决结果",
}

# node labels, as a path step such as "Duty 对占道经营的查处" starts
NODES: dict[str, str] = {
    "Article": "法条", "Authority": "主管部门", "Department": "部门", "Duty": "权责事项", "Matter": "事项",
    "Ruling": "裁决", "Mandate": "三定规定", "MandateClause": "三定条款", "Law": "法规", "WorkOrder": "工单",
    "Jurisdiction": "地区",
}

RULING_STATUS: dict[str, str] = {"in_force": "有效", "superseded": "已被取代"}

# a party's stance on a dispute (graph.ontology.edges.Stance)
STANCES: dict[str, str] = {"claims": "认领（属于本部门）", "refuses": "不认领", "neutral": "中立", "proposes": "建议由他部门负责"}

# a dispute case's place on the review ladder (cases.ladder), in the ladder's order, and the moves up and down it
DISPUTE_STATES: dict[str, str] = dict(LADDER_LABELS)
LADDER_STEPS: dict[str, str] = {"submit": "提交审核", "approve": "审核通过", "return": "退回研判", "decide": "裁决",
                                "feed_back": "反馈", "reopen": "重新办理"}

# an assigned department's answer to a decision (cases.models.Answer)
ANSWERS: dict[str, str] = {"accepted": "接受", "objected": "有异议"}

# what a piece of owner evidence is (search.owners.model.EvidenceKind)
EVIDENCE_KINDS: dict[str, str] = {"article": "法条", "mandate_clause": "三定条款", "duty": "权责清单", "matter": "事项",
                                  "ruling": "本地裁决", "precedent": "外地案例"}

# what a change-log entry did to an edge
CHANGE_ACTIONS: dict[str, str] = {"assert": "确立", "supersede": "截止", "rekey": "转由新版来源文件确立",
                                   "merge": "并入同一事实"}

GAP_KINDS: dict[str, str] = {
    "unowned": "无人牵头（空白）", "overlap": "多头牵头（交叉）", "stale_basis": "依据失效", "ping_pong": "推诿热点",
    "new_business": "新业态", "push_down": "属地下压",
}
GAP_SUBKINDS: dict[str, str] = {
    "two_leads": "多个牵头部门", "list_vs_ruling": "清单与裁决不一致", "repealed": "依据已废止", "amended": "依据已修改",
}

# "HOLDS lead", "ACTS_AS(综合执法)", "Duty 名称", "DESIGNATES" — a code, then a role, a scope or a name
_STEP = re.compile(r"^([A-Za-z_]+)(?:\((.*)\)|\s+(.*))?$", re.S)


def role_label(role: str | None) -> str:
    return ROLES.get(role or "", role or "—")


def path_step(step: str) -> str:
    """One evidence-path step in Chinese: a relation with its role or scope, or a node label with its name."""
    m = _STEP.match(step.strip())
    if not m:
        return step
    code, scope, rest = m.group(1), m.group(2), m.group(3)
    if code in RELATIONS:
        extra = scope if scope is not None else (ROLES.get(rest, rest) if rest else None)
        return RELATIONS[code] + (f"（{extra}）" if extra else "")
    if code in NODES and scope is None:
        return NODES[code] + (f" {rest}" if rest else "")
    return step


def path_text(path: list[str]) -> str:
    return " → ".join(path_step(s) for s in path)


def as_dict() -> dict[str, dict[str, str]]:
    """Every table, as `/api/v1/vocabulary` serves it."""
    return {"roles": ROLES, "relations": RELATIONS, "nodes": NODES, "ruling_status": RULING_STATUS,
            "change_actions": CHANGE_ACTIONS, "stances": STANCES,
            "evidence_kinds": EVIDENCE_KINDS, "answers": ANSWERS, "dispute_states": DISPUTE_STATES,
            "ladder_steps": LADDER_STEPS,
            "gap_kinds": GAP_KINDS, "gap_subkinds": GAP_SUBKINDS}
