"""Graph walks from retrieved text units to the bodies that could own a dispute (DESIGN §6).

Each function takes unit ids of one kind and returns one row per path, with the properties the
ranking needs to weigh it: the edge's role, its validity interval, the status of the law or ruling
behind it. Validity is *returned*, not filtered, so the ranker can discount ended or repealed
evidence and still show it. All queries are parameterised; the place is an id from code.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field

from graph.places import in_place, place_params
from graph.store.base import GraphStore

_ARTICLE_AUTHORITIES = """
UNWIND $ids AS aid
MATCH (a:Article {id: aid})-[g:DESIGNATES]->(au:Authority)
OPTIONAL MATCH (l:Law {id: a.law})
RETURN a.id AS unit, au.id AS authority_id, au.name AS authority, g.role AS role, g.duty_text AS duty_text,
       g.valid_from AS valid_from, g.valid_to AS valid_to, l.status AS law_status, l.title AS law_title,
       a.number AS article, g.source AS source
"""

# `WITH au` makes FalkorDB start from the authority's id index; written as one pattern with a WHERE on
# the department, it scanned every department per authority (5× slower on the sample)
_ACTING = """
UNWIND $ids AS auid
MATCH (au:Authority {id: auid})
WITH au
MATCH (au)<-[x:ACTS_AS]-(d:Department)
WHERE {IN_PLACE}
RETURN au.id AS authority_id, d.id AS department_id, d.name AS department, d.kind AS kind, d.jurisdiction AS jurisdiction,
       x.scope AS scope, x.valid_from AS valid_from, x.valid_to AS valid_to
""".replace("{IN_PLACE}", in_place("d"))

_CLAUSES = """
UNWIND $ids AS cid
MATCH (c:MandateClause {id: cid})
WITH c, c.department AS did
MATCH (d:Department {id: did})
RETURN c.id AS unit, c.kind AS clause_kind, c.number AS clause, d.id AS department_id, d.name AS department,
       d.kind AS kind, d.jurisdiction AS jurisdiction, c.mandate AS source
"""

_DUTIES = """
UNWIND $ids AS uid
MATCH (d:Department)-[h:HOLDS]->(u:Duty {id: uid})
OPTIONAL MATCH (u)-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
RETURN u.id AS unit, u.name AS name, u.basis AS basis, d.id AS department_id, d.name AS department, d.kind AS kind,
       d.jurisdiction AS jurisdiction, h.role AS role, h.valid_from AS valid_from, h.valid_to AS valid_to,
       h.source AS source, collect(DISTINCT {id: a.id, status: l.status, law_title: l.title, number: a.number}) AS basis_articles
"""

_MATTERS = """
UNWIND $ids AS mid
MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(m:Matter {id: mid})
RETURN m.id AS unit, m.name AS name, d.id AS department_id, d.name AS department, d.kind AS kind,
       d.jurisdiction AS jurisdiction, r.role AS role, r.valid_from AS valid_from, r.valid_to AS valid_to,
       r.source AS source
"""

_RULINGS = """
UNWIND $ids AS rid
MATCH (r:Ruling {id: rid})-[s:ASSIGNS]->(t)
RETURN r.id AS unit, r.title AS title, r.status AS status, r.jurisdiction AS ruling_jurisdiction,
       labels(t)[0] AS target_label, t.id AS target_id, t.name AS target, t.kind AS kind,
       t.jurisdiction AS jurisdiction, s.role AS role, s.duty_text AS duty_text,
       s.valid_from AS valid_from, s.valid_to AS valid_to
"""

_DEPT_AUTHORITIES = """
UNWIND $ids AS did
MATCH (d:Department {id: did})-[x:ACTS_AS]->(au:Authority)
RETURN d.id AS department_id, au.id AS authority_id, au.name AS authority, x.valid_from AS valid_from,
       x.valid_to AS valid_to
