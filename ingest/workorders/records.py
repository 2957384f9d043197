"""One work-order row (工单) as a table holds it, validated, with its dispatch history parsed.

Columns (the first header found wins; English names work too):

    工单编号 | 受理时间 | 渠道 | 诉求内容 | 事发地点 | 所属镇街 | 事项分类 | 流转记录 | 最终承办单位 | 办理结果 | 满意度

`事项分类` is a category path `大类/小类/情形` or one matter name. `流转记录` (events) lists the
order's hops in time order, separated by ` | `; each hop is `<time> <action> <department>` and a return
adds `：<reason>`:

    2025-03-01T09:10 派单 市住建局 | 2025-03-02T10:00 退回 市住建局：不属于本部门职责 | 2025-03-02T11:30 改派 市综合执法局

Actions: 派单 / 改派 / 转办 (dispatched to), 退回 (returned by, with a reason); 签收 / 受理 / 办结 / 回访
are accepted and not stored as edges. The order's closing time is its `办结时间` column, else its last 办结 hop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("工单编号", "工单号", "编号", "number"),
    "received_at": ("受理时间", "来电时间", "创建时间", "received_at"),
    "channel": ("渠道", "来源渠道", "受理渠道", "channel"),
    "text": ("诉求内容", "工单内容", "问题描述", "text"),
    "place": ("事发地点", "地点", "诉求地址", "place"),
    "township": ("所属镇街", "镇街", "township"),
    "matter": ("事项分类", "诉求分类", "matter"),
    "events": ("流转记录", "events"),
    "final_handler": ("最终承办单位", "承办单位", "final_handler"),
    "result": ("办理结果", "result"),
    "satisfaction": ("满意度", "satisfaction"),
    "closed_at": ("办结时间", "结案时间", "closed_at"),
}
REQUIRED = ("number", "text")
HEADERS = tuple(names[0] for f, names in COLUMNS.items() if f != "closed_at")  # what the sample files hold
DISPATCH = frozenset({"派单", "改派", "转办", "派发"})
RETURN = frozenset({"退回", "回退"})
OTHER = frozenset({"签收", "受理", "办结", "回访", "延期", "催办"})
CLOSE = "办结"
EVENT_SEP = " | "


class EventError(ValueError):
    pass


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    action: Literal["dispatch", "return", "other"]
    department: str
    reason: str = ""
    verb: str = ""


def parse_events(text: str | None) -> list[Event]:
    """The 流转记录 cell → events in order; raises EventError naming the bad hop."""
    out: list[Event] = []
    for i, part in enumerate((text or "").split("|"), start=1):
        part = part.strip()
        if not part:
            continue
        bits = part.split(maxsplit=2)
        if len(bits) < 3:
            raise EventError(f"hop {i} {part!r}: want '<time> <action> <department>[：reason]'")
        when, verb, rest = bits
        try:
            at = dt.datetime.fromisoformat(when)
        except ValueError:
            raise EventError(f"hop {i}: bad time {when!r} (use ISO, e.g. 2025-03-01T09:10)") from None
        dept, _, reason = rest.partition("：")
        if verb in DISPATCH:
            action = "dispatch"
        elif verb in RETURN:
            action = "return"
        elif verb in OTHER:
            action = "other"
        else:
            raise EventError(f"hop {i}: unknown action {verb!r} (派单/改派/转办/退回/签收/受理/办结/回访)")
        out.append(Event(at=at, action=action, department=dept.strip(), reason=reason.strip(), verb=verb))  # type: ignore[arg-type]
    return out


def format_events(events: list[tuple[dt.datetime, str, str, str]]) -> str:
    """(time, verb, department, reason) hops → the 流转记录 cell (what `parse_events` reads)."""
    return EVENT_SEP.join(
        f"{at.isoformat(timespec='minutes')} {verb} {dept}" + (f"：{reason}" if reason else "")
        for at, verb, dept, reason in events
    )


class WorkOrderRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    number: str = Field(min_length=1)
    text: str = Field(min_length=1)
    received_at: dt.datetime | None = None
    channel: str | None = None
    place: str | None = None
    township: str | None = None
    matter: list[str] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    final_handler: str | None = None
    result: str | None = None
    satisfaction: str | None = None
    closed_at: dt.datetime | None = None

    @property
    def closed(self) -> dt.datetime | None:
        """When it was closed: the 办结时间 column, else the last 办结 hop."""
        return self.closed_at or next((e.at for e in reversed(self.events) if e.verb == CLOSE), None)

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("received_at", "closed_at", mode="before")
    @classmethod
    def _when(cls, v: Any) -> Any:
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime.combine(v, dt.time())
        return v

    @field_validator("matter", mode="before")
    @classmethod
    def _path(cls, v: Any) -> Any:
        if v is None:
            return []
        return [p.strip() for p in str(v).split("/") if p.strip()] if isinstance(v, str) else v

    @field_validator("events", mode="before")
    @classmethod
    def _events(cls, v: Any) -> Any:
        return parse_events(v) if isinstance(v, str) or v is None else v

    @field_validator("satisfaction", "final_handler", "result", "channel", "place", "township", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return None if v is None else str(v)


def header_map(headers: list[str]) -> dict[str, str]:
    """Table header → field name, for the headers this table has."""
    out: dict[str, str] = {}
    for fld, names in COLUMNS.items():
        for n in names:
            if n in headers:
                out[n] = fld
                break
    return out


def to_row(raw: Mapping[str, Any], hmap: dict[str, str]) -> WorkOrderRow:
    """Validate one table row; raises `RowError(field, reason)`."""
    data = {fld: raw.get(h) for h, fld in hmap.items()}
    try:
        return WorkOrderRow(**{k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        fld = str(err["loc"][0]) if err["loc"] else "?"
        header = next((h for h, f in hmap.items() if f == fld), fld)
        reason = str(err.get("ctx", {}).get("error") or err["msg"])
        raise RowError(header, reason) from None


class RowError(ValueError):
    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")
