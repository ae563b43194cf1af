"""What every page shares: the Jinja2 environment, the signed-in viewer, CSRF checks, the
pages' security headers, and errors rendered as pages.

- Pages are reached with the session cookie of :mod:`steward.service.auth` (never an API
  token: a browser sends no ``Authorization`` header on its own). A page asked for without a
  session redirects to the sign-in page.
- Every form carries the session's CSRF token (``csrf_token``); a POST without the right one
  is refused with 403 before anything is read or written. The sign-in form, made before any
  session exists, is protected the same way with a token kept in a short-lived cookie
  (double submit).
- Templates are autoescaped (StrictUndefined: a missing value is an error, not an empty
  cell). Pages send a Content-Security-Policy without ``unsafe-inline``: no inline script or
  style attribute anywhere; charts are inline SVG with presentation attributes only.
- Errors Steward raises on purpose become a page with the error's one line and the status the
  API gives (404 also for what exists but is hidden from the viewer).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from steward.errors import InputError, StewardError
from steward.service.app import status_of
from steward.service.auth import SESSION_COOKIE, Throttled
from steward.service.context import ServiceContext
from steward.store import accounts
from steward.store.access import Principal

TEMPLATES = Path(__file__).parent / "templates"
CSRF_FIELD = "csrf_token"

#: the pages' policy: scripts and styles from this server only, nothing inline, no framing
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cache-Control": "no-store",
}


def now() -> datetime:
    return datetime.now(UTC)


def ctx_of(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


# ----------------------------------------------------------------------------- viewer


@dataclass(frozen=True)
class Viewer:
    """The signed-in person looking at a page: their principal and session's CSRF token."""

    principal: Principal
    csrf: str

    @property
    def name(self) -> str:
        return self.principal.name


class SignInRequired(Exception):
    """No (valid) session: the page redirects to the sign-in form."""


class CsrfRefused(Exception):
    """A form came without the session's CSRF token."""


def _lookup(ctx: ServiceContext, cookie: str) -> Viewer | None:
    found = ctx.store.read(lambda s: accounts.session_principal(s, cookie, now()))
    return None if found is None else Viewer(found[0], found[1])


async def current_viewer(request: Request) -> Viewer | None:
    """The viewer of a valid session cookie, or None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie or len(cookie) > 200:
        return None
    return await run_in_threadpool(_lookup, ctx_of(request), cookie)


async def signed_in(request: Request) -> Viewer:
    """FastAPI dependency: the viewer; without a session the page redirects to sign in."""
    viewer = await current_viewer(request)
    if viewer is None:
        raise SignInRequired
    return viewer


def same_token(presented: object, expected: str) -> bool:
    return (
        isinstance(presented, str)
        and bool(expected)
        and hmac.compare_digest(presented.encode(), expected.encode())
    )


async def checked_form(request: Request) -> tuple[Viewer, FormData]:
    """FastAPI dependency for POSTs: the viewer and the form, CSRF token checked first."""
    viewer = await signed_in(request)
    form = await request.form()
    if not same_token(form.get(CSRF_FIELD), viewer.csrf):
        raise CsrfRefused
    return viewer, form


def text_field(form: FormData, name: str, *, limit: int = 1000, required: bool = False) -> str:
    """A text field of a form, stripped; InputError if required and empty or too long."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise InputError(f"{name.replace('_', ' ')} is required")
    if len(text) > limit:
        raise InputError(f"{name.replace('_', ' ')}: at most {limit} characters")
    return text


# --------------------------------------------------------------------------- templates


def when(value: datetime | str | None) -> str:
    """A moment as ``2026-05-04 13:07 UTC`` (empty for None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    else:
        moment = value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def span(delta: timedelta) -> str:
    """A duration for people: ``2 d 4 h``, ``3 h 12 min``, ``45 min``."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def left(due: datetime | None, moment: datetime | None = None) -> str:
    """Time left until ``due`` (``overdue by ...`` once passed)."""
    if due is None:
        return ""
    delta = due - (moment or now())
    return f"{span(delta)} left" if delta.total_seconds() >= 0 else f"overdue by {span(delta)}"


