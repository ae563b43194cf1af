"""Background jobs: queue one, watch its status and progress."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from steward.errors import InputError
from steward.service.api.common import Limit, Offset
from steward.service.auth import Context, CurrentPrincipal
from steward.store import jobs, portfolio
from steward.store.access import AccessDenied, Action

router = APIRouter(tags=["jobs"])


class JobKind(StrEnum):
    ASSESS = "assess"  # assess a project from its repository URL
    REMATCH = "rematch"  # match a project's (or every) SBOM again
    IMPORT_VULNDB = "import-vulndb"  # import OSV/KEV/EUVD/EPSS files on the server


class JobIn(BaseModel):
    kind: JobKind
    project_id: int | None = None
    params: dict[str, Any] = Field(default_factory=dict)


@router.post("/jobs", status_code=202)
def create_job(body: JobIn, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """Queue a job. Project jobs need the maintainer role; importing vulnerability data
    and re-matching the whole portfolio need a site administrator."""
    now = datetime.now(UTC)
    params = dict(body.params)
    if body.kind is JobKind.IMPORT_VULNDB or body.project_id is None:
        if not (principal.site_admin and principal.allows(Action.ADMIN.scope)):
            raise AccessDenied(f"{principal.name} may not run {body.kind.value} for the server")
        if body.kind is JobKind.ASSESS:
            raise InputError("an assess job needs project_id")
        if body.kind is JobKind.IMPORT_VULNDB:
            _check_import_params(params)
        job_id = ctx.store.write(
            lambda s: jobs.enqueue(
                s, kind=body.kind.value, params=params, actor=principal.name, now=now
            )
        )
        return {"id": job_id}
    project_id = body.project_id

    def work(session: Any) -> int:
        project = portfolio.project_for(session, principal, project_id, Action.UPLOAD)
        if body.kind is JobKind.ASSESS:
            url = params.get("repository_url") or project.repository_url
            if not url:
                raise InputError("the project has no repository_url (set it, or pass one)")
            params["repository_url"] = url
            params.setdefault("revision", project.default_branch)
        return jobs.enqueue(
            session,
            kind=body.kind.value,
            params=params,
            actor=principal.name,
            now=now,
            organisation_id=project.organisation_id,
            project_id=project.id,
        )

    return {"id": ctx.store.write(work)}


def _check_import_params(params: dict[str, Any]) -> None:
    allowed = {"osv", "kev", "euvd", "epss"}
    unknown = set(params) - allowed
    if unknown or not params:
        raise InputError("import-vulndb params: osv (list of paths), kev, euvd, epss (paths)")
    osv = params.get("osv", [])
    if not isinstance(osv, list) or not all(isinstance(p, str) for p in osv):
        raise InputError("import-vulndb: osv must be a list of server paths")
    for key in ("kev", "euvd", "epss"):
        if key in params and not isinstance(params[key], str):
            raise InputError(f"import-vulndb: {key} must be a server path")


@router.get("/jobs")
def list_jobs(
    ctx: Context,
    principal: CurrentPrincipal,
    status: str | None = Query(default=None, pattern="^(queued|running|done|failed)$"),
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    return [
        j.to_dict()
        for j in ctx.store.read(
            lambda s: jobs.list_jobs(s, principal, status=status, limit=limit, offset=offset)
        )
    ]


@router.get("/jobs/{job_id}")
def get_job(job_id: int, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    return ctx.store.read(lambda s: jobs.get(s, principal, job_id)).to_dict()
