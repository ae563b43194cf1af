"""The case store: creating cases, appending events safely, and reading what a principal may see.

Access control lives here, in the queries, not in callers: a principal sees the cases of the
projects it has a role in; a case under an active embargo only if it is in that project's
security team, a project admin, or a global admin. Hidden cases are reported exactly like
missing ones, so their existence does not leak. Writing (creating cases, appending events)
needs the security-team or admin role.

Appending is safe under concurrency: the appending transaction locks the case head first
(``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), reads the events,
lets the caller decide what to append (the domain rules live in ``steward.disclosure``),
writes the new events with the next sequence numbers and updates the head. The primary key
``(case_id, seq)`` is the backstop; a conflict or a serialisation failure is retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, false, or_, select, true
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from steward.disclosure.events import Event, EventKind
from steward.disclosure.model import CaseKind, Manufacturer
from steward.errors import InputError, NotFoundError
from steward.store.engine import make_engine
from steward.store.migrate import upgrade
from steward.store.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Membership,
    Organisation,
    Project,
    User,
)

T = TypeVar("T")
RETRIES = 8


class Role(StrEnum):
    VIEWER = "viewer"
    MAINTAINER = "maintainer"
    SECURITY_TEAM = "security-team"
    ADMIN = "admin"


class AccessDenied(InputError):
    """The principal may not do this (reported with exit code 2, like other refusals)."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user name, whether a global admin, and roles per project id."""

    name: str
    admin: bool = False
    roles: dict[int, frozenset[Role]] = field(default_factory=dict)

    def can_write(self, project_id: int) -> bool:
        return self.admin or bool(
            self.roles.get(project_id, frozenset()) & {Role.SECURITY_TEAM, Role.ADMIN}
        )


@dataclass(frozen=True)
class NewEvent:
    kind: EventKind
    occurred_at: datetime
    actor: str
    data: dict[str, Any]


@dataclass(frozen=True)
class HeadUpdate:
    """The head columns derived from all events after an append."""

    state: str
    embargo_active: bool
    embargo_until: datetime | None
    title: str | None = None


@dataclass(frozen=True)
class StoredCase:
    public_id: str
    project: str
    organisation: str
    kind: CaseKind
    title: str
    state: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    embargo_active: bool
    embargo_until: datetime | None
    events: tuple[Event, ...] = ()


Builder = Callable[[list[Event]], tuple[list[NewEvent], HeadUpdate]]


def _event(row: CaseEvent) -> Event:
    return Event(
        seq=row.seq,
        kind=EventKind(row.kind),
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        actor=row.actor,
        data=dict(row.data),
    )


