"""Kind and place filters as boolean masks over unit positions, shared by the vector and lexical indexes.

Both indexes number units the same way (position in the build order), so one mask serves both.
Jurisdiction ids are paths (jur:全国/山东省/潍坊市), so "this place and everything under it" is a
prefix test over the few distinct ids, not over every unit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from graph.places import ancestors


class UnitFilter(BaseModel):
    """Which units a search may return. None = no restriction on that axis; place tests are OR-ed."""

    model_config = ConfigDict(frozen=True)

    kinds: frozenset[str] | None = None
    jurisdictions: frozenset[str] | None = Field(
        default=None, description="jurisdiction ids matched exactly; '' selects units with no place"
    )
    descendants: bool = Field(default=False, description="also match places under the given jurisdictions")
    under: frozenset[str] | None = Field(default=None, description="places matched with everything below them")

    @classmethod
    def of(cls, kinds: Iterable[str] | None = None, jurisdictions: Iterable[str] | None = None,
           descendants: bool = False) -> UnitFilter:
        return cls(
            kinds=frozenset(kinds) if kinds is not None else None,
            jurisdictions=frozenset(jurisdictions) if jurisdictions is not None else None,
            descendants=descendants,
        )

    @classmethod
    def applicable_to(cls, jurisdiction: str, kinds: Iterable[str] | None = None) -> UnitFilter:
        """What applies in a place: units of the places above it (national, provincial, city statutes)
        and of the place itself and everything under it (its departments, towns, rulings)."""
        return cls(kinds=frozenset(kinds) if kinds is not None else None,
                   jurisdictions=frozenset(ancestors(jurisdiction)), under=frozenset({jurisdiction}))

    @property
    def empty(self) -> bool:
        return self.kinds is None and self.jurisdictions is None and self.under is None


class UnitTable:
    """Per-unit kind and jurisdiction codes, with masks cached per filter (queries repeat filters)."""

    def __init__(self, kinds: list[str], jurisdictions: list[str], kind_codes: np.ndarray, jur_codes: np.ndarray):
        self.kinds, self.jurisdictions = kinds, jurisdictions
        self.kind_codes = kind_codes.astype(np.int16)
        self.jur_codes = jur_codes.astype(np.int32)
        self._masks: OrderedDict[UnitFilter, np.ndarray | None] = OrderedDict()
        self._lock = threading.Lock()  # the API serves searches from several threads

    @classmethod
    def build(cls, kinds_per_unit: list[str], jurs_per_unit: list[str]) -> UnitTable:
        kinds = sorted(set(kinds_per_unit))
        jurs = sorted(set(jurs_per_unit))
        kpos = {k: i for i, k in enumerate(kinds)}
        jpos = {j: i for i, j in enumerate(jurs)}
        return cls(
            kinds, jurs,
            np.fromiter((kpos[k] for k in kinds_per_unit), dtype=np.int16, count=len(kinds_per_unit)),
            np.fromiter((jpos[j] for j in jurs_per_unit), dtype=np.int32, count=len(jurs_per_unit)),
        )

    def __len__(self) -> int:
        return int(self.kind_codes.shape[0])

    def save(self, path: Path) -> None:
        np.savez(path, kind_codes=self.kind_codes, jur_codes=self.jur_codes,
                 kinds=np.array(self.kinds, dtype=object), jurisdictions=np.array(self.jurisdictions, dtype=object))

    @classmethod
    def load(cls, path: Path) -> UnitTable:
        z = np.load(path, allow_pickle=True)  # our own file, written by save()
        return cls(list(z["kinds"]), list(z["jurisdictions"]), z["kind_codes"], z["jur_codes"])

    def _matching_jurs(self, f: UnitFilter) -> list[int]:
        exact = f.jurisdictions or frozenset()
        prefixes = {w for w in (f.under or ()) if w} | ({w for w in exact if w} if f.descendants else set())
        return [i for i, j in enumerate(self.jurisdictions)
                if j in exact or j in prefixes or any(j.startswith(w + "/") for w in prefixes)]

    def mask(self, f: UnitFilter | None) -> np.ndarray | None:
        """Boolean mask of allowed units, or None when every unit is allowed."""
        if f is None or f.empty:
            return None
        with self._lock:
            if f in self._masks:
                self._masks.move_to_end(f)
                return self._masks[f]
        m = np.ones(len(self), dtype=bool)
        if f.kinds is not None:
            codes = [i for i, k in enumerate(self.kinds) if k in f.kinds]
            m &= np.isin(self.kind_codes, np.array(codes, dtype=np.int16))
        if f.jurisdictions is not None or f.under is not None:
            codes = self._matching_jurs(f)
            m &= np.isin(self.jur_codes, np.array(codes, dtype=np.int32))
        result = None if m.all() else m
        with self._lock:
            self._masks[f] = result
            if len(self._masks) > 256:
                self._masks.popitem(last=False)
        return result
