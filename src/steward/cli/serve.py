"""`steward serve`: the portfolio service (REST API) on uvicorn; migrations run on start.

Argument handling only: the app is :func:`steward.service.app.create_app`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from steward.cli.console import info, warn
from steward.errors import UsageError

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def default_service_db() -> str:
    from steward.store.engine import data_dir

    return str(data_dir() / "service.sqlite")


ServiceDb = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="STEWARD_SERVICE_DB",
        help="Service database: SQLite path (default in the user data directory) or "
        "postgresql:// URL.",
    ),
]


def serve(
    db: ServiceDb = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    migrate_only: Annotated[
        bool, typer.Option("--migrate-only", help="Bring the database schema up to date, exit.")
    ] = False,
    vulndb: Annotated[
        str | None,
        typer.Option(help="Vulnerability database to match SBOMs against (see `steward db`)."),
    ] = None,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send session cookies over plain HTTP too (development on loopback only).",
        ),
    ] = False,
    allow_local_git: Annotated[
        bool,
        typer.Option(
            "--allow-local-git", help="Assess jobs may clone local paths, not only https://."
        ),
    ] = False,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run background jobs in this process.")
    ] = True,
    max_body_mb: Annotated[
        int, typer.Option(min=1, max=4096, help="Largest request body accepted (MiB).")
    ] = 100,
) -> None:
    """Run the portfolio service: REST API under /api/v1 (OpenAPI at /api/v1/openapi.json)."""
    from steward.store.engine import check_connection, make_engine
    from steward.store.migrate import upgrade

    url = db or default_service_db()
    engine = make_engine(url)
    try:
        check_connection(engine, url)
        migration = upgrade(engine)
    finally:
        engine.dispose()
    if migrate_only:
        info(migration.describe())
        return
    if insecure_cookies and host not in LOOPBACK:
        raise UsageError("--insecure-cookies is for loopback development only (use HTTPS)")
    if host not in LOOPBACK:
        warn(f"listening on {host}: put a TLS-terminating proxy in front (cookies are Secure)")
    import uvicorn

    from steward.service.app import create_app
    from steward.service.config import MiB, Settings

    settings = Settings(
        database=url,
        vulndb=vulndb,
        secure_cookies=not insecure_cookies,
        run_worker=worker,
        allow_local_git=allow_local_git,
        max_body_bytes=max_body_mb * MiB,
    )
    app = create_app(settings)
    info(f"serving on http://{host}:{port}/api/v1 (database {url.split('@')[-1]})")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the root app."""
    app.command("serve")(serve)
