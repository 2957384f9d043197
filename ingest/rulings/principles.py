"""The principles (原则) that duty rulings apply, and how a ruling's text names them.

Rulings rarely quote a principle the same way twice (“谁审批、谁监管”, “按照谁审批谁监管的原则”,
“谁发证谁监管”), so each principle has a canonical name, a description in our own words, and the
variants that count as naming it. Matching happens on text stripped of punctuation and quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.ontology import Principle


@dataclass(frozen=True)
class PrincipleSpec:
    name: str
    description: str
    variants: tuple[str, ...] = ()


PRINCIPLES: tuple[PrincipleSpec, ...] = (
    PrincipleSpec("职责就近", "新事项交给现有职责与之最接近、最熟悉同类业务的部门。", ("职能相近", "职责相近", "业务相近")),
    PrincipleSpec("管理沿用", "事项的管理沿用原有的管理渠道和方式，不另起炉灶。", ("沿用原有管理", "延续原有管理")),
    PrincipleSpec("谁主管谁负责", "行业或领域的主管部门对本行业本领域的事项负总责。", ("谁主管、谁负责", "管行业必须管安全")),
    PrincipleSpec("谁审批谁监管", "作出许可或审批的部门承担批后监管；审管分离的由行业部门监管。",
                  ("谁审批、谁监管", "谁发证谁监管", "谁许可谁监管")),
    PrincipleSpec("谁出面处置最有效", "由手段最直接、处置最有效的部门出面，避免多头跑腿。",
                  ("谁处置最有效", "谁最有效谁负责", "处置最有效")),
    PrincipleSpec("一件事情原则上由一个部门负责", "同一事项明确一个牵头部门，避免多头管理和推诿。",
                  ("一件事情由一个部门负责", "一件事情原则上由一个部门", "一类事项一个部门", "一件事一个部门")),
    PrincipleSpec("属地管理", "乡镇（街道）对辖区内事项承担发现、报告、劝阻和协助处置的属地责任。",
                  ("属地为主", "属地原则")),
    PrincipleSpec("有利有力", "有利于问题解决、有能力有手段落实的部门承担职责。", ("有利于工作开展",)),
    PrincipleSpec("参照类比", "新业态参照与其最相似的既有业态的管理方式确定部门。", ("参照类比法", "类比参照", "参照同类业态")),
    PrincipleSpec("权责一致", "职责与权力、手段相匹配，有权必有责。", ("权责统一", "权责对等")),
    PrincipleSpec("问题拆分", "宽泛事项拆成颗粒度更细的情形，每个情形只有一个责任部门。", ("问题拆分法", "拆分细化")),
    PrincipleSpec("主次协同", "明确牵头部门和配合部门，牵头负总责、配合按职责协同。", ("主次协同法",)),
    PrincipleSpec("首问负责", "首先受理的部门负责到底或负责转交，不得推诿。", ("首问负责制",)),
)

_STRIP = re.compile(r"[\s、，,“”‘’\"'「」『』()（）]")
_BY_NAME = {p.name: p for p in PRINCIPLES}


def _plain(text: str) -> str:
    return _STRIP.sub("", text)


_NEEDLES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((_plain(v), p.name) for p in PRINCIPLES for v in (p.name, *p.variants)),
        key=lambda nv: -len(nv[0]),
    )
)


def find_principles(text: str) -> list[str]:
    """Canonical names of the principles a text names, in order of first mention."""
    plain = _plain(text)
    hits: dict[str, int] = {}
    for needle, name in _NEEDLES:
        pos = plain.find(needle)
        if pos >= 0 and (name not in hits or pos < hits[name]):
            hits[name] = pos
    return sorted(hits, key=hits.__getitem__)


def canonical_principle(name: str) -> str:
    """The canonical name for a principle as a structured file writes it (unknown names pass through)."""
    found = find_principles(name)
    return found[0] if found else name.strip()


def principle_node(name: str) -> Principle:
    spec = _BY_NAME.get(name)
    return Principle(name=name, description=spec.description if spec else "")
