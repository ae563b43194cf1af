"""CSAF 2.0 advisories from a case: the ``csaf_security_advisory`` and ``csaf_vex`` profiles.

The product tree is vendor → product name → version ranges (``vers:`` strings in
``product_version_range`` branches, as CSAF 2.0 recommends) and fixed versions
(``product_version``); every product carries a purl where the case has one. Scores come from
the ``cvss`` library (CSAF 2.0 knows CVSS v2 and v3 only: a v4.0 vector is reported in a note
instead of being forced into a v3 object). The revision history is derived from the case's
``published`` events, so re-publishing an updated case yields the next version. Documents are
checked by :mod:`steward.disclosure.advisories.csaf_validate` (schema + mandatory tests).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from packageurl import PackageURL

from steward import __version__
from steward.disclosure.advisories.common import CWE_RE, cve_ids, iso, parse_cvss
from steward.disclosure.advisories.constraints import describe, parse_affected, to_vers
from steward.disclosure.advisories.cwe import cwe_name
from steward.disclosure.model import (
    AffectedProduct,
    CaseSnapshot,
    CaseState,
    ExploitationStatus,
    Manufacturer,
)
from steward.errors import InputError

_VERS_SCHEMES = {
    "PyPI": "pypi",
    "npm": "npm",
    "crates.io": "cargo",
    "Go": "golang",
    "Maven": "maven",
    "Packagist": "composer",
    "RubyGems": "gem",
    "NuGet": "nuget",
    "Pub": "pub",
    "Hex": "hex",
}


class CsafProfile(StrEnum):
    """The CSAF profiles Steward writes."""

    SECURITY_ADVISORY = "csaf_security_advisory"
    VEX = "csaf_vex"


def build_csaf(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer,
    *,
    profile: CsafProfile = CsafProfile.SECURITY_ADVISORY,
    tracking_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The CSAF 2.0 document for a case."""
    if not snapshot.products:
        raise InputError("the case names no affected product", source=snapshot.id)
    if not manufacturer.website:
        raise InputError(
            "the manufacturer profile has no website; CSAF needs it as the publisher namespace",
            source=snapshot.id,
        )
    tree, affected_ids, fixed_ids = _product_tree(snapshot, manufacturer)
    return {
        "document": _document(snapshot, manufacturer, profile, tracking_id, now),
        "product_tree": tree,
        "vulnerabilities": [_vulnerability(snapshot, profile, affected_ids, fixed_ids)],
    }


def _tlp(snapshot: CaseSnapshot, now: datetime) -> str:
    if snapshot.sensitivity:
        label = snapshot.sensitivity.upper().removeprefix("TLP:").strip()
        if label == "CLEAR":
            return "WHITE"
        if label in ("WHITE", "GREEN", "AMBER", "RED"):
            return label
        if label.startswith("AMBER"):
            return "AMBER"
    embargo = snapshot.embargo
    if embargo is not None and (embargo.until is None or embargo.until > now):
        return "AMBER"
    return "WHITE"


def _document(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer,
    profile: CsafProfile,
    tracking_id: str | None,
    now: datetime | None,
) -> dict[str, Any]:
    at = now or snapshot.updated_at
    published = [e.occurred_at for e in snapshot.timeline if e.kind == "published"]
    if not published and snapshot.published_at is not None:
        published = [snapshot.published_at]
    published.sort()
    final = bool(published) and snapshot.state in (
        CaseState.PUBLISHED,
        CaseState.CLOSED,
        CaseState.FIXED,
    )
    if final:
        history = [
            {
                "date": iso(ts),
                "number": str(n),
                "summary": "Initial release." if n == 1 else "Updated release.",
            }
            for n, ts in enumerate(published, start=1)
        ]
        status, version = "final", str(len(published))
    else:
        history = [{"date": iso(at), "number": "0", "summary": "Draft."}]
        status, version = "draft", "0"
    publisher: dict[str, Any] = {
        "category": "coordinator" if manufacturer.is_steward else "vendor",
        "name": manufacturer.name,
        "namespace": manufacturer.website,
    }
    if manufacturer.contact_email:
        publisher["contact_details"] = manufacturer.contact_email
    notes: list[dict[str, str]] = [
        {"category": "summary", "title": "Summary", "text": snapshot.title}
    ]
    if snapshot.user_mitigations:
        notes.append(
            {
                "category": "general",
                "title": "What users can do",
                "text": "\n".join(snapshot.user_mitigations),
            }
        )
    document: dict[str, Any] = {
        "category": str(profile),
        "csaf_version": "2.0",
        "distribution": {"tlp": {"label": _tlp(snapshot, at)}},
        "lang": "en",
        "notes": notes,
        "publisher": publisher,
        "title": snapshot.title,
        "tracking": {
            "current_release_date": history[-1]["date"],
            "generator": {
                "date": iso(at),
                "engine": {"name": "Steward", "version": __version__},
            },
            "id": tracking_id or snapshot.id,
            "initial_release_date": history[0]["date"],
            "revision_history": history,
            "status": status,
            "version": version,
        },
    }
    if snapshot.references:
        document["references"] = [
            {"category": "external", "summary": "Reference", "url": url}
            for url in snapshot.references
        ]
    return document


def _purl(product: AffectedProduct, version: str | None) -> str | None:
    if not product.purl:
        return None
    try:
        base = PackageURL.from_string(product.purl)
    except ValueError:
        raise InputError(f"product {product.name!r}: invalid purl {product.purl!r}") from None
    return str(
        PackageURL(
            type=base.type,
            namespace=base.namespace,
            name=base.name,
            version=version,
            qualifiers=base.qualifiers or None,
        ).to_string()
    )


