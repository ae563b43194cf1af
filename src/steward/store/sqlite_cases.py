"""Reading a local single-user case store with plain ``sqlite3``: the fast path of `steward case`.

The commands that only read cases (``case list``, ``show``, ``due``, ``report``,
``advisory``, ``profile show``) spend most of their start-up importing SQLAlchemy, its ORM
models and Alembic; on a local SQLite store they read the same rows through the standard
library instead (as ``steward vulns`` reads its vulnerability database, see
:mod:`steward.store.vulndb`). Written here rather than with SQLAlchemy for that reason only;
the queries mirror :class:`steward.store.cases.CaseStore` row for row, and tests compare the
two paths' outputs on the same databases.

Access is the same as the full path's: a local SQLite file is a single-user store whose
owner sees every case (:meth:`CaseStore.local_principal`), and reading cases as the owner is
not audited. :meth:`SqliteCases.open` takes the fast path only when that holds and nothing
needs the full path; it returns ``None`` (the caller then opens :class:`CaseStore`, which
migrates, refuses and names errors) for:

- a URL (PostgreSQL or other) instead of a file path, or a missing file;
- a file that is not a SQLite database, or any ``sqlite3`` error while checking;
- a schema revision other than :data:`HEAD_REVISION` (an older store must be migrated, a
  newer or foreign one refused; a test keeps the literal equal to Alembic's real head);
- a shared store (service accounts with passwords, or API tokens): there a self-declared
  user name gives no access and the full path refuses it.

The commands that write (``case new``, ``event``, ``set`` ...) use the same path through
:class:`steward.store.sqlite_writes.SqliteCaseStore`, which adds writing to these reads.

Times are stored by SQLAlchemy's SQLite dialect as naive UTC text
(``2026-11-24 20:40:00.000000``) and returned timezone-aware UTC, like
:class:`steward.store.types.UtcDateTime`; event data is JSON text.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from steward.disclosure.vocabulary import CaseKind, Event, EventKind
from steward.errors import NotFoundError, UsageError
from steward.store.location import SQLITE_HEADER, is_url
from steward.store.records import OrganisationProfile, StoredCase

#: the newest schema revision (``steward/store/migrations/versions``); checked by a test
HEAD_REVISION = "0002"

_CASE_COLUMNS = (
    "c.id, c.public_id, p.slug, o.slug, c.kind, c.title, c.state, c.created_at, c.created_by, "
    "c.updated_at, c.embargo_active, c.embargo_until, c.published_at, p.id, o.id"
)
_CASE_FROM = (
    "FROM cases c JOIN projects p ON p.id = c.project_id "
    "JOIN organisations o ON o.id = p.organisation_id"
)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _required_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _is_public(
    published_at: datetime | None, active: bool, until: datetime | None, now: datetime
) -> bool:
    """:func:`steward.store.cases._is_public` on the row's values."""
    if published_at is None:
        return False
    running = active and (until is None or until > now)
    return not running


def connect_file(path: str) -> sqlite3.Connection | None:
    """A connection (autocommit: the caller begins its transactions) to the regular SQLite
    file at ``path``; ``None`` for a URL, anything but a SQLite file, or a ``sqlite3`` error."""
    try:
        if is_url(path):
            return None
        file = Path(path).expanduser().absolute()
        if not stat.S_ISREG(file.stat().st_mode):  # a FIFO would block the read below
            return None
        with file.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        return sqlite3.connect(str(file), timeout=30.0, isolation_level=None)
    except (OSError, UsageError, sqlite3.Error):
        return None


def fits(conn: sqlite3.Connection) -> bool:
    """Whether the store is one this path serves: at :data:`HEAD_REVISION` and not shared
    (no service account with a password, no API token). Run inside a transaction."""
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(HEAD_REVISION,)]:
        return False
    shared = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM users WHERE password_hash IS NOT NULL) "
        "OR EXISTS (SELECT 1 FROM api_tokens)"
    ).fetchone()
    return shared is not None and not shared[0]


def event_of(seq: int, kind: str, occurred: str, recorded: str, actor: str, data: str) -> Event:
    """An event from its stored columns (times as SQLAlchemy's SQLite dialect writes them)."""
    return Event(
        seq=seq,
        kind=EventKind(kind),
        occurred_at=_required_time(occurred),
        recorded_at=_required_time(recorded),
        actor=actor,
        data=dict(json.loads(data)),
    )


