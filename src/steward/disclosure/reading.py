"""Reading cases: snapshots, CRA Art. 14 clocks, what is due, the organisation's profile.

:class:`CaseReader` is the read side of :class:`steward.disclosure.cases.Cases` (which adds
writing), over any store with the read methods of :class:`steward.store.cases.CaseStore`:
that store itself (SQLAlchemy; PostgreSQL or SQLite) or, for the commands that only read a
local SQLite store, :class:`steward.store.sqlite_cases.SqliteCases` (plain ``sqlite3``, so
``steward case list`` starts without SQLAlchemy, Alembic or pydantic). :func:`open_reader`
takes that fast path when it applies and otherwise returns ``None``; the caller then opens
the full store, which migrates, refuses a shared store and names errors.

Nothing here imports SQLAlchemy or pydantic at module level; snapshots and manufacturer
profiles (pydantic models) load when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from steward.disclosure.clocks import (
    ART14_APPLIES_FROM,
    REGULATION_APPLIES_FROM,
    Clock,
    ClockStatus,
    clocks,
)
from steward.disclosure.vocabulary import CaseKind
from steward.store.location import data_dir

if TYPE_CHECKING:
    from steward.disclosure.model import CaseSnapshot, Manufacturer
    from steward.store.records import OrganisationProfile, StoredCase

DEFAULT_ORG = "default"
#: a read-only command named a store that does not exist
NO_STORE = "no case database here yet (`steward case new` creates one)"


class Steward(Protocol):
    """A profile as far as the start of the Art. 14 obligations is concerned."""

    @property
    def is_steward(self) -> bool: ...


class CaseReads(Protocol):
    """The read methods a store offers (``principal`` is the store's own principal type)."""

    def get(self, principal: Any, public_id: str, *, now: datetime) -> StoredCase: ...

    def list(
        self,
        principal: Any,
        *,
        now: datetime,
        states: Sequence[str] = (),
        kind: CaseKind | None = None,
        with_events: bool = False,
    ) -> list[StoredCase]: ...

    def get_profile(self, principal: Any, organisation: str) -> OrganisationProfile | None: ...

    def profile_for_case(
        self, principal: Any, public_id: str, *, now: datetime
    ) -> OrganisationProfile | None: ...

    def close(self) -> None: ...


def default_db() -> str:
    """The local case store: ``steward.sqlite`` in the data directory (``STEWARD_HOME``)."""
    return str(data_dir() / "steward.sqlite")


@dataclass(frozen=True)
class DueItem:
    case: StoredCase
    clock: Clock


def applies_from(profile: Steward | None) -> datetime:
    """When the Art. 14 obligations apply to this organisation (Art. 71(2), Art. 24(3)).

    A manufacturer reports from 11 September 2026; an open-source software steward reports
    under Art. 24(3), which applies with the rest of the Regulation from 11 December 2027.
    """
    return (
        REGULATION_APPLIES_FROM
        if profile is not None and profile.is_steward
        else (ART14_APPLIES_FROM)
    )


def snapshot_of(stored: StoredCase) -> CaseSnapshot:
    """The case as documents see it: its events folded (:func:`steward.disclosure.fold.fold`)."""
    from steward.disclosure.fold import CaseHead, fold

    head = CaseHead(stored.public_id, stored.kind, stored.title, stored.created_at)
    return fold(head, list(stored.events))


def _manufacturer(found: OrganisationProfile | None) -> Manufacturer | None:
    if found is None:
        return None
    from steward.disclosure.model import Manufacturer

    return Manufacturer(**asdict(found))


class CaseReader:
    """The reads of the case service over a store, acting for one principal."""

    def __init__(self, store: CaseReads, principal: Any) -> None:
        self.reads = store
        self.principal = principal

    def close(self) -> None:
        self.reads.close()

    def get(self, case_id: str, *, now: datetime) -> StoredCase:
        return self.reads.get(self.principal, case_id, now=now)

    def snapshot(self, case_id: str, *, now: datetime) -> CaseSnapshot:
        return snapshot_of(self.get(case_id, now=now))

    def clocks(self, case_id: str, *, now: datetime) -> list[Clock]:
        return self.clocks_of(self.get(case_id, now=now), now=now)

    def clocks_of(
        self, stored: StoredCase, *, now: datetime, start: datetime | None = None
    ) -> list[Clock]:
        """The clocks of a stored case, counted from when Art. 14 applies to its organisation
        (``start``, looked up from the organisation's profile when not given)."""
        if start is None:
            start = applies_from(self.profile_record(stored.organisation))
        return clocks(stored.kind, list(stored.events), now, applies_from=start)

    def list_visible(
        self, *, now: datetime, states: list[str] | None = None, kind: CaseKind | None = None
    ) -> list[StoredCase]:
        return self.reads.list(
            self.principal, now=now, states=states or (), kind=kind, with_events=True
        )

    def due(self, *, now: datetime, within: timedelta | None = None) -> list[DueItem]:
        """Running and overdue clocks across visible cases, overdue first, then soonest."""
        items = []
        starts: dict[str, datetime] = {}
        for stored in self.reads.list(self.principal, now=now, with_events=True):
            if stored.organisation not in starts:
                starts[stored.organisation] = applies_from(self.profile_record(stored.organisation))
            for clock in self.clocks_of(stored, now=now, start=starts[stored.organisation]):
                if clock.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
                    continue
                assert clock.due_at is not None
                if within is not None and clock.due_at > now + within:
                    continue
                items.append(DueItem(stored, clock))
        items.sort(key=lambda i: (i.clock.status is not ClockStatus.OVERDUE, i.clock.due_at))
        return items

    def profile_record(self, organisation: str = DEFAULT_ORG) -> OrganisationProfile | None:
        """The organisation's stored profile (a dataclass; no pydantic)."""
        return self.reads.get_profile(self.principal, organisation)

    def profile(self, organisation: str = DEFAULT_ORG) -> Manufacturer | None:
        return _manufacturer(self.profile_record(organisation))

    def profile_for_case(self, case_id: str, *, now: datetime) -> Manufacturer | None:
        """The profile of the organisation the case belongs to (used in its reports)."""
        return _manufacturer(self.reads.profile_for_case(self.principal, case_id, now=now))


def open_reader(db: str | Path | None) -> CaseReader | None:
    """The local store at ``db`` (or the default one) read with ``sqlite3``, as its owner;
    ``None`` when that fast path does not apply (see :mod:`steward.store.sqlite_cases`)."""
    from steward.errors import NotFoundError
    from steward.store.location import check_sqlite_file, is_url
    from steward.store.sqlite_cases import SqliteCases

    location = str(db) if db else default_db()
    if db is not None and not is_url(location):
        # what the full path says first about a named file (missing, a directory, not SQLite)
        try:
            check_sqlite_file(Path(location).expanduser().absolute(), create=False, write=False)
        except NotFoundError as exc:
            raise NotFoundError(NO_STORE, source=exc.source) from None
    store = SqliteCases.open(location)
    return None if store is None else CaseReader(store, None)
