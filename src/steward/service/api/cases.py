"""Cases over the API: the same domain service, state machine and Art. 14 clocks as the CLI
(``steward.disclosure``), acting for the authenticated account (the recorded author).

What a caller may not see answers 404 exactly like what does not exist: listing, counting,
the due list, single reads, events, reports and advisories all go through the store's
visibility predicate.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from steward.errors import InputError, UsageError
from steward.service.api.common import Limit, Line, Offset, page
from steward.service.auth import Context, CurrentPrincipal
from steward.store import portfolio
from steward.store.access import Action, Principal
from steward.store.cases import StoredCase

router = APIRouter(tags=["cases"])

CaseId = re.compile(r"^[A-Z]{2,10}-\d{4}-[0-9A-Z]{4,12}$")


class KindIn(StrEnum):
    VULNERABILITY = "vulnerability"
    SEVERE_INCIDENT = "severe_incident"


class EventIn(BaseModel):
    kind: str = Field(min_length=1, max_length=40)
    data: dict[str, Any] = Field(default_factory=dict)
    occurred_at: datetime | None = Field(default=None, description="With an offset; default now")


class CaseIn(BaseModel):
    title: Line = Field(min_length=1, max_length=1000)
    kind: KindIn = KindIn.VULNERABILITY
    received_at: datetime | None = None
    events: list[EventIn] = Field(default_factory=list, max_length=100)
    prefix: str = Field(default="STW", pattern=r"^[A-Z]{2,10}$")


class EventsIn(BaseModel):
    events: list[EventIn] = Field(min_length=1, max_length=100)


def _cases(ctx: Context, principal: Principal) -> Any:
    from steward.disclosure.cases import Cases

    return Cases(ctx.store, principal)


def _drafts(events: list[EventIn]) -> list[Any]:
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import parse_kind

    return [Draft(parse_kind(e.kind), e.data, e.occurred_at) for e in events]


def clock_json(clock: Any, now: datetime) -> dict[str, Any]:
    left = clock.time_left(now)
    return {
        "report": clock.report.value,
        "article": clock.article,
        "status": clock.status.value,
        "started_by": clock.started_by,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "seconds_left": int(left.total_seconds()) if left is not None else None,
        "satisfied_by": clock.satisfied_by,
        "satisfied_at": clock.satisfied_at,
        "recorded_late": clock.recorded_late,
    }


def event_json(event: Any, *, handler: bool = True) -> dict[str, Any]:
    """An event as stored; for readers outside the security team (``handler`` False) the
    reporter's private contact is left out (:func:`steward.disclosure.model.public_reporter`)."""
    return {
        "seq": event.seq,
        "kind": event.kind.value,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "actor": event.actor,
        "data": event.data if handler else _public_data(event.data),
    }


def _public_data(data: dict[str, Any]) -> dict[str, Any]:
    from steward.disclosure.model import public_reporter

    shown = dict(data)
    if isinstance(shown.get("reporter"), dict):
        shown["reporter"] = public_reporter(shown["reporter"])
    if isinstance(shown.get("data"), dict):  # a correction's replacement data
        shown["data"] = _public_data(shown["data"])
    return shown


def _handles(principal: Principal, stored: StoredCase) -> bool:
    """Whether the principal handles the case (security team, admins), rather than reading
    it because it was published."""
    return principal.may(Action.CASES, stored.project_id, stored.organisation_id)


class _ClockSource:
    """Clocks of stored cases, counted from when Art. 14 applies to each case's organisation
    (its profile, looked up once per organisation)."""

    def __init__(self, cases: Any) -> None:
        self.cases = cases
        self.starts: dict[str, datetime] = {}

    def __call__(self, stored: StoredCase, now: datetime) -> list[Any]:
        from steward.disclosure.cases import applies_from

        start = self.starts.get(stored.organisation)
        if start is None:
            start = applies_from(self.cases.profile(stored.organisation))
            self.starts[stored.organisation] = start
        result: list[Any] = self.cases.clocks_of(stored, now=now, start=start)
        return result


def case_row(stored: StoredCase, now: datetime, clock_source: Any) -> dict[str, Any]:
    from steward.disclosure.clocks import ClockStatus

    all_clocks = clock_source(stored, now)
    pending = [c for c in all_clocks if c.status in (ClockStatus.RUNNING, ClockStatus.OVERDUE)]
    nearest = min(pending, key=lambda c: c.due_at or now, default=None)
    return {
        "id": stored.public_id,
        "project": f"{stored.organisation}/{stored.project}",
        "kind": stored.kind.value,
        "state": stored.state,
        "title": stored.title,
        "private": stored.private,
        "embargo_active": stored.embargo_active,
        "embargo_until": stored.embargo_until if stored.embargo_active else None,
        "published_at": stored.published_at,
        "overdue": any(c.status is ClockStatus.OVERDUE for c in all_clocks),
        "next_due": nearest.due_at if nearest else None,
        "next_report": nearest.report.value if nearest else None,
        "created_at": stored.created_at,
        "created_by": stored.created_by,
        "updated_at": stored.updated_at,
    }


