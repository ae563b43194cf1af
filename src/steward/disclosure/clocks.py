"""CRA Art. 14 deadlines derived from a case's events: pure functions of the timeline and "now".

Actively exploited vulnerability (Art. 14(2)), counted from the earliest ``exploitation_aware``:
- early warning within 24 hours;
- vulnerability notification within 72 hours;
- final report within 14 days (calendar days in the case's time zone, same local time) after a
  corrective or mitigating measure is available: the
  earliest ``mitigation_available`` or ``fixed`` (a release with the fix is such a measure).
  If the measure predates awareness, the clock starts at awareness, since nothing was
  reportable before it.

Severe incident (Art. 14(4)), counted from the earliest ``incident_aware``:
- early warning within 24 hours;
- incident notification within 72 hours;
- final report within one month after the incident notification was submitted
  (``report_submitted`` with ``report: notification``).

Intermediate report (Art. 14(6)): when the coordinating CSIRT requests one
(``report_requested``), due when the request says.

Rules for the edges:
- Time is exact UTC: 24 h is 86,400 seconds whatever daylight-saving change lies in between.
  "One month" ends on the same date one month later in the local calendar of the case's
  time zone (UTC when the case names none), clamped to the month's last day
  (:func:`steward.disclosure.localtime.add_month`).
- Events count when they happened (``occurred_at``), not when they were recorded; an event
  recorded after its deadline had already passed is flagged ``recorded_late``.
- Out-of-order events are sorted by ``occurred_at`` (``seq`` breaks ties); a second awareness
  event does not restart a running clock (the earliest counts); corrections re-derive it.
- A clock is satisfied by the first ``report_submitted`` of its report type that happened at
  or after the clock started (a report sent before awareness cannot report it); one
  submitted after the due time is ``met_late``.
- Art. 14 applies from 11 September 2026 (Art. 71(2)): a clock started by awareness before
  that date (in the calendar of the case's time zone: 00:30 on 11 September in Berlin is on
  that date although it is still 10 September in UTC) is ``not_applicable``, never overdue.
  For an open-source software steward the obligations of Art. 14 apply through Art. 24(3),
  and Art. 24 applies with the rest of the Regulation from 11 December 2027 (Art. 71(2));
  callers pass ``applies_from`` accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from steward.disclosure.corrections import apply_corrections, chronological
from steward.disclosure.localtime import add_days, add_month, local_date
from steward.disclosure.vocabulary import CaseKind, Event, EventKind, ReportType

#: Art. 71(2): Art. 14 applies from this date.
ART14_APPLIES_FROM = datetime(2026, 9, 11, tzinfo=UTC)
#: Art. 71(2): the rest of the Regulation, Art. 24 (stewards) included, applies from this date.
REGULATION_APPLIES_FROM = datetime(2027, 12, 11, tzinfo=UTC)


class ClockStatus(StrEnum):
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"
    RUNNING = "running"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class Clock:
    """One reporting deadline of a case. ``note`` says why a clock is not applicable."""

    report: ReportType
    article: str
    started_by: int | None  # seq of the event that started it
    started_at: datetime | None
    due_at: datetime | None
    satisfied_by: int | None
    satisfied_at: datetime | None
    status: ClockStatus
    recorded_late: bool
    note: str | None = None

    def time_left(self, now: datetime) -> timedelta | None:
        """Positive while running, negative once overdue, None when not running or overdue."""
        if self.due_at is None or self.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
            return None
        return self.due_at - now


def _first(
    events: list[Event],
    kind: EventKind,
    report: ReportType | None = None,
    after: datetime | None = None,
) -> Event | None:
    for event in events:
        if event.kind is not kind:
            continue
        if report is not None and event.data.get("report") != report.value:
            continue
        if after is not None and event.occurred_at < after:
            continue
        return event
    return None


def _clock(
    report: ReportType,
    article: str,
    start: Event | None,
    due_at: datetime | None,
    events: list[Event],
    now: datetime,
    applies_from: datetime,
    aware_at: datetime | None,
    zone: tzinfo,
) -> Clock:
    """``aware_at`` (awareness, or the request) decides whether Art. 14 applied at all: it
    applies from the date ``applies_from`` in the calendar of the case's time zone."""
    submitted = (
        _first(events, EventKind.REPORT_SUBMITTED, report, after=start.occurred_at)
        if start is not None
        else None
    )
    note = None
    start_date = applies_from.astimezone(UTC).date()
    if aware_at is not None and local_date(aware_at, zone) < start_date:
        status = ClockStatus.NOT_APPLICABLE
        note = (
            f"awareness on {local_date(aware_at, zone):%Y-%m-%d} predates the application of "
            f"the reporting obligation on {start_date:%Y-%m-%d} (Art. 71(2))"
        )
    elif start is None or due_at is None:
        status = ClockStatus.NOT_STARTED
    elif submitted is not None:
        status = ClockStatus.MET if submitted.occurred_at <= due_at else ClockStatus.MET_LATE
    else:
        status = ClockStatus.OVERDUE if now > due_at else ClockStatus.RUNNING
    recorded_late = bool(
        status is not ClockStatus.NOT_APPLICABLE
        and start is not None
        and due_at is not None
        and start.recorded_at > due_at
    )
    return Clock(
        report=report,
        article=article,
        started_by=start.seq if start else None,
        started_at=start.occurred_at if start else None,
        due_at=due_at,
        satisfied_by=submitted.seq if submitted else None,
        satisfied_at=submitted.occurred_at if submitted else None,
        status=status,
        recorded_late=recorded_late,
        note=note,
    )


