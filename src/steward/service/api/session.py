"""Signing in and out (cookie sessions with a CSRF token), and who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from steward.service.api.common import Line
from steward.service.auth import (
    SESSION_COOKIE,
    Auth,
    Context,
    CurrentAuth,
    client_address,
    optional_auth,
    set_session_cookie,
    sign_in,
)
from steward.store import accounts
from steward.store.audit import audit

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    username: Line = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    user: str
    via: str
    csrf_token: str | None = None
    site_admin: bool = False
    scopes: list[str] | None = None


async def _credentials(request: Request) -> Credentials:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        data: Any = {k: v for k, v in form.items() if isinstance(v, str)}
    else:
        try:
            data = await request.json()
        except ValueError:
            raise HTTPException(400, "expected JSON or a form with username and password") from None
    try:
        return Credentials.model_validate(data)
    except ValueError:
        raise HTTPException(400, "username and password are required") from None


@router.post("/session", response_model=SessionOut)
async def create_session(request: Request, response: Response, ctx: Context) -> SessionOut:
    """Sign in with a user name and password (JSON or form); sets the session cookie."""
    creds = await _credentials(request)
    cookie, csrf = await run_in_threadpool(
        sign_in, ctx, creds.username, creds.password, client_address(request)
    )
    set_session_cookie(response, ctx, cookie)
    return SessionOut(user=creds.username, via="session", csrf_token=csrf)


@router.get("/session", response_model=SessionOut)
def whoami(auth: CurrentAuth) -> SessionOut:
    """The signed-in user (and the CSRF token pages put in their forms)."""
    p = auth.principal
    return SessionOut(
        user=p.name,
        via=auth.via,
        csrf_token=auth.csrf,
        site_admin=p.site_admin,
        scopes=sorted(s.value for s in p.scopes) if p.scopes is not None else None,
    )


@router.delete("/session", status_code=204)
def sign_out(
    request: Request,
    response: Response,
    ctx: Context,
    auth: Annotated[Auth | None, Depends(optional_auth)],
) -> Response:
    """Sign out: ends the session (needs the CSRF token, like every change)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if auth is not None and auth.via == "session" and cookie:

        def end(session: Any) -> None:
            accounts.end_session(session, cookie)
            audit(
                session,
                actor=auth.principal.name,
                action="session.sign_out",
                target=auth.principal.name,
                organisation_id=None,
            )

        ctx.store.write(end)
    out = Response(status_code=204)
    out.delete_cookie(SESSION_COOKIE, path="/", secure=ctx.settings.secure_cookies, httponly=True)
    return out
