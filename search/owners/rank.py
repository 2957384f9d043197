"""Rank candidate owners from retrieved units by walking the graph (DESIGN §6).

From each hit: Article → DESIGNATES → Authority ← ACTS_AS ← Department of the place; MandateClause →
its Department; Duty ← HOLDS; Matter ← RESPONSIBLE_FOR; Ruling → ASSIGNS (a precedent's authority →
the local department acting as it). Each path becomes one piece of evidence whose contribution is
similarity × kind × role × validity × diminishing (the i-th best piece of a candidate counts less, so
a body that acts as many authorities does not win by volume). Where the place has no department
directory (`mode="authority"`), the same paths end at the authorities instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from graph.ontology.nodes import NOT_IN_FORCE
from graph.places import NATIONAL, contains
from graph.queries.crossrefs import article_texts
from graph.queries.evidence import (
    acting_departments,
    article_authorities,
    clause_departments,
    department_authorities,
    duty_holders,
    matter_owners,
    ruling_assignments,
)
from graph.store.base import GraphStore
from search.dated import DatedLaws
from search.owners.conduct import conduct_fit
from search.owners.crossrefs import Settled, authority_fit, cited_rules, item_text, matcher_for
from search.owners.model import Candidate, Evidence
from search.owners.rows import UNIT_ROWS, Fetch, Row
from search.owners.weights import (
    DEFAULT_WEIGHTS,
    OwnerWeights,
    competence,
    detains_only,
    interval_validity,
    law_validity,
    sanctioning,
    sanctions,
)
from search.retriever import Hit
from search.units import TextUnit

OwnerMode = Literal["department", "authority"]
TERRITORIAL_NAME = "属地镇（街道）"
_SNIPPET = 160


@dataclass
class _Raw:
    key: str
    name: str
    role: str
    ev_kind: str
    unit: TextUnit
    citation: str
    path: list[str]
    factors: dict[str, float]
    law_title: str | None = None
    article: str | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    incidental: bool = False  # an article naming a body without making it competent (weights.competence < 1)

    @property
    def statute(self) -> str | None:
        """The title of the law an article's evidence is from (the graph row's, else the unit's)."""
        return self.law_title or self.unit.meta.get("law_title")

    @property
    def base(self) -> float:
        return math.prod(self.factors.values())


