"""A hotline centre's day of work orders, as its export holds them, read for bulk dispatch (派单).

Exports differ in their headers (标题 / 工单标题, 内容 / 诉求内容, 地址 / 事发地址, 时间 / 受理时间); the headers
are matched to fields as a duty list's are (ingest.dutylists.columns.ColumnMap), and `-c 内容=来电详情`
maps another one. A row needs a title or a content; a row without either, with an unreadable time or
with an over-long text is reported by its row number and skipped, and the rest are answered. An export
covering several places may say each row's place in a 辖区 column; the others take the file's place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import IngestError
from ingest.dutylists.columns import ColumnMap
from ingest.tables import read_table

FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("工单编号", "工单号", "编号", "序号", "number"),
    "title": ("标题", "工单标题", "诉求标题", "主题", "title"),
    "content": ("内容", "诉求内容", "工单内容", "问题描述", "来电内容", "反映内容", "content", "text"),
    "address": ("地址", "事发地址", "事发地点", "诉求地址", "发生地址", "地点", "address"),
    "time": ("时间", "受理时间", "来电时间", "创建时间", "登记时间", "time"),
    "township": ("所属镇街", "镇街", "所属街道", "township"),
    "jurisdiction": ("辖区", "所属地区", "行政区划", "jurisdiction"),
}
MAX_TEXT = 5000  # characters of title + content: longer is not a work order but a pasted document
TABLES = (".csv", ".xlsx")


class DispatchRow(BaseModel):
    """One order to dispatch: where it sits in the file, what it says and where it happened."""

    row: int
    number: str = ""
    text: str
    address: str = ""
    township: str = ""
    jurisdiction: str = Field("", description="the row's own place (a multi-city export); else the file's")
    received_at: str = ""


class BadRow(BaseModel):
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


def _time(value: Any) -> str:
    """ISO text of a cell holding a time; ValueError when it is not one."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip().replace("/", "-")
    try:
        return dt.datetime.fromisoformat(text).isoformat(timespec="minutes")
    except ValueError:
        raise ValueError(f"{value!r} is not a date or time (e.g. 2026-03-01 09:10)") from None


def _question(title: str, content: str) -> str:
    """Title and content as one text; a title the content already starts with is not repeated."""
    if title and content and not content.startswith(title):
        return f"{title}。{content}"
    return content or title


def parse_row(rownum: int, raw: Mapping[str, Any], cmap: ColumnMap) -> DispatchRow | BadRow:
    """A validated row, or what is wrong with it (field named by the file's own header)."""
    cell = {f: raw.get(h) for f, h in cmap.columns.items()}
    title, content = (str(cell.get(f) or "").strip() for f in ("title", "content"))
    if not title and not content:
        header = cmap.columns.get("content") or cmap.columns.get("title") or "内容"
        return BadRow(row=rownum, field=header, message="empty: the order has neither title nor content")
    text = _question(title, content)
    if len(text) > MAX_TEXT:
        return BadRow(row=rownum, field=cmap.columns.get("content", "内容"),
                      message=f"{len(text)} characters (at most {MAX_TEXT})")
    received = ""
    if cell.get("time") not in (None, ""):
        try:
            received = _time(cell["time"])
        except ValueError as exc:
            return BadRow(row=rownum, field=cmap.columns["time"], message=str(exc))
    return DispatchRow(row=rownum, number=str(cell.get("number") or ""), text=text,
                       address=str(cell.get("address") or "").strip(), township=str(cell.get("township") or "").strip(),
                       jurisdiction=str(cell.get("jurisdiction") or "").strip(), received_at=received)


def column_map(headers: list[str], overrides: Mapping[str, str] | None = None, source: str = "") -> ColumnMap:
    """The file's headers matched to fields; IngestError when no title or content column is found."""
    try:
        cmap = ColumnMap.build(headers, overrides, fields=FIELDS)
    except ValueError as exc:
        raise IngestError(source, str(exc), field="columns") from None
    if "title" not in cmap.columns and "content" not in cmap.columns:
        raise IngestError(source, f"no title or content column (looked for {'、'.join(FIELDS['content'][:6])}, "
                          f"{'、'.join(FIELDS['title'][:3])}); map one with -c 内容=<header>")
    return cmap


def read_orders(path: str | Path, overrides: Mapping[str, str] | None = None) -> Iterator[DispatchRow | BadRow]:
    """Every row of a .csv/.xlsx export, in file order, as an order or a bad row."""
    path = Path(path)
    if path.suffix.lower() not in TABLES:
        raise IngestError(path, f"unsupported file type {path.suffix!r} (use .csv or .xlsx)")
    if not path.is_file():
        raise IngestError(path, "no such file")
    known = [h for names in FIELDS.values() for h in names] + list((overrides or {}).values())
    table = read_table(path, known)
    cmap = column_map(table.headers, overrides, str(path))
    for rownum, raw in table:
        yield parse_row(rownum, raw, cmap)
