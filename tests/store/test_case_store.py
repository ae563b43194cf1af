"""The case store on SQLite and PostgreSQL: append-only events, access control, atomicity,
and concurrent appends from several processes."""

from __future__ import annotations

import multiprocessing
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind, CaseState, Manufacturer
from steward.errors import ConflictError, InputError, NotFoundError
from steward.store.cases import AccessDenied, CaseStore, OrganisationProfile, Principal, Role
from steward.store.models import AuditEntry, CaseEvent

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
    assert re.fullmatch(r"STW-2026-[0-9A-HJKMNP-TV-Z]{6}", case_id)
    second = cases.new_case(
        kind=CaseKind.SEVERE_INCIDENT, title="CI runner", project="archive", now=NOW
    )
    assert second != case_id
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


def test_private_cases_only_for_security_team_and_admins(db_url: str) -> None:
    """Every case is private until published; an embargo keeps a published case private."""
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
    unpublished = admin.new_case(
        kind=CaseKind.VULNERABILITY, title="no embargo yet", project="archive", now=NOW
    )
    public = admin.new_case(kind=CaseKind.VULNERABILITY, title="public", project="archive", now=NOW)
    admin.record(public, [Draft(EventKind.CONFIRMED, {}), Draft(EventKind.PUBLISHED, {})], now=NOW)
    other = admin.new_case(kind=CaseKind.VULNERABILITY, title="elsewhere", project="other", now=NOW)
    store.add_member("vera", "default", "archive", Role.VIEWER)
    store.add_member("mona", "default", "archive", Role.MAINTAINER)
    store.add_member("sam", "default", "archive", Role.SECURITY_TEAM)
    store.add_member("paula", "default", "archive", Role.ADMIN)
    store.add_member("sam", "default", "other", Role.VIEWER)
    store.add_org_member("olga", "default", Role.ADMIN)
    store.add_org_member("otto", "default", Role.VIEWER)
    store.set_admin("site")  # a site administrator is no member of any organisation

    def visible(user: str, when: datetime = NOW) -> set[str]:
        return {c.public_id for c in store.list(store.principal(user), now=when)}

    assert visible("vera") == {public} and visible("mona") == {public}
    assert visible("otto") == {public}
    assert visible("sam") == {secret, unpublished, public}
    assert visible("paula") == {secret, unpublished, public}
    assert visible("olga") == {secret, unpublished, public, other}
    assert visible("stranger") == set() and visible("site") == set()
    for user in ("vera", "mona", "otto", "stranger", "site"):
        for hidden in (secret, unpublished, other):
            with pytest.raises(NotFoundError):  # hidden exactly like a missing case
                store.get(store.principal(user), hidden, now=NOW)
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
    # the embargo date passing does not publish a case; publishing does (and ends the embargo)
    assert visible("vera", NOW + timedelta(days=31)) == {public}
    admin.record(secret, [Draft(EventKind.CONFIRMED, {}), Draft(EventKind.PUBLISHED, {})], now=NOW)
    assert visible("vera") == {secret, public}
    # an embargo set after publication (say, a follow-up flaw) hides the case again until it
    # ends or is lifted
    admin.record(public, [Draft(EventKind.EMBARGO_SET, {"until": until})], now=NOW)
    assert visible("vera") == {secret}
    assert visible("vera", NOW + timedelta(days=31)) == {secret, public}
    admin.record(public, [Draft(EventKind.EMBARGO_LIFTED, {})], now=NOW)
    assert visible("vera") == {secret, public}


def test_reading_private_cases_is_audited(db_url: str) -> None:
    store = CaseStore(db_url)
    admin = Cases(store, Principal("root", admin=True))
    secret = admin.new_case(kind=CaseKind.VULNERABILITY, title="s", project="p", now=NOW)
    store.add_member("sam", "default", "p", Role.SECURITY_TEAM)
    store.add_member("vera", "default", "p", Role.VIEWER)
    store.get(store.principal("sam"), secret, now=NOW)
    with pytest.raises(NotFoundError):
        store.get(store.principal("vera"), secret, now=NOW)
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.target).order_by(AuditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("root", "case.create", secret),
        ("sam", "case.read", secret),
    ]
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))


def test_refused_case_creation_creates_nothing(db_url: str) -> None:
    store = CaseStore(db_url)
    store.ensure_project("acme", "widget")
    store.add_member("vera", "acme", "widget", Role.VIEWER)
    counts = _row_counts(store)
    vera = Cases(store, store.principal("vera"))
    with pytest.raises(AccessDenied):
        vera.new_case(
            kind=CaseKind.VULNERABILITY, title="t", project="widget", organisation="acme", now=NOW
        )
    with pytest.raises(NotFoundError):  # no project is created on the fly for anyone but the owner
        vera.new_case(
            kind=CaseKind.VULNERABILITY, title="t", project="new", organisation="acme", now=NOW
        )
    with pytest.raises(NotFoundError):
        vera.new_case(
            kind=CaseKind.VULNERABILITY, title="t", project="x", organisation="neworg", now=NOW
        )
    owner = Cases(store, Principal("root", admin=True))
    with pytest.raises(InputError):  # invalid input: the owner's new project is not kept either
        owner.new_case(
            kind=CaseKind.VULNERABILITY,
            title="t",
            project="fresh",
            organisation="neworg",
            now=NOW,
            drafts=[Draft(EventKind.SEVERITY_SET, {"cvss_vector": "nonsense"})],
        )
    assert _row_counts(store) == counts


def _row_counts(store: CaseStore) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: int(conn.scalar(text(f"SELECT count(*) FROM {name}")) or 0)
            for name in ("organisations", "projects", "cases", "case_events", "audit_log")
        }


