"""Errors a dispute case step raises; the web layer turns each into a problem response (404, 422, 409)."""

from __future__ import annotations

from graph.errors import DutygraphError, InvalidInput


class DisputeError(DutygraphError):
    """Base of the errors a dispute case step raises; `dispute_id` names the case where one is known (a
    conflict with an existing case points at it)."""

    def __init__(self, message: str, dispute_id: str | None = None):
        self.dispute_id = dispute_id
        super().__init__(message)


class DisputeNotFound(DisputeError):
    def __init__(self, dispute_id: str):
        super().__init__(f"no dispute {dispute_id!r}", dispute_id)


class DisputeInvalid(InvalidInput, DisputeError):
    """A value in the request cannot be used; `field` is its path in the request model (`lead.0`, `matter`)."""


class DisputeConflict(DisputeError):
    """The step clashes with the case's state: already decided, already opened today, a ruling already exists."""


class DisputeForbidden(DisputeError):
    """The caller's role may not make this step (a reviewer's approval, an admin's reopening), or the step
    needs someone other than the caller (a case is not approved by the one who submitted it)."""
