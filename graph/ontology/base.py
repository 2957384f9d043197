"""Base classes for nodes and relationships.

A node model declares its label and the fields of its natural key; its `id` is derived from them when
not given. A relationship model declares its type, the labels it may join, and which of its own
properties distinguish two parallel edges; its `key` is derived from those plus its provenance.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cached_property
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.ids import digest, make_id

Scalar = str | int | float | bool | None


def iso(value: dt.date | str | None) -> str | None:
    """Dates travel as ISO strings so both backends compare them the same way."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _store_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, (list, tuple)):
        return [_store_value(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


_NODE_SKIP = frozenset({"id"})
_EDGE_SKIP = frozenset({"src", "dst", "src_label", "dst_label", "key"})
_CONVERT = (dt.date, list, tuple, dict)


def _stored(model: BaseModel, skip: frozenset[str]) -> dict[str, Any]:
    """Field values as stored, read straight from the instance: this is on the bulk-write path."""
    return {
        k: (_store_value(v) if isinstance(v, _CONVERT) else v)
        for k, v in model.__dict__.items()
        if v is not None and k not in skip
    }


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: ClassVar[str]
    id_prefix: ClassVar[str]
    key_fields: ClassVar[tuple[str, ...]]
    nullable_key_fields: ClassVar[tuple[str, ...]] = ()

    id: str = ""

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            missing = [
                f for f in cls.key_fields if data.get(f) in (None, "") and f not in cls.nullable_key_fields
            ]
            if missing:
                raise ValueError(f"{cls.__name__}: cannot derive id, missing {', '.join(missing)}")
            data = {**data, "id": cls.derive_id(*(data.get(f) for f in cls.key_fields))}
        return data

    @classmethod
    def derive_id(cls, *key: Any) -> str:
        return make_id(cls.id_prefix, *(iso(k) if isinstance(k, dt.date) else k for k in key))

    def props(self) -> dict[str, Any]:
        """Properties as stored: dates as ISO strings, dicts as JSON, nothing None (absent = null)."""
        return _stored(self, _NODE_SKIP)


class Provenance(BaseModel):
    """Where an edge comes from and when it holds. Every relationship carries it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1, description="id of the document the fact comes from")
    locator: str = Field(default="", description="article / clause / row / page inside the source")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = Field(default=None, description="None = still valid")
    asserted_by: str = Field(default="system", description="ingest run or user that asserted it")


class Edge(Provenance):
    """A relationship. `src`/`dst` are node ids; `src_label`/`dst_label` pick among the allowed labels."""

    type: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]
    targets: ClassVar[tuple[str, ...]]
    discriminators: ClassVar[tuple[str, ...]] = ()
    assignment: ClassVar[bool] = False

    src: str = Field(min_length=1)
    dst: str = Field(min_length=1)
    src_label: str = ""
    dst_label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _default_labels(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if not data.get("src_label") and len(cls.sources) == 1:
                data["src_label"] = cls.sources[0]
            if not data.get("dst_label") and len(cls.targets) == 1:
                data["dst_label"] = cls.targets[0]
        return data

    @model_validator(mode="after")
    def _check_labels(self) -> Edge:
        if self.src_label not in self.sources:
            raise ValueError(f"{self.type}: src_label must be one of {self.sources}, got {self.src_label!r}")
        if self.dst_label not in self.targets:
            raise ValueError(f"{self.type}: dst_label must be one of {self.targets}, got {self.dst_label!r}")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"{self.type}: valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    @cached_property
    def key(self) -> str:
        """Identity of the edge: the same fact from the same place is the same edge."""
        extra = [getattr(self, f) for f in self.discriminators]
        return digest(self.type, self.src, self.dst, self.source, self.locator, *extra, length=20)

    def props(self) -> dict[str, Any]:
        out = _stored(self, _EDGE_SKIP)
        out["key"] = self.key
        return out
