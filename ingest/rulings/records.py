"""Ruling files → `RulingRecord`s: structured (.yaml/.yml/.json) as written, free text (.txt/.docx) extracted.

A structured file holds one ruling (a mapping), a list of them, or `{defaults: {...}, rulings: [...]}`.
A `_defaults.yaml` beside the files supplies what text files cannot say about themselves, above all
the jurisdiction (a path such as `全国/山东省/潍坊市/鲁安市`, or a `jur:` id). Fields:

    title, jurisdiction, decided_on, decided_by, matter (a name or a category path list, or
    `大类/小类/情形`), summary, text, status, parties: [{name, role: lead|cooperate|territorial,
    duty}], principles: [...], citations: ["《…》第N条", ...], supersedes: [title of an earlier ruling]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.errors import IngestError
from graph.ontology import Role
from ingest.rulings.extract import MandateCitation, extract_ruling, find_citations, find_mandate_citations
from ingest.rulings.parties import PartyParser
from ingest.rulings.principles import canonical_principle
from ingest.yamlfile import read_yaml

STRUCTURED = (".yaml", ".yml", ".json")
TEXT = (".txt", ".docx", ".md")
DEFAULTS_FILE = "_defaults.yaml"
_RESERVED = ("file", "locator")  # set by the reader from where a record was found, never by the file


class PartyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2)
    role: Role = "lead"
    duty: str = ""


class RulingRecord(BaseModel):
    """One ruling as read from a file, before names are resolved to graph ids."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=2)
    jurisdiction: str | None = None
    decided_on: dt.date | None = None
    decided_by: str | None = None
    matter: list[str] = Field(default_factory=list, description="a category path, or one name")
    summary: str = ""
    text: str = ""
    status: str = "in_force"
    parties: list[PartyEntry] = Field(default_factory=list)
    principles: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    supersedes: list[str] = Field(default_factory=list)
    file: str = ""
    locator: str = ""

    @field_validator("matter", mode="before")
    @classmethod
    def _matter_path(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, str):
            return [p.strip() for p in v.split("/") if p.strip()]
        return v

    @field_validator("principles", mode="before")
    @classmethod
    def _principles(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [v]
        return [canonical_principle(str(p)) for p in v or []]

    @field_validator("citations", "supersedes", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else (v or [])

    def cited_articles(self) -> list[tuple[str, str, str]]:
        """(law title, article number, cited text) for every 《…》第N条 citation."""
        return [(c.law_title, c.article, c.text) for s in self.citations for c in find_citations(s)]

    def cited_mandate_items(self) -> list[MandateCitation]:
        """三定 main-duty items cited: “市综合执法局“三定”规定第（八）项”."""
        return [c for s in self.citations for c in find_mandate_citations(s)]


def read_defaults(directory: Path) -> dict[str, Any]:
    f = directory / DEFAULTS_FILE
    if not f.is_file():
        return {}
    data = read_yaml(f) or {}
    if not isinstance(data, dict):
        raise IngestError(f, "defaults must be a mapping")
    return data


def _record(data: dict[str, Any], defaults: dict[str, Any], file: Path, locator: str) -> RulingRecord:
    if not isinstance(data, dict):
        raise IngestError(file, "a ruling must be a mapping of fields", row=locator)
    merged = {**defaults, **{k: v for k, v in data.items() if v is not None}}
    for key in merged:
        if not isinstance(key, str) or key in _RESERVED:
            raise IngestError(file, f"{key!r} is not a field a ruling file may set", row=locator, field=str(key))
    try:
        return RulingRecord(**merged, file=str(file), locator=locator)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise IngestError(file, err["msg"], row=locator, field=field) from None


def read_structured(file: Path, defaults: dict[str, Any]) -> Iterator[RulingRecord | IngestError]:
    """Records of a .yaml/.json file; a bad entry yields its error and the others still come."""
    try:
        raw = file.read_text(encoding="utf-8")
        data = json.loads(raw) if file.suffix == ".json" else read_yaml(file, raw, "cannot parse")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield IngestError(file, f"cannot parse: {exc}")
        return
    except IngestError as exc:
        yield exc
        return
    if isinstance(data, dict) and "rulings" in data:
        defaults = {**defaults, **(data.get("defaults") or {})}
        data = data["rulings"]
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, start=1):
        try:
            yield _record(item, defaults, file, f"rulings[{i}]" if isinstance(data, list) else "")
        except IngestError as exc:
            yield exc


def read_text_file(file: Path) -> str:
    try:
        if file.suffix == ".docx":
            import docx

            return "\n".join(p.text for p in docx.Document(str(file)).paragraphs)
        return file.read_text(encoding="utf-8")
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise IngestError(file, f"cannot read text: {exc}") from exc


def read_free_text(file: Path, defaults: dict[str, Any], parser: PartyParser) -> RulingRecord:
    text = read_text_file(file).strip()
    if not text:
        raise IngestError(file, "empty ruling text", field="text")
    ex = extract_ruling(text, parser)
    if not ex.parties:
        raise IngestError(file, "no lead, cooperating or territorial party found in the text", field="parties")
    data = {
        "title": ex.title,
        "decided_on": ex.decided_on,
        "decided_by": ex.decided_by,
        "matter": [ex.matter] if ex.matter else [],
        "summary": ex.summary,
        "text": text,
        "parties": [{"name": p.name, "role": p.role, "duty": p.clause[:200]} for p in ex.parties],
        "principles": ex.principles,
        "citations": list(dict.fromkeys([c.text for c in ex.citations] + [c.text for c in ex.mandate_citations])),
        "supersedes": ex.repeals,
    }
    return _record({k: v for k, v in data.items() if v not in (None, [], "")}, defaults, file, "")


def ruling_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise IngestError(path, "no such file or directory")
    return sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in STRUCTURED + TEXT and p.name != DEFAULTS_FILE
        and not p.name.startswith((".", "~$"))
    )


def read_rulings(path: Path, parser: PartyParser, defaults: dict[str, Any] | None = None) -> Iterator[RulingRecord | IngestError]:
    """Every ruling under `path` (a file or a folder), or the error that kept one from being read."""
    root = path if path.is_dir() else path.parent
    for file in ruling_files(path):
        d = dict(defaults or {})
        rel = file.parent.relative_to(root).parts
        for i in range(len(rel) + 1):  # _defaults.yaml of the root, then of each folder down to the file's
            d.update(read_defaults(root.joinpath(*rel[:i])))
        if file.suffix.lower() in STRUCTURED:
            yield from read_structured(file, d)
        else:
            try:
                yield read_free_text(file, d, parser)
            except IngestError as exc:
                yield exc