class _Walk:
    """Collects raw evidence for one query; `target` maps a reached body to a candidate key."""

    def __init__(self, store: GraphStore, place: str, as_of: str, mode: OwnerMode, w: OwnerWeights, query: str = "",
                 replaced: frozenset[str] = frozenset(), dated: DatedLaws | None = None):
        self.store, self.place, self.as_of, self.mode, self.w = store, place, as_of, mode, w
        self.dated = dated  # the statutes as of the ask's day (today where none was asked), by their dates
        self.version = store.version()  # read once: the walks' rows are kept under it (search.owners.rows)
        self.query = query  # the question's words, to tell which sentence of an article fits it
        self.replaced = replaced  # articles whose bodies are read per referring paragraph instead (crossrefs)
        self.raw: list[_Raw] = []
        # (candidate, unit, role) -> (base, index in `raw`): only the best path of a unit to a body counts
        # (`_assemble`), so a weaker one is not copied; a town's many departments all reach the territorial body
        self._best: dict[tuple[str, str, str], tuple[float, int]] = {}
        self._dept_auth: dict[str, list[dict]] = {}

    def rows(self, fetch: Fetch, by: str, ids: list[str], scope: str = "") -> list[Row]:
        """`fetch`'s rows for these units, read from the graph only for units not read before under its version."""
        return UNIT_ROWS.rows(self.store, self.version, fetch.__name__, fetch, by, ids, scope)

    def acting(self, authority_ids: set[str]) -> dict[str, list[dict]]:
        """The place's departments acting as each authority (department mode; none needed in authority mode)."""
        out: dict[str, list[dict]] = defaultdict(list)
        if self.mode == "department":
            def acting_here(store: GraphStore, ids: list[str]) -> list[Row]:
                return acting_departments(store, ids, self.place)
            for d in self.rows(acting_here, "authority_id", sorted(authority_ids), scope=self.place):
                out[d["authority_id"]].append(d)
        return out

    # -- where a path ends -----------------------------------------------------------------
    def _local(self, jurisdiction: str | None) -> bool:
        return contains(self.place, jurisdiction)

    def _township(self, kind: str | None, jurisdiction: str | None) -> bool:
        return kind == "township" or (contains(self.place, jurisdiction) and jurisdiction != self.place)

    def reach(self, dept: dict, role: str) -> tuple[str, str] | None:
        """Where a path that reached a department ends, as (body, role): None outside the place; the
        department itself in authority mode (it leads on to the authorities it acts as); a town's department
        is the territorial body."""
        if not self._local(dept.get("jurisdiction")):
            return None
        if self.mode == "department" and self._township(dept.get("kind"), dept.get("jurisdiction")):
            return TERRITORIAL_NAME, "territorial"
        return dept["id"], role

    def add_department(self, dept: dict, role: str, base: _Raw) -> None:
        """A path that reached a department (id, name, kind, jurisdiction in `dept`)."""
        reached = self.reach(dept, role)
        if reached is None:
            return
        if self.mode == "authority":
            for au in self._authorities_of(dept["id"]):
                v, note = interval_validity(au.get("valid_from"), au.get("valid_to"), self.as_of, self.w)
                self._emit(f"{au['authority_id']}", au["authority"], role, base,
                           [dept["name"], "ACTS_AS", au["authority"]], {"via_department": self.w.via_department, "acts_as": v}, note)
        elif reached[1] == "territorial":
            self._emit(f"territorial:{self.place}", TERRITORIAL_NAME, "territorial", base, [dept["name"]], {}, "")
        else:
            self._emit(dept["id"], dept["name"], role, base, [dept["name"]], {}, "")

    def add_authority(self, authority_id: str, authority: str, role: str, base: _Raw, scope_rows: list[dict]) -> None:
        """A path that reached an authority: itself in authority mode, else the local bodies acting as it."""
        if self.mode == "authority":
            self._emit(authority_id, authority, role, base, [authority], {}, "")
            return
        for d in scope_rows:
            v, note = interval_validity(d.get("valid_from"), d.get("valid_to"), self.as_of, self.w)
            extra = {"acts_as": v}
            if d.get("scope"):
                extra["scope"] = self.w.scoped
            dept = {"id": d["department_id"], "name": d["department"], "kind": d.get("kind"), "jurisdiction": d.get("jurisdiction")}
            self.add_department(dept, role, _with(base, [authority, "ACTS_AS" + (f"({d['scope']})" if d.get("scope") else "")], extra, note))

    def _authorities_of(self, department_id: str) -> list[dict]:
        if department_id not in self._dept_auth:
            rows = self.rows(department_authorities, "department_id", [department_id])
            self._dept_auth[department_id] = rows
        return self._dept_auth[department_id]

    def _emit(self, key: str, name: str, role: str, base: _Raw, tail: list[str], extra: dict[str, float], note: str) -> None:
        factors = {**base.factors, **extra}
        factors["role"] = self.w.role.get(role, self.w.role["cooperate"])
        value = math.prod(factors.values())  # what `_Raw.base` will say
        at = (key, base.unit.id, role)
        kept = self._best.get(at)
        if kept is not None and value <= kept[0]:  # the first of equal paths is the one kept
            return
        r = _with(base, tail, {}, note)
        r.key, r.name, r.role, r.factors = key, name, role, factors
        if kept is None:
            self._best[at] = (value, len(self.raw))
            self.raw.append(r)
        else:  # a better path takes the place of the weaker one
            self._best[at] = (value, kept[1])
            self.raw[kept[1]] = r


def _with(base: _Raw, tail: list[str], extra: dict[str, float], note: str) -> _Raw:
    return _Raw(key=base.key, name=base.name, role=base.role, ev_kind=base.ev_kind, unit=base.unit, citation=base.citation,
                path=[*base.path, *tail], factors={**base.factors, **extra}, law_title=base.law_title, article=base.article,
                source=base.source, notes=[*base.notes, *([note] if note else [])], basis=base.basis,
                incidental=base.incidental)


def _start(hit_unit: TextUnit, sim: float, ev_kind: str, w: OwnerWeights, citation: str, path: list[str],
           validity: float = 1.0, note: str = "", kind_factor: float = 1.0, **kw: str | None) -> _Raw:
    factors = {"similarity": sim, "kind": w.kind[ev_kind] * kind_factor, "validity": validity}
    return _Raw(key="", name="", role="", ev_kind=ev_kind, unit=hit_unit, citation=citation, path=path, factors=factors,
                notes=[note] if note else [], **kw)  # type: ignore[arg-type]