CASE_SORTS = ("created", "updated", "due", "id")


@router.get("/cases")
def list_cases(
    ctx: Context,
    principal: CurrentPrincipal,
    project_id: int | None = None,
    state: Annotated[list[str] | None, Query(max_length=20)] = None,
    kind: KindIn | None = None,
    q: str | None = Query(default=None, max_length=200),
    sort: str = Query(default="created", max_length=20),
    include_events: bool = Query(default=False, description="Add each case's timeline"),
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The cases you may see (private ones only if you handle them)."""
    from steward.disclosure.model import CaseKind

    key = sort.lstrip("-")
    if key not in CASE_SORTS:
        raise UsageError(f"sort {sort!r}: expected one of {', '.join(CASE_SORTS)}")
    now = datetime.now(UTC)
    stored = ctx.store.list(
        principal,
        now=now,
        states=state or (),
        kind=CaseKind(kind.value) if kind else None,
        with_events=True,
        project_id=project_id,
    )
    source = _ClockSource(_cases(ctx, principal))
    rows = [case_row(s, now, source) for s in stored]
    if include_events:
        for row, case in zip(rows, stored, strict=True):
            handler = _handles(principal, case)
            row["events"] = [event_json(e, handler=handler) for e in case.events]
    if q:
        needle = q.lower()
        rows = [r for r in rows if needle in r["title"].lower() or needle in r["id"].lower()]
    far = datetime.max.replace(tzinfo=UTC)
    sort_key = {
        "created": lambda r: (r["created_at"], r["id"]),
        "updated": lambda r: (r["updated_at"], r["id"]),
        "due": lambda r: (r["next_due"] or far, r["id"]),
        "id": lambda r: (r["id"],),
    }[key]
    rows.sort(key=sort_key, reverse=sort.startswith("-"))
    return page(len(rows), rows[offset : offset + limit], limit, offset)


@router.get("/cases/due")
def due(
    ctx: Context,
    principal: CurrentPrincipal,
    within_hours: int | None = Query(default=None, ge=1, le=24 * 366),
) -> list[dict[str, Any]]:
    """Running and overdue Art. 14 clocks across the cases you may see, overdue first."""
    now = datetime.now(UTC)
    items = _cases(ctx, principal).due(
        now=now, within=timedelta(hours=within_hours) if within_hours else None
    )
    return [
        {"case": i.case.public_id, "title": i.case.title, **clock_json(i.clock, now)} for i in items
    ]


@router.post("/projects/{project_id}/cases", status_code=201)
def create_case(
    project_id: int, body: CaseIn, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Open a case in a project (security team); returns its id."""
    from steward.disclosure.model import CaseKind

    now = datetime.now(UTC)
    project = ctx.store.read(lambda s: portfolio.get_project(s, principal, project_id))
    case_id = _cases(ctx, principal).new_case(
        kind=CaseKind(body.kind.value),
        title=body.title,
        project=project.slug,
        organisation=project.organisation,
        drafts=_drafts(body.events),
        received_at=body.received_at,
        prefix=body.prefix,
        now=now,
    )
    return {"id": case_id}


def _check_id(case_id: str) -> None:
    if not CaseId.fullmatch(case_id):
        from steward.errors import NotFoundError

        raise NotFoundError(f"no case {case_id[:40]!r}")


@router.get("/cases/{case_id}")
def get_case(case_id: str, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """A case: its snapshot (details, timeline) and its Art. 14 clocks."""
    from steward.disclosure.cases import snapshot_of

    _check_id(case_id)
    now = datetime.now(UTC)
    stored = ctx.store.get(principal, case_id, now=now)
    source = _ClockSource(_cases(ctx, principal))
    case = snapshot_of(stored).model_dump(mode="json")
    if not _handles(principal, stored):
        case = _public_snapshot(case)
    return {
        "case": case,
        "project": f"{stored.organisation}/{stored.project}",
        "private": stored.private,
        "clocks": [clock_json(c, now) for c in source(stored, now)],
    }


@router.get("/cases/{case_id}/events")
def list_events(case_id: str, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """A case's head and its whole timeline, as stored (the CLI's ``--server`` mode folds
    it with the same domain code as a local store)."""
    _check_id(case_id)
    now = datetime.now(UTC)
    stored = ctx.store.get(principal, case_id, now=now)
    row = case_row(stored, now, _ClockSource(_cases(ctx, principal)))
    handler = _handles(principal, stored)
    return {**row, "events": [event_json(e, handler=handler) for e in stored.events]}


def _public_snapshot(case: dict[str, Any]) -> dict[str, Any]:
    from steward.disclosure.model import public_reporter

    shown = dict(case)
    if isinstance(shown.get("reporter"), dict):
        shown["reporter"] = public_reporter(shown["reporter"])
    shown["timeline"] = [
        {**entry, "data": _public_data(entry.get("data") or {})}
        for entry in shown.get("timeline") or []
    ]
    return shown


@router.post("/cases/{case_id}/events", status_code=201)
def record_events(
    case_id: str, body: EventsIn, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Append events (all or none; the state machine decides what is allowed)."""
    _check_id(case_id)
    seqs = _cases(ctx, principal).record(case_id, _drafts(body.events), now=datetime.now(UTC))
    return {"id": case_id, "seqs": seqs}


class StageIn(StrEnum):
    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final-report"


@router.get("/cases/{case_id}/reports/{stage}", response_model=None)
def report(
    case_id: str,
    stage: StageIn,
    ctx: Context,
    principal: CurrentPrincipal,
    format: str = Query(default="json", pattern="^(json|markdown)$"),
    csirt_country: str | None = Query(default=None, pattern="^[A-Za-z]{2}$"),
) -> Any:
    """The CRA Art. 14 payload of one stage, with the organisation's profile of the case."""
    from steward.disclosure.art14.payloads import ReportStage, build_report
    from steward.disclosure.art14.render import render_markdown
    from steward.disclosure.events import ReportType

    _check_id(case_id)
    now = datetime.now(UTC)
    cases = _cases(ctx, principal)
    snapshot = cases.snapshot(case_id, now=now)
    profile = cases.profile_for_case(case_id, now=now)
    if profile is None:
        raise InputError("the case's organisation has no manufacturer profile yet")
    wanted = {
        StageIn.EARLY_WARNING: ReportType.EARLY_WARNING,
        StageIn.NOTIFICATION: ReportType.NOTIFICATION,
        StageIn.FINAL_REPORT: ReportType.FINAL_REPORT,
    }[stage]
    clock = next(c for c in cases.clocks(case_id, now=now) if c.report is wanted)
    payload = build_report(
        snapshot,
        profile,
        ReportStage(stage.value),
        generated_at=now,
        due_at=clock.due_at,
        csirt_country=csirt_country.upper() if csirt_country else None,
    )
    if format == "markdown":
        return PlainTextResponse(render_markdown(payload), media_type="text/markdown")
    return payload.model_dump(mode="json")


class AdvisoryFormat(StrEnum):
    OSV = "osv"
    CSAF = "csaf"
    CSAF_VEX = "csaf-vex"
    CVE = "cve"


@router.get("/cases/{case_id}/advisories/{advisory_format}")
def advisory(
    case_id: str,
    advisory_format: AdvisoryFormat,
    ctx: Context,
    principal: CurrentPrincipal,
    advisory_id: str | None = Query(default=None, max_length=100),
    cna_org_id: str | None = Query(default=None, max_length=100),
    cna_short_name: str | None = Query(default=None, max_length=100),
) -> dict[str, Any]:
    """An advisory of the case: OSV, CSAF 2.0 (advisory or VEX) or CVE JSON 5, each validated
    against its schema (CSAF also the mandatory tests) like ``steward case advisory``: an
    invalid one is a 400 naming the problem, never served."""
    from steward.disclosure.advisories import schemas
    from steward.disclosure.advisories.csaf import CsafProfile, build_csaf
    from steward.disclosure.advisories.csaf_validate import validate
    from steward.disclosure.advisories.cve5 import build_cve5
    from steward.disclosure.advisories.osv import build_osv

    _check_id(case_id)
    now = datetime.now(UTC)
    cases = _cases(ctx, principal)
    snapshot = cases.snapshot(case_id, now=now)
    profile = cases.profile_for_case(case_id, now=now)
    if advisory_format is AdvisoryFormat.OSV:
        record = build_osv(snapshot, profile, advisory_id=advisory_id)
        schemas.check("OSV", schemas.osv_problems(record), case_id=case_id)
        return record
    if profile is None:
        raise InputError("the case's organisation has no manufacturer profile yet")
    if advisory_format is AdvisoryFormat.CVE:
        if not cna_org_id or not cna_short_name:
            raise UsageError("a CVE record needs cna_org_id and cna_short_name")
        record = build_cve5(
            snapshot,
            profile,
            cna_org_id=cna_org_id,
            cna_short_name=cna_short_name,
            cve_id=advisory_id,
        )
        schemas.check("CVE", schemas.cve_problems(record), case_id=case_id)
        return record
    csaf_profile = (
        CsafProfile.VEX
        if advisory_format is AdvisoryFormat.CSAF_VEX
        else CsafProfile.SECURITY_ADVISORY
    )
    document = build_csaf(snapshot, profile, profile=csaf_profile, tracking_id=advisory_id, now=now)
    problems = validate(document)
    if problems:
        raise InputError(f"generated CSAF is not valid: {problems[0]}", source=case_id)
    return document
