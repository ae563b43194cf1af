"""Importing vulnerability data into the :class:`~steward.store.vulndb.VulnDB`.

Sources of OSV records: osv.dev's per-ecosystem ``all.zip``, directories of OSV JSON or YAML
files (walked recursively, e.g. a checkout of the PyPA advisory database), or single files.
Archives are never extracted to disk: members are read in memory through
:func:`steward.safeio.iter_zip`, which refuses traversal names, symlinks, too many members,
too many inflated bytes and compression-ratio bombs. Directory walks refuse symlinks that
leave the tree. An import is one transaction: anything refused half-way rolls it back.

Every record is checked against the shape of the OSV schema for the fields matching reads
(:func:`validate_record`): ``"versions": 5`` or an event that is not an object is refused
with the record's file and the field's path, and the import rolls back, instead of a
traceback half-way or a record that silently never matches. The exploitation and scoring
feeds (KEV, EUVD, EPSS) are imported by :mod:`steward.vuln.feeds`.

:func:`download` fetches a URL to a file (httpx, size-limited, atomic); ``steward db update``
uses it, tests never do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from steward.errors import InputError, UnsafeInputError
from steward.safeio import (
    DEFAULT_MAX_ALIAS_NODES,
    MiB,
    ZipLimits,
    atomic_writer,
    iter_zip,
    loads_json,
    loads_yaml,
    read_bytes,
    resolve_within,
)
from steward.store.vulndb import ImportStats, OsvRecord, Progress, VulnDB

OSV_SUFFIXES = (".json", ".yaml", ".yml")
MAX_RECORD_BYTES = 16 * MiB
OSV_ZIP_LIMITS = ZipLimits(
    max_members=1_000_000, max_member_bytes=MAX_RECORD_BYTES, max_total_bytes=8192 * MiB
)
_EVENT_KEYS = ("introduced", "fixed", "last_affected", "limit")


def _parse_record(data: bytes, source: str) -> dict[str, Any]:
    if source.endswith((".yaml", ".yml")):
        value = loads_yaml(data, source=source, max_alias_nodes=DEFAULT_MAX_ALIAS_NODES)
    else:
        value = loads_json(data, source=source)
    if not isinstance(value, dict):
        raise InputError("an OSV record must be a JSON/YAML object", source=source)
    validate_record(value, source)
    return value


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def validate_record(record: dict[str, Any], source: str) -> None:
    """Refuse an OSV record whose matching fields have the wrong shape (OSV schema 1.x).

    Checks ``id``, ``modified``, ``aliases``, ``withdrawn`` and every ``affected[]`` entry:
    ``package`` (``ecosystem``, ``name`` text), ``versions`` (list of text), ``ranges``
    (objects with a text ``type`` and a list of event objects whose values are text) and
    ``severity``. Raises :class:`InputError` naming the file, the record and the field.
    """
    ident = record.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InputError("OSV record without an id", source=source)

    def bad(where: str, what: str) -> InputError:
        return InputError(f"OSV record {ident}: {where} {what}", source=source)

    if not isinstance(record.get("modified"), str | datetime):
        raise bad("'modified'", "is missing or not a time")
    for key in ("aliases", "related"):
        if record.get(key) is not None and not _strings(record[key]):
            raise bad(f"'{key}'", "is not a list of text")
    for key in ("withdrawn", "published"):
        if record.get(key) is not None and not isinstance(record[key], str | datetime):
            raise bad(f"'{key}'", "is not a time")
    for key in ("summary", "details"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise bad(f"'{key}'", "is not text")
    severity = record.get("severity")
    if severity is not None and not (
        isinstance(severity, list) and all(isinstance(x, dict) for x in severity)
    ):
        raise bad("'severity'", "is not a list of objects")
    affected = record.get("affected")
    if affected is None:
        return
    if not isinstance(affected, list):
        raise bad("'affected'", "is not a list")
    for i, entry in enumerate(affected):
        where = f"affected[{i}]"
        if not isinstance(entry, dict):
            raise bad(where, "is not an object")
        package = entry.get("package")
        if package is not None:
            if not isinstance(package, dict):
                raise bad(f"{where}.package", "is not an object")
            for key in ("ecosystem", "name", "purl"):
                if package.get(key) is not None and not isinstance(package[key], str):
                    raise bad(f"{where}.package.{key}", "is not text")
        if entry.get("versions") is not None and not _strings(entry["versions"]):
            raise bad(f"{where}.versions", "is not a list of text")
        ranges = entry.get("ranges")
        if ranges is None:
            continue
        if not isinstance(ranges, list):
            raise bad(f"{where}.ranges", "is not a list")
        for j, rng in enumerate(ranges):
            at = f"{where}.ranges[{j}]"
            if not isinstance(rng, dict):
                raise bad(at, "is not an object")
            if not isinstance(rng.get("type"), str):
                raise bad(f"{at}.type", "is missing or not text")
            events = rng.get("events")
            if not isinstance(events, list):
                raise bad(f"{at}.events", "is missing or not a list")
            for k, event in enumerate(events):
                if not isinstance(event, dict):
                    raise bad(f"{at}.events[{k}]", "is not an object")
                for key in _EVENT_KEYS:
                    if key in event and not isinstance(event[key], str):
                        raise bad(f"{at}.events[{k}].{key}", "is not text")


def _is_osv_name(name: str) -> bool:
    return name.lower().endswith(OSV_SUFFIXES)


def count_records(path: Path) -> int | None:
    """How many records a source holds (for progress), when cheap to know."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if _is_osv_name(p.name) and p.is_file())
    if path.suffix.lower() == ".zip":
        import zipfile

        if not path.is_file():  # a FIFO or device: iter_records refuses it, never opened here
            return None
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(1 for i in zf.infolist() if _is_osv_name(i.filename))
        except (zipfile.BadZipFile, OSError):
            return None
    return 1


