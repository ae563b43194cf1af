"""Authentication for the API and (later) the pages, as FastAPI dependencies.

Two ways in, both resolved by the store to a :class:`~steward.store.access.Principal`:

- an API token (``Authorization: Bearer stw_...``): scoped, expiring, revocable, stored
  hashed; no CSRF check (browsers never attach it on their own);
- a session cookie (``steward_session``: Secure, HttpOnly, SameSite=Strict, Path=/) made by
  signing in with a password; every unsafe request (POST, PUT, PATCH, DELETE) must carry the
  session's CSRF token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.

Sign-in is throttled per account name and per client address; a failed sign-in of an
unknown account costs the same argon2 verification as a wrong password.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from steward.service.context import ServiceContext, context
from steward.service.passwords import verify
from steward.store import accounts
from steward.store.access import Principal

SESSION_COOKIE = "steward_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Auth:
    """The authenticated caller: its principal, how it came in, and its session's CSRF."""

    principal: Principal
    via: str  # "token" or "session"
    csrf: str | None = None


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed sign-ins; try again later")
        self.retry_after = retry_after


def _now() -> datetime:
    return datetime.now(UTC)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise HTTPException(
            401, "Authorization must be 'Bearer <token>'", {"WWW-Authenticate": "Bearer"}
        )
    return value.strip()


def _resolve(ctx: ServiceContext, token: str | None, cookie: str | None) -> Auth | None:
    now = _now()
    if token is not None:
        used = ctx.store.read(lambda s: accounts.token_principal(s, token, now))
        principal = used.principal
        if principal is not None and used.needs_touch:  # a write at most every 5 minutes per token
            ctx.store.write(lambda s: accounts.touch_token(s, token, now))
        if principal is None:
            raise HTTPException(
                401, "invalid, expired or revoked token", {"WWW-Authenticate": "Bearer"}
            )
        return Auth(principal, "token")
    if cookie:
        found = ctx.store.read(lambda s: accounts.session_principal(s, cookie, now))
        if found is not None:
            return Auth(found[0], "session", found[1])
    return None


async def _csrf_ok(request: Request, expected: str) -> bool:
    presented = request.headers.get(CSRF_HEADER)
    if presented is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            presented = value if isinstance(value, str) else None
    return presented is not None and hmac.compare_digest(presented, expected)


async def optional_auth(
    request: Request, ctx: Annotated[ServiceContext, Depends(context)]
) -> Auth | None:
    """The caller if authenticated (None for anonymous); checks CSRF on unsafe requests."""
    token = _bearer(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    auth = await run_in_threadpool(_resolve, ctx, token, cookie)
    if (
        auth is not None
        and auth.via == "session"
        and request.method in UNSAFE
        and not await _csrf_ok(request, auth.csrf or "")
    ):
        raise HTTPException(403, "CSRF token missing or wrong")
    return auth


async def require_auth(auth: Annotated[Auth | None, Depends(optional_auth)]) -> Auth:
    """The authenticated caller; 401 for anonymous requests."""
    if auth is None:
        raise HTTPException(401, "sign in or send an API token", {"WWW-Authenticate": "Bearer"})
    return auth


async def require_principal(auth: Annotated[Auth, Depends(require_auth)]) -> Principal:
    return auth.principal


CurrentAuth = Annotated[Auth, Depends(require_auth)]
CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
Context = Annotated[ServiceContext, Depends(context)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(ctx: ServiceContext, username: str, password: str, address: str) -> tuple[str, str]:
    """Check a password (throttled); returns (session cookie value, CSRF token)."""
    settings = ctx.settings
    now = _now()
    window = timedelta(minutes=settings.login_window_minutes)
    by_name, by_address = ctx.store.read(
        lambda s: accounts.recent_failures(s, username, address, now - window)
    )
    if by_name >= settings.login_max_failures or by_address >= settings.login_max_failures_address:
        raise Throttled(int(window.total_seconds()))
    record = ctx.store.read(lambda s: accounts.login_record(s, username))
    ok = verify(record.password_hash if record else None, password)
    if not ok or record is None:
        ctx.store.write(lambda s: accounts.record_login_failure(s, username, address, now))
        raise HTTPException(401, "wrong user name or password")

    def start(session: object) -> tuple[str, str]:
        from sqlalchemy.orm import Session

        from steward.store.audit import audit

        assert isinstance(session, Session)
        accounts.clear_failures(session, username)
        audit(
            session,
            actor=username,
            action="session.sign_in",
            target=username,
            organisation_id=None,
            detail={"address": address},
            now=now,
        )
        return accounts.create_session(
            session, record.user_id, now, timedelta(hours=settings.session_hours)
        )

    return ctx.store.write(start)


def set_session_cookie(response: Response, ctx: ServiceContext, cookie: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=ctx.settings.session_hours * 3600,
        path="/",
        secure=ctx.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )
