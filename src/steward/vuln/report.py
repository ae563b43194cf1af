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
from steward.vuln.summary import (
    Context,
    describe_feeds,
    feed_sentence,
    feed_warnings,
    not_checked_line,
    not_checked_rows,
    summary,
)
from steward.vuln.vex import cyclonedx_justification, openvex_justification

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
#: VEX status (OpenVEX words) → CycloneDX ``analysis.state``
_CDX_STATE = {
    "not_affected": "not_affected",
    "false_positive": "false_positive",
    "fixed": "resolved",
    "affected": "exploitable",
    "under_investigation": "in_triage",
}
_CDX_RATINGS = {"critical", "high", "medium", "low", "none"}


def _json(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def to_json(result: MatchResult, findings: list[Finding], context: Context) -> bytes:
    """The JSON report (``data/findings.schema.json``)."""
    return _json(
        {
            "tool": {"name": "steward", "version": __version__},
            "product": context.product,
            "summary": summary(result, context),
            "feeds": describe_feeds(result, context.now),
            "findings": [f.to_dict() for f in findings],
            "not_evaluated": [
                {"package": c.purl or f"{c.ecosystem}:{c.name}@{c.version}", "advisory": a}
                for c, a in result.unknown
            ],
            "not_checked": not_checked_rows(result),
            "vex": context.vex,
        }
    )


def _status(finding: Finding) -> str:
    if finding.suppressed is not None:
        return f"suppressed: {finding.suppressed.justification or finding.suppressed.status}"
    text = "reportable (Art. 14)" if finding.reportable else "open"
    if finding.vex is not None:
        text += f" (VEX: {finding.vex.status.replace('_', ' ')})"
    return text


def to_markdown(result: MatchResult, findings: list[Finding], context: Context) -> str:
    """A Markdown report (for pull-request comments and CRA technical documentation)."""
    info = summary(result, context)
    feeds = describe_feeds(result, context.now)
    exploited = "unknown" if info["exploited"] is None else info["exploited"]
    reportable = "unknown" if info["reportable"] is None else info["reportable"]
    lines = [
        "# Known vulnerabilities",
        "",
        f"{info['findings']} in {info['components']} components: {exploited} known "
        f"exploited, **{reportable} reportable under CRA Art. 14**, "
        f"{info['suppressed']} suppressed by VEX, {info['unrated']} without a severity "
        f"(counted as {info['unknown_as']} for --fail-on), {info['not_checked']} not checked.",
        "",
        feed_sentence(feeds) + ".",
        "",
    ]
    for warning in feed_warnings(feeds):
        lines += [f"> **Warning:** {warning}", ""]
    lines += [
        "| Package | Version | Vulnerability | Severity | Fixed in | Exploited | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in findings:
        comp = f.component
        severity = f.severity.rating + (f" {f.severity.score:.1f}" if f.severity.score else "")
        version = comp.version + (" (assumed)" if f.version_note else "")
        ids = f.id + (f" ({', '.join(f.aliases)})" if f.aliases else "")
        lines.append(
            table_row(
                comp.name,
                version,
                ids,
                severity,
                ", ".join(f.fixed_versions) or "-",
                ", ".join(f.exploited_by) or "-",
                _status(f),
            )
        )
    rows = not_checked_rows(result)
    if rows:
        lines += ["", f"## Not checked ({len(rows)})", "", "| Component | Where | Why |"]
        lines.append("|---|---|---|")
        for row in rows:
            what = row["name"] + (f" {row['version']}" if row["version"] else "")
            lines.append(table_row(what, row["location"] or "-", row["reason"]))
    if context.vex:
        lines += ["", "## VEX documents", ""]
        lines += [f"- {item['line']}" for item in context.vex]
    return "\n".join(lines) + "\n"


def annotate_sarif(sarif: bytes, result: MatchResult, context: Context) -> bytes:
    """Add the feeds used and the components not checked to a SARIF log from :func:`to_sarif`.

    They go where SARIF 2.1.0 puts facts about a run: ``run.properties`` (the feeds) and
    ``invocations[].toolExecutionNotifications`` (one warning per component not checked,
    and per missing or stale feed).
    """
    log = orjson.loads(sarif)
    feeds = describe_feeds(result, context.now)
    notes = [{"level": "warning", "message": {"text": text}} for text in feed_warnings(feeds)] + [
        {"level": "warning", "message": {"text": "not checked: " + not_checked_line(row)}}
        for row in not_checked_rows(result)
    ]
    for run in log.get("runs", []):
        properties = run.setdefault("properties", {})
        properties["feeds"] = feeds
        properties["summary"] = summary(result, context)
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notes}]
    return _json(log)


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
    decision = finding.vex
    if decision is not None:
        detail = " ".join(
            p
            for p in (decision.statement, decision.justification, f"(VEX: {decision.source})")
            if p
        )
        analysis: dict[str, Any] = {"state": _CDX_STATE[decision.status], "detail": detail}
        justification = cyclonedx_justification(decision.justification)
        if justification and decision.status == "not_affected":
            analysis["justification"] = justification
        vuln["analysis"] = analysis
    else:
        vuln["analysis"] = {"state": "exploitable" if finding.exploited else "in_triage"}
    vuln["affects"] = []
    return vuln


