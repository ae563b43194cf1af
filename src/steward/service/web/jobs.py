"""Background jobs (queued, running, done, failed, with progress) and a project's upload
forms (assessment, SBOM, VEX).

The jobs page refreshes itself every few seconds while a job is queued or running (an HTTP
``refresh`` meta element: no script needed). Jobs are queued and uploads stored by the
API's own functions (:func:`steward.service.api.jobs.create_job`,
:mod:`steward.service.api.uploads`), so a form stores exactly what the API would.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from steward.errors import InputError, NotFoundError, StewardError
from steward.service.api.jobs import JobIn, JobKind, create_job
from steward.service.api.uploads import (
    _check_upload_right,
    store_assessment,
    store_sbom,
    store_vex,
)
from steward.service.app import status_of
from steward.service.web.core import (
    PageRoute,
    Viewer,
    checked_form,
    ctx_of,
    notice_of,
    redirect,
    show,
    signed_in,
    text_field,
)
from steward.store import jobs, portfolio
from steward.store.access import Action, Principal

router = APIRouter(route_class=PageRoute, include_in_schema=False)

UPLOADS = {
    "assessment": "Assessment (steward assess --format json)",
    "sbom": "SBOM (CycloneDX 1.2-1.7 JSON/XML, SPDX 2.x JSON/tag-value, SPDX 3.0 JSON-LD)",
    "vex": "VEX (OpenVEX, CycloneDX VEX, CSAF VEX)",
}
REFRESH_SECONDS = 3


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(
    request: Request, viewer: Annotated[Viewer, Depends(signed_in)], live: bool = True
) -> HTMLResponse:
    """The viewer's jobs, newest first; refreshes itself while one waits (``live=false``
    stops that: WCAG 2.2.1, the reader decides)."""

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        rows = jobs.list_jobs(session, principal, status=None, limit=100, offset=0)
        _n, projects = portfolio.list_projects(session, principal, limit=500)
        waiting = any(j.status in ("queued", "running") for j in rows)
        return {
            "jobs": rows,
            "names": {p.id: f"{p.organisation}/{p.slug}" for p in projects},
            "refresh": REFRESH_SECONDS if waiting and live else None,
            "waiting": waiting,
        }

    return show(
        request, viewer, "jobs.html", load, title="Jobs", section="jobs", notice=notice_of(request)
    )


@router.post("/projects/{project_id}/jobs")
def queue_job(
    project_id: int,
    request: Request,
    checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)],
) -> Response:
    """Queue an assess or re-match job for the project (maintainers)."""
    viewer, form = checked
    kind = text_field(form, "kind", limit=20, required=True)
    if kind not in (JobKind.ASSESS.value, JobKind.REMATCH.value):
        raise InputError(f"job kind {kind!r}: expected assess or rematch")
    create_job(JobIn(kind=JobKind(kind), project_id=project_id), ctx_of(request), viewer.principal)
    return redirect("/jobs", notice="job-queued")


def _upload_page(
    request: Request,
    viewer: Viewer,
    project_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    result: dict[str, Any] | None = None,
) -> HTMLResponse:

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        # 404 for a hidden project, 403 without the right to upload (the API's check)
        portfolio.project_for(session, principal, project_id, Action.UPLOAD)
        project = portfolio.get_project(session, principal, project_id)
        return {"title": f"Upload to {project.name}", "project": project}

    return show(
        request,
        viewer,
        "upload.html",
        load,
        status=status,
        section="portfolio",
        kinds=UPLOADS,
        error=error,
        result=result,
    )


@router.get("/projects/{project_id}/upload", response_class=HTMLResponse)
def upload_form(
    project_id: int, request: Request, viewer: Annotated[Viewer, Depends(signed_in)]
) -> HTMLResponse:
    return _upload_page(request, viewer, project_id)


@router.post("/projects/{project_id}/upload/{kind}", response_model=None)
async def upload(
    project_id: int,
    kind: str,
    request: Request,
    checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)],
) -> Response:
    """Store an uploaded file through the API's upload code (nothing is written if it
    does not parse)."""
    viewer, form = checked
    if kind not in UPLOADS:
        raise NotFoundError(f"no upload kind {kind[:20]!r}")
    ctx = ctx_of(request)
    await run_in_threadpool(_check_upload_right, ctx, viewer.principal, project_id)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return await run_in_threadpool(
            _upload_page, request, viewer, project_id, status=400, error="Choose a file."
        )
    data = await file.read()
    name = (text_field(form, "name", limit=300) or file.filename)[:300]
    store = {"assessment": store_assessment, "sbom": store_sbom, "vex": store_vex}[kind]
    try:
        result = await run_in_threadpool(store, ctx, viewer.principal, project_id, data, name)
    except StewardError as exc:
        if isinstance(exc, NotFoundError):
            raise
        status, message = status_of(exc), str(exc)
        return await run_in_threadpool(
            lambda: _upload_page(request, viewer, project_id, status=status, error=message)
        )
    return await run_in_threadpool(
        lambda: _upload_page(
            request, viewer, project_id, status=201, result={"kind": kind, **result}
        )
    )