class SqliteCases:
    """The read side of :class:`~steward.store.cases.CaseStore` for its local owner.

    ``principal`` arguments are accepted for the same signatures and not consulted: the
    owner of a local store sees every case (see the module docstring).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, path: str) -> SqliteCases | None:
        """The store at ``path`` when the fast path applies, else ``None`` (see the module)."""
        conn = connect_file(path)
        if conn is None:
            return None
        try:
            conn.execute("BEGIN")  # one snapshot for every query of the command
            if not fits(conn):
                raise LookupError
        except (sqlite3.Error, LookupError):
            conn.close()
            return None
        return cls(conn)

    def close(self) -> None:
        self._conn.close()

    # ------------------------------------------------------------------------ cases

    def _cases(
        self, where: str, params: Sequence[Any], now: datetime, with_events: bool
    ) -> list[StoredCase]:
        rows = self._conn.execute(
            f"SELECT {_CASE_COLUMNS} {_CASE_FROM} {where} ORDER BY c.id", params
        ).fetchall()
        events: dict[int, list[Event]] = {row[0]: [] for row in rows}
        if with_events and rows:
            query = (  # literal clauses only; every value is a parameter
                "SELECT e.case_id, e.seq, e.kind, e.occurred_at, e.recorded_at, e.actor, e.data "  # noqa: S608
                f"FROM case_events e WHERE e.case_id IN (SELECT c.id {_CASE_FROM} {where}) "
                "ORDER BY e.case_id, e.seq"
            )
            for case_id, *columns in self._conn.execute(query, params):
                events[case_id].append(event_of(*columns))
        out = []
        for row in rows:
            embargo_until, published_at = _time(row[11]), _time(row[12])
            out.append(
                StoredCase(
                    public_id=row[1],
                    project=row[2],
                    organisation=row[3],
                    kind=CaseKind(row[4]),
                    title=row[5],
                    state=row[6],
                    created_at=_required_time(row[7]),
                    created_by=row[8],
                    updated_at=_required_time(row[9]),
                    embargo_active=bool(row[10]),
                    embargo_until=embargo_until,
                    events=tuple(events[row[0]]),
                    published_at=published_at,
                    private=not _is_public(published_at, bool(row[10]), embargo_until, now),
                    project_id=row[13],
                    organisation_id=row[14],
                )
            )
        return out

    def get(self, principal: object, public_id: str, *, now: datetime) -> StoredCase:
        """One case (NotFoundError naming it when there is none)."""
        found = self._cases("WHERE c.public_id = ?", (public_id,), now, True)
        if not found:
            raise NotFoundError(f"no case {public_id!r}")
        return found[0]

    def list(
        self,
        principal: object,
        *,
        now: datetime,
        states: Sequence[str] = (),
        kind: CaseKind | None = None,
        with_events: bool = False,
    ) -> list[StoredCase]:
        """The cases, oldest first, filtered like :meth:`CaseStore.list`."""
        where: list[str] = []
        params: list[Any] = []
        if states:
            where.append(f"c.state IN ({', '.join('?' for _ in states)})")
            params.extend(states)
        if kind is not None:
            where.append("c.kind = ?")
            params.append(kind.value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._cases(clause, params, now, with_events)

    # ---------------------------------------------------------------- organisations

    _PROFILE = (
        "SELECT o.name, o.country, o.address, o.contact_email, o.website, o.is_steward, "
        "o.profile_updated_at FROM organisations o"
    )

    @staticmethod
    def _profile(row: Sequence[Any]) -> OrganisationProfile | None:
        if row[6] is None:
            return None
        return OrganisationProfile(
            name=row[0],
            country=row[1],
            address=row[2],
            contact_email=row[3],
            website=row[4],
            is_steward=bool(row[5]),
        )

    def get_profile(self, principal: object, organisation: str) -> OrganisationProfile | None:
        """The organisation's profile; None if it has none (or there is no organisation)."""
        row = self._conn.execute(f"{self._PROFILE} WHERE o.slug = ?", (organisation,)).fetchone()
        return None if row is None else self._profile(row)

    def profile_for_case(
        self, principal: object, public_id: str, *, now: datetime
    ) -> OrganisationProfile | None:
        """The profile of the organisation a case belongs to (NotFoundError for no case)."""
        row = self._conn.execute(
            f"{self._PROFILE} JOIN projects p ON p.organisation_id = o.id "
            "JOIN cases c ON c.project_id = p.id WHERE c.public_id = ?",
            (public_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no case {public_id!r}")
        return self._profile(row)