def _product_tree(
    snapshot: CaseSnapshot, manufacturer: Manufacturer
) -> tuple[dict[str, Any], list[str], list[str]]:
    vendors: dict[str, list[dict[str, Any]]] = {}
    affected_ids: list[str] = []
    fixed_ids: list[str] = []
    counter = 0

    def new_id() -> str:
        nonlocal counter
        counter += 1
        return f"CSAFPID-{counter:04d}"

    for product in snapshot.products:
        versions = parse_affected(product)
        if versions.is_empty:
            raise InputError(
                f"product {product.name!r} has no affected versions or fixed version",
                source=snapshot.id,
            )
        scheme = _VERS_SCHEMES.get(product.ecosystem or "", "generic")
        leaves: list[dict[str, Any]] = []
        for interval in versions.intervals:
            pid = new_id()
            affected_ids.append(pid)
            full: dict[str, Any] = {
                "name": f"{product.name} {describe(interval)}",
                "product_id": pid,
            }
            purl = _purl(product, None)
            if purl:
                full["product_identification_helper"] = {"purl": purl}
            leaves.append(
                {
                    "category": "product_version_range",
                    "name": to_vers(scheme, interval),
                    "product": full,
                }
            )
        for version, bucket in [(v, affected_ids) for v in versions.exact] + [
            (v, fixed_ids) for v in versions.fixed
        ]:
            pid = new_id()
            bucket.append(pid)
            full = {"name": f"{product.name} {version}", "product_id": pid}
            purl = _purl(product, version)
            if purl:
                full["product_identification_helper"] = {"purl": purl}
            leaves.append({"category": "product_version", "name": version, "product": full})
        vendor = product.vendor or manufacturer.name
        vendors.setdefault(vendor, []).append(
            {"category": "product_name", "name": product.name, "branches": leaves}
        )
    branches = [
        {"category": "vendor", "name": vendor, "branches": products}
        for vendor, products in vendors.items()
    ]
    return {"branches": branches}, affected_ids, fixed_ids


def _vulnerability(
    snapshot: CaseSnapshot,
    profile: CsafProfile,
    affected_ids: list[str],
    fixed_ids: list[str],
) -> dict[str, Any]:
    vuln: dict[str, Any] = {}
    cves = cve_ids(snapshot)
    if cves:
        vuln["cve"] = cves[0]
    other = [a for a in snapshot.aliases if a not in cves[:1]]
    ids = [{"system_name": _system(a), "text": a} for a in other]
    if profile is CsafProfile.VEX and not cves and not ids:
        ids = [{"system_name": "Steward case", "text": snapshot.id}]
    if ids:
        vuln["ids"] = ids
    cwes = [c for c in snapshot.cwes if CWE_RE.match(c)]
    if cwes:
        name = cwe_name(cwes[0])
        if name is None:
            raise InputError(f"{cwes[0]} is not in the CWE list", source=snapshot.id)
        vuln["cwe"] = {"id": cwes[0], "name": name}
    notes = [
        {
            "category": "description",
            "title": "Vulnerability description",
            "text": snapshot.description or snapshot.title,
        }
    ]
    if snapshot.impact:
        notes.append({"category": "general", "title": "Impact", "text": snapshot.impact})
    vuln["notes"] = notes
    status: dict[str, list[str]] = {}
    if affected_ids:
        status["known_affected"] = affected_ids
    if fixed_ids:
        status["fixed"] = fixed_ids
    vuln["product_status"] = status
    remediations: list[dict[str, Any]] = []
    if fixed_ids:
        details = "; ".join(snapshot.corrective_measures) or "Update to a fixed version."
        remediations.append(
            {"category": "vendor_fix", "details": details, "product_ids": affected_ids}
        )
    if snapshot.user_mitigations:
        remediations.append(
            {
                "category": "mitigation",
                "details": "\n".join(snapshot.user_mitigations),
                "product_ids": affected_ids,
            }
        )
    if not remediations and affected_ids:
        remediations.append(
            {
                "category": "none_available",
                "details": "No fix or mitigation is available yet.",
                "product_ids": affected_ids,
            }
        )
    if remediations:
        vuln["remediations"] = remediations
    if snapshot.cvss_vector:
        cvss = parse_cvss(snapshot.cvss_vector, source=snapshot.id)
        if cvss.version in ("3.0", "3.1"):
            vuln["scores"] = [{"cvss_v3": cvss.first_json, "products": affected_ids}]
        elif cvss.version == "2.0":
            vuln["scores"] = [{"cvss_v2": cvss.first_json, "products": affected_ids}]
        else:
            notes.append(
                {
                    "category": "other",
                    "title": "CVSS v4.0",
                    "text": f"{cvss.vector} (base score {cvss.base_score}, {cvss.severity})",
                }
            )
    threats: list[dict[str, Any]] = []
    if snapshot.exploitation is not ExploitationStatus.UNKNOWN and affected_ids:
        text = {
            ExploitationStatus.ACTIVELY_EXPLOITED: "Actively exploited in the wild.",
            ExploitationStatus.PROOF_OF_CONCEPT: "A proof of concept exists.",
            ExploitationStatus.NONE_KNOWN: "No exploitation is known.",
        }[snapshot.exploitation]
        threats.append({"category": "exploit_status", "details": text, "product_ids": affected_ids})
    if threats:
        vuln["threats"] = threats
    if snapshot.published_at is not None:
        vuln["release_date"] = iso(snapshot.published_at)
    return vuln


def _system(alias: str) -> str:
    prefix = alias.split("-", 1)[0].upper()
    return {
        "GHSA": "GitHub Security Advisory",
        "PYSEC": "PyPA Advisory Database",
        "GO": "Go Vulnerability Database",
        "RUSTSEC": "RustSec Advisory Database",
        "OSV": "OSV",
    }.get(prefix, prefix or "alias")
