"""One router per resource; app.py mounts them all under /api/v1."""

from api.web.routes import ask, disputes, gaps, ingest, lookups, rulings, trace

ROUTERS = [ask.router, rulings.router, gaps.router, trace.router, lookups.router, disputes.router, ingest.router]
