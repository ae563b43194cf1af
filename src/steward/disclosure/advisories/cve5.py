"""CVE JSON 5.1 records from a case, for projects and stewards that are CVE Numbering Authorities.

The record holds the CNA container only (``containers.cna``): title, English description,
affected products with version ranges (``lessThan`` / ``lessThanOrEqual`` and
``defaultStatus: unaffected``), CWE problem types, CVSS metrics (v3.0, v3.1 and v4.0 from the
``cvss`` library), references and credits. The CNA's organisation UUID and short name are
required inputs: they are assigned by the CVE Program and cannot be derived; both, and the
CVE id, are checked against the record schema's own patterns first, so a wrong one is named
plainly. The whole record is validated against the CVE JSON 5 schema shipped by ``cvelib``
before it is written (:mod:`steward.disclosure.advisories.schemas`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from steward.disclosure.advisories.common import CWE_RE, cve_ids, iso, parse_cvss
from steward.disclosure.advisories.constraints import parse_affected
from steward.disclosure.advisories.cwe import cwe_name
from steward.disclosure.advisories.schemas import cve_definition
from steward.disclosure.model import CaseSnapshot, Manufacturer
from steward.errors import InputError

DATA_VERSION = "5.1"
_VERSION_TYPES = {
    "PyPI": "python",
    "Maven": "maven",
    "npm": "semver",
    "crates.io": "semver",
    "Go": "semver",
    "Pub": "semver",
    "Hex": "semver",
    "NuGet": "semver",
}
_METRIC_KEYS = {"2.0": "cvssV2_0", "3.0": "cvssV3_0", "3.1": "cvssV3_1", "4.0": "cvssV4_0"}


def build_cve5(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer,
    *,
    cna_org_id: str,
    cna_short_name: str,
    cve_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The CVE record for the case's CVE id (the first CVE alias unless ``cve_id`` is given)."""
    _check_cna(cna_org_id, cna_short_name)
    ids = cve_ids(snapshot)
    cve = cve_id or (ids[0] if ids else None)
    if cve is None:
        raise InputError("the case has no CVE id (add an alias CVE-YYYY-NNNN)", source=snapshot.id)
    if not re.match(cve_definition("cveId")["pattern"], cve):
        raise InputError(f"--id {cve!r} is not a CVE id (CVE-YYYY-NNNN)", source=snapshot.id)
    if not snapshot.products:
        raise InputError("the case names no affected product", source=snapshot.id)
    provider = {"orgId": cna_org_id, "shortName": cna_short_name}
    updated = iso(now or snapshot.updated_at)
    metadata: dict[str, Any] = {
        "cveId": cve,
        "assignerOrgId": cna_org_id,
        "assignerShortName": cna_short_name,
        "state": "PUBLISHED",
        "dateUpdated": updated,
    }
    if snapshot.published_at is not None:
        metadata["datePublished"] = iso(snapshot.published_at)
    cna: dict[str, Any] = {
        "providerMetadata": {**provider, "dateUpdated": updated},
        "title": snapshot.title,
        "descriptions": [{"lang": "en", "value": snapshot.description or snapshot.title}],
        "affected": [_affected(snapshot, manufacturer, p) for p in snapshot.products],
        "references": [{"url": url} for url in snapshot.references],
    }
    if not cna["references"]:
        raise InputError(
            "a CVE record needs at least one reference URL (the advisory or the fix)",
            source=snapshot.id,
        )
    problem_types = []
    for cwe in snapshot.cwes:
        if not CWE_RE.match(cwe):
            continue
        name = cwe_name(cwe)
        description = f"{cwe} {name}" if name else cwe
        problem_types.append(
            {
                "descriptions": [
                    {"lang": "en", "cweId": cwe, "description": description, "type": "CWE"}
                ]
            }
        )
    if problem_types:
        cna["problemTypes"] = problem_types
    if snapshot.cvss_vector:
        cvss = parse_cvss(snapshot.cvss_vector, source=snapshot.id)
        cna["metrics"] = [{_METRIC_KEYS[cvss.version]: _metric(cvss.version, cvss.first_json)}]
    if snapshot.user_mitigations:
        cna["workarounds"] = [{"lang": "en", "value": "\n".join(snapshot.user_mitigations)}]
    if snapshot.corrective_measures:
        cna["solutions"] = [{"lang": "en", "value": "\n".join(snapshot.corrective_measures)}]
    reporter = snapshot.reporter
    if reporter is not None and reporter.credit and reporter.name:
        cna["credits"] = [{"lang": "en", "value": reporter.name, "type": "finder"}]
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": DATA_VERSION,
        "cveMetadata": metadata,
        "containers": {"cna": cna},
    }


def _check_cna(org_id: str, short_name: str) -> None:
    if not re.match(cve_definition("uuidType")["pattern"], org_id):
        raise InputError(
            f"--cna-org-id {org_id!r} is not a UUID (version 4); use the organisation id the "
            "CVE Program assigned to the CNA"
        )
    rule = cve_definition("shortName")
    low, high = int(rule.get("minLength", 2)), int(rule.get("maxLength", 32))
    if not low <= len(short_name) <= high:
        raise InputError(
            f"--cna-short-name {short_name!r}: a CNA short name has {low} to {high} characters"
        )


def _metric(version: str, data: dict[str, Any]) -> dict[str, Any]:
    metric = dict(data)
    if version == "2.0":
        metric.pop("baseSeverity", None)  # CVSS v2 JSON has no severity
    return metric


def _affected(snapshot: CaseSnapshot, manufacturer: Manufacturer, product: Any) -> dict[str, Any]:
    parsed = parse_affected(product)
    if parsed.is_empty:
        raise InputError(
            f"product {product.name!r} has no affected versions or fixed version",
            source=snapshot.id,
        )
    version_type = _VERSION_TYPES.get(product.ecosystem or "", "custom")
    versions: list[dict[str, Any]] = []
    for interval in parsed.intervals:
        item: dict[str, Any] = {
            "version": interval.introduced or "0",
            "status": "affected",
            "versionType": version_type,
        }
        if interval.fixed is not None:
            item["lessThan"] = interval.fixed
        elif interval.last_affected is not None:
            item["lessThanOrEqual"] = interval.last_affected
        else:
            item["lessThan"] = "*"
        versions.append(item)
    versions.extend({"version": v, "status": "affected"} for v in parsed.exact)
    versions.extend({"version": v, "status": "unaffected"} for v in parsed.fixed)
    entry: dict[str, Any] = {
        "vendor": product.vendor or manufacturer.name,
        "product": product.name,
        "defaultStatus": "unaffected",
        "versions": versions,
    }
    if product.cpe:
        entry["cpes"] = [product.cpe]
    if product.ecosystem:
        entry["packageName"] = product.name
    return entry
