"""Listing cases costs a constant number of queries, not one (or more) per case (issue 15,
item 12: `CaseStore.list` spent about 15 ms per case), on SQLite and PostgreSQL, for the
owner and for a project member whose listing is access-checked and audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind
from steward.store.cases import CaseStore, Principal, Role

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _add(cases: Cases, count: int, start: int) -> None:
    for number in range(start, start + count):
        cases.new_case(
            kind=CaseKind.VULNERABILITY,
            title=f"Case {number}",
            project=f"project-{number % 3}",
            now=NOW,
            drafts=[
                Draft(EventKind.CONFIRMED, {}, NOW - timedelta(hours=2)),
                Draft(EventKind.EXPLOITATION_AWARE, {}, NOW - timedelta(hours=1)),
            ],
        )


def _statements(store: CaseStore, principal: Principal) -> tuple[int, int]:
    """(SQL statements run, cases returned) by one ``list`` with events."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        listed = store.list(principal, now=NOW, with_events=True)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert all(len(c.events) == 3 for c in listed)
    return len(seen), len(listed)


def test_listing_runs_the_same_queries_for_3_and_30_cases(db_url: str) -> None:
    store = CaseStore(db_url)
    owner = Principal("admin", admin=True)
    cases = Cases(store, owner)
    for project in range(3):
        store.add_member("carol", "default", f"project-{project}", Role.SECURITY_TEAM)
    member = store.principal("carol")
    _add(cases, 3, 0)
    few = {
        "owner": _statements(store, owner),
        "member": _statements(store, member),
    }
    _add(cases, 27, 3)
    many = {"owner": _statements(store, owner), "member": _statements(store, member)}
    for who in ("owner", "member"):
        assert (few[who][1], many[who][1]) == (3, 30), who
        assert many[who][0] == few[who][0], (who, few[who], many[who])
    store.close()
