"""OSV 1.6 advisories from a case.

One ``affected`` entry per product, with one range per affected interval (``ECOSYSTEM``
ranges; ``SEMVER`` for Go, whose OSV data uses SemVer) built from the case's constraints,
exact versions in ``versions``, the CVSS vector under ``severity``, references typed by their
URL, and the reporter credited when the case allows it — with the reporter's contact only
when the reporter agreed to its publication (``publish_contact``): a private contact is
never published by default. OSV describes packages: a product that is not a package (no
ecosystem or purl) belongs in a CSAF advisory instead. The result is validated against the
official OSV schema before it is written (:mod:`steward.disclosure.advisories.schemas`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from steward.disclosure.advisories.common import (
    classify_reference,
    iso,
    package_identity,
    parse_cvss,
)
from steward.disclosure.advisories.constraints import parse_affected
from steward.disclosure.model import CaseSnapshot, Manufacturer
from steward.errors import InputError

OSV_SCHEMA_VERSION = "1.6.0"
_SEMVER_ECOSYSTEMS = {"Go"}


def build_osv(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer | None = None,
    *,
    advisory_id: str | None = None,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """The OSV record for a case.

    OSV ids carry a database prefix registered with OSV (``GHSA-``, ``PYSEC-``, ``RUSTSEC-``
    ...); a project without one publishes under the ``x_`` prefix the schema reserves for
    unregistered databases, so ``advisory_id`` defaults to ``x_<case id>``.
    """
    if not snapshot.products:
        raise InputError("the case names no affected product", source=snapshot.id)
    if advisory_id is not None:
        check_osv_id(advisory_id)
    record: dict[str, Any] = {
        "schema_version": OSV_SCHEMA_VERSION,
        "id": advisory_id or f"x_{snapshot.id}",
        "modified": iso(modified or snapshot.updated_at),
    }
    if snapshot.published_at is not None:
        record["published"] = iso(snapshot.published_at)
    aliases = [a for a in snapshot.aliases if a != record["id"]]
    if aliases:
        record["aliases"] = aliases
    record["summary"] = snapshot.title
    if snapshot.description:
        record["details"] = snapshot.description
    if snapshot.cvss_vector:
        cvss = parse_cvss(snapshot.cvss_vector, source=snapshot.id)
        kind = {"2.0": "CVSS_V2", "4.0": "CVSS_V4"}.get(cvss.version, "CVSS_V3")
        record["severity"] = [{"type": kind, "score": cvss.vector}]
    record["affected"] = [_affected(snapshot, product) for product in snapshot.products]
    references = [{"type": classify_reference(u), "url": u} for u in snapshot.references]
    if references:
        record["references"] = references
    reporter = snapshot.reporter
    if reporter is not None and reporter.credit and reporter.name:
        credit: dict[str, Any] = {"name": reporter.name, "type": "FINDER"}
        if reporter.publish_contact and reporter.contact:
            credit["contact"] = [reporter.contact]
        record["credits"] = [credit]
    specific: dict[str, Any] = {"case": snapshot.id}
    if snapshot.cwes:
        specific["cwe_ids"] = list(snapshot.cwes)
    if manufacturer is not None:
        specific["source"] = manufacturer.name
    record["database_specific"] = specific
    return record


def check_osv_id(advisory_id: str) -> None:
    """Refuse an OSV id without a prefix the OSV schema knows (``GHSA-``, ``PYSEC-``, ...,
    or ``x_`` for an unregistered database)."""
    from steward.disclosure.advisories.schemas import osv_id_pattern

    if not re.match(osv_id_pattern(), advisory_id):
        raise InputError(
            f"--id {advisory_id!r}: an OSV id starts with a database prefix registered with "
            "OSV (GHSA-, PYSEC-, RUSTSEC-, ...) or x_ for an unregistered database"
        )


def check_ecosystem(ecosystem: str, product: str, *, case_id: str) -> None:
    """Refuse an ecosystem name OSV does not know, suggesting the right spelling."""
    from steward.disclosure.advisories.schemas import osv_ecosystems

    known = osv_ecosystems()
    base = ecosystem.split(":", 1)[0]
    if base in known:
        return
    hint = next((k for k in known if k.casefold() == base.casefold()), None)
    suggestion = f" (did you mean {hint}?)" if hint else ""
    raise InputError(
        f"product {product!r}: {ecosystem!r} is not an OSV ecosystem{suggestion}",
        source=case_id,
    )


def _affected(snapshot: CaseSnapshot, product: Any) -> dict[str, Any]:
    if not product.ecosystem and not product.purl:
        raise InputError(
            f"product {product.name!r} is not a package (no ecosystem or purl); OSV describes "
            "packages — publish a CSAF advisory for a product (--format csaf)",
            source=snapshot.id,
        )
    identity = package_identity(product, case_id=snapshot.id)
    check_ecosystem(identity.ecosystem, product.name, case_id=snapshot.id)
    versions = parse_affected(product)
    if versions.is_empty:
        raise InputError(
            f"product {product.name!r} has no affected versions or fixed version",
            source=snapshot.id,
        )
    package: dict[str, Any] = {"ecosystem": identity.ecosystem, "name": identity.name}
    if identity.purl:
        package["purl"] = identity.purl
    entry: dict[str, Any] = {"package": package}
    range_type = "SEMVER" if identity.ecosystem in _SEMVER_ECOSYSTEMS else "ECOSYSTEM"
    ranges: list[dict[str, Any]] = []
    for interval in versions.intervals:  # one range per interval: overlaps stay unambiguous
        events: list[dict[str, str]] = [{"introduced": interval.introduced or "0"}]
        if interval.fixed is not None:
            events.append({"fixed": interval.fixed})
        elif interval.last_affected is not None:
            events.append({"last_affected": interval.last_affected})
        if range_type == "SEMVER":
            events = [{k: v.removeprefix("v") for k, v in e.items()} for e in events]
        ranges.append({"type": range_type, "events": events})
    if ranges:
        entry["ranges"] = ranges
    if versions.exact:
        entry["versions"] = list(versions.exact)
    return entry