def _sentence_fit(walk: _Walk, texts: dict[str, str], named: dict[str, set[str]]) -> dict[tuple[str, str], float]:
    """(article, authority) → factor in [w.sentence_floor, 1] for articles that name several bodies (`named`, by
    article id; `texts`, their texts): how well the sentences naming that body fit the question, against the
    best-fitting body of the article."""
    several = [u for u, ids in named.items() if len(ids) > 1]
    if not several or not walk.query:
        return {}
    matcher = matcher_for(walk.store, walk.version)
    out: dict[tuple[str, str], float] = {}
    floor = walk.w.sentence_floor
    for u in several:
        fit = authority_fit(texts[u], walk.query, matcher)
        best = max((fit.get(a, 0.0) for a in named[u]), default=0.0)
        if best > 0:
            for a in named[u]:
                out[(u, a)] = floor + (1 - floor) * fit.get(a, 0.0) / best
    return out


def _articles(walk: _Walk, hits: dict[str, tuple[TextUnit, float]]) -> None:
    rows = [r for r in walk.rows(article_authorities, "unit", list(hits)) if r["unit"] not in walk.replaced]
    named: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        named[r["unit"]].add(r["authority_id"])
    fits = _sentence_fit(walk, {u: hits[u][0].text for u in named}, named)
    acting = walk.acting({r["authority_id"] for r in rows})
    if walk.dated:  # the statutes these rows stand on, in one query
        walk.dated.load([str(hits[r["unit"]][0].meta.get("law_id") or "") for r in rows])
    for r in rows:
        unit, sim = hits[r["unit"]]
        v, note = interval_validity(r.get("valid_from"), r.get("valid_to"), walk.as_of, walk.w)
        if not r.get("valid_to"):
            v, note = law_validity(r.get("law_status"), walk.w)
        elif r.get("law_status") in NOT_IN_FORCE:
            v, note = walk.w.repealed, f"该法律法规{r['law_status']}"
        if walk.dated:  # the statute's standing on the ask's day, where the designation had not ended itself
            standing = walk.dated.standing(unit.meta.get("law_id"))
            if standing == "not yet":
                v, note = 0.0, f"截至{walk.as_of}尚未生效"
            elif standing == "in force" and not (r.get("valid_to") and str(r["valid_to"])[:10] <= walk.as_of):
                v, note = 1.0, ""
        role = r.get("role") or "lead"
        step = f"DESIGNATES {role}"
        if role == "territorial" and sanctioning(r.get("duty_text")):
            # 由所在地街道办事处责令…: the street acts on this conduct itself; the chain says what the statute says
            role, step = "lead", "DESIGNATES(属地，依本条自行处罚，按牵头)"
        fit = competence(unit.text, walk.w)
        base = _start(unit, sim, "article", walk.w, unit.title, [unit.title, step], v, note,
                      kind_factor=fit, law_title=r.get("law_title"), article=r.get("article"),
                      source=r.get("source") or r.get("law_title") or "")
        base.incidental = fit < 1.0
        if detains_only(unit.text, r["authority"]):
            base.factors["detention"] = walk.w.detention
        if (r["unit"], r["authority_id"]) in fits:
            base.factors["sentence"] = fits[(r["unit"], r["authority_id"])]
        _local_statute(walk, base)
        walk.add_authority(r["authority_id"], r["authority"], role, base, acting.get(r["authority_id"], []))


def _law_validity(walk: _Walk, law_id: str | None, status: str | None) -> tuple[float, str]:
    """A statute version's weight: by whether it was in force on the ask's day (full), had not started (none) or
    had ended (as its stored status weighs it); by that status alone without `walk.dated`."""
    standing = walk.dated.standing(law_id) if walk.dated else None
    if standing == "in force":
        return 1.0, ""
    if standing == "not yet":
        return 0.0, f"截至{walk.as_of}尚未生效"
    return law_validity(status, walk.w)


def _basis_in_force(walk: _Walk, basis: dict) -> bool:
    """Is a duty's basis article in force on the ask's day (by its statute's stored status without `walk.dated`)?"""
    today = basis.get("status") not in NOT_IN_FORCE
    return walk.dated.in_force(basis["id"].rsplit("#", 1)[0], today) if walk.dated else today


def _clauses(walk: _Walk, hits: dict[str, tuple[TextUnit, float]]) -> None:
    for r in walk.rows(clause_departments, "unit", list(hits)):
        unit, sim = hits[r["unit"]]
        ck = r.get("clause_kind") or "main"
        base = _start(unit, sim, "mandate_clause", walk.w, unit.title, [unit.title, "HAS_CLAUSE"],
                      kind_factor=walk.w.clause_kind.get(ck, 0.6), source=r.get("source") or "")
        dept = {"id": r["department_id"], "name": r["department"], "kind": r.get("kind"), "jurisdiction": r.get("jurisdiction")}
        walk.add_department(dept, "lead", base)


