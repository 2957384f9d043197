"""A `Document` as Markdown: headings, pipe tables, block quotes with their citation, numbered notes."""

from __future__ import annotations

from api.documents.blocks import Document, Heading, Items, Para, Quote, Signature, Table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>") or " "


def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [f"*{doc.subtitle}*", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += [f"{'#' * (b.level + 1)} {b.text}", ""]
        elif isinstance(b, Para):
            out += [(f"**{b.label}**" if b.label else "") + b.text, ""]
        elif isinstance(b, Quote):
            out += [*(f"> {line}" for line in b.text.splitlines() or [""]), ">", f"> —— {b.cite}", ""]
        elif isinstance(b, Items):
            out += [f"{f'{i}.' if b.numbered else '-'} {item}" for i, item in enumerate(b.items, 1)] + [""]
        elif isinstance(b, Table):
            out += ["| " + " | ".join(map(_cell, b.header)) + " |", "|" + "---|" * len(b.header)]
            out += ["| " + " | ".join(map(_cell, row)) + " |" for row in b.rows] + [""]
        elif isinstance(b, Signature):
            out += [f"{label}：{value or '＿＿＿＿＿＿＿＿＿＿'}  " for label, value in b.lines] + [""]
    if doc.notes:
        out += ["---", "", "**引用**", ""] + [f"[{i}] {n}  " for i, n in enumerate(doc.notes, 1)] + [""]
    return "\n".join(out)
