"""The command line lists its commands and runs the demo end to end on a real server."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app


def test_help_lists_commands() -> None:
    out = CliRunner().invoke(app, ["--help"]).output
    for command in ("demo", "ingest", "audit", "server", "stats"):
        assert command in out


def test_evidence_paths_read_in_chinese_and_keep_unknown_steps() -> None:
    from api.vocabulary import path_text

    path = ["《食品安全法》第6条", "DESIGNATES lead", "市场监督管理部门", "ACTS_AS(食品)", "鲁安市市场监督管理局"]
    assert path_text(path) == "《食品安全法》第6条 → 法定指定（牵头） → 市场监督管理部门 → 履行职权（食品） → 鲁安市市场监督管理局"
    assert path_text(["Duty 对占道经营的查处", "HOLDS cooperate"]) == "权责事项 对占道经营的查处 → 承担权责（配合）"
    assert path_text(["Matter 占道", "RESPONSIBLE_FOR territorial"]) == "事项 占道 → 负责事项（属地）"
    assert path_text(["NEW_EDGE x", "HOLDS acting", "CF-001"]) == "NEW_EDGE x → 承担权责（acting） → CF-001", "raw when unknown"


def test_gaps_table_uses_the_pages_words() -> None:
    from rich.console import Console

    from api.cli_gaps import render_table
    from search.gaps.model import GapItem

    items = [GapItem(kind="overlap", subkind="two_leads,list_vs_ruling", subject="matter:x", title="早市占道",
                     why="两个部门都牵头", impact=3, next_step="提请编办明确牵头部门",
                     candidates=[{"name": "综合行政执法局", "role": "lead"}]),
             GapItem(kind="ping_pong", subject="matter:y", title="夜市噪声", why="工单反复退回", impact=2)]
    out = Console(width=200, record=True)
    out.print(render_table(items))
    text = out.export_text()
    assert {"类型", "影响", "事项", "说明", "建议"} <= set(text.split())
    assert "多头牵头（交叉）" in text and "多个牵头部门、清单与裁决不一致" in text and "推诿热点" in text
    assert "综合行政执法局（牵头）" in text and "overlap" not in text and "two_leads" not in text
