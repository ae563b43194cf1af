"""The case store on SQLite and PostgreSQL: append-only events, access control, atomicity,
and concurrent appends from several processes."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind, CaseState
from steward.errors import ConflictError, InputError, NotFoundError
from steward.store.cases import AccessDenied, CaseStore, Principal, Role
from steward.store.models import CaseEvent

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def admin_cases(url: str) -> Cases:
    return Cases(CaseStore(url), Principal("admin", admin=True))


def event_count(store: CaseStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(CaseEvent)) or 0)


def test_create_append_and_read_back(db_url: str) -> None:
    cases = admin_cases(db_url)
    case_id = cases.new_case(
        kind=CaseKind.VULNERABILITY,
        title="Path traversal",
        project="archive",
        now=NOW,
        drafts=[
            Draft(
                EventKind.SEVERITY_SET,
                {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H"},
            )
        ],
    )
    assert case_id == "STW-2026-0001"
    assert (
        cases.new_case(kind=CaseKind.SEVERE_INCIDENT, title="CI runner", project="archive", now=NOW)
        == "STW-2026-0002"
    )
    seqs = cases.record(
        case_id,
        [
            Draft(EventKind.CONFIRMED, {}),
            Draft(EventKind.EXPLOITATION_AWARE, {"evidence": "KEV"}, NOW - timedelta(hours=3)),
        ],
        now=NOW + timedelta(minutes=5),
    )
    assert seqs == [3, 4]
    stored = cases.get(case_id, now=NOW)
    assert stored.state == "confirmed"
    assert all(
        e.occurred_at.tzinfo is not None and e.recorded_at.tzinfo is not None for e in stored.events
    )
    snap = cases.snapshot(case_id, now=NOW)
    assert snap.aware_at == NOW - timedelta(hours=3)
    assert snap.state is CaseState.CONFIRMED
    assert [c.status.value for c in cases.clocks(case_id, now=NOW)] == [
        "running",
        "running",
        "not_started",
    ]


def test_events_cannot_be_updated_or_deleted(db_url: str) -> None:
    cases = admin_cases(db_url)
    cases.new_case(kind=CaseKind.VULNERABILITY, title="x", project="p", now=NOW)
    for statement in ("UPDATE case_events SET actor = 'mallory'", "DELETE FROM case_events"):
        with pytest.raises(DatabaseError, match="append-only"), cases.store.engine.begin() as conn:
            conn.execute(text(statement))
    assert event_count(cases.store) == 1


def test_invalid_input_writes_nothing(db_url: str) -> None:
    cases = admin_cases(db_url)
    case_id = cases.new_case(kind=CaseKind.VULNERABILITY, title="x", project="p", now=NOW)
    before = event_count(cases.store)
    with pytest.raises(InputError, match="invalid CVSS"):
        cases.record(
            case_id,
            [
                Draft(EventKind.NOTE, {"text": "ok"}),
                Draft(EventKind.SEVERITY_SET, {"cvss_vector": "CVSS:3.1/AV:N/AC:Z"}),
            ],
            now=NOW,
        )
    with pytest.raises(ConflictError, match="cannot record 'closed'"):
        cases.record(
            case_id, [Draft(EventKind.NOTE, {"text": "ok"}), Draft(EventKind.CLOSED, {})], now=NOW
        )
    with pytest.raises(InputError, match="in the future"):
        cases.record(
            case_id, [Draft(EventKind.NOTE, {"text": "x"}, NOW + timedelta(days=1))], now=NOW
        )
    with pytest.raises(InputError, match="does not exist"):
        cases.record(case_id, [Draft(EventKind.CORRECTION, {"corrects": 99})], now=NOW)
    with pytest.raises(InputError):
        cases.new_case(
            kind=CaseKind.VULNERABILITY,
            title="y",
            project="p",
            now=NOW,
            drafts=[Draft(EventKind.ALIAS_ADDED, {"alias": "bad alias"})],
        )
    assert event_count(cases.store) == before
    assert [c.public_id for c in cases.list_visible(now=NOW)] == [case_id]


def test_embargoed_cases_only_for_security_team_and_admins(db_url: str) -> None:
    store = CaseStore(db_url)
    admin = Cases(store, Principal("root", admin=True))
    until = (NOW + timedelta(days=30)).isoformat()
    secret = admin.new_case(
        kind=CaseKind.VULNERABILITY,
        title="embargoed",
        project="archive",
        now=NOW,
        drafts=[Draft(EventKind.EMBARGO_SET, {"until": until})],
    )
    public = admin.new_case(kind=CaseKind.VULNERABILITY, title="public", project="archive", now=NOW)
    other = admin.new_case(kind=CaseKind.VULNERABILITY, title="elsewhere", project="other", now=NOW)
    store.add_member("vera", "default", "archive", Role.VIEWER)
    store.add_member("mona", "default", "archive", Role.MAINTAINER)
    store.add_member("sam", "default", "archive", Role.SECURITY_TEAM)
    store.add_member("paula", "default", "archive", Role.ADMIN)
    store.add_member("sam", "default", "other", Role.VIEWER)

    def visible(user: str, when: datetime = NOW) -> set[str]:
        return {c.public_id for c in store.list(store.principal(user), now=when)}

    assert visible("vera") == {public} and visible("mona") == {public}
    assert visible("sam") == {secret, public, other}
    assert visible("paula") == {secret, public}
    assert visible("stranger") == set()
    with pytest.raises(NotFoundError):  # hidden exactly like a missing case
        store.get(store.principal("vera"), secret, now=NOW)
    with pytest.raises(NotFoundError):
        Cases(store, store.principal("mona")).record(
            secret, [Draft(EventKind.NOTE, {"text": "x"})], now=NOW
        )
    with pytest.raises(AccessDenied):  # maintainers see public cases but cannot change them
        Cases(store, store.principal("mona")).record(
            public, [Draft(EventKind.NOTE, {"text": "x"})], now=NOW
        )
    Cases(store, store.principal("sam")).record(
        secret, [Draft(EventKind.NOTE, {"text": "triage"})], now=NOW
    )
    # the embargo ends: everyone in the project sees it
    assert visible("vera", NOW + timedelta(days=31)) == {secret, public}
    # lifting it early does the same at once
    admin.record(secret, [Draft(EventKind.EMBARGO_LIFTED, {})], now=NOW)
    assert visible("vera") == {secret, public}


def _append_many(url: str, case_id: str, worker: int, count: int) -> None:
    cases = Cases(CaseStore(url, migrate=False), Principal(f"w{worker}", admin=True))
    for i in range(count):
        cases.record(
            case_id,
            [Draft(EventKind.NOTE, {"text": f"worker {worker} note {i}"})],
            now=datetime.now(UTC),
        )
    cases.store.close()


def test_concurrent_appends_lose_nothing(db_url: str) -> None:
    cases = admin_cases(db_url)
    case_id = cases.new_case(kind=CaseKind.VULNERABILITY, title="race", project="p", now=NOW)
    cases.store.close()
    workers, per_worker = 3, 40
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_append_many, args=(db_url, case_id, w, per_worker))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    stored = admin_cases(db_url).get(case_id, now=datetime.now(UTC))
    assert [e.seq for e in stored.events] == list(range(1, 1 + 1 + workers * per_worker))
    notes = {e.data["text"] for e in stored.events if e.kind is EventKind.NOTE}
    assert notes == {f"worker {w} note {i}" for w in range(workers) for i in range(per_worker)}
