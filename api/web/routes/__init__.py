"""One router per resource; app.py mounts them all under /api/v1."""

from api.web.routes.ask import router as ask_router

ROUTERS = [ask_router]
