"""三定 mandates: read (.txt/.md/.docx), parse into main / internal / boundary clauses, load."""

from ingest.mandates.loader import load_mandates
from ingest.mandates.parser import ParsedMandate, parse_mandate
from ingest.mandates.reader import read_paragraphs

__all__ = ["ParsedMandate", "load_mandates", "parse_mandate", "read_paragraphs"]
