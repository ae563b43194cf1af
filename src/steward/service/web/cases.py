"""The cases board (Art. 14 clocks, soonest deadline first, overdue in red), a case's page
(facts, clocks, timeline), its event form, and downloads of its report payloads and
advisories.

Everything goes through the code the REST API and the CLI use: the case store's
visibility-checked reads (a case the viewer may not see is 404, worded exactly like one that
does not exist), :class:`steward.disclosure.cases.Cases` for events (the CLI's state
machine, all or nothing), and the API's report and advisory builders for downloads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from steward.errors import InputError, NotFoundError, StewardError
from steward.service.api.cases import (
    AdvisoryFormat,
    StageIn,
    _cases,
    _check_id,
    _ClockSource,
    advisory,
    case_row,
    report,
)
from steward.service.app import status_of
from steward.service.web.core import (
    PAGE_HEADERS,
    PageRoute,
    Viewer,
    checked_form,
    ctx_of,
    notice_of,
    now,
    redirect,
    render,
    signed_in,
    text_field,
)
from steward.service.web.queries import project_by_slug
from steward.store import portfolio
from steward.store.access import Action

router = APIRouter(route_class=PageRoute, include_in_schema=False)

OPEN_STATES = set(portfolio.OPEN_CASE_STATES)
#: the data field a form's free text fills, per event kind (the event models' names)
TEXT_FIELD = {
    "note": "text",
    "triaged": "note",
    "confirmed": "note",
    "embargo_lifted": "note",
    "fix_started": "note",
    "rejected": "note",
    "closed": "note",
    "reopened": "note",
    "exploitation_aware": "evidence",
    "incident_aware": "evidence",
    "mitigation_available": "description",
    "fixed": "description",
    "published": "url",
    "duplicate": "note",
}
#: event kinds that concern one product of the case: the form's product and versions fields
#: fill their ``product`` and ``versions`` (MitigationData)
PRODUCT_KINDS = ("fixed", "mitigation_available")
DOWNLOADS = {
    "osv": ("OSV", "application/json"),
    "csaf": ("CSAF 2.0 advisory", "application/json"),
    "csaf-vex": ("CSAF 2.0 VEX", "application/json"),
}


def _rows(request: Request, viewer: Viewer, project_id: int | None) -> list[dict[str, Any]]:
    ctx = ctx_of(request)
    moment = now()
    stored = ctx.store.list(viewer.principal, now=moment, with_events=True, project_id=project_id)
    source = _ClockSource(_cases(ctx, viewer.principal))
    return [case_row(s, moment, source) for s in stored]


@router.get("/cases", response_class=HTMLResponse)
def board(
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    project: Annotated[int | None, Query(ge=1)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    closed: bool = False,
) -> HTMLResponse:
    """Every case the viewer may see, soonest Art. 14 deadline first (overdue on top)."""
    moment = now()
    rows = _rows(request, viewer, project)
    if not closed:
        rows = [r for r in rows if r["state"] in OPEN_STATES]
    if q:
        needle = q.lower()
        rows = [r for r in rows if needle in r["title"].lower() or needle in r["id"].lower()]
    far = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (not r["overdue"], r["next_due"] or far, r["id"]))
    return render(
        request,
        "cases.html",
        viewer,
        title="Cases",
        section="cases",
        cases=rows,
        show_project=True,
        moment=moment,
        params={"q": q or "", "closed": "true" if closed else "", "project": project or ""},
        notice=notice_of(request),
        empty_note="to show" if not q else "match",
    )


def _allowed_kinds(stored: Any) -> list[str]:
    """Event kinds the state machine accepts next (in the order of EventKind)."""
    from steward.disclosure.cases import _check_kind
    from steward.disclosure.events import EventKind
    from steward.disclosure.fold import next_state, state_of

    state = state_of(list(stored.events))
    kinds = []
    for kind in EventKind:
        if kind in (EventKind.RECEIVED, EventKind.CORRECTION):
            continue
        try:
            _check_kind(stored.kind, kind)
            next_state(state, kind)
        except StewardError:
            continue
        kinds.append(kind.value)
    return kinds


def _case_page(
    request: Request,
    viewer: Viewer,
    case_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    from steward.disclosure.cases import snapshot_of

    _check_id(case_id)
    ctx = ctx_of(request)
    moment = now()
    stored = ctx.store.get(viewer.principal, case_id, now=moment)
    found = ctx.store.read(
        lambda s: project_by_slug(s, viewer.principal, stored.organisation, stored.project)
    )
    may_record = found is not None and viewer.principal.may(Action.CASES, found[0], found[1])
    snapshot = snapshot_of(stored)
    clocks = _ClockSource(_cases(ctx, viewer.principal))(stored, moment)
    return render(
        request,
        "case.html",
        viewer,
        status=status,
        title=f"{stored.public_id}: {stored.title}",
        section="cases",
        case=stored,
        project_id=found[0] if found else None,
        snapshot=snapshot,
        timeline=list(reversed(snapshot.timeline)),
        clocks=clocks,
        moment=moment,
        kinds=_allowed_kinds(stored) if may_record else [],
        may_record=may_record,
        error=error,
        form=form or {},
        downloads=DOWNLOADS,
        stages=[s.value for s in StageIn],
        products=[p.name for p in snapshot.products],
        product_kinds=PRODUCT_KINDS,
        notice=notice_of(request),
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    case_id: str, request: Request, viewer: Annotated[Viewer, Depends(signed_in)]
) -> HTMLResponse:
    return _case_page(request, viewer, case_id)


def _draft(form: FormData) -> Any:
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import parse_kind

    kind = parse_kind(text_field(form, "kind", limit=40, required=True))
    data: dict[str, Any] = {}
    raw = text_field(form, "data", limit=100_000)
    if raw:
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"data: not JSON ({exc})") from None
        if not isinstance(parsed, dict):
            raise InputError("data: expected a JSON object")
        data.update(parsed)
    text = text_field(form, "text", limit=10_000)
    if text:
        key = TEXT_FIELD.get(kind.value)
        if key is None:
            raise InputError(f"a {kind.value} event takes its facts in the data field (JSON)")
        data.setdefault(key, text)
    product = text_field(form, "product", limit=500)
    versions = text_field(form, "versions", limit=2_000)
    if product or versions:
        if kind.value not in PRODUCT_KINDS:
            field = "product" if product else "versions"
            raise InputError(
                f"{field}: a {kind.value} event concerns no product release "
                f"(only {' and '.join(PRODUCT_KINDS)} do)"
            )
        if product:
            data.setdefault("product", product)  # checked against the case's products
        if versions:
            data.setdefault("versions", [v for v in versions.replace(",", " ").split() if v])
    when = text_field(form, "occurred_at", limit=40)
    occurred = None
    if when:
        try:
            occurred = datetime.fromisoformat(when)
        except ValueError:
            raise InputError(f"occurred at {when!r}: expected a date and time") from None
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=UTC)  # the form asks for UTC
    return Draft(kind, data, occurred)


@router.post("/cases/{case_id}/events", response_model=None)
def record_event(
    case_id: str,
    request: Request,
    checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)],
) -> Response:
    """Record one event through the CLI's state machine (all or nothing)."""
    viewer, form = checked
    _check_id(case_id)
    ctx = ctx_of(request)
    try:
        draft = _draft(form)
        _cases(ctx, viewer.principal).record(case_id, [draft], now=now())
    except NotFoundError:
        raise
    except StewardError as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        return _case_page(
            request, viewer, case_id, status=status_of(exc), error=str(exc), form=values
        )
    return redirect(f"/cases/{case_id}#timeline", notice="event-recorded")


