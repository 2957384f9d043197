"""One router per resource; app.py mounts them all under /api/v1."""

from api.web.routes import (
    articles,
    ask,
    clauses,
    departments,
    dispatch,
    dispute_steps,
    disputes,
    documents,
    duties,
    effect,
    gaps,
    ingest,
    jurisdictions,
    laws,
    matters,
    rulings,
    trace,
    vocabulary,
)

LOOKUPS = [departments.router, matters.router, laws.router, articles.router, clauses.router, duties.router,
           jurisdictions.router, vocabulary.router]
ROUTERS = [ask.router, dispatch.router, effect.router, rulings.router, gaps.router, trace.router, *LOOKUPS, dispute_steps.router, disputes.router, documents.router, ingest.router]
