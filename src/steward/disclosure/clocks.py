"""CRA Art. 14 deadlines derived from a case's events: pure functions of the timeline and "now".

Actively exploited vulnerability (Art. 14(2)), counted from the earliest ``exploitation_aware``:
- early warning within 24 hours;
- vulnerability notification within 72 hours;
- final report within 14 days after a corrective or mitigating measure is available (the
  earliest ``mitigation_available``; if the measure predates awareness, the clock starts at
  awareness, since nothing was reportable before it).

Severe incident (Art. 14(4)), counted from the earliest ``incident_aware``:
- early warning within 24 hours;
- incident notification within 72 hours;
- final report within one month after the incident notification was submitted
  (``report_submitted`` with ``report: notification``).

Rules for the edges:
- Time is exact UTC: 24 h is 86,400 seconds whatever daylight-saving change lies in between.
  "One month" is a calendar month in UTC, clamped to the month's last day (31 Jan → 28/29 Feb).
- Events count when they happened (``occurred_at``), not when they were recorded; an event
  recorded after its deadline had already passed is flagged ``recorded_late``.
- Out-of-order events are sorted by ``occurred_at`` (``seq`` breaks ties); a second awareness
  event does not restart a running clock (the earliest counts); corrections re-derive it.
- A clock is satisfied by the first ``report_submitted`` of its report type; one submitted
  after the due time is ``met_late``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from steward.disclosure.events import Event, EventKind, ReportType
from steward.disclosure.fold import apply_corrections, chronological
from steward.disclosure.model import CaseKind


class ClockStatus(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class Clock:
    """One reporting deadline of a case."""

    report: ReportType
    article: str
    started_by: int | None  # seq of the event that started it
    started_at: datetime | None
    due_at: datetime | None
    satisfied_by: int | None
    satisfied_at: datetime | None
    status: ClockStatus
    recorded_late: bool

    def time_left(self, now: datetime) -> timedelta | None:
        """Positive while running, negative once overdue, None when not started or met."""
        if self.due_at is None or self.status in (ClockStatus.MET, ClockStatus.MET_LATE):
            return None
        return self.due_at - now


def add_month(moment: datetime) -> datetime:
    """The same UTC time one calendar month later, clamped to the end of the month."""
    year = moment.year + (1 if moment.month == 12 else 0)
    month = 1 if moment.month == 12 else moment.month + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _first(events: list[Event], kind: EventKind, report: ReportType | None = None) -> Event | None:
    for event in events:
        if event.kind is kind and (report is None or event.data.get("report") == report.value):
            return event
    return None


def _clock(
    report: ReportType,
    article: str,
    start: Event | None,
    due_at: datetime | None,
    events: list[Event],
    now: datetime,
) -> Clock:
    submitted = _first(events, EventKind.REPORT_SUBMITTED, report)
    if start is None or due_at is None:
        status = ClockStatus.NOT_STARTED
    elif submitted is not None:
        status = ClockStatus.MET if submitted.occurred_at <= due_at else ClockStatus.MET_LATE
    else:
        status = ClockStatus.OVERDUE if now > due_at else ClockStatus.RUNNING
    recorded_late = bool(start is not None and due_at is not None and start.recorded_at > due_at)
    return Clock(
        report=report,
        article=article,
        started_by=start.seq if start else None,
        started_at=start.occurred_at if start else None,
        due_at=due_at,
        satisfied_by=submitted.seq if submitted and start else None,
        satisfied_at=submitted.occurred_at if submitted and start else None,
        status=status,
        recorded_late=recorded_late,
    )


def clocks(kind: CaseKind, events: list[Event], now: datetime) -> list[Clock]:
    """The three Art. 14 clocks of a case, in report order."""
    timeline = chronological(apply_corrections(events))
    if kind is CaseKind.VULNERABILITY:
        aware = _first(timeline, EventKind.EXPLOITATION_AWARE)
        measure = _first(timeline, EventKind.MITIGATION_AVAILABLE)
        aware_at = aware.occurred_at if aware else None
        final_start: Event | None = None
        final_due: datetime | None = None
        if aware is not None and measure is not None:
            final_start = measure if measure.occurred_at >= aware.occurred_at else aware
            final_due = final_start.occurred_at + timedelta(days=14)
        return [
            _clock(
                ReportType.EARLY_WARNING,
                "Art. 14(2)(a)",
                aware,
                aware_at + timedelta(hours=24) if aware_at else None,
                timeline,
                now,
            ),
            _clock(
                ReportType.NOTIFICATION,
                "Art. 14(2)(b)",
                aware,
                aware_at + timedelta(hours=72) if aware_at else None,
                timeline,
                now,
            ),
            _clock(ReportType.FINAL_REPORT, "Art. 14(2)(c)", final_start, final_due, timeline, now),
        ]
    incident = _first(timeline, EventKind.INCIDENT_AWARE)
    incident_at = incident.occurred_at if incident else None
    notified = _first(timeline, EventKind.REPORT_SUBMITTED, ReportType.NOTIFICATION)
    return [
        _clock(
            ReportType.EARLY_WARNING,
            "Art. 14(4)(a)",
            incident,
            incident_at + timedelta(hours=24) if incident_at else None,
            timeline,
            now,
        ),
        _clock(
            ReportType.NOTIFICATION,
            "Art. 14(4)(b)",
            incident,
            incident_at + timedelta(hours=72) if incident_at else None,
            timeline,
            now,
        ),
        _clock(
            ReportType.FINAL_REPORT,
            "Art. 14(4)(c)",
            notified if incident else None,
            add_month(notified.occurred_at) if incident and notified else None,
            timeline,
            now,
        ),
    ]


def clock_for(kind: CaseKind, events: list[Event], report: ReportType, now: datetime) -> Clock:
    return next(c for c in clocks(kind, events, now) if c.report is report)
