"""CSAF 2.0 advisories from a case: the ``csaf_security_advisory`` and ``csaf_vex`` profiles.

The product tree is the manufacturer's: vendor → product name → version ranges (``vers:``
strings in ``product_version_range`` branches, as CSAF 2.0 recommends), exact affected
versions and fixed versions (``product_version``); every product carries a purl where the
case has one. A product affected through a third-party component lists the component (with
the version it ships) among ``full_product_names`` and joins the two with a
``default_component_of`` relationship; the relationship's product is what is known to be
affected. Remediations name the fix per affected release branch (the ``1.4`` branch is
fixed in ``1.4.2``, the ``2.x`` branch in ``2.3.1``). Scores come from the ``cvss`` library
(CSAF 2.0 knows CVSS v2 and v3 only: a v4.0 vector is reported in a note instead of being
forced into a v3 object). The revision history is derived from the case's ``published``
events, so re-publishing an updated case yields the next version. A published (final)
advisory is TLP:CLEAR (``WHITE`` in CSAF 2.0's TLP 1.0 labels) whatever sensitivity the
case's reports to the CSIRT carried. Documents are checked by
:mod:`steward.disclosure.advisories.csaf_validate` (schema + mandatory tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from packageurl import PackageURL

from steward import __version__
from steward.disclosure.advisories.common import CWE_RE, cve_ids, iso, parse_cvss
from steward.disclosure.advisories.constraints import Interval, describe, parse_affected, to_vers
from steward.disclosure.advisories.cwe import cwe_name
from steward.disclosure.model import (
    AffectedProduct,
    CaseSnapshot,
    CaseState,
    Component,
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
    canonical_url: str | None = None,
) -> dict[str, Any]:
    """The CSAF 2.0 document for a case, its keys sorted (optional test 6.2.13).

    ``canonical_url`` is where the document will be published: an ``https://`` URL ending in
    the file name CSAF derives from the tracking id (section 5.1); it becomes the ``self``
    reference that optional test 6.2.11 asks for.
    """
    if not snapshot.products:
        raise InputError("the case names no affected product", source=snapshot.id)
    if not manufacturer.website:
        raise InputError(
            "the manufacturer profile has no website; CSAF needs it as the publisher namespace",
            source=snapshot.id,
        )
    tree = _product_tree(snapshot, manufacturer)
    document = _document(snapshot, manufacturer, profile, tracking_id, now)
    if canonical_url is not None:
        expected = valid_filename(document["tracking"]["id"])
        if not canonical_url.startswith("https://") or not canonical_url.endswith("/" + expected):
            raise InputError(
                f"--url {canonical_url!r}: the canonical URL is an https:// URL ending in "
                f"/{expected} (the file name CSAF derives from the tracking id)",
                source=snapshot.id,
            )
        self_reference = {"category": "self", "summary": "Canonical URL", "url": canonical_url}
        document["references"] = [self_reference, *document.get("references", [])]
    result: dict[str, Any] = _sorted(
        {
            "document": document,
            "product_tree": tree.document,
            "vulnerabilities": [_vulnerability(snapshot, profile, tree)],
        }
    )
    return result


def _sorted(value: Any) -> Any:
    """``value`` with every object's keys in alphabetical order (lists keep their order)."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def valid_filename(tracking_id: str) -> str:
    """The file name of a CSAF document with this tracking id (CSAF 2.0 section 5.1)."""
    return re.sub(r"[^+\-a-z0-9]+", "_", tracking_id.lower()) + ".json"


def _tlp(snapshot: CaseSnapshot, now: datetime, final: bool) -> str:
    if final:
        return "WHITE"  # a published advisory is public: TLP:CLEAR
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
        "distribution": _distribution(_tlp(snapshot, at, final)),
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


