"""Case handling: creating cases, recording events, reading snapshots and deadlines.

The rules of coordinated disclosure live here and in :mod:`~steward.disclosure.fold` /
:mod:`~steward.disclosure.clocks`; the store only persists and enforces access. Every event
is validated (kind, data, timezone-aware time not in the future, allowed state transition)
before anything is written, inside the same locked transaction that appends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from steward.disclosure.clocks import Clock, ClockStatus, clocks
from steward.disclosure.events import (
    DATA_MODELS,
    Event,
    EventKind,
    parse_kind,
    validate_data,
)
from steward.disclosure.fold import CaseHead, fold, next_state, state_of
from steward.disclosure.model import CaseKind, CaseSnapshot, Manufacturer
from steward.errors import InputError
from steward.store.cases import CaseStore, HeadUpdate, NewEvent, Principal, StoredCase
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


def _check_time(moment: datetime, now: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"time {moment.isoformat()} has no timezone (give an offset or Z)")
    if moment > now + FUTURE_TOLERANCE:
        raise InputError(f"time {moment.isoformat()} is in the future")
    return moment


class Cases:
    """The case service over a :class:`CaseStore`, acting for one principal."""

    def __init__(self, store: CaseStore, principal: Principal) -> None:
        self.store = store
        self.principal = principal

    @classmethod
    def open(cls, db: str | Path | None, user: str) -> Cases:
        """Open (and migrate) the store at ``db`` acting as local administrator ``user``."""
        store = CaseStore(str(db) if db else default_db())
        return cls(store, Principal(name=user, admin=True))

    # ----------------------------------------------------------------- building

    def _builder(
        self, kind: CaseKind, title: str, drafts: list[Draft], actor: str, now: datetime
    ) -> Any:
        validated = []
        for draft in drafts:
            data = validate_data(draft.kind, draft.data)
            occurred = _check_time(draft.occurred_at or now, now)
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
            embargo = snapshot.embargo
            return validated, HeadUpdate(
                state=state.value,
                embargo_active=embargo is not None,
                embargo_until=embargo.until if embargo else None,
                title=snapshot.title if snapshot.title != title else None,
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
        stored = self.get(case_id, now=now)
        return clocks(stored.kind, list(stored.events), now)

    def list_visible(
        self, *, now: datetime, states: list[str] | None = None, kind: CaseKind | None = None
    ) -> list[StoredCase]:
        return self.store.list(
            self.principal, now=now, states=states or (), kind=kind, with_events=True
        )

    def due(self, *, now: datetime, within: timedelta | None = None) -> list[DueItem]:
        """Running and overdue clocks across visible cases, overdue first, then soonest."""
        items = []
        for stored in self.store.list(self.principal, now=now, with_events=True):
            for clock in clocks(stored.kind, list(stored.events), now):
                if clock.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
                    continue
                assert clock.due_at is not None
                if within is not None and clock.due_at > now + within:
                    continue
                items.append(DueItem(stored, clock))
        items.sort(key=lambda i: (i.clock.status is not ClockStatus.OVERDUE, i.clock.due_at))
        return items

    def profile(self, organisation: str = DEFAULT_ORG) -> Manufacturer | None:
        return self.store.get_profile(organisation)

    def set_profile(self, profile: Manufacturer, organisation: str = DEFAULT_ORG) -> None:
        self.store.set_profile(organisation, profile)


def snapshot_of(stored: StoredCase) -> CaseSnapshot:
    head = CaseHead(stored.public_id, stored.kind, stored.title, stored.created_at)
    return fold(head, list(stored.events))
