"""The README's settings table is exactly what `Settings` declares."""

from __future__ import annotations

from pathlib import Path

from api.settings_doc import BEGIN, END, readme_block

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_settings_table_matches_settings() -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "README lacks the settings block markers"
    block = text[text.index(BEGIN): text.index(END) + len(END)]
    assert block == readme_block(), "README settings table is stale: paste the output of `dutygraph settings`"