def to_cyclonedx_vex(
    findings: list[Finding],
    *,
    timestamp: datetime,
    result: MatchResult | None = None,
    context: Context | None = None,
) -> bytes:
    """A CycloneDX 1.6 VEX BOM; with ``result`` and ``context`` its metadata properties name
    the feeds used (``steward:feed``) and each component not checked (``steward:not-checked``).
    """
    components: dict[str, dict[str, Any]] = {}
    # one entry per vulnerability and analysis: VEX may decide its components differently
    vulns: dict[tuple[str, str], dict[str, Any]] = {}
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
        candidate = _cdx_vulnerability(finding)
        key = (finding.id, orjson.dumps(candidate["analysis"]).decode())
        if key not in vulns:
            same_id = sum(1 for other, _ in vulns if other == finding.id)
            if same_id:
                candidate["bom-ref"] = f"vuln:{finding.id}:{same_id + 1}"
            vulns[key] = candidate
        vuln = vulns[key]
        if {"ref": ref} not in vuln["affects"]:
            vuln["affects"].append({"ref": ref})
    serial = uuid.uuid5(
        uuid.NAMESPACE_URL, "steward-vex:" + ",".join(sorted(v["bom-ref"] for v in vulns.values()))
    )
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
    if result is not None and context is not None:
        feeds = describe_feeds(result, context.now)
        properties = [{"name": "steward:feeds", "value": feed_sentence(feeds)}]
        properties += [{"name": "steward:warning", "value": w} for w in feed_warnings(feeds)]
        properties += [
            {"name": "steward:not-checked", "value": not_checked_line(row)}
            for row in not_checked_rows(result)
        ]
        bom["metadata"]["properties"] = properties  # type: ignore[index]
    return _json(bom)


def to_openvex(
    findings: list[Finding],
    *,
    timestamp: datetime,
    author: str,
    result: MatchResult | None = None,
    context: Context | None = None,
) -> bytes:
    """An OpenVEX 0.2.0 document. OpenVEX has no place for free facts, so the feeds used and
    the number of components not checked go into ``tooling`` ("how the statements were
    generated"); the components themselves are listed on standard error by the CLI."""
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
            statement["status"] = "fixed" if status == "fixed" else "not_affected"
            if statement["status"] == "not_affected":
                justification = openvex_justification(finding.suppressed.justification)
                if justification is not None and status == "not_affected":
                    statement["justification"] = justification
                else:
                    given = finding.suppressed.statement or finding.suppressed.justification
                    statement["impact_statement"] = (
                        f"{given or status} (from {finding.suppressed.source})"
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
        "tooling": _tooling(result, context),
        "statements": statements,
    }
    return _json(document)


def _tooling(result: MatchResult | None, context: Context | None) -> str:
    text = f"steward {__version__}"
    if result is None or context is None:
        return text
    text += "; " + feed_sentence(describe_feeds(result, context.now))
    if result.not_checked:
        text += f"; {len(result.not_checked)} components not checked"
    return text
