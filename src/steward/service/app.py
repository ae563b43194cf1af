"""The application factory: ``create_app(settings)`` builds the FastAPI app of ``steward serve``.

Routers live in :mod:`steward.service.api` (one module per resource, all under ``/api/v1``);
pages will be added beside them by ``steward.service.web`` with the same dependencies
(:mod:`steward.service.auth`). Errors Steward raises on purpose become JSON with one
``detail`` line: NotFoundError 404 (also for things that exist but are hidden), AccessDenied
403, ConflictError 409, UnsafeInputError 413, other input errors 400; a value the database
cannot hold (a NUL character, a number out of range) is 400 too, never a 500. Request bodies over
``Settings.max_body_bytes`` are refused with 413 before they are read whole.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steward import __version__
from steward.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    StewardError,
    UnsafeInputError,
)
from steward.service.auth import Throttled
from steward.service.config import Settings
from steward.service.context import ServiceContext
from steward.store.access import AccessDenied
from steward.store.cases import CaseStore

API_PREFIX = "/api/v1"


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.limit:
                    await _too_large(send, self.limit)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send, self.limit)


async def _too_large(send: Send, limit: int) -> None:
    body = (
        b'{"detail":"request body too large (limit '
        + str(limit // (1024 * 1024)).encode()
        + b' MiB)"}'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.lower().encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.lower().encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


def status_of(exc: StewardError) -> int:
    """The HTTP status of an error Steward raises on purpose (the API's and the pages'):
    NotFoundError 404, AccessDenied 403, ConflictError 409, UnsafeInputError 413, other
    input errors 400, anything else 500."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, UnsafeInputError):
        return 413
    if isinstance(exc, InputError):
        return 400
    return 500


def create_app(settings: Settings, *, store: CaseStore | None = None) -> FastAPI:
    """The service app; opens (and migrates) the store, starts the job worker if asked."""
    from steward.service.api import routers
    from steward.service.jobs import Worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx: ServiceContext = app.state.ctx
        worker: Worker | None = None
        if settings.run_worker:
            worker = Worker(ctx)
            thread = threading.Thread(target=worker.run, name="steward-jobs", daemon=True)
            thread.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            ctx.close()

    app = FastAPI(
        title="Steward portfolio service",
        version=__version__,
        description=(
            "Assessments, SBOMs, vulnerability findings, VEX and CRA Art. 14 cases of a "
            "portfolio of projects. Authenticate with `Authorization: Bearer <token>` "
            "(see `steward admin token`) or a session cookie plus `X-CSRF-Token`."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ServiceContext(settings=settings, store=store or CaseStore(settings.database))
    for router in routers():
        app.include_router(router, prefix=API_PREFIX)
    from steward.service.web import mount

    mount(app)  # the pages (steward.service.web), outside the API and its schema

    @app.exception_handler(StewardError)
    async def steward_error(_request: Request, exc: StewardError) -> JSONResponse:
        status = status_of(exc)
        detail = str(exc) if status != 500 else "internal error"
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(DataError)
    async def unstorable(_request: Request, exc: DataError) -> JSONResponse:
        # a value the database cannot hold or compare: a NUL character in text, a number
        # beyond the column's range (PostgreSQL); the transaction was rolled back
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "invalid value"
        return JSONResponse({"detail": f"invalid value in the request: {reason}"}, status_code=400)

    @app.exception_handler(OverflowError)
    async def overflow(_request: Request, _exc: OverflowError) -> JSONResponse:
        # SQLite: an integer beyond 64 bits in a query parameter
        return JSONResponse({"detail": "invalid value in the request: number out of range"}, 400)

    @app.exception_handler(Throttled)
    async def throttled(_request: Request, exc: Throttled) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc)},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: list[dict[str, Any]] = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return JSONResponse(
            {"detail": f"{where}: {first['msg']}", "errors": errors}, status_code=422
        )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
