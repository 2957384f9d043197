"""The README's settings table, generated from `Settings` so the two cannot drift (tests/test_settings_doc.py)."""

from __future__ import annotations

from pathlib import Path

from graph.settings import Settings

BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    value = field.get_default(call_default_factory=True)
    if name == "data_dir":
        return "`~/.dutygraph`"
    if value is None:
        return "(unset)"
    if value == "":
        return "(empty)"
    if isinstance(value, Path):
        return f"`{value}`"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        desc = (field.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `DUTYGRAPH_{name.upper()}` | {_default(name)} | {desc} |")
    return "\n".join(rows)


def readme_block() -> str:
    return f"{BEGIN}\n{settings_table()}\n{END}"