def _distribution(label: str) -> dict[str, Any]:
    text = {
        "WHITE": "TLP:CLEAR (TLP:WHITE): may be shared without restriction.",
        "GREEN": "TLP:GREEN: may be shared within the community, not published.",
        "AMBER": "TLP:AMBER: for the recipients' organisations and their clients only.",
        "RED": "TLP:RED: for the named recipients only.",
    }[label]
    return {"text": text, "tlp": {"label": label, "url": "https://www.first.org/tlp/"}}


def _purl(product: AffectedProduct | Component, version: str | None) -> str | None:
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


@dataclass
class _Tree:
    """The product tree and which of its product ids are affected, fixed, and how to fix."""

    document: dict[str, Any]
    affected: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    fixes: dict[str, list[str]] = field(default_factory=dict)  # what fixes -> affected ids
    unfixed: list[str] = field(default_factory=list)  # affected ids no recorded fix covers
    components: list[str] = field(default_factory=list)  # "name version (fixed upstream in x)"


def _branch_fix(interval: Interval | None, fixed: tuple[str, ...]) -> str | None:
    """What fixes one affected branch, or None when the case records no fix for it: the
    interval's end when it is a recorded fixed version; nothing for an interval without an
    end; otherwise the recorded fixed version(s)."""
    if not fixed:
        return None
    if interval is not None:
        if interval.fixed is not None and interval.fixed in fixed:
            return f"Update to {interval.fixed} or later in this release line."
        if interval.fixed is None and interval.last_affected is None:
            return None
    if len(fixed) == 1:
        return f"Update to {fixed[0]} or later."
    return f"Update to one of the fixed versions: {', '.join(fixed)}."


def _product_tree(snapshot: CaseSnapshot, manufacturer: Manufacturer) -> _Tree:
    vendors: dict[str, list[dict[str, Any]]] = {}
    full_names: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    tree = _Tree(document={})
    counter = 0

    def new_id() -> str:
        nonlocal counter
        counter += 1
        return f"CSAFPID-{counter:04d}"

    for product in snapshot.products:
        versions = parse_affected(product)
        if versions.is_empty and not product.components:
            raise InputError(
                f"product {product.name!r} has no affected versions or fixed version",
                source=snapshot.id,
            )
        scheme = _VERS_SCHEMES.get(product.ecosystem or "", "generic")
        leaves: list[dict[str, Any]] = []
        # (product id, name, what fixes its branch, the product's purl at that version)
        affected_here: list[tuple[str, str, str | None, str | None]] = []
        for interval in versions.intervals:
            pid = new_id()
            name = f"{product.name} {describe(interval)}"
            full: dict[str, Any] = {"name": name, "product_id": pid}
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
            affected_here.append((pid, name, _branch_fix(interval, versions.fixed), purl))
        for version in versions.exact:
            pid = new_id()
            name = f"{product.name} {version}"
            leaves.append(_version_leaf(product, version, pid))
            affected_here.append(
                (pid, name, _branch_fix(None, versions.fixed), _purl(product, version))
            )
        for version in versions.fixed:
            pid = new_id()
            tree.fixed.append(pid)
            leaves.append(_version_leaf(product, version, pid))
        name_branch: dict[str, Any] = {"category": "product_name", "name": product.name}
        if leaves:
            name_branch["branches"] = leaves
        else:  # affected through a component, no product version recorded
            pid = new_id()
            name_branch["product"] = {"name": product.name, "product_id": pid}
            purl = _purl(product, None)
            if purl:
                name_branch["product"]["product_identification_helper"] = {"purl": purl}
            affected_here.append((pid, product.name, None, purl))
        vendors.setdefault(product.vendor or manufacturer.name, []).append(name_branch)
        if not product.components:
            for pid, _, fix, _ in affected_here:
                tree.affected.append(pid)
                _assign(tree, pid, fix)
            continue
        for component in product.components:
            cid = new_id()
            shipped = f" {component.version}" if component.version else ""
            entry: dict[str, Any] = {"name": f"{component.name}{shipped}", "product_id": cid}
            purl = _purl(component, component.version)
            if purl:
                entry["product_identification_helper"] = {"purl": purl}
            full_names.append(entry)
            upstream = (
                f" (fixed upstream in {', '.join(component.fixed)})" if component.fixed else ""
            )
            tree.components.append(f"{component.name}{shipped}{upstream}")
            for pid, name, fix, product_purl in affected_here:
                rid = new_id()
                combined: dict[str, Any] = {
                    "name": f"{component.name}{shipped} as a component of {name}",
                    "product_id": rid,
                }
                if product_purl:  # the combination is that product as shipped
                    combined["product_identification_helper"] = {"purl": product_purl}
                relationships.append(
                    {
                        "category": "default_component_of",
                        "full_product_name": combined,
                        "product_reference": cid,
                        "relates_to_product_reference": pid,
                    }
                )
                tree.affected.append(rid)
                _assign(tree, rid, fix)
    tree.document = {
        "branches": [
            {"category": "vendor", "name": vendor, "branches": products}
            for vendor, products in vendors.items()
        ]
    }
    if full_names:
        tree.document["full_product_names"] = full_names
    if relationships:
        tree.document["relationships"] = relationships
    return tree