def _attachment(content: bytes | str, filename: str, media_type: str) -> Response:
    headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/cases/{case_id}/reports/{stage}.{suffix}", response_model=None)
def download_report(
    case_id: str,
    stage: StageIn,
    suffix: str,
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
) -> Response:
    """The Art. 14 payload of one stage, as JSON or Markdown (the API's builder)."""
    if suffix not in ("json", "md"):
        raise NotFoundError(f"no report format {suffix[:10]!r}")
    _check_id(case_id)
    ctx = ctx_of(request)
    result = report(
        case_id,
        stage,
        ctx,
        viewer.principal,
        format="markdown" if suffix == "md" else "json",
        csirt_country=None,
    )
    name = f"{case_id}-{stage.value}.{suffix}"
    if suffix == "md":
        return _attachment(bytes(result.body), name, "text/markdown; charset=utf-8")
    return _attachment(json.dumps(result, indent=2, default=str), name, "application/json")


@router.get("/cases/{case_id}/advisories/{fmt}", response_model=None)
def download_advisory(
    case_id: str,
    fmt: AdvisoryFormat,
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
) -> Response:
    """An advisory of the case: OSV, or CSAF 2.0 (validated) as advisory or VEX."""
    if fmt.value not in DOWNLOADS:
        raise NotFoundError(f"no advisory format {fmt.value!r} here (CVE records: the API)")
    _check_id(case_id)
    document = advisory(
        case_id,
        fmt,
        ctx_of(request),
        viewer.principal,
        advisory_id=None,
        cna_org_id=None,
        cna_short_name=None,
    )
    return _attachment(
        json.dumps(document, indent=2, default=str),
        f"{case_id}-{fmt.value}.json",
        "application/json",
    )
