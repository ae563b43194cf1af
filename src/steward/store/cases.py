"""The case store: creating cases, appending events safely, and reading what a principal may see.

Access control lives here, in the queries, not in callers (rules in :mod:`steward.store.access`):
a principal sees the published cases of the projects it may read, and every case — private
until published, or under an embargo that still runs — of the projects where it is in the
security team or an admin. Hidden cases are reported exactly like missing ones, by the same
query, so neither the answer nor its timing tells that they exist. Writing (creating cases,
appending events) needs the security-team role (and the ``cases`` scope for a token).

Case ids are ``PREFIX-YEAR-XXXXXX`` with six random Crockford base-32 characters: a counter
would tell anyone who sees two ids how many cases (hidden ones included) lie between them
(:func:`steward.store.records.new_public_id`).

A local single-user SQLite store at the newest schema is written by the CLI through plain
``sqlite3`` instead (:mod:`steward.store.sqlite_writes`, the same rows; tests compare them).

Appending is safe under concurrency: the appending transaction locks the case head first
(``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), reads the events,
lets the caller decide what to append (the domain rules live in ``steward.disclosure``),
writes the new events with the next sequence numbers and updates the head. The primary key
``(case_id, seq)`` is the backstop; a conflict or a serialisation failure is retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from steward.disclosure.vocabulary import CaseKind, Event, EventKind
from steward.errors import NotFoundError
from steward.store.access import (
    AccessDenied,
    Action,
    Principal,
    Role,
    case_predicate,
)
from steward.store.audit import audit
from steward.store.base import Database
from steward.store.models import (
    ApiToken,
    Case,
    CaseEvent,
    Membership,
    Organisation,
    OrgMembership,
    Project,
    User,
)
from steward.store.records import Builder as Builder
from steward.store.records import HeadUpdate as HeadUpdate
from steward.store.records import NewEvent as NewEvent
from steward.store.records import OrganisationProfile as OrganisationProfile
from steward.store.records import StoredCase as StoredCase
from steward.store.records import check_profile as check_profile
from steward.store.records import new_public_id

__all__ = [
    "AccessDenied",
    "CaseStore",
    "HeadUpdate",
    "NewEvent",
    "OrganisationProfile",
    "Principal",
    "Role",
    "StoredCase",
]


@dataclass(frozen=True)
class _ReadAudit:
    """An audit line for reading private cases of one organisation, written after the read."""

    actor: str
    organisation_id: int
    cases: tuple[str, ...]
    at: datetime


def _event(row: CaseEvent) -> Event:
    return Event(
        seq=row.seq,
        kind=EventKind(row.kind),
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        actor=row.actor,
        data=dict(row.data),
    )


class CaseStore(Database):
    """A case database (SQLite file or PostgreSQL), migrated to the newest schema on open."""

    # ---------------------------------------------------------------- the store's owner

    def is_shared(self) -> bool:
        """A shared store: PostgreSQL, or a database with service accounts or tokens."""
        if self.backend != "sqlite":
            return True

        def work(session: Session) -> bool:
            accounts = exists().where(User.password_hash.is_not(None))
            return bool(
                session.scalar(select(accounts)) or session.scalar(select(exists(ApiToken.id)))
            )

        return self._read(work)

    def local_principal(self, user: str) -> Principal:
        """The owner of a local single-user store (the CLI without a server).

        Refused for a shared store: there a self-declared name is no basis for access; use
        the service's API with a token (``steward case ... --server URL``).
        """
        if self.is_shared():
            from steward.store.sqlite_writes import SHARED_REFUSAL

            raise AccessDenied(SHARED_REFUSAL)
        return Principal(name=user, admin=True)

    # ---------------------------------------------------------------- organisations

    @staticmethod
    def _project_row(session: Session, organisation: str, project: str) -> Project | None:
        return session.scalar(
            select(Project)
            .join(Organisation, Organisation.id == Project.organisation_id)
            .where(Organisation.slug == organisation, Project.slug == project)
        )

    @staticmethod
    def _ensure(session: Session, organisation: str, project: str) -> Project:
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
        return proj

    def ensure_project(self, organisation: str, project: str) -> int:
        """The id of ``organisation/project``, created if needed (store owner's tool)."""
        return self._write(lambda session: self._ensure(session, organisation, project).id)

    def add_member(self, user: str, organisation: str, project: str, role: Role) -> None:
        """Give ``user`` a role in one project (created if needed; store owner's tool)."""

        def work(session: Session) -> None:
            project_id = self._ensure(session, organisation, project).id
            row = self._user(session, user)
            exists_ = session.scalar(
                select(Membership).where(
                    Membership.user_id == row.id,
                    Membership.project_id == project_id,
                    Membership.role == role.value,
                )
            )
            if exists_ is None:
                session.add(Membership(user_id=row.id, project_id=project_id, role=role.value))

        self._write(work)

    def add_org_member(self, user: str, organisation: str, role: Role) -> None:
        """Give ``user`` a role in every project of an organisation (store owner's tool)."""

        def work(session: Session) -> None:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None:
                org = Organisation(slug=organisation, name=organisation, is_steward=False)
                session.add(org)
                session.flush()
            row = self._user(session, user)
            found = session.scalar(
                select(OrgMembership).where(
                    OrgMembership.user_id == row.id,
                    OrgMembership.organisation_id == org.id,
                    OrgMembership.role == role.value,
                )
            )
            if found is None:
                session.add(OrgMembership(user_id=row.id, organisation_id=org.id, role=role.value))

        self._write(work)

    @staticmethod
    def _user(session: Session, name: str) -> User:
        row = session.scalar(select(User).where(User.name == name))
        if row is None:
            row = User(name=name, is_admin=False, disabled=False)
            session.add(row)
            session.flush()
        return row

    def set_admin(self, user: str, admin: bool = True) -> None:
        """Make ``user`` a site administrator (manages accounts, not organisations' data)."""

        def work(session: Session) -> None:
            self._user(session, user).is_admin = admin

        self._write(work)

    def principal(self, user: str) -> Principal:
        """The principal for a stored user (no roles if unknown)."""
        return self._read(lambda session: principal_for(session, user))

    def get_profile(self, principal: Principal, organisation: str) -> OrganisationProfile | None:
        """The organisation's profile; None if it has none or the principal is no member."""

        def work(session: Session) -> OrganisationProfile | None:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None or not org_member(session, principal, org.id):
                return None
            return _profile(org)

        return self._read(work)

    def set_profile(
        self, principal: Principal, organisation: str, profile: OrganisationProfile, now: datetime
    ) -> None:
        """Store an organisation's profile; needs the organisation's admin role.

        The profile's country decides which national CSIRT receives the reports (CRA
        Art. 14(7)), so nobody outside the organisation's admins may change it.
        """

        check_profile(profile)

        def work(session: Session) -> None:
            org = session.scalar(select(Organisation).where(Organisation.slug == organisation))
            if org is None:
                if not principal.admin:
                    raise NotFoundError(f"no organisation {organisation!r}")
                org = Organisation(slug=organisation, name=profile.name)
                session.add(org)
                session.flush()
            elif not principal.may_in_org(Action.ADMIN, org.id):
                if org_member(session, principal, org.id):
                    raise AccessDenied(
                        f"{principal.name} may not change the profile of {organisation} "
                        "(organisation admins only)"
                    )
                raise NotFoundError(f"no organisation {organisation!r}")
            org.name = profile.name
            org.country = profile.country
            org.address = profile.address
            org.contact_email = profile.contact_email
            org.website = profile.website
            org.is_steward = profile.is_steward
            org.profile_updated_at = now
            audit(
                session,
                actor=principal.name,
                action="organisation.profile",
                target=organisation,
                organisation_id=org.id,
                detail={"country": profile.country, "name": profile.name},
                now=now,
            )

        self._write(work)

    def profile_for_case(
        self, principal: Principal, public_id: str, *, now: datetime
    ) -> OrganisationProfile | None:
        """The profile of the organisation a (visible) case belongs to."""

        def work(session: Session) -> OrganisationProfile | None:
            org = session.scalar(
                select(Organisation)
                .join(Project, Project.organisation_id == Organisation.id)
                .join(Case, Case.project_id == Project.id)
                .where(Case.public_id == public_id, case_predicate(principal, now))
            )
            if org is None:
                raise NotFoundError(f"no case {public_id!r}")
            return _profile(org)

        return self._read(work)

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
        """Create a case with its first events; returns its public id (``PREFIX-YYYY-XXXXXX``).

        All in one transaction: a refused or invalid case leaves nothing behind (no project,
        no organisation). Only the owner of a local store creates projects on the fly.
        """

        def work(session: Session) -> str:
            if principal.admin:
                proj = self._ensure(session, organisation, project)
            else:
                found = self._project_row(session, organisation, project)
                if found is None or not principal.may(Action.READ, found.id, found.organisation_id):
                    raise NotFoundError(f"no project {organisation}/{project}")
                proj = found
            if not principal.may(Action.CASES, proj.id, proj.organisation_id):
                raise AccessDenied(
                    f"{principal.name} may not create cases in {organisation}/{project} "
                    "(security team only)"
                )
            public_id = new_public_id(prefix, now)
            new_events, head = builder([])
            case = Case(
                public_id=public_id,
                project_id=proj.id,
                kind=kind.value,
                title=head.title or title,
                created_at=now,
                created_by=principal.name,
                state=head.state,
                last_seq=0,
                updated_at=now,
                embargo_active=head.embargo_active,
                embargo_until=head.embargo_until,
                published_at=head.published_at,
            )
            session.add(case)
            session.flush()
            self._insert(session, case, new_events, now)
            audit(
                session,
                actor=principal.name,
                action="case.create",
                target=public_id,
                organisation_id=proj.organisation_id,
                detail={"project": f"{organisation}/{project}", "events": len(new_events)},
                now=now,
            )
            return public_id

        return self._write(work)

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
                .where(Case.public_id == public_id, case_predicate(principal, now))
                .with_for_update()
            )
            if case is None:
                raise NotFoundError(f"no case {public_id!r}")
            project = session.get(Project, case.project_id)
            assert project is not None
            if not principal.may(Action.CASES, project.id, project.organisation_id):
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
            case.published_at = head.published_at
            if head.title:
                case.title = head.title
            seqs = list(range(first, case.last_seq + 1))
            audit(
                session,
                actor=principal.name,
                action="case.event",
                target=public_id,
                organisation_id=project.organisation_id,
                detail={"seqs": seqs, "kinds": [e.kind.value for e in new_events]},
                now=now,
            )
            return seqs

        return self._write(work)

    @staticmethod
    def _events(session: Session, case_ids: Any) -> dict[int, list[Event]]:
        """The events of the cases ``case_ids`` selects (ids or a subquery), in one query."""
        found: dict[int, list[Event]] = {}
        rows = session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id.in_(case_ids))
            .order_by(CaseEvent.case_id, CaseEvent.seq)
        )
        for row in rows:
            found.setdefault(row.case_id, []).append(_event(row))
        return found

    def _stored(
        self,
        session: Session,
        case: Case,
        with_events: bool,
        now: datetime,
        events: dict[int, list[Event]] | None = None,
    ) -> StoredCase:
        project = session.get(Project, case.project_id)
        assert project is not None
        org = session.get(Organisation, project.organisation_id)
        assert org is not None
        if with_events and events is None:
            events = self._events(session, [case.id])
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
            events=tuple(events.get(case.id, ())) if with_events and events else (),
            published_at=case.published_at,
            private=not _is_public(case, now),
            project_id=project.id,
            organisation_id=org.id,
        )

    def get(self, principal: Principal, public_id: str, *, now: datetime) -> StoredCase:
        """One case the principal may see (NotFoundError for a missing or hidden one).

        Reading a private case is recorded in the audit log.
        """

        def work(session: Session) -> tuple[StoredCase, Sequence[_ReadAudit]]:
            case = session.scalar(
                select(Case).where(Case.public_id == public_id, case_predicate(principal, now))
            )
            if case is None:
                raise NotFoundError(f"no case {public_id!r}")
            stored = self._stored(session, case, True, now)
            hidden = [case] if stored.private and not principal.admin else []
            return stored, self._read_audits(session, principal, hidden, now)

        stored, audits = self._read(work)
        self._record_reads(audits)
        return stored

    def list(
        self,
        principal: Principal,
        *,
        now: datetime,
        states: Sequence[str] = (),
        kind: CaseKind | None = None,
        with_events: bool = False,
        project_id: int | None = None,
    ) -> list[StoredCase]:
        """The cases the principal may see, oldest first (reading private ones is audited)."""

        def work(session: Session) -> tuple[list[StoredCase], Sequence[_ReadAudit]]:
            where = [case_predicate(principal, now)]
            if states:
                where.append(Case.state.in_(list(states)))
            if kind is not None:
                where.append(Case.kind == kind.value)
            if project_id is not None:
                where.append(Case.project_id == project_id)
            # a constant number of queries whatever the number of cases: the cases with their
            # projects and organisations (into the session), then all their events at once
            rows = session.execute(
                select(Case, Project, Organisation)
                .join(Project, Project.id == Case.project_id)
                .join(Organisation, Organisation.id == Project.organisation_id)
                .where(*where)
                .order_by(Case.id)
            ).all()
            cases = [row[0] for row in rows]
            events = self._events(session, select(Case.id).where(*where)) if with_events else None
            out = [self._stored(session, c, with_events, now, events) for c in cases]
            hidden = [c for c, s in zip(cases, out, strict=True) if s.private]
            if principal.admin:
                hidden = []
            return out, self._read_audits(session, principal, hidden, now)

        stored, audits = self._read(work)
        self._record_reads(audits)
        return stored

    @staticmethod
    def _read_audits(
        session: Session, principal: Principal, cases: Sequence[Case], now: datetime
    ) -> Sequence[_ReadAudit]:
        """The audit lines for reading private ``cases``, one per organisation."""
        by_org: dict[int, list[str]] = {}
        for case in cases:
            project = session.get(Project, case.project_id)
            assert project is not None
            by_org.setdefault(project.organisation_id, []).append(case.public_id)
        return [
            _ReadAudit(principal.name, org_id, tuple(ids), now) for org_id, ids in by_org.items()
        ]

    def _record_reads(self, audits: Sequence[_ReadAudit]) -> None:
        """Write the audit lines of a read in a write transaction of their own.

        A read transaction that inserted them itself would have to turn into a writer half-way,
        which SQLite refuses at once ("database is locked") whenever another writer committed
        meanwhile; a write transaction takes the lock first and is retried. The caller gets
        the cases only after their reading is recorded.
        """
        if not audits:
            return

        def work(session: Session) -> None:
            for line in audits:
                audit(
                    session,
                    actor=line.actor,
                    action="case.read",
                    target=line.cases[0] if len(line.cases) == 1 else f"{len(line.cases)} cases",
                    organisation_id=line.organisation_id,
                    detail={"cases": list(line.cases)},
                    now=line.at,
                )

        self._write(work)


