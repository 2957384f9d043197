"""A `Document` as .docx (python-docx): Word's built-in styles (Title, Heading, Quote, lists, Table Grid),
with a Chinese font set for East Asian text so Word and LibreOffice both show it without substitution."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

from docx import Document as new_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from api.documents.blocks import Document, Heading, Items, Para, Quote, Signature, Table

FONT = "SimSun"  # 宋体; LibreOffice substitutes Noto CJK where it is missing
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Quote", "List Bullet", "List Number")
BLANK = "＿" * 12
# what XML 1.0 cannot hold (lxml refuses it): C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF.
# A case's text comes from its callers, so it may carry any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """The document with every text stripped of what a .docx cannot hold."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value)
                                             if f.init})
    return value


def _east_asian(docx) -> None:  # noqa: ANN001 - a python-docx Document
    for name in STYLES:
        style = docx.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    docx.styles["Normal"].font.size = Pt(12)


def to_docx(doc: Document) -> bytes:
    doc = _xml_safe(doc)
    d = new_docx()
    _east_asian(d)
    d.core_properties.title = doc.title
    d.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        d.add_paragraph(doc.subtitle, style="Subtitle")
    for b in doc.blocks:
        if isinstance(b, Heading):
            d.add_heading(b.text, level=b.level)
        elif isinstance(b, Para):
            p = d.add_paragraph()
            if b.label:
                p.add_run(b.label).bold = True
            p.add_run(b.text)
        elif isinstance(b, Quote):
            d.add_paragraph(b.text, style="Quote")
            d.add_paragraph(f"—— {b.cite}", style="Quote")
        elif isinstance(b, Items):
            for item in b.items:
                d.add_paragraph(item, style="List Number" if b.numbered else "List Bullet")
        elif isinstance(b, Table):
            t = d.add_table(rows=1, cols=len(b.header))
            t.style = "Table Grid"
            for cell, text in zip(t.rows[0].cells, b.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in b.rows:
                for cell, text in zip(t.add_row().cells, row, strict=True):
                    cell.text = text
        elif isinstance(b, Signature):
            d.add_paragraph()
            for label, value in b.lines:
                p = d.add_paragraph()
                p.add_run(f"{label}：").bold = True
                p.add_run(value or BLANK)
    if doc.notes:
        d.add_heading("引用", level=2)
        for i, note in enumerate(doc.notes, 1):
            d.add_paragraph(f"[{i}] {note}")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
