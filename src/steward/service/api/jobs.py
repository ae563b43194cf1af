"""Background jobs: queue one, watch its status and progress."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from steward.errors import InputError
from steward.service.api.common import Limit, Offset, page
from steward.service.auth import Context, CurrentPrincipal
from steward.service.jobs import check_clone_url
from steward.store import jobs, portfolio
from steward.store.access import AccessDenied, Action

REVISION = re.compile(r"[A-Za-z0-9._/-]{1,200}")

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
            _check_assess_params(params)
            url = params.get("repository_url") or project.repository_url
            if not url:
                raise InputError("the project has no repository_url (set it, or pass one)")
            check_clone_url(str(url), allow_local=ctx.settings.allow_local_git)
            params["repository_url"] = url
            revision = params.get("revision") or project.default_branch
            if revision:
                _check_revision(revision)
                params["revision"] = revision
        elif params:
            raise InputError(f"a {body.kind.value} job of a project takes no params")
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


def _check_assess_params(params: dict[str, Any]) -> None:
    unknown = set(params) - {"repository_url", "revision"}
    if unknown:
        raise InputError(
            f"assess params: unknown {', '.join(sorted(unknown))} (repository_url, revision)"
        )
    for key in ("repository_url", "revision"):
        if key in params and not isinstance(params[key], str):
            raise InputError(f"assess params: {key} must be a string")


def _check_revision(revision: str) -> None:
    if not REVISION.fullmatch(revision) or revision.startswith("-") or ".." in revision:
        raise InputError(f"revision {revision[:100]!r}: expected a branch or tag name")


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
    project_id: int | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The jobs you may see, newest first: those of projects you read; site administrators
    also see the server's own (imports, re-matching every project). ``total`` counts all
    that match, for paging."""

    def work(session: Any) -> tuple[int, list[jobs.JobInfo]]:
        return jobs.count_jobs(
            session, principal, status=status, project_id=project_id
        ), jobs.list_jobs(
            session, principal, status=status, limit=limit, offset=offset, project_id=project_id
        )

    total, rows = ctx.store.read(work)
    return page(total, [j.to_dict() for j in rows], limit, offset)


@router.get("/jobs/{job_id}")
def get_job(job_id: int, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """One job: status (queued, running, done, failed), progress, message and result."""
    return ctx.store.read(lambda s: jobs.get(s, principal, job_id)).to_dict()
