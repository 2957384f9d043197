"""Duty lists (权责清单): column mapping, row validation, matters along the category path, basis links."""

from ingest.dutylists.basis import link_duty_bases, parse_basis
from ingest.dutylists.columns import ColumnMap, parse_overrides
from ingest.dutylists.loader import DutyListReport, load_duty_list

__all__ = ["ColumnMap", "DutyListReport", "link_duty_bases", "load_duty_list", "parse_basis", "parse_overrides"]
