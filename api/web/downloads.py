"""A file download: the bytes with their media type and a Content-Disposition that names the file in
UTF-8 (RFC 6266 with RFC 5987's `filename*`), with an ASCII `filename` for clients that read only that."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response

from api.documents.files import MEDIA_TYPES


def content_disposition(name: str) -> str:
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(content: bytes, name: str) -> Response:
    """`name` ends in an extension of MEDIA_TYPES (docx, xlsx, md)."""
    return Response(content, media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1]],
                    headers={"Content-Disposition": content_disposition(name)})
