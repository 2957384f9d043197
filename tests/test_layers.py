"""The packages depend on each other one way (README, Layout): api → search/ingest/audit/cases → graph.

Read from the source with `ast`, so a new import that points the wrong way fails here instead of becoming
a cycle someone finds later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "ingest", "search", "audit", "cases", "api", "devtools")
ALLOWED: dict[str, set[str]] = {
    "graph": {"graph"},
    "ingest": {"graph", "ingest"},
    "search": {"graph", "search"},
    "audit": {"graph", "audit"},
    "cases": {"graph", "ingest", "cases"},
    "api": {"graph", "ingest", "search", "audit", "cases", "api"},
    "devtools": {"graph", "ingest", "devtools"},
}


def _imports(path: Path) -> set[str]:
    """Top-level project packages a module imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imports(path) - ALLOWED[package])
        for path in (ROOT / package).rglob("*.py")
        if "node_modules" not in path.parts
    }
    assert not {k: v for k, v in wrong.items() if v}, f"{package} imports a package above it: {wrong}"


def test_routes_take_their_resources_from_deps() -> None:
    """Routes declare what they use (api.web.deps) instead of reading the app's context themselves."""
    reaching = [str(p.relative_to(ROOT)) for p in (ROOT / "api" / "web" / "routes").glob("*.py")
                if "app.state.ctx" in p.read_text(encoding="utf-8")]
    assert not reaching