def _duties(walk: _Walk, hits: dict[str, tuple[TextUnit, float]]) -> None:
    rows = walk.rows(duty_holders, "unit", list(hits))
    if walk.dated:  # the statutes the duties' basis articles stand on, in one query
        walk.dated.load([b["id"].rsplit("#", 1)[0] for r in rows for b in r.get("basis_articles") or [] if b.get("id")])
    for r in rows:
        unit, sim = hits[r["unit"]]
        v, note = interval_validity(r.get("valid_from"), r.get("valid_to"), walk.as_of, walk.w)
        basis = [b for b in r.get("basis_articles") or [] if b.get("id")]
        if v > 0 and basis and not any(_basis_in_force(walk, b) for b in basis):
            v, note = v * walk.w.basis_failed, "依据条文均已失效或尚未施行"
        first = basis[0] if basis else {}
        role = r.get("role") or "lead"
        base = _start(unit, sim, "duty", walk.w, f"权责清单：{r.get('name')}", [f"Duty {r.get('name')}", f"HOLDS {role}"], v, note,
                      law_title=first.get("law_title"), article=first.get("number"), source=r.get("source") or "")
        base.basis = [f"{b['law_title']}#{b['number']}" for b in basis if b.get("law_title")]
        dept = {"id": r["department_id"], "name": r["department"], "kind": r.get("kind"), "jurisdiction": r.get("jurisdiction")}
        walk.add_department(dept, role, base)


def _matters(walk: _Walk, hits: dict[str, tuple[TextUnit, float]]) -> None:
    def matter_paths(store: GraphStore, ids: list[str]) -> list[Row]:
        """The owner rows that can count here: a matter every town holds reaches the territorial body once per
        town's department, each path weighing the same, and only the first of a matter's paths that end at one
        body in one role with one validity can count (`_Walk._emit`); none outside the place counts."""
        seen: set[tuple[str, str, str, float]] = set()
        out: list[Row] = []
        for r in matter_owners(store, ids):
            v, _ = interval_validity(r.get("valid_from"), r.get("valid_to"), walk.as_of, walk.w)
            dept = {"id": r["department_id"], "kind": r.get("kind"), "jurisdiction": r.get("jurisdiction")}
            reached = walk.reach(dept, r.get("role") or "lead")
            if reached is not None and (r["unit"], *reached, v) not in seen:
                seen.add((r["unit"], *reached, v))
                out.append(r)
        return out

    # what counts depends on the place, the date, the mode and the weight of an ended path: kept under all four
    scope = f"{walk.place}|{walk.as_of}|{walk.mode}|{walk.w.ended}"
    for r in walk.rows(matter_paths, "unit", list(hits), scope=scope):
        unit, sim = hits[r["unit"]]
        v, note = interval_validity(r.get("valid_from"), r.get("valid_to"), walk.as_of, walk.w)
        role = r.get("role") or "lead"
        base = _start(unit, sim, "matter", walk.w, f"事项：{unit.title}", [f"Matter {unit.title}", f"RESPONSIBLE_FOR {role}"], v, note,
                      source=r.get("source") or "")
        dept = {"id": r["department_id"], "name": r["department"], "kind": r.get("kind"), "jurisdiction": r.get("jurisdiction")}
        walk.add_department(dept, role, base)


def _rulings(walk: _Walk, hits: dict[str, tuple[TextUnit, float]]) -> None:
    rows = walk.rows(ruling_assignments, "unit", list(hits))
    acting = walk.acting({r["target_id"] for r in rows if r["target_label"] == "Authority"})
    for r in rows:
        unit, sim = hits[r["unit"]]
        home = walk._local(r.get("ruling_jurisdiction"))
        v, note = interval_validity(r.get("valid_from"), r.get("valid_to"), walk.as_of, walk.w)
        # a superseded ruling whose assignment has an end date was in force until then (the interval above
        # says so for the as-of date); only one superseded at an unknown date is discounted outright
        if v > 0 and r.get("status") == "superseded" and not r.get("valid_to"):
            v, note = min(v, walk.w.superseded), "裁决已被取代"
        elif r.get("status") == "draft":
            v, note = 0.0, "裁决尚为草案"
        role = r.get("role") or "lead"
        kind = "ruling" if home else "precedent"
        base = _start(unit, sim, kind, walk.w, f"裁决：{r.get('title')}", [f"Ruling {r.get('title')}", f"ASSIGNS {role}"], v, note,
                      source=r.get("ruling_jurisdiction") or "")
        if r["target_label"] == "Authority":
            walk.add_authority(r["target_id"], r["target"], role, base, acting.get(r["target_id"], []))
        else:
            dept = {"id": r["target_id"], "name": r["target"], "kind": r.get("kind"), "jurisdiction": r.get("jurisdiction")}
            walk.add_department(dept, role, base)


