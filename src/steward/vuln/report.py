"""Writing match results: JSON, SARIF 2.1.0, CycloneDX 1.6 VEX and OpenVEX 0.2.0.

- JSON: ``{"summary": ..., "findings": [...]}``; the shape is described by
  ``data/findings.schema.json`` (tested) and read back by ``steward case new --from-finding``.
- SARIF: one rule per vulnerability, one result per affected component, located at the
  lockfile line the component came from (a URI relative to the repository root, see
  ``steward.sarif``) and by purl, ``security-severity`` for code-scanning UIs, VEX
  suppressions as SARIF suppressions.
- CycloneDX VEX: a BOM with ``vulnerabilities[]`` whose ``affects`` name the components by
  purl; ``analysis.state`` is ``exploitable`` or, for suppressed ones, the VEX status.
- OpenVEX: one statement per finding, ``affected`` (with the upgrade as action statement) or
  the suppressing status and justification.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from steward import __version__
from steward.markdown import table_row
from steward.sarif import MAX_TAGS, line_hash, physical_location, sarif_log, truncate
from steward.vuln.matcher import Finding, MatchResult

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
_CDX_STATE = {
    "not_affected": "not_affected",
    "false_positive": "false_positive",
    "fixed": "resolved",
    "resolved": "resolved",
    "resolved_with_pedigree": "resolved_with_pedigree",
}
_CDX_RATINGS = {"critical", "high", "medium", "low", "none"}
_OPENVEX_JUSTIFICATIONS = {
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
}


def _json(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def summary(result: MatchResult) -> dict[str, Any]:
    by_rating: dict[str, int] = {}
    for finding in result.active:
        by_rating[finding.severity.rating] = by_rating.get(finding.severity.rating, 0) + 1
    return {
        "components": result.components,
        "findings": len(result.active),
        "suppressed": len(result.findings) - len(result.active),
        "exploited": sum(1 for f in result.active if f.exploited),
        "reportable": sum(1 for f in result.findings if f.reportable),
        "by_severity": dict(sorted(by_rating.items())),
        "not_evaluated": len(result.unknown),
        "without_ecosystem_or_version": result.unsupported,
        "seconds": round(result.seconds, 3),
    }


def to_json(result: MatchResult, findings: list[Finding]) -> bytes:
    return _json(
        {
            "tool": {"name": "steward", "version": __version__},
            "summary": summary(result),
            "findings": [f.to_dict() for f in findings],
            "not_evaluated": [
                {"package": c.purl or f"{c.ecosystem}:{c.name}@{c.version}", "advisory": a}
                for c, a in result.unknown
            ],
        }
    )


def to_markdown(result: MatchResult, findings: list[Finding]) -> str:
    """A Markdown report (for pull-request comments and CRA technical documentation)."""
    info = summary(result)
    lines = [
        "# Known vulnerabilities",
        "",
        f"{info['findings']} in {info['components']} components: {info['exploited']} known "
        f"exploited, **{info['reportable']} reportable under CRA Art. 14**, "
        f"{info['suppressed']} suppressed by VEX.",
        "",
        "| Package | Version | Vulnerability | Severity | Fixed in | Exploited | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in findings:
        comp = f.component
        severity = f.severity.rating + (f" {f.severity.score:.1f}" if f.severity.score else "")
        flags = [name for name, on in (("KEV", f.kev), ("EUVD", f.euvd)) if on is not None]
        if f.suppressed is not None:
            status = f"suppressed: {f.suppressed.justification or f.suppressed.status}"
        else:
            status = "reportable (Art. 14)" if f.reportable else "open"
        ids = f.id + (f" ({', '.join(f.aliases)})" if f.aliases else "")
        lines.append(
            table_row(
                comp.name,
                comp.version,
                ids,
                severity,
                ", ".join(f.fixed_versions) or "-",
                " ".join(flags) or "-",
                status,
            )
        )
    return "\n".join(lines) + "\n"


def _fingerprint(finding: Finding) -> str:
    key = f"{finding.id}|{finding.component.purl or finding.component.name}"
    return hashlib.sha256(f"{key}|{finding.component.version}".encode()).hexdigest()[:32]


def _message(finding: Finding) -> str:
    comp = finding.component
    text = f"{comp.name} {comp.version} is affected by {finding.id}"
    if finding.summary:
        text += f": {finding.summary}"
    if finding.fixed_versions:
        text += f" (fixed in {', '.join(finding.fixed_versions)})"
    else:
        text += " (no fixed version known)"
    if finding.exploited:
        text += " — known to be actively exploited"
    return text


_LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2}


def to_sarif(findings: list[Finding], *, source: str | None = None, prefix: str = "") -> bytes:
    """SARIF 2.1.0 for code scanning: one rule per vulnerability, one result per affected
    component, located at the lockfile line it came from (``steward.sarif`` conventions).

    ``prefix``: the scanned directory relative to the repository root (``"backend/"``), put
    before each component's lockfile path. ``source``: the SBOM's path relative to the
    repository root when the input was an SBOM (components then have no lockfile); None
    when it lies outside the repository, and results are then located only logically (by
    purl), never by a local path.
    """
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for finding in findings:
        if finding.id not in rules:
            tags = ["security", "vulnerability", *finding.cwes][:MAX_TAGS]
            properties: dict[str, Any] = {"tags": tags}
            if finding.severity.score is not None and finding.severity.score > 0:
                properties["security-severity"] = f"{finding.severity.score:.1f}"
            rule: dict[str, Any] = {
                "id": finding.id,
                "name": truncate(finding.id, 255),
                "shortDescription": {"text": truncate(finding.summary or finding.id)},
                "fullDescription": {
                    "text": truncate(finding.details or finding.summary or finding.id)
                },
                "help": {
                    "text": "Upgrade to a fixed version"
                    + (f": {', '.join(finding.fixed_versions)}" if finding.fixed_versions else ".")
                    + (f" Aliases: {', '.join(finding.aliases)}." if finding.aliases else "")
                },
                "properties": properties,
            }
            if finding.references:
                rule["helpUri"] = finding.references[0]
            rules[finding.id] = rule
        comp = finding.component
        location: dict[str, Any] = {}
        if comp.location is not None:
            location["physicalLocation"] = physical_location(
                prefix + comp.location.path, comp.location.line
            )
        elif source is not None:
            location["physicalLocation"] = physical_location(source or None)
        name = comp.purl or f"{comp.ecosystem}:{comp.name}@{comp.version}"
        location["logicalLocations"] = [
            {"name": f"{comp.name}@{comp.version}", "fullyQualifiedName": name, "kind": "package"}
        ]
        entry: dict[str, Any] = {
            "ruleId": finding.id,
            "ruleIndex": list(rules).index(finding.id),
            "kind": "fail",
            "level": _SARIF_LEVEL.get(finding.severity.rating, "warning"),
            "message": {"text": truncate(_message(finding), 4000)},
            "locations": [location],
            "partialFingerprints": {
                "primaryLocationLineHash": line_hash(finding.id, name),
                "stewardVulnerability/v1": _fingerprint(finding),
            },
            "properties": {
                "purl": comp.purl,
                "exploited": finding.exploited,
                "reportable": finding.reportable,
            },
        }
        if finding.suppressed is not None:
            entry["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": " ".join(
                        p
                        for p in (
                            finding.suppressed.status,
                            finding.suppressed.justification or "",
                            f"({Path(finding.suppressed.source).name})",
                        )
                        if p
                    ),
                }
            ]
        results.append(entry)
    results.sort(key=lambda r: _LEVEL_ORDER.get(r["level"], 3))  # most severe first
    return sarif_log(list(rules.values()), results)


def _cdx_rating(finding: Finding) -> dict[str, Any] | None:
    severity = finding.severity
    if severity.rating not in _CDX_RATINGS:
        return None
    rating: dict[str, Any] = {"severity": severity.rating}
    if severity.score is not None and severity.vector:
        methods = {"4.0": "CVSSv4", "3.1": "CVSSv31", "3.0": "CVSSv3", "2.0": "CVSSv2"}
        rating |= {
            "score": severity.score,
            "method": methods.get(severity.version or "", "other"),
            "vector": severity.vector,
        }
    return rating


def _cdx_vulnerability(finding: Finding) -> dict[str, Any]:
    vuln: dict[str, Any] = {"bom-ref": f"vuln:{finding.id}", "id": finding.id}
    if finding.aliases:
        vuln["references"] = [
            {"id": alias, "source": {"name": alias.split("-", 1)[0]}} for alias in finding.aliases
        ]
    rating = _cdx_rating(finding)
    if rating:
        vuln["ratings"] = [rating]
    cwes = [int(c[4:]) for c in finding.cwes if c.startswith("CWE-") and c[4:].isdigit()]
    if cwes:
        vuln["cwes"] = cwes
    if finding.summary:
        vuln["description"] = finding.summary
    if finding.fixed_versions:
        vuln["recommendation"] = "Upgrade to " + " or ".join(finding.fixed_versions)
    if finding.suppressed is not None:
        detail = f"{finding.suppressed.justification or finding.suppressed.status}"
        vuln["analysis"] = {
            "state": _CDX_STATE.get(finding.suppressed.status, "not_affected"),
            "detail": f"{detail} (VEX: {finding.suppressed.source})",
        }
    else:
        vuln["analysis"] = {"state": "exploitable" if finding.exploited else "in_triage"}
    vuln["affects"] = []
    return vuln


def to_cyclonedx_vex(findings: list[Finding], *, timestamp: datetime) -> bytes:
    components: dict[str, dict[str, Any]] = {}
    vulns: dict[str, dict[str, Any]] = {}
    for finding in findings:
        comp = finding.component
        ref = comp.purl or comp.ref
        if ref not in components:
            entry: dict[str, Any] = {"type": "library", "bom-ref": ref, "name": comp.name}
            if comp.version:
                entry["version"] = comp.version
            if comp.purl:
                entry["purl"] = comp.purl
            components[ref] = entry
        vuln = vulns.setdefault(finding.id, _cdx_vulnerability(finding))
        if {"ref": ref} not in vuln["affects"]:
            vuln["affects"].append({"ref": ref})
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "steward-vex:" + ",".join(sorted(vulns)))
    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {
                "components": [{"type": "application", "name": "steward", "version": __version__}]
            },
        },
        "components": sorted(components.values(), key=lambda c: str(c["bom-ref"])),
        "vulnerabilities": list(vulns.values()),
    }
    return _json(bom)


def to_openvex(findings: list[Finding], *, timestamp: datetime, author: str) -> bytes:
    statements = []
    for finding in findings:
        comp = finding.component
        product = comp.purl or f"{comp.ecosystem}:{comp.name}@{comp.version}"
        statement: dict[str, Any] = {
            "vulnerability": {"name": finding.id, "aliases": finding.aliases}
            if finding.aliases
            else {"name": finding.id},
            "products": [{"@id": product}],
        }
        if finding.suppressed is not None:
            status = finding.suppressed.status
            statement["status"] = "fixed" if status in ("fixed", "resolved") else "not_affected"
            if statement["status"] == "not_affected":
                justification = finding.suppressed.justification or ""
                if justification in _OPENVEX_JUSTIFICATIONS:
                    statement["justification"] = justification
                else:
                    statement["impact_statement"] = (
                        f"{justification or status} (from {finding.suppressed.source})"
                    )
        else:
            statement["status"] = "affected"
            statement["action_statement"] = (
                f"Upgrade {comp.name} to {' or '.join(finding.fixed_versions)}"
                if finding.fixed_versions
                else f"No fixed version of {comp.name} is known; assess and mitigate"
            )
        statements.append(statement)
    digest = hashlib.sha256(_json(statements)).hexdigest()[:32]
    document = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": f"https://openvex.dev/docs/steward/vex-{digest}",
        "author": author,
        "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "version": 1,
        "tooling": f"steward {__version__}",
        "statements": statements,
    }
    return _json(document)
