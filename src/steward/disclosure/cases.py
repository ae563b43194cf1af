"""Case handling: creating cases, recording events, reading snapshots and deadlines.

The rules of coordinated disclosure live here and in :mod:`~steward.disclosure.fold` /
:mod:`~steward.disclosure.clocks`; the store only persists and enforces access. Every event
is validated (kind, data, timezone-aware time not in the future and not before 1970, the
awareness kind that fits the case's kind, allowed state transition) before anything is
written, inside the same locked transaction that appends it. A correction obeys the same
time rule as the event it corrects: it cannot move an event into the future.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from steward.disclosure.events import (
    DATA_MODELS,
    Event,
    EventKind,
    first_error,
    one_line_title,
    parse_kind,
    purl_problem,
    validate_data,
)
from steward.disclosure.fold import CaseHead, fold, next_state, state_of
from steward.disclosure.localtime import to_utc
from steward.disclosure.model import CaseKind, CaseSnapshot, Manufacturer
from steward.disclosure.reading import DEFAULT_ORG as DEFAULT_ORG
from steward.disclosure.reading import NO_STORE, CaseReader, CaseReads, default_db
from steward.disclosure.reading import DueItem as DueItem
from steward.disclosure.reading import applies_from as applies_from
from steward.disclosure.reading import snapshot_of as snapshot_of
from steward.errors import InputError, NotFoundError
from steward.store.principals import Principal
from steward.store.records import Builder, HeadUpdate, NewEvent, OrganisationProfile

DEFAULT_PREFIX = "STW"
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Draft:
    """An event to record: kind, data, and when it happened (None = now)."""

    kind: EventKind
    data: dict[str, Any]
    occurred_at: datetime | None = None


def _check_time(moment: datetime, now: datetime, what: str = "time") -> datetime:
    value = to_utc(moment, what=what)
    if value > now + FUTURE_TOLERANCE:
        raise InputError(f"{what} {moment.isoformat()} is in the future")
    return value


_AWARENESS = {
    CaseKind.VULNERABILITY: (EventKind.EXPLOITATION_AWARE, EventKind.INCIDENT_AWARE),
    CaseKind.SEVERE_INCIDENT: (EventKind.INCIDENT_AWARE, EventKind.EXPLOITATION_AWARE),
}


def _check_kind(case_kind: CaseKind, kind: EventKind) -> None:
    right, wrong = _AWARENESS[case_kind]
    if kind is wrong:
        what = "the incident" if right is EventKind.INCIDENT_AWARE else "active exploitation"
        raise InputError(
            f"{kind.value} does not fit a {case_kind.value.replace('_', ' ')} case; record "
            f"{right.value} (awareness of {what})"
        )


def _check_release_product(new: NewEvent, snapshot: CaseSnapshot) -> None:
    """A release or mitigation names a product of the case, if it names one; a fixed
    release's versions belong to the product it names, or to the only one (otherwise the
    reports could not say what is fixed in them)."""
    if new.kind not in (EventKind.FIXED, EventKind.MITIGATION_AVAILABLE):
        return
    names = [p.name for p in snapshot.products]
    named = new.data.get("product")
    if named is not None and named not in names:
        raise InputError(
            f"{new.kind.value}: the case has no product {named!r} "
            f"(products: {', '.join(names) or 'none'})"
        )
    several = len(names) > 1
    if new.kind is EventKind.FIXED and new.data.get("versions") and named is None and several:
        raise InputError(
            "fixed: the case has several products; name the one released (--product, "
            f"or the product field of the API and the web form): {', '.join(names)}"
        )


class CaseWrites(CaseReads, Protocol):
    """What the case service needs of a store: :class:`steward.store.cases.CaseStore`
    (SQLAlchemy), or :class:`steward.store.sqlite_writes.SqliteCaseStore` (a local SQLite
    store through ``sqlite3``): the reads of :class:`~steward.disclosure.reading.CaseReads`
    and the writes below."""

    def create_case(
        self,
        principal: Principal,
        *,
        organisation: str,
        project: str,
        kind: CaseKind,
        title: str,
        prefix: str,
        now: datetime,
        builder: Builder,
    ) -> str: ...

    def append(
        self, principal: Principal, public_id: str, *, now: datetime, builder: Builder
    ) -> builtins.list[int]: ...

    def set_profile(
        self, principal: Principal, organisation: str, profile: OrganisationProfile, now: datetime
    ) -> None: ...


class Cases(CaseReader):
    """The case service over a store, acting for one principal: the reads of
    :class:`~steward.disclosure.reading.CaseReader` and the writes. The rules are checked
    here, whichever store (:class:`CaseWrites`) persists the events."""

    def __init__(self, store: CaseWrites, principal: Principal) -> None:
        super().__init__(store, principal)
        self.store = store

    @classmethod
    def open(cls, db: str | Path | None, user: str, *, create: bool = True) -> Cases:
        """Open (and migrate) the local single-user store at ``db``, acting as its owner.

        A shared store (PostgreSQL, or one served by ``steward serve``) is refused: it is
        reached through the service's API with a token, never by a self-declared name.
        ``create=False`` (commands that only read or change existing cases): a missing
        SQLite file named by ``db`` is a :class:`NotFoundError`; a missing default store
        reads as empty; nothing is created either way.
        """
        from steward.store.cases import CaseStore

        location = str(db) if db else default_db()
        if db is None and not create and "://" not in location and not Path(location).exists():
            location = "sqlite://"  # no store yet at the default place: an empty one in memory
        try:
            store = CaseStore(location, create=create)
        except NotFoundError as exc:
            raise NotFoundError(NO_STORE, source=exc.source) from None
        try:
            return cls(store, store.local_principal(user))
        except Exception:
            store.close()
            raise

    @classmethod
    def open_local(cls, db: str | Path | None, user: str, *, create: bool = True) -> Cases | None:
        """:meth:`open` through plain ``sqlite3`` when ``db`` (or the default store) is an
        existing local SQLite store at the newest schema that is not shared
        (:mod:`steward.store.sqlite_writes`); ``None`` otherwise, and the caller then uses
        :meth:`open`, which migrates, refuses or names the problem. A missing SQLite file
        (``create=True``) is created here, its schema from the checked-in script
        (:mod:`steward.store.sqlite_schema`; the store's ``creation_note`` says so).

        The checks :meth:`open` makes first about a named file (a directory, not SQLite,
        read-only, missing) raise the same errors here.
        """
        from steward.store.location import check_sqlite_file, is_url
        from steward.store.sqlite_writes import SqliteCaseStore

        location = str(db) if db else default_db()
        if is_url(location) or any(c in location for c in "?#%"):
            return None  # a URL, or a path SQLAlchemy would read as one: the full path
        if db is None and not create and not Path(location).exists():
            return None  # the full path reads "no store yet" as an empty store
        try:
            exists = check_sqlite_file(
                Path(location).expanduser().absolute(), create=create, write=create
            )
        except NotFoundError as exc:
            raise NotFoundError(NO_STORE, source=exc.source) from None
        created = False
        if not exists:  # a new store: its schema from the checked-in script, not Alembic
            import sqlite3

            from steward.store.sqlite_schema import create as create_schema

            try:
                created = create_schema(Path(location).expanduser().absolute())
            except (OSError, sqlite3.Error):
                return None  # the full path tries again and names the problem
        store = SqliteCaseStore.open_writer(location)
        if store is None:
            return None
        store.created = created
        return cls(store, Principal(name=user, admin=True))

    # ----------------------------------------------------------------- building

    def _builder(
        self, kind: CaseKind, title: str, drafts: list[Draft], actor: str, now: datetime
    ) -> Builder:
        validated = []
        for draft in drafts:
            _check_kind(kind, draft.kind)
            data = validate_data(draft.kind, draft.data)
            occurred = _check_time(draft.occurred_at or now, now)
            if draft.kind is EventKind.CORRECTION and data.get("occurred_at"):
                _check_time(datetime.fromisoformat(data["occurred_at"]), now, "corrected time")
            if draft.kind is EventKind.REPORT_REQUESTED:
                due = datetime.fromisoformat(data["due"])
                if due <= occurred:
                    raise InputError(
                        f"report_requested: due {due.isoformat()} is not after the request "
                        f"({occurred.isoformat()})"
                    )
            validated.append(
                NewEvent(kind=draft.kind, occurred_at=occurred, actor=actor, data=data)
            )

        def build(existing: list[Event]) -> tuple[list[NewEvent], HeadUpdate]:
            state = state_of(existing)
            seq = max((e.seq for e in existing), default=0)
            pending: list[Event] = []
            for new in validated:
                seq += 1
                if new.kind is EventKind.CORRECTION:
                    self._check_correction(new, existing + pending)
                state = next_state(state, new.kind)
                pending.append(Event(seq, new.kind, new.occurred_at, now, new.actor, new.data))
            snapshot = fold(CaseHead("(new)", kind, title, now), existing + pending)
            for new in validated:
                _check_release_product(new, snapshot)
            embargo = snapshot.embargo
            return validated, HeadUpdate(
                state=state.value,
                embargo_active=embargo is not None,
                embargo_until=embargo.until if embargo else None,
                title=snapshot.title if snapshot.title != title else None,
                published_at=snapshot.published_at,
            )

        return build

    @staticmethod
    def _check_correction(new: NewEvent, events: list[Event]) -> None:
        target_seq = new.data["corrects"]
        target = next((e for e in events if e.seq == target_seq), None)
        if target is None:
            raise InputError(f"correction names event {target_seq}, which does not exist")
        if new.data.get("data"):
            try:
                replacement = DATA_MODELS[target.kind].model_validate(new.data["data"])
            except ValidationError as exc:
                raise InputError(
                    f"correction of event {target_seq} ({target.kind.value}): "
                    + first_error(exc, target.kind.value)
                ) from None
            problem = purl_problem(replacement)
            if problem:
                raise InputError(
                    f"correction of event {target_seq} ({target.kind.value}): {problem}"
                )

    # ----------------------------------------------------------------- commands

    def new_case(
        self,
        *,
        kind: CaseKind,
        title: str,
        project: str,
        organisation: str = DEFAULT_ORG,
        drafts: list[Draft] | None = None,
        received_at: datetime | None = None,
        prefix: str = DEFAULT_PREFIX,
        now: datetime,
    ) -> str:
        """Create a case: a ``received`` event (at ``received_at``) plus any further drafts."""
        if not title.strip():
            raise InputError("a case needs a title")
        if not one_line_title(title):
            raise InputError("a case title is one line without control characters")
        all_drafts = list(drafts or [])
        if not any(d.kind is EventKind.RECEIVED for d in all_drafts):
            all_drafts.insert(0, Draft(EventKind.RECEIVED, {}, received_at))
        builder = self._builder(kind, title, all_drafts, self.principal.name, now)
        return self.store.create_case(
            self.principal,
            organisation=organisation,
            project=project,
            kind=kind,
            title=title,
            prefix=prefix,
            now=now,
            builder=builder,
        )

    def record(
        self, case_id: str, drafts: list[Draft], *, now: datetime, actor: str | None = None
    ) -> list[int]:
        """Append events to a case (all or none); returns their sequence numbers."""
        stored = self.store.get(self.principal, case_id, now=now)
        builder = self._builder(
            stored.kind, stored.title, drafts, actor or self.principal.name, now
        )
        return self.store.append(self.principal, case_id, now=now, builder=builder)

    def record_kind(
        self,
        case_id: str,
        kind: str,
        data: dict[str, Any],
        *,
        occurred_at: datetime | None,
        now: datetime,
    ) -> list[int]:
        return self.record(case_id, [Draft(parse_kind(kind), data, occurred_at)], now=now)

    def set_profile(
        self, profile: Manufacturer, organisation: str = DEFAULT_ORG, *, now: datetime | None = None
    ) -> None:
        self.store.set_profile(
            self.principal,
            organisation,
            OrganisationProfile(**profile.model_dump()),
            now or datetime.now(UTC),
        )
