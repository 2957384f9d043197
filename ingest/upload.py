"""An uploaded source file, checked before anything is stored, then loaded by the kind's own loader.

Three gates, in order, each naming what is wrong:

1. the file name: a plain name with an extension the kind's loader reads (`UnsupportedUpload`);
2. the content matches the extension: text (no NUL bytes; UTF-8, or GB18030 where the loader's reader
   also accepts it) for .md/.txt/.csv/.yaml/.json, a zip package holding a Word document or an Excel
   workbook for .docx/.xlsx (`UnsupportedUpload`);
3. a dry run (`ingest.dry_runs`): the whole file is read and validated with the same readers, row models
   and name resolution the loader uses, and the first problem is raised as `IngestError` (file, row, field).
   Loaders skip a bad row and go on; an upload is all or nothing, so a file with a bad row stores nothing.

The web layer owns size limits and authentication; this module knows nothing of HTTP.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from graph.errors import DutygraphError, IngestError
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.report import LoadReport
from ingest.sources import SOURCES, SourceOptions, UploadOptions

KINDS: dict[str, tuple[str, ...]] = {k: source.extensions for k, source in SOURCES.items()}
_GB_OK = (".csv", ".txt", ".md")  # readers of these fall back to GB18030 (ingest.tables, laws.files, mandates.reader)
_ZIP_MEMBER = {".docx": ("word/document.xml", "a Word document"), ".xlsx": ("xl/workbook.xml", "an Excel workbook")}
_BAD_NAME = re.compile(r"[\x00-\x1f\\/:*?\"<>|]")
MAX_NAME_BYTES = 200  # UTF-8 bytes: a file system takes 255, and a Chinese character is 3
MAX_RATIO = 200  # a zip member expanding more than this is a zip bomb, not a workbook


class UnsupportedUpload(DutygraphError):
    """The file's name or content is not a type this kind of source can be loaded from."""

    def __init__(self, name: str, reason: str, allowed: tuple[str, ...]):
        self.name, self.reason, self.allowed = name, reason, allowed
        super().__init__(f"{name}: {reason} (accepted: {', '.join(allowed)})")


def safe_name(kind: str, filename: str | None) -> str:
    """The upload's own file name, reduced to a plain name the loaders can be pointed at."""
    allowed = KINDS[kind]
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or _BAD_NAME.search(name) or name.startswith((".", "_", "~")):
        raise UnsupportedUpload(name or "(no file name)", "give the file a plain name with its extension", allowed)
    if len(name.encode()) > MAX_NAME_BYTES:
        raise UnsupportedUpload(name[:40] + "…", f"the file name is {len(name.encode())} bytes in UTF-8; give it a name of "
                                f"at most {MAX_NAME_BYTES} bytes (about {MAX_NAME_BYTES // 3} Chinese characters)", allowed)
    if Path(name).suffix.lower() not in allowed:
        raise UnsupportedUpload(name, f"a {kind} upload cannot be a {Path(name).suffix or 'file without extension'}",
                                allowed)
    return name


def check_content(kind: str, name: str, path: Path, max_unzipped: int) -> None:
    """The bytes are what the extension says, and a zip package expands to at most `max_unzipped` bytes, no member
    by more than MAX_RATIO; raises UnsupportedUpload naming the mismatch."""
    suffix = Path(name).suffix.lower()
    allowed = KINDS[kind]
    if suffix in _ZIP_MEMBER:
        member, what = _ZIP_MEMBER[suffix]
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic != b"PK\x03\x04":
            raise UnsupportedUpload(name, f"a {suffix} file is a zip package ({what}); this one is not", allowed)
        try:
            with zipfile.ZipFile(path) as z:
                members = z.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnsupportedUpload(name, f"a broken zip package: {exc}", allowed) from None
        names = {m.filename for m in members}
        total = sum(m.file_size for m in members)
        if total > max_unzipped:
            raise UnsupportedUpload(name, f"the zip package holds {total} bytes uncompressed, over {max_unzipped} "
                                    "(DUTYGRAPH_UPLOAD_MAX_UNZIPPED_BYTES)", allowed)
        bomb = next((m for m in members if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1)),
                    None)
        if bomb is not None:
            raise UnsupportedUpload(name, f"{bomb.filename} expands {bomb.file_size // max(bomb.compress_size, 1)}× when "
                                    f"uncompressed (at most {MAX_RATIO}×): refused as a zip bomb", allowed)
        if member not in names:
            raise UnsupportedUpload(name, f"the zip package is not {what} (no {member})", allowed)
        return
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise UnsupportedUpload(name, f"a {suffix} file must be text; this one holds binary data", allowed)
    for enc in ("utf-8-sig", "gb18030") if suffix in _GB_OK else ("utf-8-sig",):
        try:
            raw.decode(enc)
            return
        except UnicodeDecodeError as exc:
            err = exc
    line = raw[: err.start].count(b"\n") + 1
    want = "UTF-8 or GB18030" if suffix in _GB_OK else "UTF-8"
    raise UnsupportedUpload(name, f"not {want} text (first bad byte on line {line})", allowed)


def _named(exc: IngestError, path: Path, name: str) -> IngestError:
    """The same error with the server-side path replaced by the name the user uploaded."""
    return IngestError(name, exc.reason.replace(str(path), name), row=exc.row, field=exc.field)


def dry_run(store: GraphStore, kind: str, path: Path, name: str, opts: UploadOptions) -> None:
    """Read and validate the whole file as its loader would, writing nothing; raises IngestError."""
    try:
        SOURCES[kind].dry_run(store, path, opts)
    except IngestError as exc:
        raise _named(exc, path, name) from None
    except (DutygraphError, MemoryError):  # out of memory is the reading process's limit, not a fault in the file
        raise
    except Exception as exc:  # a reader's own error on a hostile file: still the file's problem, named
        raise IngestError(name, f"cannot be read: {type(exc).__name__}: {str(exc).replace(str(path), name)}") from None


def load(store: GraphStore, settings: Settings, kind: str, path: Path, name: str, opts: UploadOptions,
         actor: str) -> LoadReport:
    """Run the kind's loader on a file that passed `dry_run`; edges are asserted by (and logged under) `actor`."""
    report = SOURCES[kind].load(store, path, SourceOptions(**opts.model_dump()), actor=actor, settings=settings)
    report.source = name
    report.errors = [e.replace(str(path), name) for e in report.errors]
    return report
