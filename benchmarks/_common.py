"""Helpers shared by the benchmarks: machine description, medians, results file."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    mem_gib = None
    try:
        with open("/proc/meminfo") as fh:
            mem_gib = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(), "cpu": cpu, "memory_gib": mem_gib, "python": platform.python_version(),
        "platform": platform.platform(), "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {path}")
    return path


# A run names what it measures as "<mode>[@<tiers>][-noexpand]": mode = hybrid | lexical | vector; tiers =
# both (the default: e5 and the static tier fused by rank) | e5 | static; -noexpand = without the lexicon.
TIER_WEIGHTS = {"e5": 0.0, "static": 1.0}


def parse_run(name: str) -> tuple[str, str | None, bool]:
    """(mode, tiers or None for the settings' own, expand)."""
    expand = not name.endswith("-noexpand")
    base = name.removesuffix("-noexpand")
    mode, _, tiers = base.partition("@")
    if tiers and tiers not in (*TIER_WEIGHTS, "both"):
        raise SystemExit(f"unknown tiers {tiers!r} in {name!r}: use e5, static or both")
    return mode, tiers or None, expand


def tier_settings(settings: Any, tiers: str | None) -> Any:
    """The settings for a run over the given vector tiers (None / both: as configured)."""
    if tiers in TIER_WEIGHTS:
        return settings.model_copy(update={"static_weight": TIER_WEIGHTS[tiers]})
    return settings


class AskRuns:
    """The answers of each run over the cases: one retriever per choice of vector tiers, opened on first
    use and warmed (model, masks, caches) before its run is timed; all closed together."""

    def __init__(self, store: Any, settings: Any):
        self.store, self.settings = store, settings
        self.retrievers: dict[str | None, Any] = {}

    def answers(self, name: str, cases: list[dict[str, Any]]) -> Any:
        """(case, result, milliseconds, retriever) for each case, asked as the run `name` says."""
        import time

        from search.retriever import Retriever
        from search.service import OpenIndex, SearchService

        mode, tiers, expand = parse_run(name)
        if tiers not in self.retrievers:
            self.retrievers[tiers] = Retriever.open(tier_settings(self.settings, tiers))
            for w in cases[:5]:
                SearchService(self.store, OpenIndex(self.retrievers[tiers])).ask(w["q"] + "？", jurisdiction=w["place"])
        retriever = self.retrievers[tiers]
        service = SearchService(self.store, OpenIndex(retriever))
        for c in cases:
            t = time.perf_counter()
            res = service.ask(c["q"], jurisdiction=c["place"], mode=mode, expand=expand)
            yield c, res, (time.perf_counter() - t) * 1000, retriever

    @property
    def manifest(self) -> Any:
        return next(iter(self.retrievers.values())).manifest

    def close(self) -> None:
        for r in self.retrievers.values():
            r.close()
