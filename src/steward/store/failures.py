"""Driver failures of a store, in words both database paths share (no SQLAlchemy here).

The SQLAlchemy store (:mod:`steward.store.base`, :mod:`steward.store.engine`) and the plain
``sqlite3`` path of a local store (:mod:`steward.store.sqlite_writes`) retry the same
failures and name an unusable database in the same line, from the driver's message:

- retried: a lock or busy timeout, a deadlock or serialisation failure, and a unique or
  primary-key conflict (another writer took the same key first);
- unusable (:class:`DatabaseUnusable`, exit 2): the database itself failed — unreachable,
  corrupt, read-only, disk full — named with the driver's first line.
"""

from __future__ import annotations

from pathlib import Path

from steward.errors import InputError
from steward.store.location import display_name

#: attempts of a write transaction (waits 0.01 s, doubling, between them)
RETRIES = 8


class DatabaseUnusable(InputError):
    """The database itself failed (unreachable, corrupt, read-only, disk full), not a row:
    callers that skip bad rows must stop on this one."""

    def __init__(self, message: str, *, source: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message, source=source)


def unusable(driver_message: str, url_or_path: str | Path, doing: str) -> DatabaseUnusable:
    """``cannot DOING the database: <the driver's first line>``, naming the database."""
    detail = driver_message.strip().splitlines()
    reason = detail[0] if detail else "database error"
    return DatabaseUnusable(
        f"cannot {doing} the database: {reason}", source=display_name(url_or_path), reason=reason
    )


def retryable_message(driver_message: str, *, conflict: bool) -> bool:
    """Whether a failure is worth another attempt: a key conflict (``conflict``: the driver
    raised an integrity error) or a lock, busy, deadlock or serialisation failure."""
    text = driver_message.lower()
    if conflict:
        return "unique" in text or "duplicate" in text or "primary key" in text
    return any(
        word in text
        for word in ("locked", "busy", "deadlock", "could not serialize", "lock timeout")
    )
