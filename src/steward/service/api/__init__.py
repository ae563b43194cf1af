"""The REST API, one router per resource, mounted under ``/api/v1`` by the app factory."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from steward.service.api import (
        cases,
        jobs,
        organisations,
        portfolio,
        projects,
        session,
        tokens,
        uploads,
    )

    return [
        session.router,
        tokens.router,
        organisations.router,
        projects.router,
        uploads.router,
        portfolio.router,
        cases.router,
        jobs.router,
    ]
