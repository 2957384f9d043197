"""Per-caller rate limits for the API: one token bucket per caller, so one busy caller (or many anonymous
callers behind one address) cannot take the server from the others.

A caller is the user of a valid API key, else the client address: an anonymous caller cannot escape its
bucket by inventing keys. Keyed callers get their own, larger allowance (DUTYGRAPH_API_RATE_KEYED) than
each anonymous address (DUTYGRAPH_API_RATE_ANONYMOUS); each bucket holds a quarter of a minute's requests
as a burst. Over it, the answer is a 429 problem with `Retry-After`, before any work is done. Pages and
static files are not limited, only `/api/`.

A pure ASGI middleware (not BaseHTTPMiddleware): a refused request costs a dict lookup and a hash of the key.
"""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from api.web.problems import MEDIA_TYPE, TYPE_BASE, Problem

MAX_BUCKETS = 50_000  # callers remembered; past it, buckets idle longest are dropped (they were full anyway)


class Buckets:
    """Token buckets by caller: `take` answers how many seconds to wait (0: go)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._b: dict[tuple[str, str], tuple[float, float]] = {}  # caller → (tokens, last refill)

    def take(self, caller: tuple[str, str], per_minute: float) -> float:
        rate, burst = per_minute / 60.0, max(5.0, per_minute / 4.0)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._b.get(caller, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._b[caller] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._b[caller] = (tokens, now)
                wait = (1.0 - tokens) / rate
            if len(self._b) > MAX_BUCKETS:
                for k in sorted(self._b, key=lambda k: self._b[k][1])[: MAX_BUCKETS // 10]:
                    del self._b[k]
        return wait


class RateLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.buckets = Buckets()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        ctx = getattr(scope["app"].state, "ctx", None)
        if ctx is None:
            await self.app(scope, receive, send)
            return
        caller, per_minute = self._caller(scope, ctx)
        wait = self.buckets.take(caller, per_minute) if per_minute > 0 else 0.0
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        await _too_many(scope, send, wait, per_minute)

    @staticmethod
    def _caller(scope: Scope, ctx: Any) -> tuple[tuple[str, str], float]:
        headers = dict(scope.get("headers") or [])
        key = headers.get(b"x-api-key", b"").decode("latin-1").strip()
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if not key and auth[:7].lower() == "bearer ":
            key = auth[7:].strip()
        user = ctx.keys.authenticate(key) if key else None
        if user is not None:
            return ("user", user.name), ctx.settings.api_rate_keyed
        client = scope.get("client")
        return ("address", client[0] if client else "?"), ctx.settings.api_rate_anonymous


async def _too_many(scope: Scope, send: Send, wait: float, per_minute: float) -> None:
    body = Problem(type=TYPE_BASE + "rate-limit", title="Too Many Requests", status=429,
                   detail=f"more than {per_minute:g} requests a minute from this caller; try again in {math.ceil(wait)} s",
                   instance=scope["path"]).model_dump()
    raw = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(raw)).encode()),
        (b"retry-after", str(math.ceil(wait)).encode())]})
    await send({"type": "http.response.body", "body": raw})
