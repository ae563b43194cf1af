"""Uploads of what the CLI produces: assessments, SBOMs, VEX; and the findings they yield.

A successful SBOM or VEX upload re-matches the project at once (a 10k-component SBOM within
seconds), so the answer already carries the findings' counts. A failed upload changes
nothing: it is parsed before anything is written, and written in one transaction.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from steward.errors import InputError
from steward.service.api.common import Limit, Offset, page
from steward.service.auth import Context, CurrentPrincipal
from steward.service.context import ServiceContext
from steward.service.matching import database_status, rematch_project
from steward.service.uploads import parse_file, parse_json, read_body, sniff_suffix
from steward.store import portfolio
from steward.store.access import Action, Principal

router = APIRouter(tags=["uploads"])

#: the name of an upload (its file name); for SBOMs the name that a later upload replaces
UploadName = Annotated[
    str | None, Query(max_length=300, description="Name of the upload (file name)")
]


def _check_upload_right(ctx: ServiceContext, principal: Principal, project_id: int) -> None:
    """Refuse before reading the body: 404 for hidden projects, 403 without the right."""
    ctx.store.read(lambda s: portfolio.project_for(s, principal, project_id, Action.UPLOAD))


def _assessment(data: bytes, name: str) -> tuple[portfolio.AssessmentSummary, dict[str, Any]]:
    from steward.evaluate.model import Assessment

    document = parse_json(data, name)
    try:
        assessment = Assessment.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InputError(
            f"not a `steward assess --format json` document: {where}: {first.get('msg')}",
            source=name,
        ) from None
    return portfolio.assessment_summary(assessment)


@router.post("/projects/{project_id}/assessments", status_code=201)
async def upload_assessment(
    project_id: int,
    request: Request,
    ctx: Context,
    principal: CurrentPrincipal,
    filename: UploadName = None,
) -> dict[str, Any]:
    """Store a `steward assess --format json` document (maintainers)."""
    await run_in_threadpool(_check_upload_right, ctx, principal, project_id)
    data = await read_body(request, ctx.settings)
    return await run_in_threadpool(
        store_assessment, ctx, principal, project_id, data, filename or "assessment upload"
    )


def store_assessment(
    ctx: ServiceContext, principal: Principal, project_id: int, data: bytes, name: str
) -> dict[str, Any]:
    """Parse and store an assessment upload (the API's and the upload page's path)."""
    summary, document = _assessment(data, name)
    now = datetime.now(UTC)
    assessment_id = ctx.store.write(
        lambda s: portfolio.add_assessment(s, principal, project_id, summary, document, now)
    )
    return {
        "id": assessment_id,
        "project_id": project_id,
        "level_achieved": summary.level_achieved,
        "failed": summary.failed,
    }


@router.get("/projects/{project_id}/assessments")
def list_assessments(
    project_id: int,
    ctx: Context,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, rows = ctx.store.read(
        lambda s: portfolio.list_assessments(s, principal, project_id, limit=limit, offset=offset)
    )
    return page(total, rows, limit, offset)


@router.get("/assessments/{assessment_id}")
def get_assessment(assessment_id: int, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    return ctx.store.read(lambda s: portfolio.get_assessment(s, principal, assessment_id))


def _sbom(data: bytes, name: str) -> tuple[portfolio.SbomMeta, list[portfolio.ComponentRow]]:
    """Read an SBOM; each component with the name, ecosystem and version matching uses
    (from :func:`steward.sbom.read.to_components`, the mapping ``steward vulns`` uses)."""
    from steward.sbom.read import read_sbom, to_components

    doc = parse_file(data, name, sniff_suffix(data), read_sbom)
    matchable = {(c.ref, c.purl): c for c in to_components(doc)}
    rows = []
    for item in doc.components:
        comp = matchable.get((item.ref, item.purl))
        rows.append(
            portfolio.ComponentRow(
                ref=item.ref,
                name=item.name,
                version=item.version,
                ecosystem=comp.ecosystem if comp else None,
                purl=item.purl,
                scope=item.scope,
                licenses=list(item.concluded_licenses or item.declared_licenses),
                package=comp.name if comp else None,
                match_version=comp.version if comp else None,
            )
        )
    root = doc.root
    meta = portfolio.SbomMeta(
        name=name,
        standard=doc.standard,
        spec_version=doc.spec_version,
        encoding=doc.encoding,
        root_name=root.name if root else None,
        root_version=root.version if root else None,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return meta, rows


@router.post("/projects/{project_id}/sboms", status_code=201)
async def upload_sbom(
    project_id: int,
    request: Request,
    ctx: Context,
    principal: CurrentPrincipal,
    name: UploadName = None,
) -> dict[str, Any]:
    """Store an SBOM (CycloneDX 1.2-1.7 JSON/XML, SPDX 2.x JSON/tag-value, SPDX 3.0 JSON-LD)
    and match it against the server's vulnerability database (maintainers).

    A later SBOM with the same ``name`` replaces the earlier one as the project's current
    SBOM of that name (the earlier one stays in the history).
    """
    await run_in_threadpool(_check_upload_right, ctx, principal, project_id)
    data = await read_body(request, ctx.settings)
    return await run_in_threadpool(store_sbom, ctx, principal, project_id, data, name)


def store_sbom(
    ctx: ServiceContext, principal: Principal, project_id: int, data: bytes, name: str | None
) -> dict[str, Any]:
    """Parse, store and match an SBOM upload (the API's and the upload page's path)."""
    meta, rows = _sbom(data, name or "sbom")
    if name is None and meta.root_name:
        meta = portfolio.SbomMeta(**{**meta.__dict__, "name": meta.root_name})
    raw = gzip.compress(data, compresslevel=6, mtime=0)
    now = datetime.now(UTC)
    sbom_id = ctx.store.write(
        lambda s: portfolio.add_sbom(s, principal, project_id, meta, rows, raw, now)
    )
    counts = rematch_project(ctx, project_id, now=now, uploaded=(sbom_id, rows))
    return {
        "id": sbom_id,
        "project_id": project_id,
        "name": meta.name,
        "components": len(rows),
        "findings": counts,
    }


@router.get("/projects/{project_id}/sboms")
def list_sboms(
    project_id: int,
    ctx: Context,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, rows = ctx.store.read(
        lambda s: portfolio.list_sboms(s, principal, project_id, limit=limit, offset=offset)
    )
    return page(total, rows, limit, offset)


@router.get("/sboms/{sbom_id}")
def get_sbom(
    sbom_id: int, ctx: Context, principal: CurrentPrincipal, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """An SBOM's facts and one page of its components."""
    return ctx.store.read(
        lambda s: portfolio.get_sbom(s, principal, sbom_id, limit=limit, offset=offset)
    )


