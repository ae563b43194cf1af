"""The state machine and the fold of a timeline into a snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from steward.disclosure.events import Event, EventKind, validate_data
from steward.disclosure.fold import TRANSITIONS, CaseHead, fold, next_state, state_of
from steward.disclosure.model import CaseKind, CaseState, ExploitationStatus
from steward.errors import ConflictError, InputError

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
HEAD = CaseHead("STW-2026-0001", CaseKind.VULNERABILITY, "Path traversal", T0)


def ev(
    seq: int,
    kind: EventKind,
    data: dict | None = None,
    *,
    at: timedelta = timedelta(),
    recorded: timedelta | None = None,
) -> Event:
    occurred = T0 + at
    return Event(
        seq,
        kind,
        occurred,
        T0 + (recorded if recorded is not None else at),
        "alice",
        validate_data(kind, data or {}),
    )


EXPECTED = {  # (event kind, from state) -> new state; everything else with a rule is refused
    (EventKind.TRIAGED, CaseState.RECEIVED): CaseState.TRIAGED,
    (EventKind.CONFIRMED, CaseState.RECEIVED): CaseState.CONFIRMED,
    (EventKind.CONFIRMED, CaseState.TRIAGED): CaseState.CONFIRMED,
    (EventKind.FIX_STARTED, CaseState.CONFIRMED): CaseState.FIX_IN_PROGRESS,
    (EventKind.FIXED, CaseState.CONFIRMED): CaseState.FIXED,
    (EventKind.FIXED, CaseState.FIX_IN_PROGRESS): CaseState.FIXED,
    (EventKind.FIXED, CaseState.FIXED): CaseState.FIXED,  # a release per product or branch
    **{
        (EventKind.PUBLISHED, s): CaseState.PUBLISHED
        for s in (
            CaseState.CONFIRMED,
            CaseState.FIX_IN_PROGRESS,
            CaseState.FIXED,
            CaseState.PUBLISHED,
        )
    },
    **{
        (EventKind.CLOSED, s): CaseState.CLOSED
        for s in (CaseState.FIXED, CaseState.PUBLISHED, CaseState.REJECTED, CaseState.DUPLICATE)
    },
    **{
        (EventKind.REJECTED, s): CaseState.REJECTED
        for s in (CaseState.RECEIVED, CaseState.TRIAGED, CaseState.CONFIRMED)
    },
    **{
        (EventKind.DUPLICATE, s): CaseState.DUPLICATE
        for s in (CaseState.RECEIVED, CaseState.TRIAGED, CaseState.CONFIRMED)
    },
    **{
        (EventKind.REOPENED, s): CaseState.TRIAGED
        for s in (CaseState.CLOSED, CaseState.REJECTED, CaseState.DUPLICATE)
    },
}


@pytest.mark.parametrize("kind", list(EventKind))
@pytest.mark.parametrize("state", list(CaseState))
def test_transition_table_is_exhaustive(kind: EventKind, state: CaseState) -> None:
    if kind not in TRANSITIONS:
        assert next_state(state, kind) is state  # informational events never move the state
    elif (kind, state) in EXPECTED:
        assert next_state(state, kind) is EXPECTED[(kind, state)]
    else:
        with pytest.raises(ConflictError, match="cannot record"):
            next_state(state, kind)


def test_full_lifecycle_fold() -> None:
    events = [
        ev(1, EventKind.RECEIVED, {"reporter": {"name": "Jane", "channel": "GitHub PVR"}}),
        ev(2, EventKind.CONFIRMED, at=timedelta(hours=20)),
        ev(
            3,
            EventKind.PRODUCT_ADDED,
            {
                "product": {
                    "name": "example-archive",
                    "ecosystem": "PyPI",
                    "affected": ["<2.3.1"],
                    "fixed": ["2.3.1"],
                }
            },
            at=timedelta(hours=21),
        ),
        ev(
            4,
            EventKind.SEVERITY_SET,
            {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H"},
            at=timedelta(hours=21),
        ),
        ev(5, EventKind.EXPLOITATION_AWARE, {"evidence": "honeypot"}, at=timedelta(days=2)),
        ev(6, EventKind.FIX_STARTED, at=timedelta(days=2, hours=1)),
        ev(7, EventKind.MITIGATION_AVAILABLE, {"description": "2.3.1"}, at=timedelta(days=4)),
        ev(8, EventKind.FIXED, at=timedelta(days=4)),
        ev(9, EventKind.PUBLISHED, {"url": "https://example.org/adv/1"}, at=timedelta(days=5)),
        ev(10, EventKind.ALIAS_ADDED, {"alias": "CVE-2026-31415"}, at=timedelta(days=5)),
        ev(11, EventKind.CLOSED, at=timedelta(days=20)),
    ]
    snap = fold(HEAD, events)
    assert snap.state is CaseState.CLOSED
    assert snap.reporter is not None and snap.reporter.name == "Jane"
    assert snap.exploitation is ExploitationStatus.ACTIVELY_EXPLOITED
    assert snap.exploitation_evidence == ("honeypot",)
    assert snap.aware_at == T0 + timedelta(days=2)
    assert snap.mitigation_available_at == T0 + timedelta(days=4)
    assert snap.published_at == T0 + timedelta(days=5)
    assert snap.closed_at == T0 + timedelta(days=20)
    assert snap.references == ("https://example.org/adv/1",)
    assert snap.aliases == ("CVE-2026-31415",)
    assert [e.seq for e in snap.timeline] == list(range(1, 12))


def test_out_of_order_events_fold_by_occurrence() -> None:
    events = [
        ev(1, EventKind.RECEIVED),
        ev(2, EventKind.DETAILS_SET, {"impact": "later assessment"}, at=timedelta(days=3)),
        # recorded after seq 2 but happened before it: seq 2 still wins
        ev(
            3,
            EventKind.DETAILS_SET,
            {"impact": "first guess", "description": "d"},
            at=timedelta(days=1),
            recorded=timedelta(days=4),
        ),
        ev(4, EventKind.EXPLOITATION_AWARE, at=timedelta(days=2)),
        ev(5, EventKind.EXPLOITATION_AWARE, at=timedelta(hours=30), recorded=timedelta(days=5)),
    ]
    snap = fold(HEAD, events)
    assert snap.impact == "later assessment"
    assert snap.description == "d"
    assert snap.aware_at == T0 + timedelta(hours=30)  # the earliest awareness counts
    assert [e.seq for e in snap.timeline] == [1, 3, 5, 4, 2]


def test_correction_replaces_data_and_time_but_keeps_history() -> None:
    events = [
        ev(1, EventKind.RECEIVED),
        ev(
            2,
            EventKind.SEVERITY_SET,
            {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
        ),
        ev(3, EventKind.EXPLOITATION_AWARE, at=timedelta(days=2)),
        ev(
            4,
            EventKind.CORRECTION,
            {
                "corrects": 2,
                "data": {"cvss_vector": "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
            },
            at=timedelta(days=3),
        ),
        ev(
            5,
            EventKind.CORRECTION,
            {"corrects": 3, "occurred_at": "2026-10-02T09:00:00+00:00", "reason": "log timestamps"},
            at=timedelta(days=3),
        ),
    ]
    snap = fold(HEAD, events)
    assert snap.cvss_vector == "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert snap.aware_at == datetime(2026, 10, 2, 9, 0, tzinfo=UTC)
    kinds = [e.kind for e in snap.timeline]
    assert kinds.count("severity_set") == 1 and kinds.count("correction") == 2


def test_embargo_and_reopen() -> None:
    until = "2026-12-01T00:00:00Z"
    events = [
        ev(1, EventKind.RECEIVED),
        ev(2, EventKind.EMBARGO_SET, {"until": until, "parties": ["vendor"]}),
        ev(3, EventKind.REJECTED, at=timedelta(days=1)),
        ev(4, EventKind.CLOSED, at=timedelta(days=1)),
        ev(5, EventKind.REOPENED, at=timedelta(days=2)),
    ]
    snap = fold(HEAD, events)
    assert snap.embargo is not None and snap.embargo.parties == ("vendor",)
    assert snap.state is CaseState.TRIAGED and snap.closed_at is None
    assert fold(HEAD, [*events, ev(6, EventKind.EMBARGO_LIFTED)]).embargo is None
    assert state_of(events[:4]) is CaseState.CLOSED


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (EventKind.SEVERITY_SET, {"cvss_vector": "CVSS:3.1/AV:X"}, "invalid CVSS"),
        (EventKind.SEVERITY_SET, {}, "cvss_vector"),
        (EventKind.REPORT_SUBMITTED, {"report": "final"}, "report"),
        (EventKind.ALIAS_ADDED, {"alias": "not an id"}, "alias"),
        (EventKind.DETAILS_SET, {"cwes": ["79"]}, "CWE"),
        (EventKind.EMBARGO_SET, {"until": "2026-12-01T00:00:00"}, "timezone"),
        (EventKind.NOTE, {"text": "x", "extra": 1}, "extra"),
    ],
)
def test_invalid_event_data(kind: EventKind, data: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_data(kind, data)


def test_publication_ends_the_embargo() -> None:
    events = [
        ev(1, EventKind.RECEIVED),
        ev(2, EventKind.EMBARGO_SET, {"until": "2030-01-01T00:00:00+00:00"}),
        ev(3, EventKind.CONFIRMED, at=timedelta(hours=1)),
        ev(4, EventKind.PUBLISHED, {"url": "https://example.org/sa"}, at=timedelta(days=2)),
    ]
    assert fold(HEAD, events[:3]).embargo is not None
    snapshot = fold(HEAD, events)
    assert snapshot.embargo is None
    assert snapshot.references == ("https://example.org/sa",)
    renewed = [*events, ev(5, EventKind.EMBARGO_SET, {"parties": ["CSIRT"]}, at=timedelta(days=3))]
    assert fold(HEAD, renewed).embargo is not None  # a later embargo is a new one


def test_releases_member_states_and_time_zone_are_folded() -> None:
    product = {"name": "gateway", "affected": ["==3.2.0"], "member_states": ["de", "EL"]}
    events = [
        ev(1, EventKind.RECEIVED, {"timezone": "Europe/Berlin"}),
        ev(2, EventKind.PRODUCT_ADDED, {"product": product}),
        ev(3, EventKind.DETAILS_SET, {"member_states": ["NL", "de"]}),
        ev(4, EventKind.CONFIRMED, at=timedelta(hours=1)),
        ev(
            5,
            EventKind.MITIGATION_AVAILABLE,
            {"description": "disable proxy"},
            at=timedelta(days=1),
        ),
        ev(6, EventKind.FIXED, {"versions": ["3.2.1"]}, at=timedelta(days=3)),
    ]
    snapshot = fold(HEAD, events)
    assert snapshot.member_states == ("DE", "GR", "NL")
    assert snapshot.timezone == "Europe/Berlin"
    assert [(r.kind, r.versions, r.description) for r in snapshot.releases] == [
        ("mitigation_available", (), "disable proxy"),
        ("fixed", ("3.2.1",), None),
    ]
    summaries = [e.summary for e in snapshot.timeline]
    assert "versions 3.2.1" in summaries and "gateway ==3.2.0" in summaries


def test_a_refused_release_says_what_to_record_first() -> None:
    # the README's order (new, exploitation_aware, release) reached a bare state error
    with pytest.raises(ConflictError, match=r"steward case event CASE confirmed"):
        next_state(CaseState.RECEIVED, EventKind.FIXED)
    with pytest.raises(ConflictError, match=r"steward case event CASE confirmed"):
        next_state(CaseState.TRIAGED, EventKind.PUBLISHED)
