"""The offline vulnerability database: OSV advisories, package index, KEV, EUVD, EPSS.

A SQLite file of its own (default under the cache dir: it can always be rebuilt), separate
from the case store and its migrations. Tables (SQLAlchemy Core metadata in
:mod:`steward.store.vulndb_write`):

- ``advisories``: id, normalised ``modified``/``published``/``withdrawn`` timestamps, source,
  and the record itself as orjson bytes;
- ``affected_index``: (base ecosystem, normalised name) → advisory id, the lookup path;
- ``aliases``: alias (CVE, GHSA...) → advisory id;
- ``kev``, ``euvd``/``euvd_aliases``, ``epss``: the exploited and scoring feeds, replaced
  whole on each import (they are snapshots; an EUVD list that is not the whole exploited
  catalogue is merged instead, see :meth:`VulnDB.store_euvd`);
- ``euvd_ids``: ENISA's CVE → EUVD id mapping (every published CVE, exploited or not);
- ``meta``: key/value; ``feed:<name>`` holds a JSON description of each feed's last import
  (source, import time, entry count, catalogue date or version) for ``db status`` and for
  the "which feeds, how old" line of every report.

Writes go through SQLAlchemy (:class:`~steward.store.vulndb_write.Writer`), one transaction
per import. Reads go through the standard library's ``sqlite3`` with plain SQL: ``steward
vulns`` must start and match 10,000 components in well under a second, and importing
SQLAlchemy alone cost 0.2 s of that. Lookups are cached per package: the set of indexed
names of an ecosystem is loaded once, so a component without advisories costs a set lookup.
A database written by an older Steward that lacks a table reads as if that table were empty.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from steward.errors import InputError, NotFoundError, UsageError
from steward.store.location import check_sqlite_file, display_name, is_url
from steward.vuln.advisory import Advisory
from steward.vuln.names import normalise_name
from steward.vuln.versions import base_ecosystem

if TYPE_CHECKING:
    from steward.store.vulndb_write import Writer

Progress = Callable[[int, int | None], None]
CHUNK = 500  # ids per IN (...) query, below SQLite's default variable limit


def default_path() -> Path:
    """Where the vulnerability database lives unless told otherwise.

    The same rule as :func:`steward.store.engine.cache_dir` (``STEWARD_CACHE``, else the user
    cache directory), repeated here because that module imports SQLAlchemy.
    """
    cache = os.environ.get("STEWARD_CACHE")
    if cache:
        return Path(cache) / "vulndb.sqlite"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("steward")) / "vulndb.sqlite"


def normalise_timestamp(value: Any, *, source: str = "") -> str:
    """RFC 3339 text or a datetime → fixed-width UTC text that sorts chronologically."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise InputError(f"not an RFC 3339 timestamp: {text!r}", source=source) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class ImportStats:
    """What an import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True)
class OsvRecord:
    """A parsed OSV record and where it came from (for messages)."""

    source: str
    data: dict[str, Any]


@dataclass
class Exploitation:
    """What the exploitation feeds say about a set of ids (absent: not listed)."""

    kev: dict[str, dict[str, Any]] = field(default_factory=dict)
    euvd: dict[str, dict[str, Any]] = field(default_factory=dict)
    epss: dict[str, tuple[float, float]] = field(default_factory=dict)
    euvd_ids: dict[str, list[str]] = field(default_factory=dict)  # CVE → EUVD ids


#: the feeds :meth:`VulnDB.feeds` describes, in display order
FEEDS = ("osv", "kev", "euvd", "euvd_mapping", "epss")
#: feed → (its table, the query counting its rows)
_FEED_TABLES = {
    "osv": ("advisories", "SELECT count(*) FROM advisories"),
    "kev": ("kev", "SELECT count(*) FROM kev"),
    "euvd": ("euvd", "SELECT count(*) FROM euvd"),
    "euvd_mapping": ("euvd_ids", "SELECT count(*) FROM euvd_ids"),
    "epss": ("epss", "SELECT count(*) FROM epss"),
}


#: what databases written before feeds were described kept in ``meta``
_LEGACY_META = {
    "osv": (("osv_imported_at", "imported_at"),),
    "kev": (("kev_catalog_version", "catalog_version"),),
    "epss": (("epss_model_version", "model_version"), ("epss_score_date", "score_date")),
}


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _in(sql: str, values: Sequence[str]) -> str:
    """``sql`` with its ``(?*)`` replaced by one ``?`` placeholder per value."""
    return sql.replace("(?*)", "(" + ",".join("?" * len(values)) + ")")


class VulnDB:
    """The vulnerability database in one SQLite file (created on the first write)."""

    def __init__(self, path: str | Path | None = None, *, must_exist: bool = False) -> None:
        """``path``: the SQLite file (default :func:`default_path`). ``must_exist``: reading
        a missing file is a :class:`~steward.errors.NotFoundError` (commands given an
        explicit ``--db`` to read), not an empty database; nothing is created by reading.
        A URL is refused: this database is always a local file."""
        if path is not None and is_url(path):
            raise UsageError(
                f"--db {display_name(path)}: the vulnerability database is a local SQLite "
                "file, not a URL"
            )
        self.path = Path(path) if path is not None else default_path()
        self._must_exist = must_exist
        self._conn: sqlite3.Connection | None = None
        self._tables: frozenset[str] = frozenset()
        self._writer: Writer | None = None
        self._names: dict[str, frozenset[str]] = {}
        self._cache: dict[tuple[str, str, bool], list[Advisory]] = {}
        self._ecosystems: frozenset[str] | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> VulnDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------ reading

    def _db(self) -> sqlite3.Connection | None:
        """The read connection, or None while the file does not exist (an empty database)."""
        if self._conn is None:
            try:
                exists = check_sqlite_file(self.path, create=not self._must_exist, write=False)
            except NotFoundError:
                raise
            except InputError as exc:
                raise InputError(
                    f"not a vulnerability database ({exc.message})", source=self.path
                ) from None
            if not exists:
                return None
            try:
                conn = sqlite3.connect(self.path, timeout=30.0)
                self._tables = frozenset(
                    str(r[0])
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                )
            except sqlite3.DatabaseError as exc:
                raise InputError(
                    f"not a vulnerability database ({exc})", source=self.path
                ) from None
            self._conn = conn
        return self._conn

    def _query(self, sql: str, params: Sequence[Any] = (), *tables: str) -> list[Any]:
        """Rows of a read-only query; no rows when a table it needs does not exist."""
        conn = self._db()
        if conn is None or not set(tables) <= self._tables:
            return []
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"cannot read the vulnerability database: {exc}", source=self.path
            ) from None

    def count(self) -> int:
        rows = self._query("SELECT count(*) FROM advisories", (), "advisories")
        return int(rows[0][0]) if rows else 0

    def meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,), "meta")
        return str(rows[0][0]) if rows else None

    def feeds(self) -> dict[str, dict[str, Any] | None]:
        """Each feed's description (:data:`FEEDS`), None for a feed never imported.

        A feed is ``{"count", "imported_at", "source", ...}`` plus what the feed itself says
        about its age (``catalog_version``/``catalog_date`` for KEV, ``newest_entry`` for
        EUVD, ``model_version``/``score_date`` for EPSS). Databases written before feeds
        were described report the row count only.
        """
        out: dict[str, dict[str, Any] | None] = dict.fromkeys(FEEDS)
        for key, value in self._query(
            "SELECT key, value FROM meta WHERE key LIKE 'feed:%'", (), "meta"
        ):
            name = str(key)[len("feed:") :]
            if name in out:
                out[name] = dict(orjson.loads(value))
        for name, (table, counting) in _FEED_TABLES.items():
            if out[name] is None:
                rows = self._query(counting, (), table)
                if rows and rows[0][0]:
                    out[name] = {"count": int(rows[0][0]), "imported_at": None, "source": None}
                    out[name] |= {  # type: ignore[operator]
                        new: self.meta(old) for old, new in _LEGACY_META.get(name, ())
                    }
        return out

    def ecosystems(self) -> frozenset[str]:
        """The base ecosystems (``PyPI``, ``Go``...) the database holds advisories for."""
        if self._ecosystems is None:
            rows = self._query(
                "SELECT DISTINCT ecosystem FROM affected_index", (), "affected_index"
            )
            self._ecosystems = frozenset(str(r[0]) for r in rows)
        return self._ecosystems

    def record(self, advisory_id: str) -> dict[str, Any] | None:
        """The raw OSV record of an advisory id (or of an alias such as a CVE id)."""
        rows = self._query("SELECT data FROM advisories WHERE id = ?", (advisory_id,), "advisories")
        if not rows:
            rows = self._query(
                "SELECT a.data FROM advisories a JOIN aliases s ON s.advisory_id = a.id "
                "WHERE s.alias = ? ORDER BY a.id LIMIT 1",
                (advisory_id,),
                "advisories",
                "aliases",
            )
        return dict(orjson.loads(rows[0][0])) if rows else None

    def ids_for_alias(self, alias: str) -> list[str]:
        rows = self._query("SELECT advisory_id FROM aliases WHERE alias = ?", (alias,), "aliases")
        return sorted(str(r[0]) for r in rows)

    def _indexed_names(self, ecosystem: str) -> frozenset[str]:
        names = self._names.get(ecosystem)
        if names is None:
            rows = self._query(
                "SELECT name FROM affected_index WHERE ecosystem = ?",
                (ecosystem,),
                "affected_index",
            )
            names = self._names[ecosystem] = frozenset(str(r[0]) for r in rows)
        return names

    def advisories_for(
        self, ecosystem: str, name: str, *, include_withdrawn: bool = False
    ) -> list[Advisory]:
        """Advisories naming the package, ranges compiled for it; cached per package.

        ``ecosystem`` is an OSV name; with a suffix (``Debian:12``) only entries of that
        release count. Withdrawn advisories are left out unless asked for.
        """
        key = (ecosystem, name, include_withdrawn)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = base_ecosystem(ecosystem)
        norm = normalise_name(base, name)
        result: list[Advisory] = []
        if norm in self._indexed_names(base):
            seen: set[bytes] = set()
            for data, full, withdrawn in self._query(
                "SELECT a.data, i.full_ecosystem, a.withdrawn FROM advisories a "
                "JOIN affected_index i ON i.advisory_id = a.id "
                "WHERE i.ecosystem = ? AND i.name = ? ORDER BY a.id",
                (base, norm),
                "advisories",
                "affected_index",
            ):
                if ":" in ecosystem and full != ecosystem:
                    continue
                if (withdrawn is not None and not include_withdrawn) or data in seen:
                    continue
                seen.add(data)
                adv = Advisory.from_record(orjson.loads(data), ecosystem, name)
                if adv.affected:
                    result.append(adv)
        self._cache[key] = result
        return result

    def preload(self, packages: Iterable[tuple[str, str]]) -> None:
        """Fill the per-package cache for many (ecosystem, name) pairs with batched queries.

        Gives the same advisories as :meth:`advisories_for` (which then answers from the
        cache); release-scoped ecosystems (``Debian:12``) are left to it.
        """
        todo: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for ecosystem, name in set(packages):
            if (ecosystem, name, False) in self._cache or ":" in ecosystem:
                continue
            base = base_ecosystem(ecosystem)
            norm = normalise_name(base, name)
            if norm not in self._indexed_names(base):
                self._cache[(ecosystem, name, False)] = []
                continue
            todo.setdefault((base, norm), set()).add((ecosystem, name))
        if not todo:
            return
        rows: dict[tuple[str, str], list[tuple[bytes, Any]]] = {}
        by_ecosystem: dict[str, list[str]] = {}
        for base, norm in sorted(todo):
            by_ecosystem.setdefault(base, []).append(norm)
        for base, names in by_ecosystem.items():
            for chunk in _chunks(names):
                for data, withdrawn, name in self._query(
                    _in(
                        "SELECT a.data, a.withdrawn, i.name FROM advisories a "
                        "JOIN affected_index i ON i.advisory_id = a.id "
                        "WHERE i.ecosystem = ? AND i.name IN (?*) ORDER BY a.id",
                        chunk,
                    ),
                    (base, *chunk),
                    "advisories",
                    "affected_index",
                ):
                    rows.setdefault((base, name), []).append((data, withdrawn))
        parsed: dict[bytes, dict[str, Any]] = {}
        for pair, wanted in todo.items():
            for ecosystem, name in wanted:
                result: list[Advisory] = []
                seen: set[bytes] = set()
                for data, withdrawn in rows.get(pair, []):
                    if withdrawn is not None or data in seen:
                        continue
                    seen.add(data)
                    record = parsed.get(data)
                    if record is None:
                        record = parsed[data] = orjson.loads(data)
                    adv = Advisory.from_record(record, ecosystem, name)
                    if adv.affected:
                        result.append(adv)
                self._cache[(ecosystem, name, False)] = result

    def _feed_row(self, sql: str, value: str, *tables: str) -> dict[str, Any] | None:
        rows = self._query(sql, (value,), *tables)
        return dict(orjson.loads(rows[0][0])) if rows else None

    def kev(self, cve_id: str) -> dict[str, Any] | None:
        """The CISA KEV entry of a CVE, or None."""
        return self._feed_row("SELECT data FROM kev WHERE cve_id = ?", cve_id, "kev")

    def euvd_ids(self, cve_id: str) -> list[str]:
        """The EUVD ids ENISA's mapping gives a CVE (empty if none or not imported)."""
        rows = self._query(
            "SELECT euvd_id FROM euvd_ids WHERE cve_id = ? ORDER BY euvd_id", (cve_id,), "euvd_ids"
        )
        return [str(r[0]) for r in rows]

    def euvd(self, id_or_alias: str) -> dict[str, Any] | None:
        """The ENISA EUVD exploited-list entry of an EUVD id or of a CVE alias, or None."""
        found = self._feed_row("SELECT data FROM euvd WHERE euvd_id = ?", id_or_alias, "euvd")
        if found is None:
            found = self._feed_row(
                "SELECT e.data FROM euvd e JOIN euvd_aliases a ON a.euvd_id = e.euvd_id "
                "WHERE a.alias = ? LIMIT 1",
                id_or_alias,
                "euvd",
                "euvd_aliases",
            )
        return found

    def epss(self, cve_id: str) -> tuple[float, float] | None:
        """(EPSS probability, percentile) of a CVE, or None."""
        rows = self._query("SELECT epss, percentile FROM epss WHERE cve_id = ?", (cve_id,), "epss")
        return (float(rows[0][0]), float(rows[0][1])) if rows else None

    def exploitation(self, ids: Iterable[str]) -> Exploitation:
        """KEV entries, EUVD entries and EPSS scores for many CVE (or EUVD) ids at once.

        Chunked ``IN`` queries on one connection: matching a large SBOM asks about thousands
        of CVEs, and one query per id per feed cost seconds.
        """
        wanted = sorted(set(ids))
        found = Exploitation()
        for chunk in _chunks(wanted):
            for cve, data in self._query(
                _in("SELECT cve_id, data FROM kev WHERE cve_id IN (?*)", chunk),
                chunk,
                "kev",
            ):
                found.kev[cve] = dict(orjson.loads(data))
            for cve, score, percentile in self._query(
                _in("SELECT cve_id, epss, percentile FROM epss WHERE cve_id IN (?*)", chunk),
                chunk,
                "epss",
            ):
                found.epss[cve] = (float(score), float(percentile))
            for alias, data in self._query(
                _in(
                    "SELECT a.alias, e.data FROM euvd_aliases a "
                    "JOIN euvd e ON e.euvd_id = a.euvd_id WHERE a.alias IN (?*)",
                    chunk,
                ),
                chunk,
                "euvd",
                "euvd_aliases",
            ):
                found.euvd.setdefault(alias, dict(orjson.loads(data)))
            for euvd_id, data in self._query(
                _in("SELECT euvd_id, data FROM euvd WHERE euvd_id IN (?*)", chunk),
                chunk,
                "euvd",
            ):
                found.euvd.setdefault(euvd_id, dict(orjson.loads(data)))
            for cve, euvd_id in self._query(
                _in(
                    "SELECT cve_id, euvd_id FROM euvd_ids WHERE cve_id IN (?*) ORDER BY euvd_id",
                    chunk,
                ),
                chunk,
                "euvd_ids",
            ):
                found.euvd_ids.setdefault(cve, []).append(euvd_id)
        return found

    # ------------------------------------------------------------------------ writing

    def _write(self) -> Writer:
        """The writer (SQLAlchemy, imported now); caches are dropped after every write."""
        from steward.store.vulndb_write import Writer

        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._names.clear()
        self._cache.clear()
        self._ecosystems = None
        if self._writer is None:
            self._writer = Writer(self.path)
        return self._writer

    def import_osv(
        self,
        records: Iterable[OsvRecord],
        *,
        progress: Progress | None = None,
        total: int | None = None,
        source: str | None = None,
    ) -> ImportStats:
        """Add or update OSV records in one transaction; unchanged ``modified`` is skipped.

        ``source`` describes where the records came from, for ``db status``. Any exception
        (a bad record, a hostile archive found half-way) rolls everything back.
        """
        return self._write().import_osv(records, progress=progress, total=total, source=source)

    def replace_feed(
        self, table: str, rows: Sequence[dict[str, Any]], *, info: dict[str, Any] | None = None
    ) -> int:
        """Replace a feed (``kev``, ``epss``, ``euvd_mapping``) whole, in one transaction.

        ``info`` (source, catalogue date or version...) becomes the feed's description, with
        the import time and count added; what an earlier import said is dropped, so a new
        snapshot never inherits the old one's date.
        """
        return self._write().replace_feed(table, rows, info=info)

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
        return self._write().store_euvd(entries, aliases, complete=complete, info=info)
