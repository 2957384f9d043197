"""Lexicons that bridge callers' everyday Chinese and the formal terms of statutes (see colloquial.py)."""