def iter_records(path: str | Path, *, limits: ZipLimits = OSV_ZIP_LIMITS) -> Iterator[OsvRecord]:
    """Yield the OSV records of a zip, a directory (recursively) or a single file.

    A directory without any OSV file, or a zip with members but none an OSV file, is an
    :class:`InputError` (a wrong path, not "0 added"); an empty zip is genuinely empty
    (an osv.dev export of an ecosystem without advisories).
    """
    src = Path(path)
    if src.is_dir():
        root = src.resolve()
        found = 0
        for file in sorted(src.rglob("*")):
            if not _is_osv_name(file.name):
                continue
            found += 1
            rel = file.relative_to(src)
            if resolve_within(root, rel) is None:
                raise UnsafeInputError("symbolic link leads outside the directory", source=file)
            if not file.is_file():
                continue
            data = read_bytes(file, max_bytes=MAX_RECORD_BYTES)
            yield OsvRecord(str(file), _parse_record(data, str(file)))
        if not found:
            suffixes = ", ".join(f"*{x}" for x in OSV_SUFFIXES)
            raise InputError(f"no OSV records in the directory (no {suffixes} files)", source=src)
        return
    if not src.exists():
        raise InputError("no such file or directory", source=src)
    if src.suffix.lower() == ".zip":
        members = found = 0
        for name, data in iter_zip(src, limits=limits):
            members += 1
            if _is_osv_name(name):
                found += 1
                member = f"{src}!{name}"
                yield OsvRecord(member, _parse_record(data, member))
        if members and not found:
            raise InputError(f"no OSV records among the zip's {members} members", source=src)
        return
    data = read_bytes(src, max_bytes=MAX_RECORD_BYTES)
    parsed = _parse_record(data, str(src))
    yield OsvRecord(str(src), parsed)


def import_osv(
    db: VulnDB | str | Path,
    sources: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    limits: ZipLimits = OSV_ZIP_LIMITS,
) -> ImportStats:
    """Import OSV sources (zips, directories, files) into the database, all in one transaction.

    Incremental: a record whose ``modified`` is not newer than the stored one is skipped.
    ``progress(done, total)`` is called every few hundred records and at the end.
    """
    paths = [Path(s) for s in sources]
    counts = [count_records(p) if p.exists() else None for p in paths]
    total = None if any(c is None for c in counts) else sum(c or 0 for c in counts)

    def records() -> Iterator[OsvRecord]:
        for p in paths:
            yield from iter_records(p, limits=limits)

    label = ", ".join(str(p) for p in paths)
    if isinstance(db, VulnDB):
        return db.import_osv(records(), progress=progress, total=total, source=label)
    with VulnDB(db) as opened:
        return opened.import_osv(records(), progress=progress, total=total, source=label)


# ---------------------------------------------------------------------------- download


def download(
    url: str, dest: str | Path, *, max_bytes: int = 2048 * MiB, timeout: float = 60.0
) -> Path:
    """Fetch ``url`` to ``dest`` atomically (never a half-written file); size-limited."""
    import httpx

    target = Path(dest)
    if not url.startswith("https://"):
        raise InputError("only https:// URLs are downloaded", source=url)
    try:
        with (
            httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response,
            atomic_writer(target, "wb") as fh,
        ):
            response.raise_for_status()
            size = 0
            for chunk in response.iter_bytes(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise UnsafeInputError(f"download exceeds {max_bytes} bytes", source=url)
                fh.write(chunk)
    except httpx.HTTPError as exc:
        raise InputError(f"download failed: {exc}", source=url) from None
    return target