class CaseStore:
    """A case database (SQLite file or PostgreSQL), migrated to the newest schema on open."""

    def __init__(self, url_or_path: str, *, migrate: bool = True) -> None:
        self.engine: Engine = make_engine(url_or_path)
        self.backend = self.engine.dialect.name
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        if migrate:
            upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ transactions

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a write transaction, retrying on conflicts and lock timeouts."""
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except (IntegrityError, OperationalError) as exc:
                if attempt == RETRIES - 1 or not _retryable(exc):
                    raise
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, work: Callable[[Session], T]) -> T:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            return work(session)

    # ---------------------------------------------------------------- organisations

    def ensure_project(self, organisation: str, project: str) -> int:
        """The id of ``organisation/project``, created if needed."""

        def work(session: Session) -> int:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None:
                org = Organisation(slug=organisation, name=organisation, is_steward=False)
                session.add(org)
                session.flush()
            proj = session.scalar(
                select(Project).where(Project.organisation_id == org.id, Project.slug == project)
            )
            if proj is None:
                proj = Project(organisation_id=org.id, slug=project, name=project)
                session.add(proj)
                session.flush()
            return proj.id

        return self._write(work)

    def add_member(self, user: str, organisation: str, project: str, role: Role) -> None:
        project_id = self.ensure_project(organisation, project)

        def work(session: Session) -> None:
            row = session.scalar(select(User).where(User.name == user))
            if row is None:
                row = User(name=user, is_admin=False)
                session.add(row)
                session.flush()
            exists = session.scalar(
                select(Membership).where(
                    Membership.user_id == row.id,
                    Membership.project_id == project_id,
                    Membership.role == role.value,
                )
            )
            if exists is None:
                session.add(Membership(user_id=row.id, project_id=project_id, role=role.value))

        self._write(work)

    def set_admin(self, user: str, admin: bool = True) -> None:
        def work(session: Session) -> None:
            row = session.scalar(select(User).where(User.name == user))
            if row is None:
                session.add(User(name=user, is_admin=admin))
            else:
                row.is_admin = admin

        self._write(work)

    def principal(self, user: str) -> Principal:
        """The principal for a stored user (no roles if unknown)."""

        def work(session: Session) -> Principal:
            row = session.scalar(select(User).where(User.name == user))
            if row is None:
                return Principal(name=user)
            roles: dict[int, set[Role]] = {}
            for project_id, role in session.execute(
                select(Membership.project_id, Membership.role).where(Membership.user_id == row.id)
            ):
                roles.setdefault(project_id, set()).add(Role(role))
            return Principal(
                name=user, admin=row.is_admin, roles={k: frozenset(v) for k, v in roles.items()}
            )

        return self._read(work)

    def get_profile(self, organisation: str) -> Manufacturer | None:
        def work(session: Session) -> Manufacturer | None:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None:
                return None
            return Manufacturer(
                name=org.name,
                country=org.country,
                address=org.address,
                contact_email=org.contact_email,
                website=org.website,
                is_steward=org.is_steward,
            )

        return self._read(work)

    def set_profile(self, organisation: str, profile: Manufacturer) -> None:
        def work(session: Session) -> None:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None:
                org = Organisation(slug=organisation, name=profile.name)
                session.add(org)
            org.name = profile.name
            org.country = profile.country
            org.address = profile.address
            org.contact_email = profile.contact_email
            org.website = profile.website
            org.is_steward = profile.is_steward

        self._write(work)

    # ------------------------------------------------------------------------ cases

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
    ) -> str:
        """Create a case with its first events; returns its public id (``PREFIX-YYYY-NNNN``)."""
        project_id = self.ensure_project(organisation, project)
        if not principal.can_write(project_id):
            raise AccessDenied(f"{principal.name} may not create cases in {organisation}/{project}")

        def work(session: Session) -> str:
            public_id = self._next_id(session, prefix, now.year)
            new_events, head = builder([])
            case = Case(
                public_id=public_id,
                project_id=project_id,
                kind=kind.value,
                title=head.title or title,
                created_at=now,
                created_by=principal.name,
                state=head.state,
                last_seq=0,
                updated_at=now,
                embargo_active=head.embargo_active,
                embargo_until=head.embargo_until,
            )
            session.add(case)
            session.flush()
            self._insert(session, case, new_events, now)
            return public_id

        return self._write(work)

    def _next_id(self, session: Session, prefix: str, year: int) -> str:
        counter = session.scalar(
            select(CaseCounter)
            .where(CaseCounter.prefix == prefix, CaseCounter.year == year)
            .with_for_update()
        )
        if counter is None:
            counter = CaseCounter(prefix=prefix, year=year, next_number=1)
            session.add(counter)
        number = counter.next_number
        counter.next_number = number + 1
        session.flush()
        return f"{prefix}-{year}-{number:04d}"

    def _insert(
        self, session: Session, case: Case, events: Sequence[NewEvent], now: datetime
    ) -> None:
        for new in events:
            case.last_seq += 1
            session.add(
                CaseEvent(
                    case_id=case.id,
                    seq=case.last_seq,
                    kind=new.kind.value,
                    occurred_at=new.occurred_at,
                    recorded_at=now,
                    actor=new.actor,
                    data=new.data,
                )
            )
        case.updated_at = now
        session.flush()

    def append(
        self, principal: Principal, public_id: str, *, now: datetime, builder: Builder
    ) -> list[int]:
        """Append the events ``builder`` derives from the current ones; returns their seqs."""

        def work(session: Session) -> list[int]:
            case = session.scalar(
                select(Case)
                .where(Case.public_id == public_id, self._visible(principal, now))
                .with_for_update()
            )
            if case is None:
                raise NotFoundError(f"no case {public_id!r}")
            if not principal.can_write(case.project_id):
                raise AccessDenied(f"{principal.name} may not change {public_id}")
            rows = session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
            ).all()
            new_events, head = builder([_event(r) for r in rows])
            first = case.last_seq + 1
            self._insert(session, case, new_events, now)
            case.state = head.state
            case.embargo_active = head.embargo_active
            case.embargo_until = head.embargo_until
            if head.title:
                case.title = head.title
            return list(range(first, case.last_seq + 1))

        return self._write(work)

    def _visible(self, principal: Principal, now: datetime) -> ColumnElement[bool]:
        if principal.admin:
            return true()
        member_of = list(principal.roles)
        privileged = [
            pid
            for pid, roles in principal.roles.items()
            if roles & {Role.SECURITY_TEAM, Role.ADMIN}
        ]
        if not member_of:
            return false()
        embargo_over = and_(Case.embargo_until.is_not(None), Case.embargo_until <= now)
        return and_(
            Case.project_id.in_(member_of),
            or_(
                Case.embargo_active.is_(False),
                embargo_over,
                Case.project_id.in_(privileged) if privileged else false(),
            ),
        )

    def _stored(self, session: Session, case: Case, with_events: bool) -> StoredCase:
        project = session.get(Project, case.project_id)
        assert project is not None
        org = session.get(Organisation, project.organisation_id)
        assert org is not None
        events: tuple[Event, ...] = ()
        if with_events:
            rows = session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
            ).all()
            events = tuple(_event(r) for r in rows)
        return StoredCase(
            public_id=case.public_id,
            project=project.slug,
            organisation=org.slug,
            kind=CaseKind(case.kind),
            title=case.title,
            state=case.state,
            created_at=case.created_at,
            created_by=case.created_by,
            updated_at=case.updated_at,
            embargo_active=case.embargo_active,
            embargo_until=case.embargo_until,
            events=events,
        )

    def get(self, principal: Principal, public_id: str, *, now: datetime) -> StoredCase:
        def work(session: Session) -> StoredCase:
            case = session.scalar(
                select(Case).where(Case.public_id == public_id, self._visible(principal, now))
            )
            if case is None:
                raise NotFoundError(f"no case {public_id!r}")
            return self._stored(session, case, with_events=True)

        return self._read(work)

    def list(
        self,
        principal: Principal,
        *,
        now: datetime,
        states: Sequence[str] = (),
        kind: CaseKind | None = None,
        with_events: bool = False,
    ) -> list[StoredCase]:
        def work(session: Session) -> list[StoredCase]:
            query = select(Case).where(self._visible(principal, now)).order_by(Case.id)
            if states:
                query = query.where(Case.state.in_(list(states)))
            if kind is not None:
                query = query.where(Case.kind == kind.value)
            return [self._stored(session, c, with_events) for c in session.scalars(query)]

        return self._read(work)


def _retryable(exc: IntegrityError | OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if isinstance(exc, IntegrityError):
        return "unique" in text or "duplicate" in text or "primary key" in text
    return any(
        word in text
        for word in ("locked", "busy", "deadlock", "could not serialize", "lock timeout")
    )
