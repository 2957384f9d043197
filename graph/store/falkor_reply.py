"""Rows from FalkorDB's compact reply, parsed without the client's per-value dispatch.

An ask reads ~500 rows of plain scalars (~5k values) from the graph. The `falkordb` client parses each
value through three Python calls and wraps the rows in objects, which cost about a third of an ask's CPU
under load. Reads here only ever return scalars, lists and maps, so this parser handles those inline
and hands anything else (nodes, edges, paths, points, temporal values) back to the client's parser by
raising `NotPlain`.
"""

from __future__ import annotations

from typing import Any

from redis import ResponseError

# type tags of the compact result set (FalkorDB's ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10


class NotPlain(Exception):
    """The reply holds a value this parser leaves to the client (node, edge, path, point, time)."""


def _value(cell: list[Any]) -> Any:
    tag, raw = cell
    if tag in (_STRING, _INTEGER):  # the bulk of every reply; strings arrive decoded
        return raw
    if tag == _NULL:
        return None
    if tag == _DOUBLE:
        return float(raw)
    if tag == _BOOLEAN:
        return raw == "true" or raw == b"true"
    if tag == _ARRAY:
        return [_value(c) for c in raw]
    if tag == _MAP:
        return {(raw[i].decode() if isinstance(raw[i], bytes) else raw[i]): _value(raw[i + 1])
                for i in range(0, len(raw), 2)}
    raise NotPlain(tag)


def plain_rows(reply: list[Any]) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name; raises the server's error, or NotPlain (see module doc)."""
    if not reply or isinstance(reply[0], ResponseError) or isinstance(reply[-1], ResponseError):
        raise NotPlain("error reply")  # the client's parser raises it with its own handling
    if len(reply) < 3 or not reply[0]:  # statistics only: a write without RETURN, or no columns
        return []
    names = [h[1] if isinstance(h, (list, tuple)) else h for h in reply[0]]
    names = [n.decode() if isinstance(n, bytes) else n for n in names]
    out: list[dict[str, Any]] = []
    for row in reply[1]:
        rec = {}
        for name, (tag, raw) in zip(names, row, strict=False):
            # the common tags inline: a call per value is what made the client's parser slow
            rec[name] = raw if tag in (_STRING, _INTEGER) else _value((tag, raw))
        out.append(rec)
    return out
