"""Importing vulnerability data into the :class:`~steward.store.vulndb.VulnDB`.

Sources of OSV records: osv.dev's per-ecosystem ``all.zip``, directories of OSV JSON or YAML
files (walked recursively, e.g. a checkout of the PyPA advisory database), or single files.
Archives are never extracted to disk: members are read in memory through
:func:`steward.safeio.iter_zip`, which refuses traversal names, symlinks, too many members,
too many inflated bytes and compression-ratio bombs. Directory walks refuse symlinks that
leave the tree. An import is one transaction: anything refused half-way rolls it back.

Feeds, replaced whole on each import: CISA KEV (``known_exploited_vulnerabilities.json``),
ENISA EUVD exploited vulnerabilities (JSON list, or ``{"items": [...]}``), FIRST EPSS (CSV
with a leading ``#model_version:...,score_date:...`` comment line, plain or gzip).

:func:`download` fetches a URL to a file (httpx, size-limited, atomic); ``steward db update``
uses it, tests never do.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from steward.errors import InputError, UnsafeInputError
from steward.safeio import (
    MiB,
    ZipLimits,
    atomic_writer,
    decode_text,
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
MAX_FEED_BYTES = 512 * MiB


def _parse_record(data: bytes, source: str) -> dict[str, Any]:
    if source.endswith((".yaml", ".yml")):
        value = loads_yaml(data, source=source)
    else:
        value = loads_json(data, source=source)
    if not isinstance(value, dict):
        raise InputError("an OSV record must be a JSON/YAML object", source=source)
    return value


def _is_osv_name(name: str) -> bool:
    return name.lower().endswith(OSV_SUFFIXES)


def count_records(path: Path) -> int | None:
    """How many records a source holds (for progress), when cheap to know."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if _is_osv_name(p.name) and p.is_file())
    if path.suffix.lower() == ".zip":
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                return sum(1 for i in zf.infolist() if _is_osv_name(i.filename))
        except (zipfile.BadZipFile, OSError):
            return None
    return 1


def iter_records(path: str | Path, *, limits: ZipLimits = OSV_ZIP_LIMITS) -> Iterator[OsvRecord]:
    """Yield the OSV records of a zip, a directory (recursively) or a single file."""
    src = Path(path)
    if src.is_dir():
        root = src.resolve()
        for file in sorted(src.rglob("*")):
            if not _is_osv_name(file.name):
                continue
            rel = file.relative_to(src)
            if resolve_within(root, rel) is None:
                raise UnsafeInputError("symbolic link leads outside the directory", source=file)
            if not file.is_file():
                continue
            data = read_bytes(file, max_bytes=MAX_RECORD_BYTES)
            yield OsvRecord(str(file), _parse_record(data, str(file)))
        return
    if not src.exists():
        raise InputError("no such file or directory", source=src)
    if src.suffix.lower() == ".zip":
        for name, data in iter_zip(src, limits=limits):
            if _is_osv_name(name):
                member = f"{src}!{name}"
                yield OsvRecord(member, _parse_record(data, member))
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

    if isinstance(db, VulnDB):
        return db.import_osv(records(), progress=progress, total=total)
    with VulnDB(db) as opened:
        return opened.import_osv(records(), progress=progress, total=total)


# ------------------------------------------------------------------------------- feeds


def _maybe_gunzip(data: bytes, source: Path) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(MAX_FEED_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"corrupt gzip data: {exc}", source=source) from None
    if len(out) > MAX_FEED_BYTES:
        raise UnsafeInputError(f"inflates to more than {MAX_FEED_BYTES} bytes", source=source)
    return out


def import_kev(db: VulnDB, path: str | Path) -> int:
    """Import CISA's ``known_exploited_vulnerabilities.json``; returns the entry count."""
    src = Path(path)
    doc = loads_json(_maybe_gunzip(read_bytes(src, max_bytes=MAX_FEED_BYTES), src), source=src)
    vulns = doc.get("vulnerabilities") if isinstance(doc, dict) else None
    if not isinstance(vulns, list):
        raise InputError("not a KEV catalog: no 'vulnerabilities' list", source=src)
    rows = []
    for i, item in enumerate(vulns):
        cve = item.get("cveID") if isinstance(item, dict) else None
        if not isinstance(cve, str) or not cve.startswith("CVE-"):
            raise InputError(f"KEV entry {i} has no cveID", source=src)
        rows.append(
            {
                "cve_id": cve,
                "date_added": item.get("dateAdded"),
                "due_date": item.get("dueDate"),
                "ransomware": item.get("knownRansomwareCampaignUse"),
                "data": orjson.dumps(item),
            }
        )
    meta = {"kev_catalog_version": str(doc.get("catalogVersion", ""))}
    return db.replace_feed("kev", rows, meta=meta)


def _split_aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        return [a.strip() for a in value.replace(",", "\n").splitlines() if a.strip()]
    if isinstance(value, list):
        return [str(a).strip() for a in value if str(a).strip()]
    return []


def import_euvd(db: VulnDB, path: str | Path) -> int:
    """Import ENISA EUVD's exploited-vulnerabilities JSON; returns the entry count."""
    src = Path(path)
    doc = loads_json(_maybe_gunzip(read_bytes(src, max_bytes=MAX_FEED_BYTES), src), source=src)
    items = doc.get("items") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise InputError("not an EUVD list: expected a JSON list or {'items': [...]}", source=src)
    rows: list[dict[str, Any]] = []
    alias_rows: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        euvd_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(euvd_id, str) or not euvd_id.startswith("EUVD-"):
            raise InputError(f"EUVD entry {i} has no EUVD id", source=src)
        rows.append(
            {
                "euvd_id": euvd_id,
                "exploited_since": item.get("exploitedSince"),
                "data": orjson.dumps(item),
            }
        )
        alias_rows.extend(
            {"alias": a, "euvd_id": euvd_id} for a in _split_aliases(item.get("aliases"))
        )
    return db.replace_feed("euvd", rows, extra=alias_rows)


def import_epss(db: VulnDB, path: str | Path) -> int:
    """Import FIRST's EPSS CSV (``cve,epss,percentile``, optional ``#`` comment line)."""
    src = Path(path)
    text = decode_text(_maybe_gunzip(read_bytes(src, max_bytes=MAX_FEED_BYTES), src), source=src)
    lines = text.splitlines()
    meta: dict[str, str] = {}
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        for part in lines[start].lstrip("#").split(","):
            key, sep, value = part.partition(":")
            if sep:
                meta[f"epss_{key.strip()}"] = value.strip()
        start += 1
    reader = csv.DictReader(lines[start:])
    if reader.fieldnames is None or not {"cve", "epss", "percentile"} <= set(reader.fieldnames):
        raise InputError("not an EPSS CSV: expected columns cve,epss,percentile", source=src)
    rows = []
    for n, row in enumerate(reader, start=start + 2):
        try:
            rows.append(
                {
                    "cve_id": row["cve"],
                    "epss": float(row["epss"]),
                    "percentile": float(row["percentile"]),
                }
            )
        except (TypeError, ValueError):
            raise InputError("bad EPSS row", source=src, line=n) from None
    return db.replace_feed("epss", rows, meta=meta)


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