def _referrals(walk: _Walk, settled: list[Settled], retrieved: dict[str, float]) -> None:
    """A rule the question matched → the article that refers to its breach → the body it names there.

    A referring article that was retrieved itself keeps its retrieval similarity, shared among its
    paragraphs by how well each fits (the paragraphs, not the article, say who does what)."""
    best: dict[str, float] = defaultdict(float)
    named: dict[str, set[str]] = defaultdict(set)
    for s in settled:
        best[s.penalty["id"]] = max(best[s.penalty["id"]], s.score)
        named[s.penalty["id"]].add(s.authority_id)
    # an article naming several bodies, as one retrieved directly: the body whose sentences fit the question
    fits = _sentence_fit(walk, {s.penalty["id"]: s.penalty.get("text") or "" for s in settled}, named)
    acting = walk.acting({s.authority_id for s in settled})
    for s in settled:
        row = s.penalty
        title = f"{row.get('law_title') or ''} 第{row['number']}条".strip()
        v, note = _law_validity(walk, row.get("law_id"), row.get("law_status"))
        valid = v >= 1.0 if walk.dated else row.get("law_status") in (None, "现行有效")
        unit = TextUnit(id=row["id"], kind="Article", jurisdiction=row.get("law_jurisdiction") or "", title=title,
                        text=row.get("text") or "", valid=valid,
                        meta={"law_id": row.get("law_id"), "law_title": row.get("law_title"), "article": row["number"]})
        rule = s.rule_id.rsplit("#", 1)[-1]
        sim = max(s.score, retrieved.get(row["id"], 0.0) * s.score / best[row["id"]])
        base = _start(unit, sim, "article", walk.w, title, [rule, "REFERRED_BY", title, "DESIGNATES lead"], v, note,
                      kind_factor=walk.w.referral, law_title=row.get("law_title"), article=row["number"],
                      source=row.get("law_title") or "")
        if (row["id"], s.authority_id) in fits:
            base.factors["sentence"] = fits[(row["id"], s.authority_id)]
        _local_statute(walk, base)
        walk.add_authority(s.authority_id, s.authority, "lead", base, acting.get(s.authority_id, []))


def _local_statute(walk: _Walk, base: _Raw) -> None:
    """A statute of the asked place itself is the specific rule there (特别规定优于一般规定): its designations
    count more than those of the province's or the nation's statutes on the same matter."""
    if base.unit.jurisdiction and base.unit.jurisdiction == walk.place and walk.place != NATIONAL:
        base.factors["local"] = walk.w.local_statute


_WALKERS = {"Article": _articles, "MandateClause": _clauses, "Duty": _duties, "Matter": _matters, "Ruling": _rulings}


def similarities(hits: list[Hit], decay: float, reference: list[Hit] | None = None) -> dict[str, float]:
    """Similarity of each hit in [0, 1]: exp(-rank / decay) × relevance against the reference ranking.

    The rank part keeps the first handful of units decisive (RRF scores are flat: rank 1 and rank 20
    differ by a third); the relevance part (raw BM25 and cosine against the best of the reference,
    see `_Scale.relevance`) keeps a unit that ranks well only because little matched from counting much.
    """
    scale = _Scale.of(hits if reference is None else reference)
    return {h.unit.id: math.exp(-i / decay) * scale.relevance(h) for i, h in enumerate(hits)}


@dataclass(frozen=True)
class _Scale:
    """The reference ranking's best BM25 score and cosine range (None: that side did not run)."""

    lex_best: float | None
    cos_range: tuple[float, float] | None

    @classmethod
    def of(cls, reference: list[Hit]) -> _Scale:
        lex = [h.lexical_score for h in reference if h.lexical_score is not None]
        cos = [h.vector_score for h in reference if h.vector_score is not None]
        return cls(max(lex) if lex and max(lex) > 0 else None, (min(cos), max(cos)) if cos else None)

    def relevance(self, hit: Hit) -> float:
        """How close a hit comes to the reference ranking's best, in [0, 1]: the mean of its BM25 score over
        the best BM25 score and its cosine placed between the worst and best cosine (each side that ran;
        a hit missing from a side's list scores 0 there). Raw scores are comparable between two searches of
        one index with one query, so this also places a hit from another ranking (precedents)."""
        parts: list[float] = []
        if self.lex_best is not None:
            parts.append(min(1.0, (hit.lexical_score or 0.0) / self.lex_best))
        if self.cos_range is not None:
            lo, hi = self.cos_range
            if hit.vector_score is None:
                parts.append(0.0)
            else:
                parts.append(1.0 if hi <= lo else min(1.0, max(0.0, (hit.vector_score - lo) / (hi - lo))))
        return sum(parts) / len(parts) if parts else 0.0


