"""Writing a local single-user case store with plain ``sqlite3``: the fast path of `case` writes.

Why not SQLAlchemy here: importing it with the store's ORM models costs about 0.3 CPU s of
every `steward case` command that writes (``new``, ``event``, ``set``, ``profile set`` ...),
more than the rest of such a command together (``bench/startup.py``). On the store the CLI
uses most — a local SQLite file at the newest schema, which only its owner opens — the same
few statements are written here with the standard library, as the read path already reads
it (:mod:`steward.store.sqlite_cases`). Everything else stays on the SQLAlchemy path.

What is shared, not copied: the domain rules (event kinds and data, time rules, state
transitions, corrections, the release's product) are checked by
:class:`steward.disclosure.cases.Cases` for both stores, through the same ``builder``
callback inside the write transaction; the profile check, the case-id generator and the
row types are those of :mod:`steward.store.records`; retry and error wording those of
:mod:`steward.store.failures`; connection settings those of
:func:`steward.store.location.configure_sqlite`. The statements mirror
:meth:`steward.store.cases.CaseStore.create_case`, :meth:`~CaseStore.append` and
:meth:`~CaseStore.set_profile` for the store's owner, row for row (audit lines included);
``tests/store/test_case_write_paths.py`` runs every write command through both paths on
the same starting store and compares every table.

:meth:`SqliteCaseStore.open_writer` returns ``None`` (the caller then opens
:class:`~steward.store.cases.CaseStore`, which creates, migrates, refuses and names errors)
for a URL (PostgreSQL), a missing or non-SQLite file, a schema other than
:data:`~steward.store.sqlite_cases.HEAD_REVISION`, a shared store (service accounts with
passwords, API tokens), and any ``sqlite3`` error while checking. The principal must be the
store's owner (:meth:`CaseStore.local_principal`); anyone else is refused.

Each write transaction checks again, under the write lock, that the store is still one this
path serves: a service account or token added (or a migration run) since the store was
opened ends the owner's access there, as :meth:`CaseStore.local_principal` would refuse it.

A write's ``COMMIT`` runs under :func:`steward.interrupts.commit_point` (the CLI announces
it as the command's last change): a SIGTERM or Ctrl-C landing just after it no longer makes
the command exit 143/130, which promises that nothing was recorded.

Transactions are ``BEGIN IMMEDIATE`` (the write lock is taken before the case's events are
read, so concurrent appends queue instead of interleaving) and retried like
:meth:`steward.store.base.Database.write`: on lock timeouts and unique-key conflicts (two
new cases drawing the same random id).
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from steward.disclosure.vocabulary import CaseKind
from steward.errors import NotFoundError
from steward.interrupts import commit_point
from steward.store.failures import RETRIES, retryable_message, unusable
from steward.store.location import configure_sqlite, display_name
from steward.store.principals import AccessDenied, Principal
from steward.store.records import (
    Builder,
    NewEvent,
    OrganisationProfile,
    StoredCase,
    check_profile,
    new_public_id,
)
from steward.store.sqlite_cases import (
    HEAD_REVISION,
    SqliteCases,
    connect_file,
    event_of,
    fits,
)

T = TypeVar("T")


def stored_time(value: datetime | None) -> str | None:
    """A time as :class:`steward.store.types.UtcDateTime` stores it on SQLite: naive UTC text
    in the form of SQLAlchemy's SQLite ``DateTime`` (``2026-11-24 20:40:00.000000``)."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime refused: timestamps must carry a timezone")
    v = value.astimezone(UTC)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
        f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"
    )


def _json(value: Any) -> str:
    """JSON as SQLAlchemy's ``JSON`` type writes it on SQLite (``json.dumps``, defaults)."""
    return json.dumps(value)


#: :meth:`steward.store.cases.CaseStore.local_principal`'s refusal of a shared store
SHARED_REFUSAL = (
    "this case database is shared (PostgreSQL or served by `steward serve`): "
    "use `steward case ... --server URL` with STEWARD_TOKEN; a local user name "
    "gives no access to it"
)


def _owner(principal: Principal) -> None:
    if not principal.admin:
        raise AccessDenied(
            f"{principal.name} is not the owner of this local case database; a shared store "
            "is reached with `steward case ... --server URL`"
        )


