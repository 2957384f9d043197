"""Who is calling, and may they? API keys (header `X-API-Key` or `Authorization: Bearer …`) and roles.

reader < adjudicator < reviewer < admin. Reads are open to anonymous callers when DUTYGRAPH_API_ANONYMOUS_READ is
on (the default, for a desk on the office network); every write needs a key of the right role, and the
caller's name goes into the change log with the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio.to_thread
from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.users import Role, User
from api.web.context import AppContext, app_context
from api.web.problems import ProblemError

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key from `dutygraph users add`.")
_bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="dutygraph"'}


async def caller(
    ctx: Annotated[AppContext, Depends(app_context)],
    key: str | None = Depends(_api_key),
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> User | None:
    """The user holding the presented key; None when no key was sent; 401 for a key that is not valid. Only a
    presented key costs a worker thread (the key store is a file): an anonymous read runs no thread at all."""
    presented = key or (bearer.credentials if bearer else None)
    if not presented:
        return None
    user = await anyio.to_thread.run_sync(ctx.keys.authenticate, presented)
    if user is None:
        raise ProblemError(401, "Unauthorized", "the API key is unknown or revoked", "auth", headers=_CHALLENGE)
    return user


def require(role: Role) -> Callable[..., Awaitable[User]]:
    """A dependency that answers 401 without a key and 403 when the key's role is too low."""

    async def dependency(user: User | None = Depends(caller)) -> User:
        if user is None:
            raise ProblemError(401, "Unauthorized", f"this needs an API key with the role {role} or above", "auth",
                               headers=_CHALLENGE)
        if not user.can(role):
            raise ProblemError(403, "Forbidden", f"user {user.name!r} is {user.role}; this needs {role} or above",
                               "forbidden")
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


async def reader(ctx: Annotated[AppContext, Depends(app_context)], user: User | None = Depends(caller)) -> User | None:
    """Reads: anyone when anonymous reading is on, otherwise a reader key or above."""
    if user is None and not ctx.settings.api_anonymous_read:
        raise ProblemError(401, "Unauthorized", "reading needs an API key (DUTYGRAPH_API_ANONYMOUS_READ is off)",
                           "auth", headers=_CHALLENGE)
    return user
