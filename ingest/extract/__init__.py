"""Extractors: authorities and roles (spaCy + rules), law citations."""

from ingest.extract.authorities import normalise_authority
from ingest.extract.designations import Designation
from ingest.extract.run import extract_designations

__all__ = ["Designation", "extract_designations", "normalise_authority"]
