"""Rows from a .csv or .xlsx table, streamed, with the header row found and cells cleaned.

Duty lists and department directories arrive as spreadsheets with a title row or two above the
header; the header is the first row (of the first ten) holding one of the expected column names.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from graph.errors import IngestError

_ENCODINGS = ("utf-8-sig", "gb18030")


def clean(value: Any) -> Any:
    """Strip strings and turn empty cells into None; keep dates and numbers as they are."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\u3000", " ").strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


class Table:
    """Iterate `(row_number, {header: value})`; row numbers are 1-based as a spreadsheet shows them."""

    def __init__(self, path: Path, required: Sequence[str], sheet: str | None = None, scan: int = 10):
        self.path = path
        self.required = tuple(required)
        self.sheet = sheet
        self.scan = scan
        self.headers: list[str] = []
        self._header_row = 0
        self._probe()

    def _raw_rows(self) -> Iterator[list[Any]]:
        suffix = self.path.suffix.lower()
        if suffix == ".csv":
            yield from self._csv_rows()
        elif suffix == ".xlsx":
            yield from self._xlsx_rows()
        else:
            raise IngestError(self.path, f"unsupported table format {suffix!r} (use .csv or .xlsx)")

    def _csv_rows(self) -> Iterator[list[Any]]:
        for enc in _ENCODINGS:
            try:
                with self.path.open(encoding=enc, newline="") as fh:
                    fh.read(1 << 16)
                break
            except UnicodeDecodeError:
                continue
            except OSError as exc:
                raise IngestError(self.path, f"cannot read: {exc}") from exc
        else:
            raise IngestError(self.path, "not UTF-8 or GB18030 text")
        with self.path.open(encoding=enc, newline="") as fh:
            try:
                yield from csv.reader(fh)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise IngestError(self.path, f"malformed CSV: {exc}") from exc

    def _xlsx_rows(self) -> Iterator[list[Any]]:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise IngestError(self.path, f"cannot open workbook: {exc}") from exc
        try:
            if self.sheet and self.sheet not in wb.sheetnames:
                raise IngestError(self.path, f"no sheet named {self.sheet!r}", field="sheet")
            ws = wb[self.sheet] if self.sheet else wb.worksheets[0]
            n = 0
            try:
                for row in ws.iter_rows(values_only=True):
                    n += 1
                    yield list(row)
            except Exception as exc:  # a broken or hostile worksheet: XML errors, entities (defusedxml), bad cells
                raise IngestError(self.path, f"the worksheet cannot be read after row {n}: {type(exc).__name__}: {exc}",
                                  row=n + 1) from None
        finally:
            wb.close()

    def _probe(self) -> None:
        for i, row in enumerate(self._raw_rows(), start=1):
            cells = [str(clean(c) or "") for c in row]
            if any(c in self.required for c in cells):
                self.headers = cells
                self._header_row = i
                return
            if i >= self.scan:
                break
        raise IngestError(self.path, f"no header row with any of {', '.join(self.required)} in the first {self.scan} rows")

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for i, row in enumerate(self._raw_rows(), start=1):
            if i <= self._header_row:
                continue
            values = [clean(c) for c in row]
            if not any(v is not None for v in values):
                continue
            yield i, {h: values[j] if j < len(values) else None for j, h in enumerate(self.headers) if h}


def read_table(path: str | Path, required: Sequence[str], sheet: str | None = None) -> Table:
    return Table(Path(path), required, sheet)
