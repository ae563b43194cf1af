"""A project's pages: overview with the newest assessment, assessment history and the diff
of two assessments, SBOMs (components, licences, quality), vulnerabilities (VEX state,
fixed versions, EPSS, KEV/EUVD) and cases.

Every read goes through the store's access-checked functions (:mod:`steward.store.portfolio`,
:meth:`steward.store.cases.CaseStore.list`); a project the viewer may not read is 404.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from steward.errors import InputError
from steward.service.web.charts import trend_chart
from steward.service.web.core import (
    PageRoute,
    Viewer,
    ctx_of,
    notice_of,
    now,
    render,
    show,
    signed_in,
)
from steward.service.web.queries import sbom_raw, trend
from steward.store import portfolio
from steward.store.access import Action, Principal

router = APIRouter(route_class=PageRoute, include_in_schema=False)

STATUS_ORDER = ("fail", "error", "needs-attestation", "accepted", "pass", "not-applicable")
STATUS_LABELS = {
    "fail": "Failing",
    "error": "Could not be checked",
    "needs-attestation": "Needs attestation",
    "accepted": "Accepted",
    "pass": "Passing",
    "not-applicable": "Not applicable",
}
SEVERITY_FILTERS = ("critical", "high", "medium", "low", "unknown")
FINDING_SORTS = {"-severity": "Severity", "-first_seen": "Newest first", "package": "Package"}


def _rights(principal: Principal, project: Any, organisation_id: int) -> dict[str, bool]:
    return {
        "upload": principal.may(Action.UPLOAD, project.id, organisation_id),
        "cases": principal.may(Action.CASES, project.id, organisation_id),
    }


def project_cases(request: Request, principal: Principal, project_id: int) -> list[Any]:
    """The project's cases the viewer may see, with their clocks (the API's case rows)."""
    from steward.service.api.cases import _cases, _ClockSource, case_row

    ctx = ctx_of(request)
    moment = now()
    stored = ctx.store.list(principal, now=moment, with_events=True, project_id=project_id)
    source = _ClockSource(_cases(ctx, principal))
    rows = [case_row(s, moment, source) for s in stored]
    far = datetime.max.replace(tzinfo=moment.tzinfo)
    rows.sort(key=lambda r: (r["next_due"] or far, r["id"]))
    return rows


_FINDING = {
    "requirement_id": "",
    "title": "",
    "level": 0,
    "must": False,
    "message": "",
    "evidence": (),
    "fix": "",
    "attested": False,
    "attestation_source": None,
    "attestation_request": None,
    "acceptance": None,
}
_EVIDENCE = {"source": "", "path": None, "line": None, "detail": "", "accepted": None}
_ACCEPTANCE = {"reason": "", "owner": "", "expires": "", "expired": False}


def _acceptance(value: Any) -> dict[str, Any] | None:
    return {**_ACCEPTANCE, **value} if isinstance(value, dict) else None


def _finding(item: dict[str, Any]) -> dict[str, Any]:
    """A stored finding with every field the page shows (documents of older Steward
    versions may lack some)."""
    out = {**_FINDING, **item}
    out["evidence"] = [
        {**_EVIDENCE, **e, "accepted": _acceptance(e.get("accepted"))}
        for e in out["evidence"] or ()
        if isinstance(e, dict)
    ]
    out["acceptance"] = _acceptance(out["acceptance"])
    return out


def _grouped(document: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    findings = [_finding(f) for f in document.get("findings") or [] if isinstance(f, dict)]
    groups = []
    for status in STATUS_ORDER:
        items = [f for f in findings if f.get("status") == status]
        if items:
            groups.append((status, STATUS_LABELS[status], items))
    return groups


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(
    project_id: int, request: Request, viewer: Annotated[Viewer, Depends(signed_in)]
) -> HTMLResponse:
    ctx = ctx_of(request)
    principal = viewer.principal
    moment = now()

    def read(session: Session) -> dict[str, Any]:
        row = portfolio.project_for(session, principal, project_id)
        info = portfolio.get_project(session, principal, project_id)
        total, history = portfolio.list_assessments(
            session, principal, project_id, limit=50, offset=0
        )
        latest = portfolio.get_assessment(session, principal, history[0]["id"]) if history else None
        _n, sboms = portfolio.list_sboms(session, principal, project_id, limit=50, offset=0)
        open_total, findings = portfolio.list_findings(
            session, principal, project_id, include_suppressed=False, limit=10
        )
        return {
            "project": info,
            "rights": _rights(principal, row, row.organisation_id),
            "history": history,
            "history_total": total,
            "latest": latest,
            "sboms": sboms,
            "vex": portfolio.list_vex(session, principal, project_id),
            "top_findings": findings,
            "open_findings": open_total,
            "trend": trend(session, principal, now=moment, project_id=project_id),
        }

    data = ctx.store.read(read)
    latest = data["latest"]
    return render(
        request,
        "project.html",
        viewer,
        title=data["project"].name,
        section="portfolio",
        notice=notice_of(request),
        groups=_grouped(latest["document"]) if latest else [],
        next_level=(latest["document"].get("next_level") if latest else None) or None,
        cases=project_cases(request, principal, project_id),
        chart=trend_chart(data["trend"], f"Trend of {data['project'].name}"),
        moment=moment,
        **data,
    )


def _finding_map(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["requirement_id"]: f for f in document.get("findings") or [] if "requirement_id" in f}


@router.get("/projects/{project_id}/diff", response_class=HTMLResponse)
def diff_page(
    project_id: int,
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    a: Annotated[int, Query(ge=1)],
    b: Annotated[int, Query(ge=1)],
) -> HTMLResponse:
    """What changed between two assessments of the project (requirement by requirement)."""

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        info = portfolio.get_project(session, principal, project_id)
        old = portfolio.get_assessment(session, principal, a)
        new = portfolio.get_assessment(session, principal, b)
        if old["project_id"] != project_id or new["project_id"] != project_id:
            raise InputError("both assessments must be of this project")
        before, after = _finding_map(old["document"]), _finding_map(new["document"])
        changes = []
        for rid in sorted(set(before) | set(after)):
            was = before.get(rid, {}).get("status")
            now_ = after.get(rid, {}).get("status")
            if was != now_:
                title = (after.get(rid) or before.get(rid) or {}).get("title", "")
                changes.append({"id": rid, "title": title, "before": was, "after": now_})
        return {
            "title": f"Changes in {info.name}",
            "project": info,
            "old": old,
            "new": new,
            "changes": changes,
            "unchanged": len(set(before) & set(after))
            - sum(1 for c in changes if c["before"] and c["after"]),
        }

    return show(request, viewer, "diff.html", load, section="portfolio")


@router.get("/projects/{project_id}/vulnerabilities", response_class=HTMLResponse)
def vulnerabilities_page(
    project_id: int,
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    severity: Annotated[str | None, Query(max_length=20)] = None,
    resolved: bool = False,
    suppressed: bool = True,
    sort: Annotated[str, Query(max_length=30)] = "-severity",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    per = 50
    if severity and severity not in SEVERITY_FILTERS:
        raise InputError(f"severity {severity!r}: expected one of {', '.join(SEVERITY_FILTERS)}")
    if sort not in FINDING_SORTS:
        raise InputError(f"sort {sort!r}: expected one of {', '.join(FINDING_SORTS)}")

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        info = portfolio.get_project(session, principal, project_id)
        total, rows = portfolio.list_findings(
            session,
            principal,
            project_id,
            include_resolved=resolved,
            include_suppressed=suppressed,
            severity=severity,
            sort=sort,
            limit=per,
            offset=(page - 1) * per,
        )
        return {
            "title": f"Vulnerabilities of {info.name}",
            "project": info,
            "total": total,
            "findings": rows,
            "pages": max(1, (total + per - 1) // per),
        }

    params = {
        "severity": severity or "",
        "resolved": "true" if resolved else "",
        "suppressed": "" if suppressed else "false",
        "sort": sort,
    }
    return show(
        request,
        viewer,
        "vulnerabilities.html",
        load,
        section="portfolio",
        params=params,
        severities=SEVERITY_FILTERS,
        sorts=FINDING_SORTS,
        page=page,
    )


def quality_of(raw_gzip: bytes, name: str, limit: int) -> dict[str, Any]:
    """``steward sbom check``'s quality report of a stored SBOM (validated first)."""
    from steward.sbom.quality import Standard, check
    from steward.sbom.read import read_sbom
    from steward.sbom.validate import validate
    from steward.service.uploads import gunzip, parse_file, sniff_suffix

    data = gunzip(raw_gzip, limit)

    def reader(path: Any) -> dict[str, Any]:
        doc = read_sbom(path)
        report: dict[str, Any] = check(doc, list(Standard), validate(path, doc)).to_dict()
        return report

    return parse_file(data, name, sniff_suffix(data), reader)


