"""What the `steward case` command modules share: options, times, opening the case store.

Kept free of heavy imports (no SQLAlchemy, no schema validators): ``steward case --help``
and every case command load this module before they know what they will need.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from steward.cli.console import info
from steward.errors import InputError, UsageError

if TYPE_CHECKING:
    from steward.disclosure.cases import Cases
    from steward.disclosure.reading import CaseReader

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="STEWARD_DB", help="Case database: SQLite path or postgresql:// URL."
    ),
]
TzOption = Annotated[
    str | None,
    typer.Option(
        "--tz", help="Time zone for times without an offset and for display, e.g. Europe/Berlin."
    ),
]


def user() -> str:
    """The author recorded on a local single-user store: the operating-system account.

    Not ``STEWARD_USER`` or any other self-declared name: it would make the recorded author a
    matter of an environment variable (issue 15, item 1). A shared store is reached through
    ``--server`` with a token, where the author is the token's account.
    """
    return getpass.getuser()


def now() -> datetime:
    return datetime.now(UTC)


_server: str | None = None


def use_server(url: str | None) -> None:
    """``steward case --server URL``: the commands work on a portfolio service's cases."""
    global _server
    _server = url


def open_cases(db: str | None, *, create: bool = False) -> Cases:
    """The case store at ``--db`` (or the default one); only ``create=True`` (commands that
    start a store: ``case new``, ``case profile set``) may create a missing database.

    A local SQLite store at the newest schema, or a new one (its schema from a checked-in
    script), is written through plain ``sqlite3`` (:meth:`Cases.open_local`, no SQLAlchemy to
    import); anything else — PostgreSQL, a store to migrate, a shared one, a file with a
    problem to name — through :meth:`Cases.open`. ``--server``: the service's API.
    """
    from steward.disclosure.cases import Cases

    if _server is not None:
        if db is not None:
            raise UsageError("--db and --server exclude each other")
        from steward.service.client import RemoteCases

        return RemoteCases(_server)  # type: ignore[return-value]
    cases = Cases.open_local(db, user(), create=create)
    if cases is not None:
        from steward.interrupts import last_commit_ahead

        # each case command writes once: a SIGTERM or Ctrl-C landing after that commit must
        # not exit 143/130 (which promises nothing was recorded)
        last_commit_ahead()
    else:
        cases = Cases.open(db, user(), create=create)
    creation_note = getattr(cases.store, "creation_note", None)  # (both local stores have it)
    note = creation_note() if create and creation_note is not None else None
    if note is not None:  # a new store: say where (a mistyped --db would otherwise pass)
        info(note)
    return cases


def read_cases(db: str | None) -> CaseReader:
    """The case store for a command that only reads: a local SQLite store through plain
    ``sqlite3`` when it can be (:func:`steward.disclosure.reading.open_reader`), else
    :func:`open_cases` (PostgreSQL, ``--server``, a store to migrate, errors to name)."""
    if _server is None:
        from steward.disclosure.reading import open_reader

        fast = open_reader(db)
        if fast is not None:
            return fast
        from steward.disclosure.cases import Cases

        return Cases.open(db, user(), create=False)
    return open_cases(db)


def parse_time(text: str, tz: str | None, option: str = "--at") -> datetime:
    """An ISO 8601 time in UTC. Without an offset it is read in ``--tz``; a local time that a
    daylight-saving change skips or repeats is refused, as are times out of range."""
    from steward.disclosure.localtime import localize, to_utc, zone

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not an ISO 8601 time") from None
    try:
        if moment.tzinfo is None:
            if tz is None:
                raise UsageError(
                    f"{option}: {text!r} has no offset; add one (e.g. +01:00, Z) or --tz"
                )
            return localize(moment, zone(tz, option="--tz"), what=option)
        return to_utc(moment, what=option)
    except UsageError:
        raise
    except InputError as exc:
        raise UsageError(exc.message) from None


def show_time(moment: datetime | None, tz: str | None) -> str:
    """``2026-11-24 20:40 UTC``, with the local time in ``--tz`` when given."""
    from steward.disclosure.localtime import zone

    if moment is None:
        return "—"
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if tz is not None:
        text += moment.astimezone(zone(tz, option="--tz")).strftime(" (%Y-%m-%d %H:%M %Z)")
    return text


def dump(data: Any) -> bytes:
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z)