def rank_owners(
    store: GraphStore, hits: list[Hit], place: str, as_of: str, *, mode: OwnerMode = "department",
    precedents: list[Hit] | None = None, extra: list[Hit] | None = None, named: set[str] | None = None,
    referrals: list[Settled] | None = None, focused: list[tuple[TextUnit, float]] | None = None, query: str = "",
    weights: OwnerWeights = DEFAULT_WEIGHTS, limit: int = 10, dated: DatedLaws | None = None,
) -> list[Candidate]:
    """Candidates for the place, best first.

    `hits` are units that apply in the place, best first; `extra` more applicable units from another
    ranking (articles alone), placed on the scale of `hits` by `relevance`; `precedents` a ranking of rulings
    from anywhere (a precedent elsewhere is not "applicable" but is evidence by analogy), ranked on
    its own scale and weighed as `precedent`. `named` = ids of bodies the dispute names: flagged, and in
    authority mode (the sides of the dispute) weighed up by `party`.
    `referrals`: the articles that name who acts on a breach of a rule the question matched (crossrefs);
    `query`: the question's words, to weigh the bodies of an article that names several by their sentences;
    `focused`: articles that fit the facts best within the leading statutes (search.focus), with a similarity
    of their own (an article also retrieved keeps the higher one); `dated`: the statutes as of the ask's day
    (search.dated; `ask` passes today's where no date was asked), None to read the stored status alone.
    """
    walk = _Walk(store, place, as_of, mode, weights, query,
                 frozenset(s.penalty["id"] for s in referrals or []), dated)
    sims = similarities(hits, weights.similarity_decay)
    by_kind: dict[str, dict[str, tuple[TextUnit, float]]] = defaultdict(dict)
    for h in hits:
        by_kind[h.unit.kind][h.unit.id] = (h.unit, sims[h.unit.id])
    esims = similarities(extra or [], weights.similarity_decay, reference=hits)
    for h in extra or []:
        by_kind[h.unit.kind].setdefault(h.unit.id, (h.unit, esims[h.unit.id]))
    for unit, sim in focused or []:
        known = by_kind["Article"].get(unit.id)
        if sim > 0 and (known is None or known[1] < sim):
            by_kind["Article"][unit.id] = (unit, sim)
    psims = similarities(precedents or [], weights.similarity_decay, reference=hits)
    for h in precedents or []:
        if not walk._local(h.unit.jurisdiction):  # home rulings are weighed in `hits`, on the common scale
            by_kind["Ruling"].setdefault(h.unit.id, (h.unit, psims[h.unit.id]))
    for kind, group in by_kind.items():
        _WALKERS[kind](walk, group)
    if referrals:
        _referrals(walk, referrals, {uid: sim for uid, (_, sim) in by_kind.get("Article", {}).items()})
    if not (named and mode == "authority"):  # a dispute's sides (a directory's departments a text names are none)
        _conduct(walk, weights)
    _outranked(walk.raw, weights)
    return _assemble(walk.raw, weights, named or set(), mode, limit)


def _conduct(walk: _Walk, w: OwnerWeights) -> None:
    """Each sanction article reached counts × its conduct fit among its statute's sanction articles reached
    (search.owners.conduct): `w.conduct_floor` + (1 − floor) × its fit as a share of the best article's, so the best
    keeps its weight and one that fits nothing keeps the floor.

    Not for a dispute between named sides (X说归Y管): each side is scored on its best statute there
    (on_one_statute), and the sides' claims are words of the question too; on the real-place tune split the rule
    moved its disputes 0.808 → 0.802 (1 won, 2 lost on near-ties), its complaints 0.783 → 0.792 (3 won, none lost)."""
    if w.conduct_floor >= 1.0 or not walk.query:
        return
    by_statute: dict[str, dict[str, TextUnit]] = defaultdict(dict)
    for r in walk.raw:  # an article naming several bodies is several rows: its text is read once
        if r.ev_kind == "article" and r.statute and r.unit.id not in by_statute[r.statute] and sanctions(r.unit.text):
            by_statute[r.statute][r.unit.id] = r.unit
    several = [units for units in by_statute.values() if len(units) > 1]
    conducts = _conducts(walk, [u for units in several for u in units.values()])
    matcher = matcher_for(walk.store, walk.version)
    fits: dict[str, float] = {}
    for units in several:
        fits.update(conduct_fit({uid: conducts[uid] for uid in units}, walk.query, matcher))
    for r in walk.raw:
        if r.ev_kind == "article" and r.unit.id in fits:
            r.factors["conduct"] = w.conduct_floor + (1 - w.conduct_floor) * fits[r.unit.id]