def test_profile_needs_organisation_admin(db_url: str) -> None:
    store = CaseStore(db_url)
    owner = Principal("root", admin=True)
    store.ensure_project("acme", "widget")
    store.ensure_project("other", "thing")
    store.add_org_member("ada", "acme", Role.ADMIN)
    store.add_member("sam", "acme", "widget", Role.SECURITY_TEAM)
    store.add_org_member("eve", "other", Role.ADMIN)
    acme = OrganisationProfile(name="ACME GmbH", country="DE")
    store.set_profile(store.principal("ada"), "acme", acme, NOW)
    assert store.get_profile(store.principal("sam"), "acme") == acme
    # another organisation's admin neither reads nor changes it (re-routing its reports)
    assert store.get_profile(store.principal("eve"), "acme") is None
    with pytest.raises(NotFoundError):
        store.set_profile(
            store.principal("eve"), "acme", OrganisationProfile(name="x", country="FR"), NOW
        )
    with pytest.raises(AccessDenied):  # a member, but not an admin
        store.set_profile(
            store.principal("sam"), "acme", OrganisationProfile(name="x", country="FR"), NOW
        )
    assert store.get_profile(owner, "acme") == acme
    assert store.get_profile(owner, "other") is None  # no profile set yet


def test_reports_use_the_case_organisations_profile(db_url: str) -> None:
    store = CaseStore(db_url)
    owner = Cases(store, Principal("root", admin=True))
    owner.set_profile(Manufacturer(name="Default Org", country="FR"), now=NOW)
    owner.set_profile(Manufacturer(name="ACME GmbH", country="DE"), "acme", now=NOW)
    case_id = owner.new_case(
        kind=CaseKind.VULNERABILITY, title="t", project="widget", organisation="acme", now=NOW
    )
    profile = owner.profile_for_case(case_id, now=NOW)
    assert profile is not None and profile.country == "DE"
    with pytest.raises(NotFoundError):
        Cases(store, store.principal("nobody")).profile_for_case(case_id, now=NOW)


def test_shared_store_refuses_a_self_declared_user(db_url: str, tmp_path: Path) -> None:
    store = CaseStore(db_url)
    if store.backend == "postgresql":
        with pytest.raises(AccessDenied, match="--server"):
            store.local_principal("mallory")
        return
    assert store.local_principal("me").admin  # a local SQLite file is a single-user store
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (name, is_admin, disabled, password_hash) "
                "VALUES ('alice', false, false, 'argon2-hash')"
            )
        )
    with pytest.raises(AccessDenied, match="shared"):
        store.local_principal("alice")
    with pytest.raises(AccessDenied):
        Cases.open(db_url, "alice")


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


def test_private_reads_under_concurrent_writes_are_all_served_and_audited(db_url: str) -> None:
    """Reading a private case writes an audit line; with other writers committing at the same
    time, no read fails ("database is locked") and none goes unrecorded."""
    import threading

    store = CaseStore(db_url)
    admin = Cases(store, Principal("root", admin=True))
    secret = admin.new_case(kind=CaseKind.VULNERABILITY, title="s", project="p", now=NOW)
    store.add_member("sam", "default", "p", Role.SECURITY_TEAM)
    sam = store.principal("sam")
    errors: list[BaseException] = []
    reads_per_thread, readers = 25, 3
    done = threading.Event()

    def write() -> None:
        i = 0
        while not done.is_set():
            try:
                admin.record(secret, [Draft(EventKind.NOTE, {"text": f"n{i}"})], now=NOW)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                return
            i += 1

    def read() -> None:
        for _ in range(reads_per_thread):
            try:
                store.get(sam, secret, now=NOW)
                store.list(sam, now=NOW)
            except BaseException as exc:
                errors.append(exc)
                return

    writers = [threading.Thread(target=write) for _ in range(2)]
    reading = [threading.Thread(target=read) for _ in range(readers)]
    for t in writers + reading:
        t.start()
    for t in reading:
        t.join(120)
    done.set()
    for t in writers:
        t.join(120)
    assert errors == []
    with store.engine.connect() as conn:
        reads = conn.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.read")
        )
    assert reads == 2 * readers * reads_per_thread
    store.close()


def test_profiles_reports_cannot_be_filed_with_are_refused(db_url: str) -> None:
    """The profile routes reports (country) and heads them (name, e-mail, website): a
    private-use country code, a line break in the name, a non-address e-mail or a
    ``javascript:`` website is refused, and the stored profile stays as it was."""
    store = CaseStore(db_url)
    store.ensure_project("acme", "widget")
    store.add_org_member("ada", "acme", Role.ADMIN)
    ada = store.principal("ada")
    good = OrganisationProfile(
        name="ACME GmbH",
        country="DE",
        address="Hauptstr. 1\n10115 Berlin",
        contact_email="psirt@acme.example",
        website="https://acme.example/security",
    )
    store.set_profile(ada, "acme", good, NOW)
    bad = [
        {"country": "XX"},
        {"country": "QZ"},
        {"country": "D1"},
        {"name": "ACME\nContact: mailto:evil@example.org"},
        {"name": " "},
        {"contact_email": "not an address"},
        {"contact_email": "a@b.example\nBcc: x@y.example"},
        {"website": "javascript:alert(1)"},
        {"website": "https://"},
        {"address": "Hauptstr. 1\x00"},
    ]
    for change in bad:
        profile = OrganisationProfile(**{**good.__dict__, **change})
        with pytest.raises(InputError):
            store.set_profile(ada, "acme", profile, NOW)
    assert store.get_profile(ada, "acme") == good
    store.set_profile(ada, "acme", OrganisationProfile(name="ACME Inc.", country="US"), NOW)
    store.close()
