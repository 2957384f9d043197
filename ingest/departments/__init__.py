"""Department directory: read (.yaml/.csv/.xlsx), suggest ACTS_AS, load, and resolve names to ids."""

from ingest.departments.loader import load_departments, source_id
from ingest.departments.resolve import DepartmentResolver, normalise_name

__all__ = ["DepartmentResolver", "load_departments", "normalise_name", "source_id"]