def _conducts(walk: _Walk, units: list[TextUnit]) -> dict[str, list[str]]:
    """The texts that state each sanction article's conduct: its own, and the rules it cites (违反本条例第X条第Y项
    规定的，由…: the items named, else the whole article), which are its conduct in the statute's words.

    A paragraph cited (第X条第Y款) is read as its whole article. Reading that paragraph alone (with its item lines)
    was measured and not kept: real-place tune top-1 0.802 unchanged (won a building site's dust, lost 县道横幅 on a
    near-tie: 公路法 第七十六条 item (一) then read 第四十四条's first paragraph only), top-3 0.924 → 0.922, basis
    0.786 → 0.788; gate top-3 0.833 → 0.822."""
    cites = {u.id: [(f"{u.id.rsplit('#', 1)[0]}#第{n}条", items) for n, items in cited_rules(u.text)] for u in units}
    ids = sorted({a for refs in cites.values() for a, _ in refs})
    rules = {r["id"]: r["text"] for r in walk.rows(_article_texts, "id", ids)}
    return {u.id: [u.text, *("\n".join(item_text(rules.get(a, ""), i) for i in items) if items else rules.get(a, "")
                             for a, items in cites[u.id])] for u in units}


def _article_texts(store: GraphStore, ids: list[str]) -> list[Row]:
    """`article_texts` as rows (search.owners.rows keeps them per article)."""
    return [{"id": k, "text": v} for k, v in article_texts(store, ids).items()]


def _outranked(raw: list[_Raw], w: OwnerWeights) -> None:
    """An article that names a body in passing (a licence, a plan, a report) counts × `w.outranked` where an
    article of its own statute that makes a body competent (a penalty, a duty split) was reached too, with at least
    `w.outranked_share` of its similarity: the statute says itself who acts on the conduct."""
    if w.outranked >= 1.0:
        return
    best: dict[str, float] = defaultdict(float)
    for r in raw:
        if r.ev_kind == "article" and not r.incidental and r.statute:
            best[r.statute] = max(best[r.statute], r.factors["similarity"])
    for r in raw:
        if r.incidental and r.statute in best and best[r.statute] >= w.outranked_share * r.factors["similarity"]:
            r.factors["outranked"] = w.outranked


def _assemble(raw: list[_Raw], w: OwnerWeights, named: set[str], mode: OwnerMode, limit: int) -> list[Candidate]:
    groups: dict[str, list[_Raw]] = defaultdict(list)
    for r in raw:
        groups[r.key].append(r)
    # score every group from plain numbers first; models (and their checks) only for the `limit` kept
    scored: list[tuple[float, str, str, list[_Raw], list[float]]] = []
    for key, items in groups.items():
        # one path per (unit, role): a unit reaching the same body twice (two ACTS_AS) counts once
        best: dict[tuple[str, str], tuple[float, _Raw]] = {}
        for r in items:
            k, base = (r.unit.id, r.role), r.base
            if k not in best or base > best[k][0]:
                best[k] = (base, r)
        ranked = [r for _, r in sorted(best.values(), key=lambda br: (-br[0], br[1].unit.id))[: w.max_evidence]]
        if mode == "authority" and key in named:  # a side of the dispute: each piece of its evidence says so
            for r in ranked:
                r.factors["party"] = w.party
        contributions = [math.prod({**r.factors, "diminishing": w.diminishing ** i}.values()) for i, r in enumerate(ranked)]
        score = math.fsum(contributions)
        if score > 0:
            scored.append((score, ranked[0].name, key, ranked, contributions))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [_candidate(key, ranked, contributions, score, w, named, mode)
            for score, _, key, ranked, contributions in scored[:limit]]