def _is_public(case: Case, now: datetime) -> bool:
    if case.published_at is None:
        return False
    running = case.embargo_active and (case.embargo_until is None or case.embargo_until > now)
    return not running


def _profile(org: Organisation) -> OrganisationProfile | None:
    if org.profile_updated_at is None:
        return None
    return OrganisationProfile(
        name=org.name,
        country=org.country,
        address=org.address,
        contact_email=org.contact_email,
        website=org.website,
        is_steward=org.is_steward,
    )


def org_member(session: Session, principal: Principal, organisation_id: int) -> bool:
    """Whether the principal has any role in the organisation or one of its projects."""
    if principal.admin or principal.org_roles.get(organisation_id):
        return principal.admin or principal.project_limit is None
    projects = [p for p, roles in principal.roles.items() if roles]
    if principal.project_limit is not None:
        projects = [p for p in projects if p == principal.project_limit]
    if not projects:
        return False
    found = session.scalar(
        select(Project.id).where(
            Project.id.in_(projects), Project.organisation_id == organisation_id
        )
    )
    return found is not None


def principal_for(
    session: Session,
    user: str | User,
    *,
    scopes: frozenset[Any] | None = None,
    project_limit: int | None = None,
) -> Principal:
    """The principal of a stored user with its project and organisation roles."""
    row = session.scalar(select(User).where(User.name == user)) if isinstance(user, str) else user
    if row is None or row.disabled:
        return Principal(name=user if isinstance(user, str) else user.name)
    roles: dict[int, set[Role]] = {}
    for project_id, role in session.execute(
        select(Membership.project_id, Membership.role).where(Membership.user_id == row.id)
    ):
        roles.setdefault(project_id, set()).add(Role(role))
    org_roles: dict[int, set[Role]] = {}
    for org_id, role in session.execute(
        select(OrgMembership.organisation_id, OrgMembership.role).where(
            OrgMembership.user_id == row.id
        )
    ):
        org_roles.setdefault(org_id, set()).add(Role(role))
    return Principal(
        name=row.name,
        roles={k: frozenset(v) for k, v in roles.items()},
        org_roles={k: frozenset(v) for k, v in org_roles.items()},
        user_id=row.id,
        site_admin=row.is_admin,
        scopes=scopes,
        project_limit=project_limit,
    )
