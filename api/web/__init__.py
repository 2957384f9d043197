"""The FastAPI application: the HTTP API under /api/v1 and the Chinese web pages for adjudicators."""
