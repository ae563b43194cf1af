"""Writing the vulnerability database (SQLAlchemy Core): schema, OSV import, feed snapshots.

The tables are described in :mod:`steward.store.vulndb`. This module holds the SQLAlchemy
metadata and every write; it is imported only by imports and updates, so matching (which
reads through the standard library's ``sqlite3``) never pays for importing SQLAlchemy.
Each write is one ``BEGIN IMMEDIATE`` transaction: a failed import leaves the previous
contents in place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Float,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DatabaseError, IntegrityError, InterfaceError, OperationalError

from steward.errors import InputError
from steward.interrupts import commit_point
from steward.store.engine import database_error, make_engine
from steward.store.vulndb import ImportStats, OsvRecord, Progress, normalise_timestamp
from steward.vuln.names import normalise_name
from steward.vuln.versions import base_ecosystem

BATCH = 2000

metadata = MetaData()

advisories = Table(
    "advisories",
    metadata,
    Column("id", String, primary_key=True),
    Column("modified", String, nullable=False),
    Column("published", String),
    Column("withdrawn", String),
    Column("source", String),
    Column("data", LargeBinary, nullable=False),
)
affected_index = Table(
    "affected_index",
    metadata,
    Column("ecosystem", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("advisory_id", String, primary_key=True),
    Column("full_ecosystem", String, primary_key=True),
)
aliases_table = Table(
    "aliases",
    metadata,
    Column("alias", String, primary_key=True),
    Column("advisory_id", String, primary_key=True),
    Index("ix_aliases_advisory", "advisory_id"),
)
kev_table = Table(
    "kev",
    metadata,
    Column("cve_id", String, primary_key=True),
    Column("date_added", String),
    Column("due_date", String),
    Column("ransomware", String),
    Column("data", LargeBinary, nullable=False),
)
euvd_table = Table(
    "euvd",
    metadata,
    Column("euvd_id", String, primary_key=True),
    Column("exploited_since", String),
    Column("data", LargeBinary, nullable=False),
)
euvd_aliases = Table(
    "euvd_aliases",
    metadata,
    Column("alias", String, primary_key=True),
    Column("euvd_id", String, primary_key=True),
)
euvd_ids_table = Table(
    "euvd_ids",
    metadata,
    Column("cve_id", String, primary_key=True),
    Column("euvd_id", String, primary_key=True),
)
epss_table = Table(
    "epss",
    metadata,
    Column("cve_id", String, primary_key=True),
    Column("epss", Float, nullable=False),
    Column("percentile", Float, nullable=False),
)
meta_table = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", String, nullable=False),
)


class Writer:
    """Writes to one vulnerability database file (created, with its tables, on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        with self._driver_errors():
            metadata.create_all(self.engine)

    @contextlib.contextmanager
    def _driver_errors(self) -> Iterator[None]:
        """A driver error about the file (corrupt, read-only, disk full) names the database."""
        try:
            yield
        except (OperationalError, InterfaceError) as exc:
            raise database_error(exc, self.path, "write") from None
        except DatabaseError as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise database_error(exc, self.path, "write") from None

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction; its commit is a :func:`~steward.interrupts.commit_point`."""
        with (
            self._driver_errors(),
            self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
        ):
            transaction = conn.begin()
            try:
                yield conn
            except BaseException:
                transaction.rollback()
                raise
            with commit_point():
                transaction.commit()

    def import_osv(
        self,
        records: Iterable[OsvRecord],
        *,
        progress: Progress | None = None,
        total: int | None = None,
        source: str | None = None,
    ) -> ImportStats:
        """Add or update OSV records in one transaction; unchanged ``modified`` is skipped.

        ``source`` describes where the records came from, for ``db status``.

        Any exception (a bad record, a hostile archive found half-way) rolls everything back.
        """
        stats = ImportStats()
        with self._write() as conn:
            known = dict(conn.execute(select(advisories.c.id, advisories.c.modified)).all())
            rows: list[dict[str, Any]] = []
            done = 0
            for rec in records:
                done += 1
                row = _advisory_row(rec)
                old = known.get(row["id"])
                if old is not None and row["modified"] <= old:
                    stats.unchanged += 1
                else:
                    if old is None:
                        stats.added += 1
                    else:
                        stats.updated += 1
                    stats.withdrawn += row["withdrawn"] is not None
                    known[row["id"]] = row["modified"]
                    rows.append(row)
                    if len(rows) >= BATCH:
                        _flush(conn, rows)
                        rows = []
                if progress is not None and (done % 500 == 0):
                    progress(done, total)
            _flush(conn, rows)
            now = normalise_timestamp(datetime.now(UTC))
            total = conn.execute(select(func.count()).select_from(advisories)).scalar_one()
            info = {"imported_at": now, "count": int(total), "source": source}
            conn.execute(
                insert(meta_table).prefix_with("OR REPLACE"),
                [
                    {"key": "osv_imported_at", "value": now},
                    {"key": "feed:osv", "value": orjson.dumps(info).decode()},
                ],
            )
        if progress is not None:
            progress(done, total if total is not None else done)
        return stats

    def replace_feed(
        self,
        table: str,
        rows: Sequence[dict[str, Any]],
        *,
        info: dict[str, Any] | None = None,
    ) -> int:
        """Replace a feed table (``kev``, ``epss``, ``euvd_mapping``) whole, in one transaction.

        ``info`` (source, catalogue date or version...) becomes the feed's description, with
        the import time and count added; what an earlier import said is dropped, so a new
        snapshot never inherits the old one's date.
        """
        target = {"kev": kev_table, "epss": epss_table, "euvd_mapping": euvd_ids_table}[table]
        with self._write() as conn:
            conn.execute(delete(target))
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(target).prefix_with("OR REPLACE"), rows[start : start + BATCH])
            self._describe(conn, table, len(rows), info)
        return len(rows)

    def store_euvd(
        self,
        entries: Sequence[dict[str, Any]],
        aliases: Sequence[dict[str, Any]],
        *,
        complete: bool,
        info: dict[str, Any] | None = None,
    ) -> int:
        """Store EUVD exploited entries (``euvd_id``, ``exploited_since``, ``data``).

        ``complete``: the entries are the whole exploited catalogue and replace what is
        stored; otherwise (a "latest exploited" list) they are added to it, so a partial
        list never drops entries. Returns the number of entries stored afterwards.
        """
        with self._write() as conn:
            if complete:
                conn.execute(delete(euvd_table))
                conn.execute(delete(euvd_aliases))
            for start in range(0, len(entries), BATCH):
                conn.execute(
                    insert(euvd_table).prefix_with("OR REPLACE"), entries[start : start + BATCH]
                )
            for start in range(0, len(aliases), BATCH):
                conn.execute(
                    insert(euvd_aliases).prefix_with("OR IGNORE"), aliases[start : start + BATCH]
                )
            total = int(conn.execute(select(func.count()).select_from(euvd_table)).scalar_one())
            self._describe(conn, "euvd", total, info)
        return total

    def _describe(
        self, conn: Connection, feed: str, count: int, info: dict[str, Any] | None
    ) -> None:
        described = {
            **(info or {}),
            "count": count,
            "imported_at": normalise_timestamp(datetime.now(UTC)),
        }
        conn.execute(delete(meta_table).where(meta_table.c.key.like(f"{feed}\\_%", escape="\\")))
        conn.execute(
            insert(meta_table).prefix_with("OR REPLACE"),
            [{"key": f"feed:{feed}", "value": orjson.dumps(described).decode()}],
        )


def _advisory_row(rec: OsvRecord) -> dict[str, Any]:
    data = rec.data
    adv_id = data.get("id")
    if not isinstance(adv_id, str) or not adv_id.strip():
        raise InputError("OSV record without an id", source=rec.source)
    if "modified" not in data:
        raise InputError(f"OSV record {adv_id} has no 'modified' time", source=rec.source)
    affected = data.get("affected") or []
    if not isinstance(affected, list):
        raise InputError(f"OSV record {adv_id}: 'affected' is not a list", source=rec.source)
    packages: set[tuple[str, str, str]] = set()
    for aff in affected:
        pkg = aff.get("package") if isinstance(aff, dict) else None
        if not isinstance(pkg, dict):
            continue
        eco, name = pkg.get("ecosystem"), pkg.get("name")
        if isinstance(eco, str) and isinstance(name, str) and eco and name:
            base = base_ecosystem(eco)
            packages.add((base, normalise_name(base, name), eco))
    aliases = [a for a in data.get("aliases") or () if isinstance(a, str)]
    withdrawn = data.get("withdrawn")
    return {
        "id": adv_id,
        "modified": normalise_timestamp(data["modified"], source=rec.source),
        "published": (
            normalise_timestamp(data["published"], source=rec.source)
            if data.get("published")
            else None
        ),
        "withdrawn": normalise_timestamp(withdrawn, source=rec.source) if withdrawn else None,
        "source": rec.source,
        "data": orjson.dumps(data, option=orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z),
        "_packages": packages,
        "_aliases": aliases,
    }


def _flush(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(delete(affected_index).where(affected_index.c.advisory_id.in_(chunk)))
        conn.execute(delete(aliases_table).where(aliases_table.c.advisory_id.in_(chunk)))
    conn.execute(
        insert(advisories).prefix_with("OR REPLACE"),
        [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
    )
    index_rows = [
        {"ecosystem": base, "name": name, "advisory_id": r["id"], "full_ecosystem": full}
        for r in rows
        for base, name, full in r["_packages"]
    ]
    if index_rows:
        conn.execute(insert(affected_index).prefix_with("OR IGNORE"), index_rows)
    alias_rows = [{"alias": a, "advisory_id": r["id"]} for r in rows for a in r["_aliases"]]
    if alias_rows:
        conn.execute(insert(aliases_table).prefix_with("OR IGNORE"), alias_rows)
