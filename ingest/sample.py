"""Load the shipped sample jurisdiction (鲁安市) in dependency order: national laws (if absent),
departments, matters, mandates, the duty list, then rulings and work orders when their loaders are
installed. Every step is idempotent, so the whole sample can be loaded again safely.

The steps are exposed one by one (`sample_steps`) so the command line can give each its own bar.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.report import LoadReport

SAMPLE_DIR = Path(__file__).with_name("samples") / "luan"
HOME = "jur:全国/山东省/潍坊市/鲁安市"
Progress = Callable[[int], None]


@dataclass
class Step:
    name: str
    total: int | None
    run: Callable[[Progress | None], LoadReport]


def read_manifest(root: Path = SAMPLE_DIR) -> dict:
    return yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8")) or {}


def _optional(module: str, name: str) -> Callable[..., LoadReport] | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _first(root: Path, *names: str) -> Path | None:
    return next((root / n for n in names if (root / n).exists()), None)


def laws_loaded(store: GraphStore) -> bool:
    rows = store.read("MATCH (l:Law {title: $t}) RETURN count(l) AS n", {"t": "中华人民共和国城乡规划法"})
    return bool(rows and rows[0]["n"])


def sample_steps(store: GraphStore, root: Path = SAMPLE_DIR, *, settings: Settings | None = None,
                 laws: bool = True, cases: bool = True) -> list[Step]:
    """The load steps for the sample, in order; loaders that are not installed are left out.
    `laws=False` skips the national laws, `cases=False` the rulings and work orders."""
    from ingest.departments import DepartmentResolver, load_departments
    from ingest.dutylists import load_duty_list
    from ingest.mandates import load_mandates
    from ingest.mandates.loader import mandate_files
    from ingest.matters import load_matters

    manifest = read_manifest(root)
    dl = manifest.get("duty_list", {})
    steps: list[Step] = []
    load_laws = _optional("ingest.laws", "load_laws")
    if laws and load_laws is not None and not laws_loaded(store):
        steps.append(Step("national laws (china-law)", None,
                          lambda p: load_laws(store, "china-law", progress=p, settings=settings)))
    steps += [
        Step("departments", None, lambda p: load_departments(store, root / "departments.yaml", progress=None)),
        Step("matters", None, lambda p: load_matters(store, root / "matters.yaml")),
        Step("mandates", len(mandate_files(root / "mandates")),
             lambda p: load_mandates(store, root / "mandates", progress=p,
                                     resolver=DepartmentResolver.from_store(store, HOME))),
        Step("duty list", None, lambda p: load_duty_list(
            store, root / dl.get("file", "duty_list.csv"), progress=p, list_id=dl.get("list_id", "luan"),
            list_date=_date(dl.get("effective")), resolver=DepartmentResolver.from_store(store, HOME))),
    ]
    if not cases:
        return steps
    load_rulings = _optional("ingest.rulings", "load_rulings")
    rulings = _first(root, "rulings")
    if load_rulings is not None and rulings is not None:
        steps.append(Step("rulings", None, lambda p: load_rulings(store, rulings, jurisdiction=HOME, progress=p)))
    load_work_orders = _optional("ingest.workorders", "load_work_orders")
    orders = _first(root, "workorders", "work_orders", "workorders.csv", "work_orders.csv", "workorders.xlsx")
    if load_work_orders is not None and orders is not None:
        steps.append(Step("work orders", None,
                          lambda p: load_work_orders(store, orders, jurisdiction=HOME, progress=p)))
    return steps


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_sample(store: GraphStore, root: Path = SAMPLE_DIR, *, settings: Settings | None = None,
                laws: bool = True, cases: bool = True) -> list[LoadReport]:
    """Load the whole sample without progress output; returns one report per step."""
    return [step.run(None) for step in sample_steps(store, root, settings=settings, laws=laws, cases=cases)]
