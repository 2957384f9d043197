"""Offset pagination shared by every list endpoint: `?limit=&offset=` in, a Page out."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

T = TypeVar("T")


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: int = Query(20, ge=1, le=200, description="Items per page."),
    offset: int = Query(0, ge=0, description="Items to skip."),
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="items in the whole result")
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page; null on the last page")

    @classmethod
    def of(cls, items: list[T], p: PageParams) -> Page[T]:
        """Cut one page from a full, already ordered list."""
        return cls.cut(items[p.offset:p.offset + p.limit], len(items), p)

    @classmethod
    def cut(cls, items: list[T], total: int, p: PageParams) -> Page[T]:
        """A page a query already cut (LIMIT/OFFSET in Cypher) out of `total` items."""
        end = p.offset + p.limit
        return cls(items=items, total=total, limit=p.limit, offset=p.offset, next_offset=end if end < total else None)
