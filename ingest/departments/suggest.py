"""Suggest which law authorities a department acts as, from its name (ACTS_AS).

The rules live in `acts_as_rules.yaml` so an office can read and extend them; a directory entry's
own `acts_as` overrides the suggestion. Authority names go through the shared normaliser
(`ingest.extract.authorities.normalise_authority`) when it is installed, so a department and a
statute meet at the same Authority node.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("acts_as_rules.yaml")


@lru_cache(maxsize=4)
def _rules(path: str = str(RULES_FILE)) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple((re.compile(r["pattern"]), tuple(r["authorities"])) for r in data["rules"])


def suggest_authorities(name: str, rules_file: Path | None = None) -> list[str]:
    """Authorities suggested for a department name, in rule order, without duplicates."""
    out: list[str] = []
    for pattern, authorities in _rules(str(rules_file or RULES_FILE)):
        if pattern.search(name):
            out.extend(a for a in authorities if a not in out)
    return out


@lru_cache(maxsize=1)
def _normaliser() -> Callable[[str], str | None] | None:
    try:
        from ingest.extract.authorities import normalise_authority
    except ImportError:
        return None
    return normalise_authority


def normalise(name: str) -> str:
    """The canonical authority name: the shared normaliser's answer, else the name as written."""
    fn = _normaliser()
    if fn is None:
        return name.strip()
    try:
        return fn(name) or name.strip()
    except Exception:  # a half-finished normaliser must not stop a directory load
        return name.strip()
