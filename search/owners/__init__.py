"""Candidate owners of a dispute with their evidence chains (DESIGN §6).

`rank_owners` walks from retrieved units to departments (or, where a place has no department
directory, to the authorities its statutes designate) and scores each from its evidence.
"""

from search.owners.model import Candidate, Evidence
from search.owners.rank import rank_owners

__all__ = ["Candidate", "Evidence", "rank_owners"]
