"""The portfolio dashboard (``/``) and the gaps heat map (``/gaps``).

The table is one page of :func:`steward.store.portfolio.summary` (the API's summary: the
same filters, allow-listed sorts and access predicate), with each row's level progress,
exploitation lists (KEV, EUVD) and nearest Art. 14 deadline among the cases the viewer may
see (:meth:`steward.disclosure.cases.Cases.due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

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
from steward.service.web.queries import exploited_lists, heat_map, level_progress, trend
from steward.store import portfolio
from steward.store.access import Principal

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZES = (25, 50, 100, 200)
#: table columns that sort (the store's allow-list), with their labels
SORTABLE = {
    "name": "Project",
    "level": "Level",
    "failing": "Failing",
    "critical": "Critical",
    "high": "High",
    "exploited": "Exploited",
    "assessed_at": "Assessed",
}


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    report: str
    overdue: bool
    case: str


def deadlines(request: Request, principal: Principal, moment: datetime) -> dict[str, Deadline]:
    """ "org/slug" -> the nearest running or overdue Art. 14 clock of the cases it may see."""
    from steward.disclosure.cases import Cases
    from steward.disclosure.clocks import ClockStatus

    out: dict[str, Deadline] = {}
    for item in Cases(ctx_of(request).store, principal).due(now=moment):
        key = f"{item.case.organisation}/{item.case.project}"
        if key in out or item.clock.due_at is None:
            continue
        out[key] = Deadline(
            item.clock.due_at,
            item.clock.report.value.replace("_", " "),
            item.clock.status is ClockStatus.OVERDUE,
            item.case.public_id,
        )
    return out


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    org: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str, Query(max_length=30)] = "name",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per: Annotated[int, Query(ge=1, le=200)] = 50,
) -> HTMLResponse:
    ctx = ctx_of(request)
    principal = viewer.principal
    moment = now()
    per = per if per in PAGE_SIZES else 50
    offset = (page - 1) * per

    def read(session: Session) -> dict[str, Any]:
        result = portfolio.summary(
            session,
            principal,
            now=moment,
            organisation=org or None,
            q=q or None,
            sort=sort,
            limit=per,
            offset=offset,
        )
        ids = [r.project.id for r in result.rows]
        return {
            "summary": result,
            "progress": level_progress(session, ids),
            "lists": exploited_lists(session, ids),
            "orgs": portfolio.organisations(session, principal),
            "trend": trend(session, principal, now=moment),
        }

    data = ctx.store.read(read)
    result = data["summary"]
    pages = max(1, (result.total + per - 1) // per)
    params = {"q": q or "", "org": org or "", "sort": sort, "per": per}
    return render(
        request,
        "dashboard.html",
        viewer,
        title="Portfolio",
        section="portfolio",
        notice=notice_of(request),
        summary=result,
        progress=data["progress"],
        lists=data["lists"],
        orgs=data["orgs"],
        deadlines=deadlines(request, principal, moment),
        chart=trend_chart(data["trend"], "Open vulnerabilities and failing requirements, weekly"),
        params=params,
        sortable=SORTABLE,
        page=page,
        pages=pages,
        per_options=PAGE_SIZES,
        moment=moment,
    )


@router.get("/gaps", response_class=HTMLResponse)
def gaps(
    request: Request,
    viewer: Annotated[Viewer, Depends(signed_in)],
    org: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Requirements x projects: which gaps are common across the portfolio."""
    per = 40

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        heat = heat_map(session, principal, limit=per, offset=(page - 1) * per, org=org)
        return {
            "heat": heat,
            "orgs": portfolio.organisations(session, principal),
            "pages": max(1, (heat.assessed + per - 1) // per),
        }

    return show(
        request,
        viewer,
        "gaps.html",
        load,
        title="Gaps across the portfolio",
        section="gaps",
        params={"org": org or ""},
        page=page,
    )