def query(base: Mapping[str, Any], **changes: Any) -> str:
    """``?a=1&b=2``: the current query with some keys changed (None drops a key)."""
    merged = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["day"] = lambda value: when(value)[:10]
    env.filters["left"] = left
    env.filters["urlpart"] = lambda v: quote(str(v), safe="")
    env.globals["query"] = query
    return env


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page from ``templates/<template>`` with the viewer, its CSRF token and the path."""
    page = (
        environment()
        .get_template(template)
        .render(
            viewer=viewer,
            csrf=viewer.csrf if viewer else context.pop("csrf", ""),
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(page, status_code=status, headers=PAGE_HEADERS)


def show(
    request: Request,
    viewer: Viewer,
    template: str,
    load: Callable[[Session, Principal], Mapping[str, Any]],
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Load, check, render: the sequence of a page that shows stored data.

    ``load(session, principal)`` runs in one read transaction and reads through the store's
    access-checked functions, so what the viewer may not see raises NotFoundError (404, worded
    like what does not exist) and a right it lacks AccessDenied (403), turned into error pages
    by :class:`PageRoute`; it returns the template's values from the database. ``context``
    adds those known without it (title, notices, form errors).
    """
    data = ctx_of(request).store.read(lambda session: load(session, viewer.principal))
    return render(request, template, viewer, status=status, **context, **data)


def redirect(location: str, *, notice: str | None = None) -> RedirectResponse:
    """303 to a page of this site (a notice code shown there; codes, never free text)."""
    if not location.startswith("/") or location.startswith("//"):
        location = "/"
    if notice:
        path, hash_, fragment = location.partition("#")
        path += ("&" if "?" in path else "?") + urlencode({"notice": notice})
        location = path + hash_ + fragment
    return RedirectResponse(location, status_code=303, headers=PAGE_HEADERS)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(c in target for c in "\r\n\\") or target.startswith("/static"):
        return "/"
    return target[:500]


#: the notices pages show after a redirect (fixed texts: nothing of the URL is echoed)
NOTICES = {
    "signed-out": "You are signed out.",
    "event-recorded": "The event was recorded.",
    "token-revoked": "The token was revoked.",
    "member-added": "The role was granted.",
    "member-removed": "The role was taken away.",
    "job-queued": "The job was queued.",
    "uploaded": "The upload was stored.",
}


def notice_of(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


# ------------------------------------------------------------------------------ errors


TITLES = {
    400: "That did not work",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    409: "Not possible now",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
}


def error_page(request: Request, viewer: Viewer | None, status: int, message: str) -> HTMLResponse:
    return render(
        request,
        "error.html",
        viewer,
        status=status,
        title=TITLES.get(status, "Error"),
        message=message,
        notice=None,
    )


class PageRoute(APIRoute):
    """A route whose failures are pages: sign-in redirects, CSRF refusals, Steward errors
    (with the API's status codes), bad parameters."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path
                if request.url.query and request.method == "GET":
                    target += "?" + request.url.query
                return redirect("/sign-in?" + urlencode({"next": safe_next(target)}))
            except CsrfRefused:
                viewer = await current_viewer(request)
                return error_page(
                    request,
                    viewer,
                    403,
                    "The form was refused: its security token is missing or out of date. "
                    "Reload the page and try again.",
                )
            except StewardError as exc:
                status = status_of(exc)
                viewer = await current_viewer(request)
                message = str(exc) if status != 500 else "internal error"
                return error_page(request, viewer, status, message)
            except Throttled as exc:
                response = error_page(request, None, 429, str(exc))
                response.headers["Retry-After"] = str(exc.retry_after)
                return response
            except HTTPException as exc:
                viewer = await current_viewer(request)
                return error_page(request, viewer, exc.status_code, str(exc.detail))
            except RequestValidationError as exc:
                viewer = await current_viewer(request)
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(p) for p in first.get("loc", ())[1:])
                return error_page(
                    request, viewer, 400, f"{where or 'request'}: {first.get('msg', 'invalid')}"
                )

        return page_handler
