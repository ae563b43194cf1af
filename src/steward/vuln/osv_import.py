"""Importing vulnerability data into the :class:`~steward.store.vulndb.VulnDB`.

Sources of OSV records: osv.dev's per-ecosystem ``all.zip``, directories of OSV JSON or YAML
files (walked recursively, e.g. a checkout of the PyPA advisory database), or single files.
Archives are never extracted to disk: members are read in memory through
:func:`steward.safeio.iter_zip`, which refuses traversal names, symlinks, too many members,
too many inflated bytes and compression-ratio bombs. Directory walks refuse symlinks that
leave the tree. An import is one transaction: anything refused half-way rolls it back.

Every record is checked against the shape of the OSV schema for the fields matching reads
(:func:`validate_record`, on the shared boundary module :mod:`steward.shapes`):
``"versions": 5`` or an event that is not an object is refused with the record's file and
the field's path, and the import rolls back, instead of a
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
from steward.shapes import ANY, Spec, require
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


_TIME = (str, datetime)  # YAML reads an unquoted RFC 3339 time as a datetime
_EVENT: Spec = dict.fromkeys(_EVENT_KEYS, str) | {"*": ANY}
#: the fields of an OSV record (schema 1.x) that matching reads, with their types
OSV_RECORD: Spec = {
    "id": str,
    "modified": _TIME,
    "published": _TIME,
    "withdrawn": _TIME,
    "aliases": [str],
    "related": [str],
    "summary": str,
    "details": str,
    "severity": [{"type": str, "score": str, "*": ANY}],
    "affected": [
        {
            "package": {"ecosystem": str, "name": str, "purl": str, "*": ANY},
            "versions": [str],
            "ranges": [{"type": str, "events": [_EVENT], "*": ANY}],
            "*": ANY,
        }
    ],
    "*": ANY,
}


def validate_record(record: dict[str, Any], source: str) -> None:
    """Refuse an OSV record whose matching fields have the wrong shape (OSV schema 1.x).

    The types are :data:`OSV_RECORD`, checked by :func:`steward.shapes.require` like every
    other untrusted document; besides, ``id``, ``modified`` and each range's ``type`` and
    ``events`` must be present. Raises :class:`InputError` naming the file, the record and
    the field (``OSV record GHSA-...: affected[0].versions is a number, expected a list``).
    """
    ident = record.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InputError("OSV record without an id", source=source)
    try:
        require(record, OSV_RECORD, source=source)
    except InputError as exc:
        raise InputError(f"OSV record {ident}: {exc.message}", source=source) from None
    missing = [] if record.get("modified") is not None else ["modified"]
    for i, entry in enumerate(record.get("affected") or ()):
        for j, rng in enumerate(entry.get("ranges") or ()):
            at = f"affected[{i}].ranges[{j}]"
            missing += [f"{at}.{k}" for k in ("type", "events") if rng.get(k) is None]
    if missing:
        raise InputError(f"OSV record {ident}: {missing[0]} is missing", source=source)


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
