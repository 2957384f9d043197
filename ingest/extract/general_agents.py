"""A statute's general sanctioning agent, given to its sanction articles that name no agent.

Many local regulations write their penalties without an agent (违反本条例第二十七条规定，在…捕鱼的，责令停止违法
行为，可以处…罚款) and name who imposes them once, in a general clause (济南市河道管理保护条例 第四十一条:
违反本条例规定的行为，由综合行政执法部门实施处罚; 本条例规定的行政处罚，由…部门实施). Read article by article,
the penalty designates nobody and the body the statute charges with it is never reached from it; this reads the
general clause's agents as the agents of each such penalty of the same statute.

Kept apart from the sentence rules (designations.py): it needs a statute's articles together, as the defined short
names do (defined_names.py). The sanction words are the extractor's own (ingest may not import search's weights).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import replace

from ingest.extract.designations import Designation

_SELF = r"本(?:条例|法|办法|规定|细则|实施办法|决定)"
# the general clause opens its sentence: (对)违反本条例规定的(违法)行为，由… / 本条例规定的(行政)处罚(，)由…
_GENERAL = re.compile(
    rf"(?:^|[。；;\n])(?:对)?(?:违反{_SELF}(?:规定)?的(?:违法)?行为|(?:依照|依据)?{_SELF}(?:规定|设定)的(?:行政)?处罚(?:事项)?)"
    r"[，,]?(?:依法)?由"
)
_SANCTION = re.compile(r"责令|处[^。；]{0,30}罚款|没收|吊销|警告")
_END = re.compile(r"[。；;\n]")  # a sentence's end


def _general_clauses(text: str) -> list[str]:
    """The sentences of an article that name the statute's general agent — not the sentences after them, which
    give one kind of penalty to another body (安全生产法 第一百一十五条: 给予拘留的行政处罚，由公安机关…决定)."""
    return [text[m.start() : len(text) if (end := _END.search(text, m.end())) is None else end.start()]
            for m in _GENERAL.finditer(text)]


def _sanction_sentence(text: str) -> str | None:
    """The first sentence of a breach article that imposes a sanction, or None where it imposes none."""
    if "违反" not in text:
        return None
    return next((s for s in _END.split(text) if s and _SANCTION.search(s)), None)


def general_agents(texts: Sequence[str], found: list[list[Designation]], statutes: Sequence[Hashable]) -> list[list[Designation]]:
    """`found` with each statute's agentless sanction articles given the lead designations of its general clause.

    An inherited designation's duty text is the penalty's own sanction sentence, so a reader placing designations
    in paragraphs (search.owners.crossrefs) finds the agent in the paragraph that imposes it."""
    members: dict[Hashable, list[int]] = {}
    for i, key in enumerate(statutes):
        members.setdefault(key, []).append(i)
    out = [list(f) for f in found]
    for idx in members.values():
        agents = [d for i in idx for clause in _general_clauses(texts[i]) for d in found[i]
                  if d.role == "lead" and d.surface in clause]
        agents = list({d.authority: d for d in agents}.values())
        if not agents:
            continue
        for i in idx:
            sentence = None if found[i] else _sanction_sentence(texts[i])
            if sentence:
                out[i] = [replace(d, duty_text=sentence) for d in agents]
    return out