"""


_NAMES = """
MATCH (d:Department) WHERE {IN_PLACE}
RETURN d.id AS id, d.name AS name, d.aliases AS aliases
""".replace("{IN_PLACE}", in_place("d"))


def article_authorities(store: GraphStore, article_ids: list[str]) -> list[dict[str, Any]]:
    """Article → DESIGNATES → Authority, with the edge's role and interval and the law's status."""
    return store.read(_ARTICLE_AUTHORITIES, {"ids": article_ids}) if article_ids else []


def acting_departments(store: GraphStore, authority_ids: list[str], jurisdiction: str) -> list[dict[str, Any]]:
    """Departments in `jurisdiction` (or below it) that ACTS_AS each authority."""
    if not authority_ids:
        return []
    return store.read(_ACTING, {"ids": authority_ids, **place_params(jurisdiction)})


def clause_departments(store: GraphStore, clause_ids: list[str]) -> list[dict[str, Any]]:
    """MandateClause → the department whose 三定 it belongs to."""
    return store.read(_CLAUSES, {"ids": clause_ids}) if clause_ids else []


def duty_holders(store: GraphStore, duty_ids: list[str]) -> list[dict[str, Any]]:
    """Duty ← HOLDS ← Department, with the duty's basis articles and their laws' status."""
    return store.read(_DUTIES, {"ids": duty_ids}) if duty_ids else []


def matter_owners(store: GraphStore, matter_ids: list[str]) -> list[dict[str, Any]]:
    """Matter ← RESPONSIBLE_FOR ← Department, every role and interval."""
    return store.read(_MATTERS, {"ids": matter_ids}) if matter_ids else []


def ruling_assignments(store: GraphStore, ruling_ids: list[str]) -> list[dict[str, Any]]:
    """Ruling → ASSIGNS → Department | Authority, with the ruling's status and place."""
    return store.read(_RULINGS, {"ids": ruling_ids}) if ruling_ids else []


def department_authorities(store: GraphStore, department_ids: list[str]) -> list[dict[str, Any]]:
    """The authorities each department acts as (to carry a home ruling over to an authority-only place)."""
    return store.read(_DEPT_AUTHORITIES, {"ids": department_ids}) if department_ids else []


def department_names(store: GraphStore, jurisdiction: str) -> list[dict[str, Any]]:
    """Names and aliases of the place's departments (to spot the ones a dispute names)."""
    return store.read(_NAMES, place_params(jurisdiction))


# The opening of every per-ruling read (details here, the audit trace's rulings): each ruling of $ids as `r`,
# with the names of the principles it applies
RULINGS_WITH_PRINCIPLES = """
UNWIND $ids AS rid
MATCH (r:Ruling {id: rid})
OPTIONAL MATCH (r)-[:APPLIES]->(p:Principle)
WITH r, collect(DISTINCT p.name) AS principles
"""

_RULING_DETAILS = RULINGS_WITH_PRINCIPLES + """OPTIONAL MATCH (r)-[:DECIDES]->(m:Matter)
WITH r, principles, collect(DISTINCT m.id) AS matters
OPTIONAL MATCH (r)-[:CITES]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
WITH r, principles, matters, collect(DISTINCT {id: a.id, law_title: l.title, number: a.number}) AS cites
OPTIONAL MATCH (r)-[s:ASSIGNS]->(t)
RETURN r.id AS id, r.title AS title, r.jurisdiction AS jurisdiction, r.status AS status, r.decided_on AS decided_on,
       r.decided_by AS decided_by, r.summary AS summary, principles, matters, cites,
       collect(DISTINCT {name: t.name, role: s.role}) AS assigns
"""

_MATTER_RULINGS = """
UNWIND $ids AS mid
MATCH (m:Matter {id: mid})
OPTIONAL MATCH (m)-[:PART_OF]->(parent:Matter)
WITH m, collect(parent.id) + [m.id] AS family
UNWIND family AS fid
MATCH (r:Ruling)-[:DECIDES]->(:Matter {id: fid})
RETURN DISTINCT m.id AS matter, r.id AS ruling
"""


def ruling_details(store: GraphStore, ruling_ids: list[str]) -> list[dict[str, Any]]:
    """What each ruling decided: principles, matters, cited articles, assignments."""
    return store.read(_RULING_DETAILS, {"ids": ruling_ids}) if ruling_ids else []


class RulingSummary(BaseModel):
    """What a list of rulings shows of one `ruling_details` row: who leads and cooperates, the principles
    applied, the articles cited and the opening of the summary. Lists of rulings (analogous rulings, the
    rulings page) extend this one model so they say the same thing about the same ruling."""

    id: str
    title: str
    jurisdiction: str
    decided_on: str | None = None
    decided_by: str | None = None
    status: str = "in_force"
    lead: list[str] = Field(default_factory=list, description="names of the lead parties")
    cooperate: list[str] = Field(default_factory=list)
    principle: str = Field(default="", description="principles applied, joined with 、")
    basis: list[str] = Field(default_factory=list, description="articles cited: 《law》第N条")
    basis_ids: list[str] = Field(default_factory=list)
    summary: str = ""

    @classmethod
    def of(cls, d: dict[str, Any], **extra: Any) -> Self:
        """The summary of a `ruling_details` row, with the fields a subclass adds in `extra`."""
        assigns = [a for a in d.get("assigns") or [] if a.get("name")]
        cites = [c for c in d.get("cites") or [] if c.get("id")]
        decided_on = d.get("decided_on")
        return cls(
            id=d["id"], title=d["title"], jurisdiction=d.get("jurisdiction") or "",
            decided_on=str(decided_on)[:10] if decided_on else None, decided_by=d.get("decided_by"),
            status=d.get("status") or "in_force",
            lead=sorted({a["name"] for a in assigns if a.get("role") == "lead"}),
            cooperate=sorted({a["name"] for a in assigns if a.get("role") == "cooperate"}),
            principle="、".join(sorted(p for p in d.get("principles") or [] if p)),
            basis=[f"《{c['law_title']}》第{c['number']}条" for c in cites if c.get("law_title")],
            basis_ids=[c["id"] for c in cites], summary=(d.get("summary") or "")[:200], **extra,
        )


