"""Signing in and out of the pages: the same password check, throttling and session store as
``POST /api/v1/session`` (:func:`steward.service.auth.sign_in`).

The session cookie is HttpOnly, SameSite=Strict, Path=/, and Secure whenever the service
runs with ``secure_cookies`` (the default) or the request came over HTTPS. The sign-in form
itself carries a token that must match a short-lived cookie set with the form (double
submit), so another site cannot sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from steward.service.auth import SESSION_COOKIE, Throttled, client_address, sign_in
from steward.service.web.core import (
    CSRF_FIELD,
    PageRoute,
    Viewer,
    checked_form,
    ctx_of,
    current_viewer,
    notice_of,
    redirect,
    render,
    safe_next,
    same_token,
)
from steward.store import accounts
from steward.store.audit import audit

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SIGNIN_COOKIE = "steward_signin"


def _secure(request: Request) -> bool:
    return ctx_of(request).settings.secure_cookies or request.url.scheme == "https"


def _form(
    request: Request, *, status: int = 200, error: str | None = None, username: str = ""
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "signin.html",
        None,
        status=status,
        csrf=token,
        error=error,
        username=username,
        next=safe_next(request.query_params.get("next")),
        notice=notice_of(request),
        title="Sign in",
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        max_age=3600,
        path="/sign-in",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    if await current_viewer(request) is not None:
        return redirect(safe_next(request.query_params.get("next")))
    return _form(request)


def _value(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/sign-in")
async def sign_in_submit(request: Request) -> Response:
    form = await request.form()
    if not same_token(form.get(CSRF_FIELD), request.cookies.get(SIGNIN_COOKIE, "")):
        return _form(
            request,
            status=403,
            error="The form was out of date (or cookies are blocked). Please try again.",
        )
    username = _value(form, "username").strip()[:200]
    password = _value(form, "password")[:1024]
    if not username or not password:
        return _form(
            request, status=400, error="Enter your user name and password.", username=username
        )
    ctx = ctx_of(request)
    try:
        cookie, _csrf = await run_in_threadpool(
            sign_in, ctx, username, password, client_address(request)
        )
    except HTTPException:
        return _form(request, status=401, error="Wrong user name or password.", username=username)
    except Throttled as exc:
        response = _form(request, status=429, error=str(exc).capitalize() + ".", username=username)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = redirect(safe_next(_value(form, "next")))
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=ctx.settings.session_hours * 3600,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(SIGNIN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)]
) -> Response:
    viewer, _form_data = checked
    cookie = request.cookies.get(SESSION_COOKIE, "")

    def end(session: Any) -> None:
        accounts.end_session(session, cookie)
        audit(
            session,
            actor=viewer.name,
            action="session.sign_out",
            target=viewer.name,
            organisation_id=None,
        )

    ctx_of(request).store.write(end)
    response = redirect("/sign-in", notice="signed-out")
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=_secure(request), httponly=True, samesite="strict"
    )
    return response
