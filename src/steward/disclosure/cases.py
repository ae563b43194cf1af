"""Case handling: creating cases, recording events, reading snapshots and deadlines.

The rules of coordinated disclosure live here and in :mod:`~steward.disclosure.fold` /
:mod:`~steward.disclosure.clocks`; the store only persists and enforces access. Every event
is validated (kind, data, timezone-aware time not in the future and not before 1970, the
awareness kind that fits the case's kind, allowed state transition) before anything is
written, inside the same locked transaction that appends it. A correction obeys the same
time rule as the event it corrects: it cannot move an event into the future.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from steward.disclosure.clocks import (
    ART14_APPLIES_FROM,
    REGULATION_APPLIES_FROM,
    Clock,
    ClockStatus,
    clocks,
)
from steward.disclosure.events import (
    DATA_MODELS,
    Event,
    EventKind,
    one_line_title,
    parse_kind,
    validate_data,
)
from steward.disclosure.fold import CaseHead, fold, next_state, state_of
from steward.disclosure.localtime import to_utc
from steward.disclosure.model import CaseKind, CaseSnapshot, Manufacturer
from steward.errors import InputError, NotFoundError
from steward.store.cases import (
    CaseStore,
    HeadUpdate,
    NewEvent,
    OrganisationProfile,
    Principal,
    StoredCase,
)
from steward.store.engine import data_dir

DEFAULT_ORG = "default"
DEFAULT_PREFIX = "STW"
FUTURE_TOLERANCE = timedelta(minutes=5)


def default_db() -> str:
    return str(data_dir() / "steward.sqlite")


@dataclass(frozen=True)
class Draft:
    """An event to record: kind, data, and when it happened (None = now)."""

    kind: EventKind
    data: dict[str, Any]
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class DueItem:
    case: StoredCase
    clock: Clock


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
    """A fixed release's versions must belong to a product of the case: the one it names,
    or the only one (otherwise the reports could not say what is fixed in them)."""
    if new.kind is not EventKind.FIXED or not new.data.get("versions"):
        return
    names = [p.name for p in snapshot.products]
    named = new.data.get("product")
    if named is not None and named not in names:
        raise InputError(
            f"fixed: the case has no product {named!r} (products: {', '.join(names) or 'none'})"
        )
    if named is None and len(names) > 1:
        raise InputError(
            "fixed: the case has several products; name the one released with --product "
            f"({', '.join(names)})"
        )


def applies_from(profile: Manufacturer | None) -> datetime:
    """When the Art. 14 obligations apply to this organisation (Art. 71(2), Art. 24(3)).

    A manufacturer reports from 11 September 2026; an open-source software steward reports
    under Art. 24(3), which applies with the rest of the Regulation from 11 December 2027.
    """
    return (
        REGULATION_APPLIES_FROM
        if profile is not None and profile.is_steward
        else (ART14_APPLIES_FROM)
    )


class Cases:
    """The case service over a :class:`CaseStore`, acting for one principal."""

    def __init__(self, store: CaseStore, principal: Principal) -> None:
        self.store = store
        self.principal = principal

    @classmethod
    def open(cls, db: str | Path | None, user: str, *, create: bool = True) -> Cases:
        """Open (and migrate) the local single-user store at ``db``, acting as its owner.

        A shared store (PostgreSQL, or one served by ``steward serve``) is refused: it is
        reached through the service's API with a token, never by a self-declared name.
        ``create=False`` (commands that only read or change existing cases): a missing
        SQLite file named by ``db`` is a :class:`NotFoundError`; a missing default store
        reads as empty; nothing is created either way.
        """
        location = str(db) if db else default_db()
        if db is None and not create and "://" not in location and not Path(location).exists():
            location = "sqlite://"  # no store yet at the default place: an empty one in memory
        try:
            store = CaseStore(location, create=create)
        except NotFoundError as exc:
            raise NotFoundError(
                "no case database here yet (`steward case new` creates one)", source=exc.source
            ) from None
        try:
            return cls(store, store.local_principal(user))
        except Exception:
            store.close()
            raise

    # ----------------------------------------------------------------- building

    def _builder(
        self, kind: CaseKind, title: str, drafts: list[Draft], actor: str, now: datetime
    ) -> Any:
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
                DATA_MODELS[target.kind].model_validate(new.data["data"])
            except ValueError as exc:
                raise InputError(
                    f"correction of event {target_seq} ({target.kind.value}): {exc}"
                ) from None

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

    # -------------------------------------------------------------------- reads

    def get(self, case_id: str, *, now: datetime) -> StoredCase:
        return self.store.get(self.principal, case_id, now=now)

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
            start = applies_from(self.profile(stored.organisation))
        return clocks(stored.kind, list(stored.events), now, applies_from=start)

    def list_visible(
        self, *, now: datetime, states: list[str] | None = None, kind: CaseKind | None = None
    ) -> list[StoredCase]:
        return self.store.list(
            self.principal, now=now, states=states or (), kind=kind, with_events=True
        )

    def due(self, *, now: datetime, within: timedelta | None = None) -> list[DueItem]:
        """Running and overdue clocks across visible cases, overdue first, then soonest."""
        items = []
        starts: dict[str, datetime] = {}
        for stored in self.store.list(self.principal, now=now, with_events=True):
            if stored.organisation not in starts:
                starts[stored.organisation] = applies_from(self.profile(stored.organisation))
            for clock in self.clocks_of(stored, now=now, start=starts[stored.organisation]):
                if clock.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
                    continue
                assert clock.due_at is not None
                if within is not None and clock.due_at > now + within:
                    continue
                items.append(DueItem(stored, clock))
        items.sort(key=lambda i: (i.clock.status is not ClockStatus.OVERDUE, i.clock.due_at))
        return items

    def profile(self, organisation: str = DEFAULT_ORG) -> Manufacturer | None:
        found = self.store.get_profile(self.principal, organisation)
        return None if found is None else Manufacturer(**asdict(found))

    def profile_for_case(self, case_id: str, *, now: datetime) -> Manufacturer | None:
        """The profile of the organisation the case belongs to (used in its reports)."""
        found = self.store.profile_for_case(self.principal, case_id, now=now)
        return None if found is None else Manufacturer(**asdict(found))

    def set_profile(
        self, profile: Manufacturer, organisation: str = DEFAULT_ORG, *, now: datetime | None = None
    ) -> None:
        self.store.set_profile(
            self.principal,
            organisation,
            OrganisationProfile(**profile.model_dump()),
            now or datetime.now(UTC),
        )


def snapshot_of(stored: StoredCase) -> CaseSnapshot:
    head = CaseHead(stored.public_id, stored.kind, stored.title, stored.created_at)
    return fold(head, list(stored.events))
