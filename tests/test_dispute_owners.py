"""A dispute's owners scored on each body's best statute (search.owners.rank.on_one_statute)."""

from __future__ import annotations

import math

from search.owners.model import Candidate, Evidence
from search.owners.rank import on_one_statute
from search.owners.weights import DEFAULT_WEIGHTS


def _piece(law: str, article: str, weight: float, dim: float) -> Evidence:
    factors = {"similarity": weight, "kind": 0.5, "diminishing": dim}
    return Evidence(kind="article", unit=f"{law}#{article}", citation=f"{law} 第{article}条", law_title=law,
                    article=article, path=[law], role="lead", factors=factors, contribution=math.prod(factors.values()))


def _body(cid: str, *pieces: tuple[str, str, float]) -> Candidate:
    ordered = sorted(pieces, key=lambda p: -p[2])
    evidence = [_piece(law, art, w, DEFAULT_WEIGHTS.diminishing ** i) for i, (law, art, w) in enumerate(ordered)]
    score = math.fsum(e.contribution for e in evidence)
    return Candidate(id=cid, name=cid, kind="authority", role="lead", score=score, role_scores={"lead": score},
                     evidence=evidence)


def test_a_body_on_one_settling_statute_outranks_one_spread_over_its_field() -> None:
    # 林业 matched on three statutes of its field, 园林 on the one that settles the conduct
    forest = _body("林业", ("森林法", "81", 0.40), ("森林法实施条例", "41", 0.30), ("草原法", "65", 0.25))
    green = _body("园林", ("城市绿化条例", "26", 0.38), ("城市绿化条例", "24", 0.10))
    assert forest.score > green.score
    scored = [on_one_statute(c) for c in (forest, green)]
    assert max(scored, key=lambda c: c.score).id == "园林"


def test_the_other_statutes_stay_as_evidence_and_the_score_is_their_sum() -> None:
    forest = on_one_statute(_body("林业", ("森林法", "81", 0.40), ("森林法实施条例", "41", 0.30), ("森林法实施条例", "45", 0.25)))
    assert len(forest.evidence) == 3
    kept = [e for e in forest.evidence if e.contribution > 0]
    # the regulation's two articles (0.30 + 0.25 × 0.6) weigh more than the law's one (0.40): the regulation counts
    assert {e.law_title for e in kept} == {"森林法实施条例"}
    assert [e.factors["diminishing"] for e in kept] == [1.0, DEFAULT_WEIGHTS.diminishing]
    assert math.isclose(forest.score, math.fsum(e.contribution for e in forest.evidence))
    assert forest.role_scores == {"lead": forest.score}


def test_a_body_on_one_statute_keeps_its_score() -> None:
    green = _body("园林", ("城市绿化条例", "26", 0.38), ("城市绿化条例", "24", 0.10))
    assert math.isclose(on_one_statute(green).score, green.score)


def test_a_ruling_keeps_its_weight_and_a_set_aside_article_says_why() -> None:
    body = _body("林业", ("森林法", "81", 0.40), ("森林法", "82", 0.30), ("草原法", "65", 0.25))
    factors = {"similarity": 0.5, "kind": 0.6}
    ruling = Evidence(kind="ruling", unit="ruling:1", citation="一份裁决", path=["Ruling"], role="lead",
                      factors=factors, contribution=math.prod(factors.values()))
    body = body.model_copy(update={"evidence": [*body.evidence, ruling]})
    scored = on_one_statute(body)
    kept_ruling = next(e for e in scored.evidence if e.kind == "ruling")
    assert kept_ruling.contribution > 0  # no statute's reading of the field: it is not set aside
    aside = next(e for e in scored.evidence if e.law_title == "草原法")
    assert aside.contribution == 0 and "森林法" in aside.note