class SqliteCaseStore(SqliteCases):
    """A local single-user case store read and written through ``sqlite3``, for its owner.

    Each read runs in a read transaction of its own, each write in a ``BEGIN IMMEDIATE``
    transaction; the methods have :class:`~steward.store.cases.CaseStore`'s signatures.
    """

    def __init__(self, conn: sqlite3.Connection, location: str) -> None:
        super().__init__(conn)
        self.location = location
        #: this command created the store (:mod:`steward.store.sqlite_schema`)
        self.created = False

    def creation_note(self) -> str | None:
        """``<database>: database schema created at revision N`` when this command created
        the store, else None; the words of :meth:`steward.store.base.Database.creation_note`."""
        if not self.created:
            return None
        return f"{display_name(self.location)}: database schema created at revision {HEAD_REVISION}"

    @classmethod
    def open_writer(cls, location: str) -> SqliteCaseStore | None:
        """The store at ``location`` when this path applies, else ``None`` (see the module)."""
        conn = connect_file(location)
        if conn is None:
            return None
        try:
            configure_sqlite(conn)
            conn.execute("BEGIN")
            ours = fits(conn)
            conn.execute("COMMIT")
        except sqlite3.Error:
            ours = False
        if not ours:
            conn.close()
            return None
        return cls(conn, location)

    # ------------------------------------------------------------------ transactions

    def _transaction(self, mode: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a transaction (``DEFERRED`` to read, ``IMMEDIATE`` to write),
        retried and its failures named as :class:`steward.store.base.Database` does."""
        conn = self._conn
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                conn.execute(f"BEGIN {mode}")
                try:
                    if mode == "IMMEDIATE" and not fits(conn):
                        raise AccessDenied(SHARED_REFUSAL)
                    result = work(conn)
                    if mode == "IMMEDIATE":
                        with commit_point():  # a signal now: after the commit, not 143 before
                            conn.execute("COMMIT")
                    else:
                        conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                return result
            except (sqlite3.IntegrityError, sqlite3.OperationalError) as exc:
                conflict = isinstance(exc, sqlite3.IntegrityError)
                last = attempt == RETRIES - 1
                if last or not retryable_message(str(exc), conflict=conflict):
                    if conflict:
                        raise
                    raise unusable(str(exc), self.location, "use") from None
                time.sleep(delay)
                delay *= 2
            except sqlite3.Error as exc:
                if isinstance(exc, sqlite3.InterfaceError) or type(exc) is sqlite3.DatabaseError:
                    raise unusable(str(exc), self.location, "use") from None
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------------ reads

    def get(self, principal: object, public_id: str, *, now: datetime) -> StoredCase:
        read = super().get
        return self._transaction("DEFERRED", lambda _conn: read(principal, public_id, now=now))

    def list(
        self,
        principal: object,
        *,
        now: datetime,
        states: Sequence[str] = (),
        kind: CaseKind | None = None,
        with_events: bool = False,
    ) -> list[StoredCase]:
        read = super().list
        return self._transaction(
            "DEFERRED",
            lambda _conn: read(
                principal, now=now, states=states, kind=kind, with_events=with_events
            ),
        )

    def get_profile(self, principal: object, organisation: str) -> OrganisationProfile | None:
        read = super().get_profile
        return self._transaction("DEFERRED", lambda _conn: read(principal, organisation))

    def profile_for_case(
        self, principal: object, public_id: str, *, now: datetime
    ) -> OrganisationProfile | None:
        read = super().profile_for_case
        return self._transaction("DEFERRED", lambda _conn: read(principal, public_id, now=now))

    # ------------------------------------------------------------------------ writes

    @staticmethod
    def _audit(
        conn: sqlite3.Connection,
        *,
        actor: str,
        action: str,
        target: str,
        organisation_id: int | None,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        """:func:`steward.store.audit.audit`: one line, in the transaction of the change."""
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, target, organisation_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (stored_time(now), actor, action, target, organisation_id, _json(detail)),
        )

    @staticmethod
    def _organisation(conn: sqlite3.Connection, slug: str, name: str) -> int:
        """The id of organisation ``slug``, created (named ``name``) if needed."""
        row = conn.execute("SELECT id FROM organisations WHERE slug = ?", (slug,)).fetchone()
        if row is not None:
            return int(row[0])
        org_id = conn.execute(
            "INSERT INTO organisations (slug, name, is_steward) VALUES (?, ?, 0)", (slug, name)
        ).lastrowid
        assert org_id is not None
        return org_id

    @classmethod
    def _ensure(cls, conn: sqlite3.Connection, organisation: str, project: str) -> tuple[int, int]:
        """(project id, organisation id) of ``organisation/project``, created if needed."""
        org_id = cls._organisation(conn, organisation, organisation)
        row = conn.execute(
            "SELECT id FROM projects WHERE organisation_id = ? AND slug = ?", (org_id, project)
        ).fetchone()
        if row is not None:
            return int(row[0]), org_id
        project_id = conn.execute(
            "INSERT INTO projects (organisation_id, slug, name) VALUES (?, ?, ?)",
            (org_id, project, project),
        ).lastrowid
        assert project_id is not None
        return project_id, org_id

    @staticmethod
    def _insert(
        conn: sqlite3.Connection,
        case_id: int,
        last_seq: int,
        events: Sequence[NewEvent],
        now: datetime,
    ) -> int:
        """Insert ``events`` after ``last_seq``; returns the new last sequence number."""
        recorded = stored_time(now)
        for new in events:
            last_seq += 1
            conn.execute(
                "INSERT INTO case_events (case_id, seq, kind, occurred_at, recorded_at, actor, "
                "data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    last_seq,
                    new.kind.value,
                    stored_time(new.occurred_at),
                    recorded,
                    new.actor,
                    _json(new.data),
                ),
            )
        return last_seq

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
        """:meth:`CaseStore.create_case` for the owner: one transaction, nothing left behind
        by a refused case."""
        _owner(principal)

        def work(conn: sqlite3.Connection) -> str:
            project_id, org_id = self._ensure(conn, organisation, project)
            public_id = new_public_id(prefix, now)
            new_events, head = builder([])
            case_id = conn.execute(
                "INSERT INTO cases (public_id, project_id, kind, title, created_at, created_by, "
                "state, last_seq, updated_at, embargo_active, embargo_until, published_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    public_id,
                    project_id,
                    kind.value,
                    head.title or title,
                    stored_time(now),
                    principal.name,
                    head.state,
                    len(new_events),
                    stored_time(now),
                    int(head.embargo_active),
                    stored_time(head.embargo_until),
                    stored_time(head.published_at),
                ),
            ).lastrowid
            assert case_id is not None
            self._insert(conn, case_id, 0, new_events, now)
            self._audit(
                conn,
                actor=principal.name,
                action="case.create",
                target=public_id,
                organisation_id=org_id,
                detail={"project": f"{organisation}/{project}", "events": len(new_events)},
                now=now,
            )
            return public_id

        return self._transaction("IMMEDIATE", work)

    def append(
        self, principal: Principal, public_id: str, *, now: datetime, builder: Builder
    ) -> builtins.list[int]:
        """:meth:`CaseStore.append` for the owner: the events ``builder`` derives from the
        current ones, under the write lock; returns their sequence numbers."""
        _owner(principal)

        def work(conn: sqlite3.Connection) -> list[int]:
            row = conn.execute(
                "SELECT c.id, c.last_seq, p.organisation_id FROM cases c "
                "JOIN projects p ON p.id = c.project_id WHERE c.public_id = ?",
                (public_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no case {public_id!r}")
            case_id, last_seq, org_id = row
            events = [
                event_of(*columns)
                for columns in conn.execute(
                    "SELECT seq, kind, occurred_at, recorded_at, actor, data FROM case_events "
                    "WHERE case_id = ? ORDER BY seq",
                    (case_id,),
                )
            ]
            new_events, head = builder(events)
            last = self._insert(conn, case_id, last_seq, new_events, now)
            title = ", title = ?" if head.title else ""
            conn.execute(
                "UPDATE cases SET last_seq = ?, updated_at = ?, state = ?, embargo_active = ?, "  # noqa: S608
                f"embargo_until = ?, published_at = ?{title} WHERE id = ?",
                (
                    last,
                    stored_time(now),
                    head.state,
                    int(head.embargo_active),
                    stored_time(head.embargo_until),
                    stored_time(head.published_at),
                    *((head.title,) if head.title else ()),
                    case_id,
                ),
            )
            seqs = list(range(last_seq + 1, last + 1))
            self._audit(
                conn,
                actor=principal.name,
                action="case.event",
                target=public_id,
                organisation_id=org_id,
                detail={"seqs": seqs, "kinds": [e.kind.value for e in new_events]},
                now=now,
            )
            return seqs

        return self._transaction("IMMEDIATE", work)

    def set_profile(
        self, principal: Principal, organisation: str, profile: OrganisationProfile, now: datetime
    ) -> None:
        """:meth:`CaseStore.set_profile` for the owner (who may create the organisation)."""
        check_profile(profile)
        _owner(principal)

        def work(conn: sqlite3.Connection) -> None:
            org_id = self._organisation(conn, organisation, profile.name)
            conn.execute(
                "UPDATE organisations SET name = ?, country = ?, address = ?, contact_email = ?, "
                "website = ?, is_steward = ?, profile_updated_at = ? WHERE id = ?",
                (
                    profile.name,
                    profile.country,
                    profile.address,
                    profile.contact_email,
                    profile.website,
                    int(profile.is_steward),
                    stored_time(now),
                    org_id,
                ),
            )
            self._audit(
                conn,
                actor=principal.name,
                action="organisation.profile",
                target=organisation,
                organisation_id=org_id,
                detail={"country": profile.country, "name": profile.name},
                now=now,
            )

        self._transaction("IMMEDIATE", work)
