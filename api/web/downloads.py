"""A file download: the bytes with their media type and a Content-Disposition that names the file in
UTF-8 (RFC 6266 with RFC 5987's `filename*`), with an ASCII `filename` for clients that read only that."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import Response

from api.documents.files import MEDIA_TYPES


def content_disposition(name: str) -> str:
    stem, _, ext = name.rpartition(".")
    fallback = f"{re.sub(r'[^A-Za-z0-9_-]+', '_', stem).strip('_-') or 'download'}.{ext}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(content: bytes, name: str) -> Response:
    """`name` ends in an extension of MEDIA_TYPES (docx, xlsx, md)."""
    return Response(content, media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1]],
                    headers={"Content-Disposition": content_disposition(name)})