@router.post("/projects/{project_id}/vex", status_code=201)
async def upload_vex(
    project_id: int,
    request: Request,
    ctx: Context,
    principal: CurrentPrincipal,
    name: UploadName = None,
) -> dict[str, Any]:
    """Store VEX statements (OpenVEX, CycloneDX VEX, CSAF VEX) and apply them (maintainers)."""
    await run_in_threadpool(_check_upload_right, ctx, principal, project_id)
    data = await read_body(request, ctx.settings)
    return await run_in_threadpool(
        store_vex, ctx, principal, project_id, data, name or "vex upload"
    )


def store_vex(
    ctx: ServiceContext, principal: Principal, project_id: int, data: bytes, label: str
) -> dict[str, Any]:
    """Parse and store a VEX upload, then match again (the API's and the upload page's path)."""
    from steward.vuln.vex_formats import load_vex

    document = parse_file(data, label, ".json", load_vex)
    raw = parse_json(data, label)
    now = datetime.now(UTC)
    vex_id = ctx.store.write(
        lambda s: portfolio.add_vex(
            s,
            principal,
            project_id,
            label,
            raw,
            format_=document.format,
            statements=len(document.statements),
            now=now,
        )
    )
    counts = rematch_project(ctx, project_id, now=now)
    return {"id": vex_id, "statements": len(document.statements), "findings": counts}


@router.get("/projects/{project_id}/vex")
def list_vex(project_id: int, ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    return ctx.store.read(lambda s: portfolio.list_vex(s, principal, project_id))


@router.get("/projects/{project_id}/vulnerabilities")
def vulnerabilities(
    project_id: int,
    ctx: Context,
    principal: CurrentPrincipal,
    severity: str | None = Query(default=None, max_length=20),
    include_resolved: bool = False,
    include_suppressed: bool = True,
    sort: str = Query(default="-severity", max_length=30),
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The project's findings from its current SBOMs, with VEX state, KEV/EUVD and EPSS,
    and when each was first seen."""
    total, rows = ctx.store.read(
        lambda s: portfolio.list_findings(
            s,
            principal,
            project_id,
            include_resolved=include_resolved,
            include_suppressed=include_suppressed,
            severity=severity,
            sort=sort,
            limit=limit,
            offset=offset,
        )
    )
    return {**page(total, rows, limit, offset), "database": database_status(ctx)}