@router.get("/sboms/{sbom_id}", response_class=HTMLResponse)
def sbom_page(
    sbom_id: int,
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """An SBOM: its facts, quality against TR-03183-2 / NTIA / CISA, licences, components."""
    principal = viewer.principal
    ctx = ctx_of(request)
    per = 100

    def read(session: Session) -> tuple[dict[str, Any], Any, bytes, list[list[str]]]:
        sbom = portfolio.get_sbom(session, principal, sbom_id, limit=per, offset=(page - 1) * per)
        info = portfolio.get_project(session, principal, sbom["project_id"])
        raw, licences = sbom_raw(session, principal, sbom_id)
        return sbom, info, raw, licences

    sbom, info, raw, licences = ctx.store.read(read)
    try:
        quality: dict[str, Any] | None = quality_of(
            raw, sbom["name"], ctx.settings.max_inflated_bytes
        )
        quality_error = None
    except InputError as exc:
        quality, quality_error = None, str(exc)
    counted = Counter(item for entry in licences for item in (entry or ["(none stated)"]))
    return render(
        request,
        "sbom.html",
        viewer,
        title=f"SBOM {sbom['name']}",
        section="portfolio",
        project=info,
        sbom=sbom,
        quality=quality,
        quality_error=quality_error,
        licences=counted.most_common(30),
        page=page,
        pages=max(1, (sbom["components"] + per - 1) // per),
        params={},
    )
