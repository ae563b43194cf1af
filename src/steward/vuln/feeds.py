"""Importing the exploitation and scoring feeds: CISA KEV, ENISA EUVD, FIRST EPSS.

Each import replaces its feed whole (a feed is a snapshot) and records where it came from,
when, how many entries and the catalogue's own date, so ``db status`` and every report can
say which feeds a verdict rests on and how old they are.

- **CISA KEV**: ``known_exploited_vulnerabilities.json`` (``catalogVersion``,
  ``dateReleased``, ``vulnerabilities[].cveID``...), plain or gzip.
- **ENISA EUVD** (https://euvd.enisa.europa.eu/apidoc), any mix of:

  - the exploited catalogue dump ``/api/kev/dump``: a JSON list of ``{cveId, euvdId,
    dateAdded, sources}`` (``sources``: ``cisa_kev``, ``eukev_kev``; ``vendorProject`` and
    ``product`` when present are kept). It is the whole catalogue, so it replaces what is
    stored;
  - pages of ``/api/search?exploited=true``: ``{"items": [...], "total": n}`` whose items
    are EUVD records (``id``, ``aliases`` as newline-separated text, ``exploitedSince``).
    Together the pages must hold ``total`` records (a missing page is refused, since the
    rest would silently vanish); complete, they replace what is stored;
  - a JSON list of EUVD records, as ``/api/exploitedvulnerabilities`` returns it: only the
    newest few entries, so it is *added* to what is stored, never replacing it;
  - the CVE ↔ EUVD id mapping ``/api/dump/cve-euvd-mapping``: CSV with ``euvd_id,cve_id``
    columns, every published CVE (exploited or not), stored as its own feed.

  Each exploited entry keeps the list(s) that flagged it: the dump's ``sources`` and
  ``euvd`` for a record whose ``exploitedSince`` is set.
- **FIRST EPSS**: CSV ``cve,epss,percentile`` with an optional leading
  ``#model_version:...,score_date:...`` line, plain or gzip.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from steward.errors import InputError, UnsafeInputError
from steward.safeio import MiB, decode_text, loads_json, read_bytes
from steward.shapes import OneOf, Spec, require
from steward.store.vulndb import VulnDB

MAX_FEED_BYTES = 512 * MiB


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


def _read(path: Path) -> bytes:
    return _maybe_gunzip(read_bytes(path, max_bytes=MAX_FEED_BYTES), path)


def _fieldnames(reader: csv.DictReader[str], src: Path) -> Sequence[str] | None:
    """The CSV header; a malformed one (a field over the csv module's size limit) is an
    InputError naming the file and line."""
    try:
        return reader.fieldnames
    except csv.Error as exc:
        raise InputError(
            f"not a readable CSV: {exc}", source=src, line=reader.line_num or 1
        ) from None


def _rows(reader: csv.DictReader[str], src: Path) -> Iterator[dict[str, str]]:
    """The CSV rows; a malformed one is an InputError naming the file and line."""
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError(
            f"not a readable CSV: {exc}", source=src, line=reader.line_num or 1
        ) from None


#: the fields read, checked with :mod:`steward.shapes` before use (a wrong type is an
#: error naming the entry and field, never a silently skipped date or alias)
KEV_SHAPE: Spec = {
    "catalogVersion": str,
    "dateReleased": str,
    "vulnerabilities": [
        {
            "cveID": str,
            "dateAdded": str,
            "dueDate": str,
            "knownRansomwareCampaignUse": str,
            "vendorProject": str,
            "product": str,
        }
    ],
}
EUVD_DUMP_ENTRY: Spec = {
    "euvdId": str,
    "cveId": str,
    "sources": [str],
    "dateAdded": str,
    "vendorProject": str,
    "product": str,
}
EUVD_RECORD: Spec = {"id": str, "exploitedSince": str, "aliases": OneOf(str, [str])}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


# --------------------------------------------------------------------------------- KEV


def import_kev(db: VulnDB, path: str | Path, *, source: str | None = None) -> int:
    """Import CISA's ``known_exploited_vulnerabilities.json``; returns the entry count.

    ``source`` labels where the file came from (a URL for ``db update``), default the path.
    """
    src = Path(path)
    doc = loads_json(_read(src), source=src)
    vulns = doc.get("vulnerabilities") if isinstance(doc, dict) else None
    if not isinstance(vulns, list):
        raise InputError("not a KEV catalog: no 'vulnerabilities' list", source=src)
    require(doc, KEV_SHAPE, source=src)
    if not vulns:  # it would replace the stored catalogue with nothing
        raise InputError("KEV catalog without entries; the stored one is kept", source=src)
    rows = []
    for i, item in enumerate(vulns):
        cve = item.get("cveID")
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
    version = _text(doc.get("catalogVersion"))
    released = _text(doc.get("dateReleased"))
    date = released[:10] if released else None
    if date is None and version and len(version) == 10:
        date = version.replace(".", "-")  # catalogVersion is the release day, 2025.08.25
    info = {
        "source": source or str(src),
        "catalog_version": version,
        "catalog_date": date,
        "newest_entry": max((r["date_added"] for r in rows if r["date_added"]), default=None),
    }
    return db.replace_feed("kev", rows, info=info)


# -------------------------------------------------------------------------------- EUVD


def _split_aliases(value: Any) -> list[str]:
    if isinstance(value, str):
        return [a.strip() for a in value.replace(",", "\n").splitlines() if a.strip()]
    if isinstance(value, list):
        return [a.strip() for a in value if isinstance(a, str) and a.strip()]
    return []


@dataclass
class _Entry:
    key: str
    euvd_id: str | None = None
    cves: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    lists: set[str] = field(default_factory=set)
    date_added: str | None = None
    exploited_since: str | None = None
    vendor_project: str | None = None
    product: str | None = None

    def data(self) -> dict[str, Any]:
        return {
            "id": self.euvd_id,
            "cves": sorted(self.cves),
            "aliases": sorted(self.aliases),
            "lists": sorted(self.lists),
            "date_added": self.date_added,
            "exploited_since": self.exploited_since,
            "vendor_project": self.vendor_project,
            "product": self.product,
        }


@dataclass
class EuvdImport:
    """What an EUVD import stored."""

    exploited: int = 0  # entries stored afterwards
    given: int = 0  # exploited entries in the files given
    complete: bool = False  # the files held the whole catalogue (replaced, not merged)
    by_list: dict[str, int] = field(default_factory=dict)
    mapped: int | None = None  # CVE ↔ EUVD id pairs, when a mapping CSV was given
    ignored: int = 0  # search records not flagged exploited


class _Collector:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self.complete = False
        self.search_ids: set[str] = set()
        self.search_total = 0
        self.search_files: list[str] = []
        self.ignored = 0
        self.mapping: list[dict[str, str]] | None = None

    def entry(self, euvd_id: str | None, cve: str | None) -> _Entry:
        key = euvd_id or cve
        assert key is not None
        found = self.entries.get(key)
        if found is None and euvd_id is None and cve is not None:
            found = next((e for e in self.entries.values() if cve in e.cves), None)
        if found is None:
            found = self.entries[key] = _Entry(key, euvd_id)
        return found

    def dump(self, items: list[Any], src: Path) -> None:
        self.complete = True
        require(items, [EUVD_DUMP_ENTRY], source=src)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError(f"EUVD KEV dump entry {i} is not an object", source=src)
            euvd_id, cve = _text(item.get("euvdId")), _text(item.get("cveId"))
            if euvd_id is None and cve is None:
                raise InputError(
                    f"EUVD KEV dump entry {i} has neither euvdId nor cveId", source=src
                )
            if euvd_id is not None and not euvd_id.startswith("EUVD-"):
                raise InputError(f"EUVD KEV dump entry {i}: bad euvdId {euvd_id!r}", source=src)
            sources = item.get("sources")
            if sources is None:
                sources = []
            if not isinstance(sources, list) or not all(isinstance(x, str) for x in sources):
                raise InputError(f"EUVD KEV dump entry {i}: 'sources' is not a list", source=src)
            entry = self.entry(euvd_id, cve)
            if cve:
                entry.cves.add(cve)
            entry.lists.update(s.strip() for s in sources if s.strip())
            added = _text(item.get("dateAdded"))
            if added and (entry.date_added is None or added < entry.date_added):
                entry.date_added = added
            entry.vendor_project = entry.vendor_project or _text(item.get("vendorProject"))
            entry.product = entry.product or _text(item.get("product"))

    def records(self, items: list[Any], src: Path, *, search: bool) -> None:
        require(items, [EUVD_RECORD], source=src)
        for i, item in enumerate(items):
            euvd_id = _text(item.get("id")) if isinstance(item, dict) else None
            if euvd_id is None or not euvd_id.startswith("EUVD-"):
                raise InputError(f"EUVD record {i} has no EUVD id ('id')", source=src)
            assert isinstance(item, dict)
            if search:
                self.search_ids.add(euvd_id)
            since = _text(item.get("exploitedSince"))
            if since is None:
                self.ignored += 1
                continue
            aliases = _split_aliases(item.get("aliases"))
            entry = self.entry(euvd_id, None)
            entry.cves.update(a for a in aliases if a.startswith("CVE-"))
            entry.aliases.update(a for a in aliases if not a.startswith("CVE-"))
            entry.lists.add("euvd")
            entry.exploited_since = entry.exploited_since or since

    def csv(self, text: str, src: Path) -> None:
        reader = csv.DictReader(text.splitlines())
        fields = {f.strip() for f in _fieldnames(reader, src) or ()}
        if not {"euvd_id", "cve_id"} <= fields:
            raise InputError("not an EUVD mapping CSV: expected columns euvd_id,cve_id", source=src)
        rows = self.mapping if self.mapping is not None else []
        for line, row in enumerate(_rows(reader, src), start=2):
            euvd_id, cve = (row.get("euvd_id") or "").strip(), (row.get("cve_id") or "").strip()
            if not euvd_id.startswith("EUVD-") or not cve.startswith("CVE-"):
                raise InputError("bad EUVD mapping row", source=src, line=line)
            rows.append({"cve_id": cve, "euvd_id": euvd_id})
        self.mapping = rows

    def read(self, path: Path) -> None:
        data = _read(path)
        head = data.lstrip()[:1]
        if head not in (b"[", b"{"):
            self.csv(decode_text(data, source=path), path)
            return
        doc = loads_json(data, source=path)
        if isinstance(doc, dict) and isinstance(doc.get("items"), list):
            total = doc.get("total")
            if not isinstance(total, int) or isinstance(total, bool) or total < 0:
                raise InputError("EUVD search page without a 'total' count", source=path)
            self.search_total = max(self.search_total, total)
            self.search_files.append(str(path))
            self.records(doc["items"], path, search=True)
        elif isinstance(doc, list):
            first = next((x for x in doc if isinstance(x, dict)), {})
            if "euvdId" in first or "cveId" in first:
                self.dump(doc, path)
            else:
                self.records(doc, path, search=False)
        else:
            raise InputError(
                "not an EUVD export: expected the KEV dump (JSON list), search results "
                "({'items': [...], 'total': n}), an exploited list, or the mapping CSV",
                source=path,
            )


def import_euvd(
    db: VulnDB, paths: str | Path | Sequence[str | Path], *, source: str | None = None
) -> EuvdImport:
    """Import ENISA EUVD files (any mix of the formats above) in one go.

    Raises :class:`InputError` for a file in no known format, a malformed entry, or search
    pages that hold fewer records than their ``total`` says; nothing is stored then.
    """
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    collected = _Collector()
    for path in files:
        collected.read(path)
    if collected.search_files:
        if len(collected.search_ids) < collected.search_total:
            raise InputError(
                f"EUVD search results hold {len(collected.search_ids)} of "
                f"{collected.search_total} records: give every page (page=0, 1, ...)",
                source=collected.search_files[0],
            )
        collected.complete = True
    label = source or ", ".join(str(p) for p in files)
    outcome = EuvdImport(complete=collected.complete, ignored=collected.ignored)
    if collected.mapping is not None:
        outcome.mapped = db.replace_feed("euvd_mapping", collected.mapping, info={"source": label})
    if collected.entries or collected.complete:
        rows, alias_rows = [], []
        by_list: dict[str, int] = {}
        for entry in collected.entries.values():
            rows.append(
                {
                    "euvd_id": entry.key,
                    "exploited_since": entry.exploited_since or entry.date_added,
                    "data": orjson.dumps(entry.data()),
                }
            )
            for alias in entry.cves | entry.aliases:
                alias_rows.append({"alias": alias, "euvd_id": entry.key})
            for name in entry.lists:
                by_list[name] = by_list.get(name, 0) + 1
        dates = [e.date_added or e.exploited_since for e in collected.entries.values()]
        outcome.by_list = dict(sorted(by_list.items()))
        info = {
            "source": label,
            "complete": collected.complete,
            "lists": outcome.by_list,
            "newest_entry": max((d[:10] for d in dates if d), default=None),
        }
        outcome.given = len(rows)
        outcome.exploited = db.store_euvd(rows, alias_rows, complete=collected.complete, info=info)
    return outcome


# -------------------------------------------------------------------------------- EPSS


def import_epss(db: VulnDB, path: str | Path, *, source: str | None = None) -> int:
    """Import FIRST's EPSS CSV (``cve,epss,percentile``, optional ``#`` comment line)."""
    src = Path(path)
    text = decode_text(_read(src), source=src)
    lines = text.splitlines()
    info: dict[str, Any] = {"source": source or str(src), "model_version": None, "score_date": None}
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        for part in lines[start].lstrip("#").split(","):
            key, sep, value = part.partition(":")
            if sep:
                info[key.strip()] = value.strip()
        start += 1
    reader = csv.DictReader(lines[start:])
    fieldnames = _fieldnames(reader, src)
    if fieldnames is None or not {"cve", "epss", "percentile"} <= set(fieldnames):
        raise InputError("not an EPSS CSV: expected columns cve,epss,percentile", source=src)
    rows = []
    for n, row in enumerate(_rows(reader, src), start=start + 2):
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
    return db.replace_feed("epss", rows, info=info)