def case_zone(events: list[Event]) -> tzinfo:
    """The case's time zone: the last one recorded (``received`` / ``details_set``), else UTC."""
    name: str | None = None
    for event in events:
        if event.kind in (EventKind.RECEIVED, EventKind.DETAILS_SET) and event.data.get("timezone"):
            name = str(event.data["timezone"])
    return ZoneInfo(name) if name else UTC


def _intermediate(
    timeline: list[Event], article: str, now: datetime, applies_from: datetime, zone: tzinfo
) -> list[Clock]:
    clocks = []
    for request in timeline:
        if request.kind is not EventKind.REPORT_REQUESTED:
            continue
        due = datetime.fromisoformat(str(request.data["due"]))
        clocks.append(
            _clock(
                ReportType.INTERMEDIATE_REPORT,
                article,
                request,
                due,
                timeline,
                now,
                applies_from,
                request.occurred_at,
                zone,
            )
        )
    return clocks


def clocks(
    kind: CaseKind,
    events: list[Event],
    now: datetime,
    *,
    applies_from: datetime = ART14_APPLIES_FROM,
) -> list[Clock]:
    """The Art. 14 clocks of a case, in report order (intermediate reports last)."""
    timeline = chronological(apply_corrections(events))
    zone = case_zone(timeline)
    if kind is CaseKind.VULNERABILITY:
        aware = _first(timeline, EventKind.EXPLOITATION_AWARE)
        measures = [
            e
            for e in (
                _first(timeline, EventKind.MITIGATION_AVAILABLE),
                _first(timeline, EventKind.FIXED),
            )
            if e is not None
        ]
        measure = min(measures, key=lambda e: (e.occurred_at, e.seq), default=None)
        aware_at = aware.occurred_at if aware else None
        final_start: Event | None = None
        final_due: datetime | None = None
        if aware is not None and measure is not None:
            final_start = measure if measure.occurred_at >= aware.occurred_at else aware
            final_due = add_days(final_start.occurred_at, 14, zone)
        return [
            _clock(
                ReportType.EARLY_WARNING,
                "Art. 14(2)(a)",
                aware,
                aware_at + timedelta(hours=24) if aware_at else None,
                timeline,
                now,
                applies_from,
                aware_at,
                zone,
            ),
            _clock(
                ReportType.NOTIFICATION,
                "Art. 14(2)(b)",
                aware,
                aware_at + timedelta(hours=72) if aware_at else None,
                timeline,
                now,
                applies_from,
                aware_at,
                zone,
            ),
            _clock(
                ReportType.FINAL_REPORT,
                "Art. 14(2)(c)",
                final_start,
                final_due,
                timeline,
                now,
                applies_from,
                aware_at,
                zone,
            ),
            *_intermediate(timeline, "Art. 14(6)", now, applies_from, zone),
        ]
    incident = _first(timeline, EventKind.INCIDENT_AWARE)
    incident_at = incident.occurred_at if incident else None
    notified = (
        _first(timeline, EventKind.REPORT_SUBMITTED, ReportType.NOTIFICATION, after=incident_at)
        if incident is not None
        else None
    )
    final_clock = _clock(
        ReportType.FINAL_REPORT,
        "Art. 14(4)(c)",
        notified,
        add_month(notified.occurred_at, zone) if notified else None,
        timeline,
        now,
        applies_from,
        incident_at,
        zone,
    )
    return [
        _clock(
            ReportType.EARLY_WARNING,
            "Art. 14(4)(a)",
            incident,
            incident_at + timedelta(hours=24) if incident_at else None,
            timeline,
            now,
            applies_from,
            incident_at,
            zone,
        ),
        _clock(
            ReportType.NOTIFICATION,
            "Art. 14(4)(b)",
            incident,
            incident_at + timedelta(hours=72) if incident_at else None,
            timeline,
            now,
            applies_from,
            incident_at,
            zone,
        ),
        final_clock,
        *_intermediate(timeline, "Art. 14(6)", now, applies_from, zone),
    ]


def clock_for(kind: CaseKind, events: list[Event], report: ReportType, now: datetime) -> Clock:
    return next(c for c in clocks(kind, events, now) if c.report is report)
