"""Rulings and precedents (裁决, 职责分工意见, 会议纪要, 外地案例): readers, text extraction, loader."""

from ingest.rulings.extract import ExtractedRuling, extract_ruling
from ingest.rulings.loader import load_rulings
from ingest.rulings.parties import PartyMention, PartyParser
from ingest.rulings.records import RulingRecord

__all__ = ["ExtractedRuling", "PartyMention", "PartyParser", "RulingRecord", "extract_ruling", "load_rulings"]
