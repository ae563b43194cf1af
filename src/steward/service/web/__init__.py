"""The web interface of ``steward serve``: server-rendered pages (Jinja2) over the same store
queries and access rules as the REST API, usable without JavaScript.

:func:`mount` adds the pages (one router per area: sign-in, portfolio, projects, cases,
account and organisation, jobs and uploads) and ``/static`` (the style sheet) to the app
built by :func:`steward.service.app.create_app`. No page needs JavaScript: charts are SVG
drawn on the server, and the jobs page refreshes itself with a ``refresh`` meta element.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the pages and their static files to ``app``."""
    from starlette.staticfiles import StaticFiles

    from steward.service.web import account, cases, dashboard, jobs, projects, signin

    for module in (signin, dashboard, projects, cases, account, jobs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
