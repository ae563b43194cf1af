"""The offline vulnerability database: OSV advisories, package index, KEV, EUVD, EPSS.

A SQLite file of its own (default under the cache dir: it can always be rebuilt), with its own
SQLAlchemy Core metadata, separate from the case store and its migrations. Tables:

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

Writes happen in one transaction per import, so a failed import leaves the previous contents
in place. Lookups are cached per package: the set of indexed names of an ecosystem is loaded
once, so a component without advisories costs a set lookup, not a query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
    bindparam,
    delete,
    func,
    insert,
    select,
)

from steward.errors import InputError
from steward.store.engine import cache_dir, make_engine
from steward.vuln.advisory import Advisory
from steward.vuln.names import normalise_name
from steward.vuln.versions import base_ecosystem

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

Progress = Callable[[int, int | None], None]
BATCH = 2000


def default_path() -> Path:
    """Where the vulnerability database lives unless told otherwise."""
    return cache_dir() / "vulndb.sqlite"


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
_FEED_TABLES = {"kev": "kev", "euvd": "euvd", "euvd_mapping": "euvd_ids", "epss": "epss"}


class VulnDB:
    """The vulnerability database in one SQLite file (created on first use)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.engine = make_engine(self.path)
        metadata.create_all(self.engine)
        self._names: dict[str, frozenset[str]] = {}
        self._lookup = (
            select(advisories.c.data, affected_index.c.full_ecosystem, advisories.c.withdrawn)
            .join(affected_index, affected_index.c.advisory_id == advisories.c.id)
            .where(
                affected_index.c.ecosystem == bindparam("eco"),
                affected_index.c.name == bindparam("name"),
            )
            .order_by(advisories.c.id)
        )
        self._reader: Connection | None = None
        self._cache: dict[tuple[str, str, bool], list[Advisory]] = {}
        self._ecosystems: frozenset[str] | None = None

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.engine.dispose()

    def _read(self) -> Connection:
        """One long-lived read connection for lookups (a fresh one after each write)."""
        if self._reader is None:
            self._reader = self.engine.connect()
        return self._reader

    def __enter__(self) -> VulnDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        with (
            self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
            conn.begin(),
        ):
            yield conn
        self._names.clear()
        self._cache.clear()
        self._ecosystems = None

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

    # ------------------------------------------------------------------------ reading

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(advisories)).scalar_one())

    def meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta_table.c.value).where(meta_table.c.key == key))
            return value.scalar_one_or_none()

    def feeds(self) -> dict[str, dict[str, Any] | None]:
        """Each feed's description (:data:`FEEDS`), None for a feed never imported.

        A feed is ``{"count", "imported_at", "source", ...}`` plus what the feed itself says
        about its age (``catalog_version``/``catalog_date`` for KEV, ``newest_entry`` for
        EUVD, ``model_version``/``score_date`` for EPSS). Databases written before feeds
        were described report the row count only.
        """
        out: dict[str, dict[str, Any] | None] = dict.fromkeys(FEEDS)
        with self.engine.connect() as conn:
            for key, value in conn.execute(
                select(meta_table.c.key, meta_table.c.value).where(meta_table.c.key.like("feed:%"))
            ):
                name = str(key)[len("feed:") :]
                if name in out:
                    out[name] = dict(orjson.loads(value))
            for name, table_name in _FEED_TABLES.items():
                if out[name] is None:
                    table = metadata.tables[table_name]
                    count = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                    if count:
                        out[name] = {"count": count, "imported_at": None, "source": None}
            if out["osv"] is None:
                count = int(conn.execute(select(func.count()).select_from(advisories)).scalar_one())
                if count:
                    out["osv"] = {"count": count, "imported_at": None, "source": None}
        return out

    def ecosystems(self) -> frozenset[str]:
        """The base ecosystems (``PyPI``, ``Go``...) the database holds advisories for."""
        if self._ecosystems is None:
            conn = self._read()
            rows = conn.execute(select(affected_index.c.ecosystem).distinct())
            self._ecosystems = frozenset(str(r[0]) for r in rows)
            conn.rollback()
        return self._ecosystems

    def record(self, advisory_id: str) -> dict[str, Any] | None:
        """The raw OSV record of an advisory id (or of an alias such as a CVE id)."""
        with self.engine.connect() as conn:
            data = conn.execute(
                select(advisories.c.data).where(advisories.c.id == advisory_id)
            ).scalar_one_or_none()
            if data is None:
                data = conn.execute(
                    select(advisories.c.data)
                    .join(aliases_table, aliases_table.c.advisory_id == advisories.c.id)
                    .where(aliases_table.c.alias == advisory_id)
                    .order_by(advisories.c.id)
                    .limit(1)
                ).scalar_one_or_none()
        return None if data is None else dict(orjson.loads(data))

    def ids_for_alias(self, alias: str) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(aliases_table.c.advisory_id).where(aliases_table.c.alias == alias)
            )
            return sorted(r[0] for r in rows)

    def _indexed_names(self, ecosystem: str) -> frozenset[str]:
        names = self._names.get(ecosystem)
        if names is None:
            conn = self._read()
            rows = conn.execute(
                select(affected_index.c.name).where(affected_index.c.ecosystem == ecosystem)
            )
            names = self._names[ecosystem] = frozenset(r[0] for r in rows)
            conn.rollback()
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
            conn = self._read()
            seen: set[bytes] = set()
            for data, full, withdrawn in conn.execute(self._lookup, {"eco": base, "name": norm}):
                if ":" in ecosystem and full != ecosystem:
                    continue
                if (withdrawn is not None and not include_withdrawn) or data in seen:
                    continue
                seen.add(data)
                adv = Advisory.from_record(orjson.loads(data), ecosystem, name)
                if adv.affected:
                    result.append(adv)
            conn.rollback()  # end the read transaction so later writes are seen
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
        conn = self._read()
        by_ecosystem: dict[str, list[str]] = {}
        for base, norm in sorted(todo):
            by_ecosystem.setdefault(base, []).append(norm)
        for base, names in by_ecosystem.items():
            for start in range(0, len(names), 500):
                query = (
                    select(advisories.c.data, advisories.c.withdrawn, affected_index.c.name)
                    .join(affected_index, affected_index.c.advisory_id == advisories.c.id)
                    .where(
                        affected_index.c.ecosystem == base,
                        affected_index.c.name.in_(names[start : start + 500]),
                    )
                    .order_by(advisories.c.id)
                )
                for data, withdrawn, name in conn.execute(query):
                    rows.setdefault((base, name), []).append((data, withdrawn))
        conn.rollback()
        for pair, wanted in todo.items():
            for ecosystem, name in wanted:
                result: list[Advisory] = []
                seen: set[bytes] = set()
                for data, withdrawn in rows.get(pair, []):
                    if withdrawn is not None or data in seen:
                        continue
                    seen.add(data)
                    adv = Advisory.from_record(orjson.loads(data), ecosystem, name)
                    if adv.affected:
                        result.append(adv)
                self._cache[(ecosystem, name, False)] = result

    def kev(self, cve_id: str) -> dict[str, Any] | None:
        """The CISA KEV entry of a CVE, or None."""
        return self._feed_row(kev_table, kev_table.c.cve_id, cve_id)

    def euvd_ids(self, cve_id: str) -> list[str]:
        """The EUVD ids ENISA's mapping gives a CVE (empty if none or not imported)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(euvd_ids_table.c.euvd_id)
                .where(euvd_ids_table.c.cve_id == cve_id)
                .order_by(euvd_ids_table.c.euvd_id)
            )
            return [str(r[0]) for r in rows]

    def euvd(self, id_or_alias: str) -> dict[str, Any] | None:
        """The ENISA EUVD exploited-list entry of an EUVD id or of a CVE alias, or None."""
        with self.engine.connect() as conn:
            data = conn.execute(
                select(euvd_table.c.data)
                .outerjoin(euvd_aliases, euvd_aliases.c.euvd_id == euvd_table.c.euvd_id)
                .where(
                    (euvd_table.c.euvd_id == id_or_alias) | (euvd_aliases.c.alias == id_or_alias)
                )
                .limit(1)
            ).scalar_one_or_none()
        return None if data is None else dict(orjson.loads(data))

    def epss(self, cve_id: str) -> tuple[float, float] | None:
        """(EPSS probability, percentile) of a CVE, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(epss_table.c.epss, epss_table.c.percentile).where(
                    epss_table.c.cve_id == cve_id
                )
            ).first()
        return None if row is None else (float(row[0]), float(row[1]))

    def exploitation(self, ids: Iterable[str]) -> Exploitation:
        """KEV entries, EUVD entries and EPSS scores for many CVE (or EUVD) ids at once.

        One connection and chunked ``IN`` queries: matching a large SBOM asks about thousands
        of CVEs, and one query per id per feed cost seconds.
        """
        wanted = sorted(set(ids))
        found = Exploitation()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for cve, data in conn.execute(
                    select(kev_table.c.cve_id, kev_table.c.data).where(
                        kev_table.c.cve_id.in_(chunk)
                    )
                ):
                    found.kev[cve] = dict(orjson.loads(data))
                for cve, score, percentile in conn.execute(
                    select(epss_table.c.cve_id, epss_table.c.epss, epss_table.c.percentile).where(
                        epss_table.c.cve_id.in_(chunk)
                    )
                ):
                    found.epss[cve] = (float(score), float(percentile))
                for alias, data in conn.execute(
                    select(euvd_aliases.c.alias, euvd_table.c.data)
                    .join(euvd_table, euvd_table.c.euvd_id == euvd_aliases.c.euvd_id)
                    .where(euvd_aliases.c.alias.in_(chunk))
                ):
                    found.euvd.setdefault(alias, dict(orjson.loads(data)))
                for euvd_id, data in conn.execute(
                    select(euvd_table.c.euvd_id, euvd_table.c.data).where(
                        euvd_table.c.euvd_id.in_(chunk)
                    )
                ):
                    found.euvd.setdefault(euvd_id, dict(orjson.loads(data)))
                for cve, euvd_id in conn.execute(
                    select(euvd_ids_table.c.cve_id, euvd_ids_table.c.euvd_id)
                    .where(euvd_ids_table.c.cve_id.in_(chunk))
                    .order_by(euvd_ids_table.c.euvd_id)
                ):
                    found.euvd_ids.setdefault(cve, []).append(euvd_id)
        return found

    def _feed_row(self, table: Table, column: Any, value: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            data = conn.execute(select(table.c.data).where(column == value)).scalar_one_or_none()
        return None if data is None else dict(orjson.loads(data))


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
