"""What one load did: counts and the problems it skipped, so the CLI can print them and tests can check them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoadReport(BaseModel):
    kind: str
    source: str
    read: int = 0
    written: int = 0
    skipped: int = 0
    errors: list[str] = Field(default_factory=list, description="one line per skipped file/row, naming it")

    def merge(self, other: LoadReport) -> LoadReport:
        return LoadReport(
            kind=self.kind, source=self.source, read=self.read + other.read, written=self.written + other.written,
            skipped=self.skipped + other.skipped, errors=[*self.errors, *other.errors],
        )