def _assign(tree: _Tree, pid: str, fix: str | None) -> None:
    if fix is None:
        tree.unfixed.append(pid)
    else:
        tree.fixes.setdefault(fix, []).append(pid)


def _version_leaf(product: AffectedProduct, version: str, pid: str) -> dict[str, Any]:
    full: dict[str, Any] = {"name": f"{product.name} {version}", "product_id": pid}
    purl = _purl(product, version)
    if purl:
        full["product_identification_helper"] = {"purl": purl}
    return {"category": "product_version", "name": version, "product": full}


def _vulnerability(snapshot: CaseSnapshot, profile: CsafProfile, tree: _Tree) -> dict[str, Any]:
    affected_ids, fixed_ids = tree.affected, tree.fixed
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
    if tree.components:
        notes.append(
            {
                "category": "details",
                "title": "Affected through third-party components",
                "text": "\n".join(tree.components),
            }
        )
    vuln["notes"] = notes
    status: dict[str, list[str]] = {}
    if affected_ids:
        status["known_affected"] = affected_ids
    if fixed_ids:
        status["fixed"] = fixed_ids
    vuln["product_status"] = status
    remediations: list[dict[str, Any]] = []
    measures = "; ".join(snapshot.corrective_measures)
    for fix, pids in tree.fixes.items():
        details = " ".join(p for p in (fix, measures) if p)
        remediations.append({"category": "vendor_fix", "details": details, "product_ids": pids})
    # a recorded mitigation (``case release --mitigation``) is one, like what users can do
    mitigations = [*snapshot.user_mitigations, *_released_mitigations(snapshot)]
    if mitigations:
        remediations.append(
            {
                "category": "mitigation",
                "details": "\n".join(mitigations),
                "product_ids": affected_ids,
            }
        )
    if tree.unfixed and not mitigations:
        remediations.append(
            {
                "category": "none_available",
                "details": "No fix or mitigation is available yet.",
                "product_ids": tree.unfixed,
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


def _released_mitigations(snapshot: CaseSnapshot) -> list[str]:
    """The recorded mitigations (``mitigation_available`` events), in words."""
    return [
        " ".join(
            p
            for p in (
                r.description,
                f"(in {', '.join(r.versions)})" if r.versions else None,
            )
            if p
        )
        for r in snapshot.releases
        if r.kind == "mitigation_available"
    ]


def _system(alias: str) -> str:
    prefix = alias.split("-", 1)[0].upper()
    return {
        "GHSA": "GitHub Security Advisory",
        "PYSEC": "PyPA Advisory Database",
        "GO": "Go Vulnerability Database",
        "RUSTSEC": "RustSec Advisory Database",
        "OSV": "OSV",
    }.get(prefix, prefix or "alias")
