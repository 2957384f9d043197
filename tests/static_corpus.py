"""A small statute-like corpus for the static-tier tests: six topics, a few hundred short texts, own words.

Small on purpose: its vocabulary (~500 words and characters) is what the teacher embeds, so a
distillation over it takes seconds.
"""

from __future__ import annotations

import itertools

PLACES = ["鲁安市", "潍坊市", "济南市", "城关街道", "高新区"]
TOPICS: dict[str, tuple[str, list[str], list[str]]] = {
    "noise": ("生态环境主管部门", ["夜间施工噪声", "建筑施工噪音扰民", "娱乐场所噪声污染"],
              ["负责监督管理", "依法查处", "责令限期改正"]),
    "food": ("市场监督管理部门", ["食品经营许可", "餐饮服务食品安全", "食品小作坊登记"],
             ["负责审核发放", "实施监督检查", "依法处罚"]),
    "traffic": ("公安机关交通管理部门", ["道路交通安全", "机动车违法停车", "驾驶证管理"],
                ["负责管理", "依法纠正", "处以罚款"]),
    "stall": ("城市管理部门", ["占道经营", "擅自摆摊设点", "店外经营"],
              ["负责查处", "责令改正", "没收违法物品"]),
    "water": ("水行政主管部门", ["河道管理", "违法排污入河", "取水许可"],
              ["负责监督", "依法审批", "责令停止违法行为"]),
    "fire": ("消防救援机构", ["消防安全检查", "火灾隐患整改", "疏散通道堵塞"],
             ["负责实施", "督促整改", "依法查封"]),
}


def corpus() -> list[tuple[str, str]]:
    """(topic, text) pairs: every place × subject × action of each topic (270 texts)."""
    out = []
    for topic, (dept, subjects, actions) in TOPICS.items():
        for place, subject, action in itertools.product(PLACES, subjects, actions):
            out.append((topic, f"{place}{dept}对{subject}{action}，具体办法由本级人民政府规定。"))
    return out


def texts() -> list[str]:
    return [t for _, t in corpus()]
