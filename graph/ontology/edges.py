"""Relationship types of the duty graph (DESIGN §3). Each carries provenance (see `Provenance`).

`discriminators` name the properties that make two parallel edges between the same nodes, from the
same source and locator, different facts (a department both leads and cooperates on a matter).
`assignment` edges are the ones the change log records.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from graph.ontology.base import Edge

Role = Literal["lead", "cooperate", "territorial"]
Stance = Literal["claims", "refuses", "neutral", "proposes"]


class RoleAssignment(Edge):
    """A body given a role for a duty or matter (duty lists, rulings): the edges the change log records. A
    department may lead and cooperate on the same thing from one source, so the role tells the two apart."""

    discriminators: ClassVar[tuple[str, ...]] = ("role",)
    assignment: ClassVar[bool] = True
    role: Role = "lead"


class JurisdictionPartOf(Edge):
    type: ClassVar[str] = "PART_OF"
    sources: ClassVar[tuple[str, ...]] = ("Jurisdiction",)
    targets: ClassVar[tuple[str, ...]] = ("Jurisdiction",)


class DepartmentIn(Edge):
    type: ClassVar[str] = "IN"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Jurisdiction",)


class DepartmentPartOf(Edge):
    type: ClassVar[str] = "PART_OF"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Department",)


class ActsAs(Edge):
    """How a local body realises a law's abstract authority; `scope` limits it (e.g. penalties taken over)."""

    type: ClassVar[str] = "ACTS_AS"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Authority",)
    scope: str = ""


class HasArticle(Edge):
    type: ClassVar[str] = "HAS_ARTICLE"
    sources: ClassVar[tuple[str, ...]] = ("Law",)
    targets: ClassVar[tuple[str, ...]] = ("Article",)


class Amends(Edge):
    type: ClassVar[str] = "AMENDS"
    sources: ClassVar[tuple[str, ...]] = ("Law",)
    targets: ClassVar[tuple[str, ...]] = ("Law",)


class Repeals(Edge):
    type: ClassVar[str] = "REPEALS"
    sources: ClassVar[tuple[str, ...]] = ("Law",)
    targets: ClassVar[tuple[str, ...]] = ("Law",)


class Implements(Edge):
    type: ClassVar[str] = "IMPLEMENTS"
    sources: ClassVar[tuple[str, ...]] = ("Law",)
    targets: ClassVar[tuple[str, ...]] = ("Law",)


class Designates(Edge):
    """An article makes an authority responsible for something, in a role, at a level."""

    type: ClassVar[str] = "DESIGNATES"
    sources: ClassVar[tuple[str, ...]] = ("Article",)
    targets: ClassVar[tuple[str, ...]] = ("Authority",)
    discriminators: ClassVar[tuple[str, ...]] = ("role", "duty_text")
    role: Role
    duty_text: str = ""
    level: str | None = None
    law_version: str | None = None


class HasMandate(Edge):
    type: ClassVar[str] = "HAS_MANDATE"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Mandate",)


class HasClause(Edge):
    type: ClassVar[str] = "HAS_CLAUSE"
    sources: ClassVar[tuple[str, ...]] = ("Mandate",)
    targets: ClassVar[tuple[str, ...]] = ("MandateClause",)


class BoundaryWith(Edge):
    type: ClassVar[str] = "BOUNDARY_WITH"
    sources: ClassVar[tuple[str, ...]] = ("MandateClause",)
    targets: ClassVar[tuple[str, ...]] = ("Department",)


class Holds(RoleAssignment):
    type: ClassVar[str] = "HOLDS"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Duty",)


class BasedOn(Edge):
    type: ClassVar[str] = "BASED_ON"
    sources: ClassVar[tuple[str, ...]] = ("Duty",)
    targets: ClassVar[tuple[str, ...]] = ("Article",)


class About(Edge):
    type: ClassVar[str] = "ABOUT"
    sources: ClassVar[tuple[str, ...]] = ("Duty", "WorkOrder")
    targets: ClassVar[tuple[str, ...]] = ("Matter",)