def rulings_on_matters(store: GraphStore, matter_ids: list[str]) -> list[dict[str, Any]]:
    """Rulings that decide a matter or its parent category (shared matter category)."""
    return store.read(_MATTER_RULINGS, {"ids": matter_ids}) if matter_ids else []


_COMPETENCE_ARTICLES = """
MATCH (l:Law)-[:HAS_ARTICLE]->(a:Article)-[g:DESIGNATES]->(au:Authority)
WHERE l.id IN $laws AND au.id IN $authorities AND g.valid_to IS NULL
RETURN DISTINCT a.id AS id, a.number AS number, a.ordinal AS ordinal, a.text AS text, l.id AS law_id,
       l.title AS law_title, l.status AS law_status, l.jurisdiction AS law_jurisdiction, au.id AS authority_id
ORDER BY law_id, ordinal
"""


_OPENING_ARTICLES = """
MATCH (l:Law)-[:HAS_ARTICLE]->(a:Article)
WHERE l.id IN $laws AND a.ordinal <= $upto
RETURN a.id AS id, a.number AS number, a.ordinal AS ordinal, a.text AS text, l.id AS law_id, l.title AS law_title,
       l.status AS law_status, l.jurisdiction AS law_jurisdiction
ORDER BY law_id, ordinal
"""


def opening_articles(store: GraphStore, law_ids: list[str], upto: int) -> list[dict[str, Any]]:
    """The first `upto` articles of each statute (its general provisions, where it says who is in charge)."""
    return store.read(_OPENING_ARTICLES, {"laws": law_ids, "upto": upto}) if law_ids else []


def designating_articles(store: GraphStore, law_ids: list[str], authority_ids: list[str]) -> list[dict[str, Any]]:
    """Articles of the given statutes that designate one of the authorities (current edges only), in
    statute order: where to look for the article that makes the proposed owner competent."""
    if not law_ids or not authority_ids:
        return []
    return store.read(_COMPETENCE_ARTICLES, {"laws": law_ids, "authorities": authority_ids})



_ARTICLE_COLUMNS = ("a.id AS id, a.number AS number, a.ordinal AS ordinal, a.text AS text, l.title AS law_title, "
                    "l.status AS law_status, l.jurisdiction AS law_jurisdiction")
_OWNER_BASES = f"""
UNWIND $asks AS q
UNWIND q.duties AS uid
MATCH (d:Duty {{id: uid}})-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
RETURN q.department AS department, uid AS unit, {_ARTICLE_COLUMNS}
UNION
UNWIND $asks AS q
UNWIND q.matters AS uid
MATCH (:Department {{id: q.department}})-[:HOLDS]->(d:Duty)-[:ABOUT]->(:Matter {{id: uid}})
MATCH (d)-[:BASED_ON]->(a:Article)<-[:HAS_ARTICLE]-(l:Law)
RETURN q.department AS department, uid AS unit, {_ARTICLE_COLUMNS}
"""


def owner_bases(store: GraphStore, duty_ids: list[str], matter_ids: list[str], department_id: str) -> list[dict[str, Any]]:
    """The articles a department's duty-list items rest on (实施依据), reached from the evidence that made it
    a candidate: a duty it holds (that duty's basis), or a matter (the basis of the department's duties
    ABOUT that matter). One row per (unit, article), in statute order within a unit."""
    return owners_bases(store, [(department_id, duty_ids, matter_ids)]).get(department_id, [])


def owners_bases(store: GraphStore, asks: list[tuple[str, list[str], list[str]]]) -> dict[str, list[dict[str, Any]]]:
    """`owner_bases` for several (department, duty ids, matter ids) in one round trip, by department."""
    asks = [(d, duties, matters) for d, duties, matters in asks if duties or matters]
    if not asks:
        return {}
    rows = store.read(_OWNER_BASES, {"asks": [{"department": d, "duties": duties, "matters": matters}
                                              for d, duties, matters in asks]})
    out: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["unit"], r["law_title"] or "", r["ordinal"] or 0)):
        out.setdefault(r.pop("department"), []).append(r)
    return out
