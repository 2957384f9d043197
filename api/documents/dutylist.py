"""A department's duties as a published 权责清单 spreadsheet, in a layout the duty-list ingest reads back.

Columns follow the published lists (序号, 职权类型, 事项名称, 子项, 设定依据, 实施主体, 承办机构, 责任事项, 追责情形,
备注), with 事项编码 (the item's number in its list, which with the list and name makes the duty's id) and
the columns that carry the rest of a row — 配合部门, 属地责任, 事项分类 — so that loading the exported file
as the same list gives the same duties, holders and matters (`ingest.dutylists`, tested). Every header is
one the reader's column table (`ingest.dutylists.columns.FIELDS`) knows for its field.
"""

from __future__ import annotations

from typing import Any

from api.documents.xlsx import Sheet
from api.vocabulary import role_label
from graph.queries.duty_lists import department_duty_list, townships_under
from graph.store.base import GraphStore
from ingest.dutylists.rows import TYPES

# (header, duty-list field it is read back as; None for a column the reader does not need)
LAYOUT: tuple[tuple[str, str | None], ...] = (
    ("序号", None), ("事项编码", "code"), ("职权类型", "type"), ("事项名称", "name"), ("子项", None),
    ("设定依据", "basis"), ("实施主体", "lead"), ("配合部门", "cooperate"), ("属地责任", "territorial"),
    ("承办机构", None), ("事项分类", "path"), ("责任事项", "duties"), ("追责情形", "accountability"), ("备注", None),
)
ALL_TOWNSHIPS = "各镇（街道）"  # what the reader expands to every town and street of the row's county
ROLE_ORDER = ("lead", "cooperate", "territorial")
# the stored short type (处罚) in the words a published list uses (行政处罚); the reader maps them back
LONG_TYPES: dict[str, str] = {short: long for long, short in TYPES.items() if long.startswith("行政") or long == "其他行政权力"}


def split_text(text: str) -> tuple[str, str]:
    """(责任事项, 追责情形) from a duty's stored text: its name, then one line per part (ingest.dutylists.rows)."""
    parts: dict[str, list[str]] = {"责任事项": [], "追责情形": []}
    current: list[str] | None = None
    for line in (text or "").split("\n")[1:]:
        head, sep, rest = line.partition("：")
        if sep and head in parts:
            current = parts[head]
            current.append(rest)
        elif current is not None:
            current.append(line)
    return "\n".join(parts["责任事项"]), "\n".join(parts["追责情形"])


def _holders(store: GraphStore, row: dict[str, Any], towns: dict[str, set[str]]) -> dict[str, str]:
    """Names per role, lead first; every town and street of the lead's county is written as 各镇（街道）."""
    by_role: dict[str, list[dict[str, Any]]] = {r: [] for r in ROLE_ORDER}
    for h in row["holders"]:
        if h.get("id") and h.get("role") in by_role:
            by_role[h["role"]].append(h)
    for hs in by_role.values():
        hs.sort(key=lambda h: h["name"])
    out = {r: "、".join(h["name"] for h in hs) for r, hs in by_role.items()}
    named = by_role["lead"] + by_role["cooperate"]
    if by_role["territorial"] and named:
        first = named[0]
        county = first["jurisdiction"].rsplit("/", 1)[0] if first.get("kind") == "township" else first["jurisdiction"]
        if county not in towns:
            towns[county] = townships_under(store, county)
        if {h["id"] for h in by_role["territorial"]} == towns[county]:
            out["territorial"] = ALL_TOWNSHIPS
    return out


def duty_list_sheet(store: GraphStore, department: dict[str, Any], as_of: str) -> Sheet:
    """The duties `department` ({id, name}) holds as of a date, the ones it leads first."""
    rows = department_duty_list(store, department["id"], as_of)
    rows.sort(key=lambda r: (min(ROLE_ORDER.index(x) for x in r["own"]), r["list"] or "", r["code"] or "", r["name"]))
    towns: dict[str, set[str]] = {}
    out = []
    for n, r in enumerate(rows, 1):
        who = _holders(store, r, towns)
        duties, accountability = split_text(r["text"])
        path = next((p for p in r["paths"] if p), [])
        own = "、".join(role_label(x) for x in ROLE_ORDER if x in r["own"])
        values = {"code": "" if r["code"] in (None, "-") else r["code"], "type": LONG_TYPES.get(r["type"], r["type"]),
                  "name": r["name"], "basis": r["basis"] or "", "lead": who["lead"], "cooperate": who["cooperate"],
                  "territorial": who["territorial"], "path": "/".join(path), "duties": duties,
                  "accountability": accountability}
        extra = {"序号": n, "备注": f"本部门：{own}；清单：{r['list']}"}
        out.append(tuple(values[f] if f else extra.get(h, "") for h, f in LAYOUT))
    caption = f"{department['name']}权责清单（截至 {as_of}，含本部门牵头、配合和属地的事项；dutygraph 导出）"
    return Sheet("权责清单", tuple(h for h, _ in LAYOUT), out, caption=caption,
                 widths={"责任事项": 50, "追责情形": 50, "设定依据": 40, "事项名称": 36})
