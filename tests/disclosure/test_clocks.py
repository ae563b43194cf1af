"""CRA Art. 14 clocks at the edges: DST, leap days, month ends, late and out-of-order events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from steward.disclosure.clocks import ClockStatus, add_month, clocks
from steward.disclosure.events import Event, EventKind, ReportType, validate_data
from steward.disclosure.model import CaseKind

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def ev(
    seq: int,
    kind: EventKind,
    occurred: datetime,
    data: dict | None = None,
    recorded: datetime | None = None,
) -> Event:
    return Event(
        seq,
        kind,
        occurred.astimezone(UTC),
        (recorded or occurred).astimezone(UTC),
        "bob",
        validate_data(kind, data or {}),
    )


def by_report(kind: CaseKind, events: list[Event], now: datetime) -> dict[ReportType, object]:
    return {c.report: c for c in clocks(kind, events, now)}


def test_24h_across_the_autumn_dst_change_in_berlin() -> None:
    # 2026-10-25 03:00 CEST -> 02:00 CET: the local day has 25 hours
    aware = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    c = by_report(CaseKind.VULNERABILITY, [ev(1, EventKind.EXPLOITATION_AWARE, aware)], aware)
    early = c[ReportType.EARLY_WARNING]
    assert early.due_at - aware == timedelta(hours=24)
    assert early.due_at.astimezone(BERLIN) == datetime(2026, 10, 25, 11, 0, tzinfo=BERLIN)
    assert c[ReportType.NOTIFICATION].due_at == aware.astimezone(UTC) + timedelta(hours=72)


def test_72h_across_the_spring_dst_change_in_new_york() -> None:
    # 2026-03-08 02:00 EST -> 03:00 EDT: the local day has 23 hours
    aware = datetime(2026, 3, 7, 22, 30, tzinfo=NEW_YORK)
    c = by_report(CaseKind.VULNERABILITY, [ev(1, EventKind.EXPLOITATION_AWARE, aware)], aware)
    assert c[ReportType.NOTIFICATION].due_at.astimezone(NEW_YORK) == datetime(
        2026, 3, 10, 23, 30, tzinfo=NEW_YORK
    )
    assert (c[ReportType.NOTIFICATION].due_at - aware).total_seconds() == 72 * 3600


def test_final_report_fourteen_days_over_a_leap_day() -> None:
    aware = datetime(2028, 2, 10, 9, 0, tzinfo=UTC)
    fix = datetime(2028, 2, 20, 15, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, aware),
        ev(2, EventKind.MITIGATION_AVAILABLE, fix),
    ]
    final = by_report(CaseKind.VULNERABILITY, events, fix)[ReportType.FINAL_REPORT]
    assert final.due_at == datetime(2028, 3, 5, 15, 0, tzinfo=UTC)  # Feb 2028 has 29 days
    assert final.started_by == 2 and final.status is ClockStatus.RUNNING


def test_final_report_waits_for_a_measure_and_starts_at_awareness_if_the_fix_was_earlier() -> None:
    aware = datetime(2026, 12, 30, 23, 0, tzinfo=UTC)
    waiting = by_report(CaseKind.VULNERABILITY, [ev(1, EventKind.EXPLOITATION_AWARE, aware)], aware)
    assert waiting[ReportType.FINAL_REPORT].status is ClockStatus.NOT_STARTED
    fix_before = aware - timedelta(days=3)
    events = [
        ev(1, EventKind.MITIGATION_AVAILABLE, fix_before),
        ev(2, EventKind.EXPLOITATION_AWARE, aware),
    ]
    final = by_report(CaseKind.VULNERABILITY, events, aware)[ReportType.FINAL_REPORT]
    assert final.started_by == 2
    assert final.due_at == datetime(2027, 1, 13, 23, 0, tzinfo=UTC)  # across the year end


def test_calendar_month_clamps_to_the_end_of_the_month() -> None:
    assert add_month(datetime(2028, 1, 31, 10, tzinfo=UTC)) == datetime(2028, 2, 29, 10, tzinfo=UTC)
    assert add_month(datetime(2027, 1, 31, 10, tzinfo=UTC)) == datetime(2027, 2, 28, 10, tzinfo=UTC)
    assert add_month(datetime(2026, 12, 15, 10, tzinfo=UTC)) == datetime(
        2027, 1, 15, 10, tzinfo=UTC
    )
    assert add_month(datetime(2026, 3, 31, 10, tzinfo=UTC)) == datetime(2026, 4, 30, 10, tzinfo=UTC)


def test_severe_incident_final_report_one_month_after_the_notification() -> None:
    incident = datetime(2028, 1, 28, 6, 45, tzinfo=UTC)
    notified = datetime(2028, 1, 31, 6, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.INCIDENT_AWARE, incident, {"suspected_malicious": True}),
        ev(
            2,
            EventKind.REPORT_SUBMITTED,
            incident + timedelta(hours=20),
            {"report": "early_warning"},
        ),
        ev(3, EventKind.REPORT_SUBMITTED, notified, {"report": "notification"}),
    ]
    c = by_report(CaseKind.SEVERE_INCIDENT, events, notified + timedelta(days=1))
    assert c[ReportType.EARLY_WARNING].status is ClockStatus.MET
    assert c[ReportType.NOTIFICATION].status is ClockStatus.MET
    final = c[ReportType.FINAL_REPORT]
    assert final.due_at == datetime(2028, 2, 29, 6, 0, tzinfo=UTC)
    assert final.article == "Art. 14(4)(c)"
    before = by_report(CaseKind.SEVERE_INCIDENT, events[:2], incident + timedelta(days=1))
    assert before[ReportType.FINAL_REPORT].status is ClockStatus.NOT_STARTED


def test_event_recorded_late_is_overdue_and_flagged() -> None:
    aware = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    recorded = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # after the 24 h deadline
    events = [ev(1, EventKind.EXPLOITATION_AWARE, aware, recorded=recorded)]
    c = by_report(CaseKind.VULNERABILITY, events, recorded)
    early = c[ReportType.EARLY_WARNING]
    assert early.status is ClockStatus.OVERDUE and early.recorded_late
    assert early.time_left(recorded) == timedelta(hours=-23)
    assert c[ReportType.NOTIFICATION].status is ClockStatus.RUNNING
    assert not c[ReportType.NOTIFICATION].recorded_late


def test_out_of_order_awareness_and_late_submission() -> None:
    first = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, first + timedelta(days=1)),
        ev(2, EventKind.EXPLOITATION_AWARE, first, recorded=first + timedelta(days=2)),  # earlier
        ev(3, EventKind.REPORT_SUBMITTED, first + timedelta(hours=30), {"report": "early_warning"}),
    ]
    c = by_report(CaseKind.VULNERABILITY, events, first + timedelta(days=2))
    early = c[ReportType.EARLY_WARNING]
    assert early.started_by == 2 and early.due_at == first + timedelta(hours=24)
    assert early.status is ClockStatus.MET_LATE and early.time_left(first) is None


def test_correction_moves_the_clock() -> None:
    aware = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, aware),
        ev(
            2,
            EventKind.CORRECTION,
            aware + timedelta(hours=1),
            {"corrects": 1, "occurred_at": "2026-10-31T20:00:00+00:00"},
        ),
    ]
    early = by_report(CaseKind.VULNERABILITY, events, aware)[ReportType.EARLY_WARNING]
    assert early.due_at == datetime(2026, 11, 1, 20, 0, tzinfo=UTC)


def test_no_clock_without_exploitation() -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    c = clocks(CaseKind.VULNERABILITY, [ev(1, EventKind.RECEIVED, now)], now)
    assert all(clock.status is ClockStatus.NOT_STARTED and clock.due_at is None for clock in c)


# ------------------------------------------------------------------ issue 15, item 6


def test_a_release_starts_the_final_report_clock_like_a_mitigation() -> None:
    aware = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    release = datetime(2026, 11, 4, 16, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, aware),
        ev(2, EventKind.FIXED, release, {"versions": ["3.2.1"]}),
        ev(3, EventKind.MITIGATION_AVAILABLE, release + timedelta(days=2)),  # later: not it
    ]
    final = by_report(CaseKind.VULNERABILITY, events, release)[ReportType.FINAL_REPORT]
    assert final.started_by == 2
    assert final.due_at == datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


def test_a_report_submitted_before_awareness_does_not_meet_the_clock() -> None:
    aware = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.REPORT_SUBMITTED, aware - timedelta(hours=5), {"report": "early_warning"}),
        ev(2, EventKind.EXPLOITATION_AWARE, aware),
    ]
    early = by_report(CaseKind.VULNERABILITY, events, aware + timedelta(hours=30))[
        ReportType.EARLY_WARNING
    ]
    assert early.status is ClockStatus.OVERDUE and early.satisfied_by is None
    late = [
        *events,
        ev(3, EventKind.REPORT_SUBMITTED, aware + timedelta(hours=2), {"report": "early_warning"}),
    ]
    assert (
        by_report(CaseKind.VULNERABILITY, late, aware + timedelta(hours=30))[
            ReportType.EARLY_WARNING
        ].satisfied_by
        == 3
    )


def _incident_final(notified: datetime, zone: str | None) -> datetime:
    incident = notified - timedelta(hours=60)
    received = {"timezone": zone} if zone else {}
    events = [
        ev(1, EventKind.RECEIVED, incident - timedelta(hours=1), received),
        ev(2, EventKind.INCIDENT_AWARE, incident),
        ev(3, EventKind.REPORT_SUBMITTED, notified, {"report": "notification"}),
    ]
    due = by_report(CaseKind.SEVERE_INCIDENT, events, notified)[ReportType.FINAL_REPORT].due_at
    assert due is not None
    return due


def test_one_month_ends_on_the_same_local_date_in_the_case_time_zone() -> None:
    # notification at 00:30 on 31 March 2027 in Berlin (CEST), i.e. 30 March 22:30 UTC
    notified = datetime(2027, 3, 31, 0, 30, tzinfo=BERLIN)
    due = _incident_final(notified, "Europe/Berlin")
    assert due.astimezone(BERLIN) == datetime(2027, 4, 30, 0, 30, tzinfo=BERLIN)
    # counted in UTC (no zone recorded), the month would end on 1 May local time
    utc_due = _incident_final(notified, None)
    assert utc_due == datetime(2027, 4, 30, 22, 30, tzinfo=UTC)
    assert utc_due.astimezone(BERLIN).date().isoformat() == "2027-05-01"


def test_one_month_across_a_dst_change_keeps_the_local_wall_time() -> None:
    notified = datetime(2027, 10, 15, 9, 0, tzinfo=BERLIN)  # CEST, +02:00
    due = _incident_final(notified, "Europe/Berlin")
    assert due.astimezone(BERLIN) == datetime(2027, 11, 15, 9, 0, tzinfo=BERLIN)  # CET
    assert due == datetime(2027, 11, 15, 8, 0, tzinfo=UTC)


def test_awareness_before_art14_applies_is_not_overdue() -> None:
    aware = datetime(2026, 9, 10, 22, 0, tzinfo=UTC)  # Art. 14 applies from 11 Sep 2026
    now = datetime(2026, 11, 29, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, aware),
        ev(2, EventKind.MITIGATION_AVAILABLE, aware + timedelta(days=3)),
    ]
    c = clocks(CaseKind.VULNERABILITY, events, now)
    assert {clock.status for clock in c} == {ClockStatus.NOT_APPLICABLE}
    assert all("Art. 71(2)" in (clock.note or "") and clock.time_left(now) is None for clock in c)
    after = [ev(1, EventKind.EXPLOITATION_AWARE, aware + timedelta(hours=3))]
    assert clocks(CaseKind.VULNERABILITY, after, now)[0].status is ClockStatus.OVERDUE
    incident = [ev(1, EventKind.INCIDENT_AWARE, aware)]
    assert {c.status for c in clocks(CaseKind.SEVERE_INCIDENT, incident, now)} == {
        ClockStatus.NOT_APPLICABLE
    }


def test_a_steward_reports_from_december_2027() -> None:
    from steward.disclosure.cases import applies_from
    from steward.disclosure.clocks import ART14_APPLIES_FROM, REGULATION_APPLIES_FROM
    from steward.disclosure.model import Manufacturer

    steward = Manufacturer(name="Example Foundation", is_steward=True)
    assert applies_from(steward) == REGULATION_APPLIES_FROM
    assert applies_from(steward.model_copy(update={"is_steward": False})) == ART14_APPLIES_FROM
    aware = datetime(2026, 11, 20, tzinfo=UTC)
    events = [ev(1, EventKind.EXPLOITATION_AWARE, aware)]
    now = aware + timedelta(days=5)
    as_steward = clocks(CaseKind.VULNERABILITY, events, now, applies_from=REGULATION_APPLIES_FROM)
    assert as_steward[0].status is ClockStatus.NOT_APPLICABLE
    assert clocks(CaseKind.VULNERABILITY, events, now)[0].status is ClockStatus.OVERDUE


def test_an_intermediate_report_requested_by_the_csirt_has_a_clock() -> None:
    aware = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    due = datetime(2026, 11, 9, 17, 0, tzinfo=UTC)
    events = [
        ev(1, EventKind.EXPLOITATION_AWARE, aware),
        ev(
            2,
            EventKind.REPORT_REQUESTED,
            aware + timedelta(days=4),
            {"due": due.isoformat(), "by": "CERT-Bund"},
        ),
    ]
    now = aware + timedelta(days=5)
    inter = by_report(CaseKind.VULNERABILITY, events, now)[ReportType.INTERMEDIATE_REPORT]
    assert (inter.status, inter.due_at, inter.article) == (ClockStatus.RUNNING, due, "Art. 14(6)")
    met = [*events, ev(3, EventKind.REPORT_SUBMITTED, now, {"report": "intermediate_report"})]
    assert by_report(CaseKind.VULNERABILITY, met, now)[ReportType.INTERMEDIATE_REPORT].status is (
        ClockStatus.MET
    )


def _vulnerability_final(aware: datetime, measure: datetime, zone: str | None) -> datetime:
    received = {"timezone": zone} if zone else {}
    events = [
        ev(1, EventKind.RECEIVED, aware - timedelta(hours=1), received),
        ev(2, EventKind.EXPLOITATION_AWARE, aware),
        ev(3, EventKind.FIXED, measure, {"versions": ["1.2.3"]}),
    ]
    due = by_report(CaseKind.VULNERABILITY, events, measure)[ReportType.FINAL_REPORT].due_at
    assert due is not None
    return due


def test_fourteen_days_keep_the_local_wall_time_across_the_autumn_change() -> None:
    # the fix ships at 09:00 CEST on 20 October 2027; Berlin turns to CET on 31 October
    release = datetime(2027, 10, 20, 9, 0, tzinfo=BERLIN)
    due = _vulnerability_final(release - timedelta(days=2), release, "Europe/Berlin")
    assert due.astimezone(BERLIN) == datetime(2027, 11, 3, 9, 0, tzinfo=BERLIN)
    assert due - release == timedelta(days=14, hours=1)  # the local calendar, not 14 x 24 h
    # in spring the local fortnight is an hour shorter (New York, 8 March 2026)
    spring = datetime(2026, 2, 27, 23, 30, tzinfo=NEW_YORK)
    due = _vulnerability_final(spring - timedelta(hours=5), spring, "America/New_York")
    assert due.astimezone(NEW_YORK) == datetime(2026, 3, 13, 23, 30, tzinfo=NEW_YORK)
    assert due - spring == timedelta(days=14, hours=-1)
    # no time zone recorded: UTC, exactly 14 x 24 h
    assert _vulnerability_final(release - timedelta(days=2), release, None) == (
        release.astimezone(UTC) + timedelta(days=14)
    )


def test_fourteen_days_ending_in_a_skipped_local_hour_take_the_earlier_reading() -> None:
    # 02:30 on 28 March 2027 does not exist in Berlin (clocks go 02:00 -> 03:00)
    release = datetime(2027, 3, 14, 2, 30, tzinfo=BERLIN)
    due = _vulnerability_final(release - timedelta(days=1), release, "Europe/Berlin")
    assert due == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 CET = 02:30 read as CET
    assert due <= release.astimezone(UTC) + timedelta(days=14)


def test_art14_applies_from_11_september_in_the_case_calendar() -> None:
    # 00:30 on 11 September 2026 in Berlin is still 10 September in UTC: Art. 14 applies
    aware = datetime(2026, 9, 11, 0, 30, tzinfo=BERLIN)
    now = datetime(2026, 11, 29, tzinfo=UTC)
    events = [
        ev(1, EventKind.RECEIVED, aware - timedelta(hours=1), {"timezone": "Europe/Berlin"}),
        ev(2, EventKind.EXPLOITATION_AWARE, aware),
    ]
    assert clocks(CaseKind.VULNERABILITY, events, now)[0].status is ClockStatus.OVERDUE
    # 23:30 on 10 September in Berlin: before it, whatever the UTC date
    before = aware - timedelta(hours=1)
    events = [events[0], ev(2, EventKind.EXPLOITATION_AWARE, before)]
    first = clocks(CaseKind.VULNERABILITY, events, now)[0]
    assert first.status is ClockStatus.NOT_APPLICABLE
    assert "2026-09-10" in (first.note or "")