class MatterPartOf(Edge):
    type: ClassVar[str] = "PART_OF"
    sources: ClassVar[tuple[str, ...]] = ("Matter",)
    targets: ClassVar[tuple[str, ...]] = ("Matter",)


class ResponsibleFor(RoleAssignment):
    type: ClassVar[str] = "RESPONSIBLE_FOR"
    sources: ClassVar[tuple[str, ...]] = ("Department",)
    targets: ClassVar[tuple[str, ...]] = ("Matter",)


class Decides(Edge):
    type: ClassVar[str] = "DECIDES"
    sources: ClassVar[tuple[str, ...]] = ("Ruling",)
    targets: ClassVar[tuple[str, ...]] = ("Matter",)


class Assigns(RoleAssignment):
    type: ClassVar[str] = "ASSIGNS"
    sources: ClassVar[tuple[str, ...]] = ("Ruling",)
    targets: ClassVar[tuple[str, ...]] = ("Department", "Authority")
    duty_text: str = ""


class Cites(Edge):
    type: ClassVar[str] = "CITES"
    sources: ClassVar[tuple[str, ...]] = ("Ruling", "Article")
    targets: ClassVar[tuple[str, ...]] = ("Article", "MandateClause", "Ruling")
    text: str = ""


class Applies(Edge):
    type: ClassVar[str] = "APPLIES"
    sources: ClassVar[tuple[str, ...]] = ("Ruling",)
    targets: ClassVar[tuple[str, ...]] = ("Principle",)


class Supersedes(Edge):
    type: ClassVar[str] = "SUPERSEDES"
    sources: ClassVar[tuple[str, ...]] = ("Ruling",)
    targets: ClassVar[tuple[str, ...]] = ("Ruling",)


class RulingIn(Edge):
    type: ClassVar[str] = "IN"
    sources: ClassVar[tuple[str, ...]] = ("Ruling",)
    targets: ClassVar[tuple[str, ...]] = ("Jurisdiction",)


class DispatchedTo(Edge):
    type: ClassVar[str] = "DISPATCHED_TO"
    sources: ClassVar[tuple[str, ...]] = ("WorkOrder",)
    targets: ClassVar[tuple[str, ...]] = ("Department",)
    discriminators: ClassVar[tuple[str, ...]] = ("at",)
    at: dt.datetime | None = None


class ReturnedBy(Edge):
    type: ClassVar[str] = "RETURNED_BY"
    sources: ClassVar[tuple[str, ...]] = ("WorkOrder",)
    targets: ClassVar[tuple[str, ...]] = ("Department",)
    discriminators: ClassVar[tuple[str, ...]] = ("at",)
    at: dt.datetime | None = None
    reason: str = ""


class Concerns(Edge):
    type: ClassVar[str] = "CONCERNS"
    sources: ClassVar[tuple[str, ...]] = ("Dispute",)
    targets: ClassVar[tuple[str, ...]] = ("Matter",)


class Party(Edge):
    type: ClassVar[str] = "PARTY"
    sources: ClassVar[tuple[str, ...]] = ("Dispute",)
    targets: ClassVar[tuple[str, ...]] = ("Department",)
    stance: Stance = "neutral"
    position: str = ""


class ResolvedBy(Edge):
    type: ClassVar[str] = "RESOLVED_BY"
    sources: ClassVar[tuple[str, ...]] = ("Dispute",)
    targets: ClassVar[tuple[str, ...]] = ("Ruling",)


EDGE_TYPES: tuple[type[Edge], ...] = (
    JurisdictionPartOf, DepartmentIn, DepartmentPartOf, ActsAs, HasArticle, Amends, Repeals, Implements,
    Designates, HasMandate, HasClause, BoundaryWith, Holds, BasedOn, About, MatterPartOf, ResponsibleFor,
    Decides, Assigns, Cites, Applies, Supersedes, RulingIn, DispatchedTo, ReturnedBy, Concerns, Party,
    ResolvedBy,
)
ASSIGNMENT_TYPES: frozenset[str] = frozenset(t.type for t in EDGE_TYPES if t.assignment)