def _candidate(key: str, ranked: list[_Raw], contributions: list[float], score: float, w: OwnerWeights,
               named: set[str], mode: OwnerMode) -> Candidate:
    evidence = []
    for i, (r, contribution) in enumerate(zip(ranked, contributions, strict=True)):
        evidence.append(Evidence(
            kind=r.ev_kind, unit=r.unit.id, citation=r.citation, law_title=r.law_title or r.unit.meta.get("law_title"),
            article=r.article or r.unit.meta.get("article"), text=_snippet(r.unit.text), source=r.source, path=r.path,
            role=r.role, valid=r.factors.get("validity", 1.0) >= 1.0 and not r.notes, note="; ".join(r.notes), basis=r.basis,
            factors={**r.factors, "diminishing": w.diminishing ** i}, contribution=contribution,
        ))
    role_scores = _role_scores(evidence)
    return Candidate(id=key, name=ranked[0].name, kind=mode, role=_role(role_scores), score=score,  # type: ignore[arg-type]
                     role_scores=role_scores, named_in_dispute=key in named, evidence=evidence)


def _role_scores(evidence: list[Evidence]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for e in evidence:
        out[e.role] += e.contribution
    return dict(out)


def _role(role_scores: dict[str, float]) -> str:
    """The role a candidate is suggested in: the one its evidence weighs most in, lead on a tie."""
    return max(role_scores, key=lambda k: (role_scores[k], k == "lead"))


def reweighed(c: Candidate, kinds: frozenset[str], times: float, w: OwnerWeights = DEFAULT_WEIGHTS) -> Candidate:
    """`c` scored again with the kind factor of its evidence of these kinds × `times`, as ranking it would.

    From the evidence it carries, not walked again: each piece's weight without its diminishing factor is
    the product of its other factors, so the pieces are ordered and diminished as `_assemble` does. Exact
    for the evidence kept; a piece the ranking cut (beyond max_evidence) cannot come back."""
    pieces = []
    for e in c.evidence:
        factors = {k: v for k, v in e.factors.items() if k != "diminishing"}
        if e.kind in kinds:
            factors["kind"] *= times
        pieces.append((factors, e))
    return _rescored(c, pieces, w)


def on_one_statute(c: Candidate, w: OwnerWeights = DEFAULT_WEIGHTS) -> Candidate:
    """`c` scored on the articles of its best statute alone (the other statutes' articles kept, at × `w.other_statute`).

    A dispute between two bodies is settled by the statute on its conduct; a body whose evidence is spread
    over several statutes is matched on its field in general, and summing them let it outrank the body the
    one settling statute names. Evidence that is no statute article (a duty, a ruling, a precedent) keeps its
    weight: it is not a statute's reading of the field."""
    pieces = [({k: v for k, v in e.factors.items() if k != "diminishing"}, e) for e in c.evidence]
    groups: dict[str, list[float]] = defaultdict(list)
    for factors, e in pieces:
        if e.kind == "article" and e.law_title:
            groups[e.law_title].append(math.prod(factors.values()))
    if len(groups) < 2:
        return c

    def weight(g: str) -> float:
        return math.fsum(x * w.diminishing ** i for i, x in enumerate(sorted(groups[g], reverse=True)))
    best = max(groups, key=lambda g: (weight(g), g))
    out = []
    for factors, e in pieces:
        if e.kind == "article" and e.law_title and e.law_title != best:
            factors["other_statute"] = w.other_statute
            why = f"争议按其最相关的一部法规（{best}）计分"
            e = e.model_copy(update={"note": f"{e.note}；{why}" if e.note else why})
        out.append((factors, e))
    return _rescored(c, out, w)


def _rescored(c: Candidate, pieces: list[tuple[dict[str, float], Evidence]], w: OwnerWeights) -> Candidate:
    """`c` with its pieces (their factors but diminishing) ordered and diminished as `_assemble` does."""
    pieces.sort(key=lambda p: (-math.prod(p[0].values()), p[1].unit))
    evidence = []
    for i, (factors, e) in enumerate(pieces):
        factors["diminishing"] = w.diminishing ** i
        evidence.append(e.model_copy(update={"factors": factors, "contribution": math.prod(factors.values())}))
    role_scores = _role_scores(evidence)
    return c.model_copy(update={"evidence": evidence, "score": math.fsum(e.contribution for e in evidence),
                                "role_scores": role_scores, "role": _role(role_scores)})


def _snippet(text: str) -> str:
    t = " ".join(text.split())
    return t if len(t) <= _SNIPPET else t[: _SNIPPET - 1] + "…"
