"""What an ask proposes for one work order: the body to dispatch it to, who cooperates, whether the town
or street has the territorial duty, how sure the ranking is, and the article or duty-list item that
settles it.

The proposal is read from the ask's answer (`AskResult.contract()`, the JSON every caller gets), so a
batch answers exactly as single asks do. A town's office is not known here: an order's own town or
street comes from its address (graph.address), so `territorial` says only that the ranking gives one
a part, and a lead that is 属地 names no body (`lead_territorial`).

Confidence is the lead's share of the two best candidates' scores (1.0 when no other body has any
evidence): a second body scoring close to the first means the ranking cannot tell them apart. An
order is flagged `gap` (a gap candidate: no one owns it) when no candidate has evidence of at least
GAP_SCORE, or when its gap likelihood reaches GAP_LIKELIHOOD; else `low_confidence` when its confidence
is below LOW_CONFIDENCE.

The gap likelihood is a logistic score over what the answer says about the lead (`gap_features`): how
well the local assignments behind it match (its best duty-list item, matter, 三定 clause and home ruling,
each as the rank similarity of its unit), how far it is ahead of the others, and how scattered the
evidence of all candidates is. An owned complaint is usually carried by one well-matching duty item or
matter; a new kind of business no list covers draws a little of everything. No single sign is enough
(an everyday complaint in citizens' words often ranks a statute above any duty item), hence the
weighted sum. GAP_WEIGHTS were fitted by `benchmarks/dispatch_bench.py --fit-gap` (L2-regularised
logistic regression) on labelled dev data only: the generator's orders of another seed than the sample's
(positive: those no department took) and the search benchmark's 鲁安市 dev questions (all owned), never
on the sample's file or held-out questions. The features follow the ask's ranking (how many candidates and
how much evidence each carries): refit them when that changes.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, Field

LOW_CONFIDENCE = 0.6
GAP_SCORE = 0.12
GAP_LIKELIHOOD = 0.7  # set on the dev data with the weights (benchmarks/dispatch_bench.py: precision, recall)
ASSIGNMENT_KINDS = ("duty", "matter", "mandate_clause", "ruling")  # local assignments of a body
GAP_BIAS = -3.0
GAP_WEIGHTS = {  # fitted: see the module's docstring
    "sim_duty": -4.11, "sim_matter": -1.03, "sim_mandate_clause": -1.01, "sim_ruling": -1.48,
    "share": -1.97, "confidence": -1.78, "units": 0.27, "best_local": -1.58,
}
COOPERATE_SHARE = 0.25  # a cooperating body scores at least this share of the lead
MAX_COOPERATE = 3
BASIS_KINDS = ("duty", "article", "ruling", "precedent", "mandate_clause")
TERRITORIAL_PREFIX = "territorial:"
Flag = Literal["", "low_confidence", "gap"]


class Proposal(BaseModel):
    """One ask's proposal for an order's text (the same for every order with that text in that place)."""

    lead: str = Field("", description="the body to dispatch to first; empty when it is the order's town (lead_territorial) or nobody")
    lead_id: str = ""
    lead_territorial: bool = Field(False, description="the town or street itself leads (属地)")
    cooperate: list[str] = Field(default_factory=list)
    territorial: bool = Field(False, description="the order's town or street has a territorial part")
    confidence: float = 0.0
    score: float = 0.0
    basis: str = Field("", description="the lead's strongest evidence: a duty-list item, article or ruling")
    basis_kind: str = ""
    article: str = Field("", description="the best basis article of the answer (《…》第N条)")
    flag: Flag = ""


def question(text: str, address: str = "") -> str:
    """The text an order is asked with: its address taken out (the address only narrows the place, and a
    street named 文化路 or a 农贸市场 nearby says nothing about who owns the complaint), spaces folded."""
    if address and len(address) >= 2:
        text = text.replace(address, "")
    return re.sub(r"\s+", " ", text).strip()


def _similarity(e: dict[str, Any]) -> float:
    return float((e.get("factors") or {}).get("similarity", 0.0))


def gap_features(cands: list[dict[str, Any]]) -> dict[str, float]:
    """What the ranked candidates (best first, as in an answer) say about whether anyone owns the matter."""
    scores = [float(c["score"]) for c in cands]
    s1, s2 = scores[0], (scores[1] if len(scores) > 1 else 0.0)
    lead = cands[0].get("evidence") or []
    everyone = [e for c in cands for e in c.get("evidence") or []]
    out = {f"sim_{k}": max((_similarity(e) for e in lead if e["kind"] == k), default=0.0) for k in ASSIGNMENT_KINDS}
    out["share"] = s1 / sum(scores) if sum(scores) > 0 else 0.0
    out["confidence"] = s1 / (s1 + s2) if s1 + s2 > 0 else 0.0
    out["units"] = float(len({e.get("unit") or e.get("citation") for e in everyone}))
    out["best_local"] = max((_similarity(e) for e in everyone if e["kind"] in ("duty", "matter")), default=0.0)
    return out


def gap_likelihood(features: dict[str, float]) -> float:
    """The logistic gap score of `gap_features` (0..1)."""
    z = GAP_BIAS + sum(w * features[k] for k, w in GAP_WEIGHTS.items())
    return 1.0 / (1.0 + math.exp(-z))


def propose(contract: dict[str, Any]) -> Proposal:
    """The proposal in an ask's answer (`AskResult.contract()`)."""
    cands = sorted(contract.get("candidates") or [], key=lambda c: -float(c["score"]))
    articles = contract.get("articles") or []
    article = f"《{articles[0]['law_title']}》第{articles[0]['article']}条" if articles else ""
    if not cands or float(cands[0]["score"]) < GAP_SCORE:
        return Proposal(article=article, flag="gap", score=float(cands[0]["score"]) if cands else 0.0)
    top = cands[0]
    second = float(cands[1]["score"]) if len(cands) > 1 else 0.0
    s1 = float(top["score"])
    confidence = s1 / (s1 + second) if s1 + second > 0 else 0.0
    lead_territorial = top["id"].startswith(TERRITORIAL_PREFIX)
    cooperate = [c["name"] for c in cands[1:]
                 if not c["id"].startswith(TERRITORIAL_PREFIX) and float(c["score"]) >= COOPERATE_SHARE * s1
                 and c["role"] in ("lead", "cooperate")][:MAX_COOPERATE]
    territorial = lead_territorial or any(c["id"].startswith(TERRITORIAL_PREFIX) or c["role"] == "territorial"
                                          for c in cands[:4])
    evidence = top.get("evidence") or []
    best = max((e for e in evidence if e["kind"] in BASIS_KINDS), key=lambda e: float(e["contribution"]), default=None)
    gap = gap_likelihood(gap_features(cands)) >= GAP_LIKELIHOOD
    flag: Flag = "gap" if gap else "low_confidence" if confidence < LOW_CONFIDENCE else ""
    return Proposal(
        lead="" if lead_territorial else top["name"], lead_id="" if lead_territorial else top["id"],
        lead_territorial=lead_territorial, cooperate=cooperate, territorial=territorial,
        confidence=round(confidence, 3), score=round(s1, 4),
        basis=best["citation"] if best else "", basis_kind=best["kind"] if best else "", article=article,
        flag=flag,
    )
