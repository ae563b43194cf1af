"""Assessments as Gemara ``EvaluationLog`` documents (the evaluation layer of the Gemara model).

Gemara (gemaraproj/gemara, OpenSSF) is the data model the OSPS Baseline is published in; the
OSPS Baseline scanner and its consumers exchange evaluation results as ``EvaluationLog``
artifacts. We write the shape of ``evaluationlog.cue`` and the definitions it uses at release
**v1.4.1** (2026-07-23, :data:`GEMARA_VERSION`):

- ``metadata``: ``type: EvaluationLog``, the Gemara version, the author (Steward, Software),
  ``mapping-references`` naming the Steward catalog with its version (every control and
  requirement entry refers to it) and the OSPS Baseline edition the catalog maps to,
  ``applicability-groups`` for the three maturity levels;
- ``target``: the assessed project and revision (a Gemara ``Resource``);
- one ``ControlEvaluation`` per finding, ``control`` = the Steward requirement, with one
  ``AssessmentLog`` whose ``steps`` are the probes that ran (or the attestation asked for)
  and whose ``evidence`` carries our file/line/detail evidence as payload;
- results: pass → ``Passed``, fail → ``Failed``, not-applicable → ``Not Applicable``,
  needs-attestation → ``Needs Review``, error → ``Unknown``; accepted (not met, accepted in
  steward.yml) → ``Failed`` with the acceptance in the message, because an evaluation log
  records what was found and the acceptance is the project's decision about it; the log's
  ``result`` is the worst of them (Failed, Unknown, Needs Review, Passed, Not Applicable).

The document is plain data (dict); the caller serialises it (JSON or YAML, both are Gemara).
"""

from __future__ import annotations

import re
from typing import Any

from steward import __version__
from steward.catalog.loader import load_catalog
from steward.catalog.model import Catalog
from steward.errors import UsageError
from steward.evaluate.model import Assessment, Evidence, Finding

GEMARA_VERSION = "1.4.1"
CATALOG_REFERENCE = "steward"
OSPS_REFERENCE = "OSPS-B"  # the reference id the OSPS Baseline scanner uses

_RESULT = {
    "pass": "Passed",
    "fail": "Failed",
    "not-applicable": "Not Applicable",
    "needs-attestation": "Needs Review",
    "error": "Unknown",
    "accepted": "Failed",
}
_WORST_FIRST = ("Failed", "Unknown", "Needs Review", "Passed", "Not Applicable", "Not Run")
_LEVELS = (1, 2, 3)


def result_of(status: str) -> str:
    """The Gemara ``Result`` for a finding status (unknown statuses: ``Needs Review``)."""
    return _RESULT.get(status, "Needs Review")


def aggregate(results: list[str]) -> str:
    """The worst of ``results`` (``Not Run`` for none)."""
    for result in _WORST_FIRST:
        if result in results:
            return result
    return "Not Run"


def _evidence_type(item: Evidence) -> str:
    """Gemara's open evidence type: ``attestation``, ``commit``, ``url``, ``file`` or
    ``observation`` (no location)."""
    if item.detail.startswith("attested "):
        return "attestation"
    if item.commit is not None:
        return "commit"
    if item.url is not None:
        return "url"
    return "file" if item.path is not None else "observation"


def _evidence(finding: Finding, when: str) -> list[dict[str, Any]]:
    out = []
    for index, item in enumerate(finding.evidence, start=1):
        payload: dict[str, Any] = {"source": item.source}
        for key in ("path", "line", "commit", "url"):
            value = getattr(item, key)
            if value is not None:
                payload[key] = value
        if item.detail:
            payload["detail"] = item.detail
        if item.accepted is not None:
            payload["accepted"] = item.accepted.text()
        entry: dict[str, Any] = {
            "id": f"{finding.requirement_id}-EV-{index:02d}",
            "type": _evidence_type(item),
            "collected-at": when,
            "payload": payload,
        }
        if item.detail:
            entry["description"] = item.detail
        out.append(entry)
    return out


def _message(finding: Finding) -> str:
    if finding.acceptance is None:
        return finding.message
    return f"{finding.message} [accepted: {finding.acceptance.text()}]"


def _applicability(level: int) -> list[str]:
    return [f"level-{n}" for n in _LEVELS if n >= level]


def _assessment_log(finding: Finding, text: str, when: str) -> dict[str, Any]:
    steps = [f"steward/probes/{p.probe}" for p in finding.probes]
    if finding.attestation_request:
        steps.append("steward/attestation")
    if not steps:
        steps = ["steward/applicability"]
    log: dict[str, Any] = {
        "requirement": {"reference-id": CATALOG_REFERENCE, "entry-id": finding.requirement_id},
        "description": text,
        "result": result_of(finding.status.value),
        "message": _message(finding),
        "applicability": _applicability(finding.level),
        "steps": steps,
        "steps-executed": len(finding.probes) + (1 if finding.attested else 0),
        "start": when,
    }
    if finding.fix and finding.status.value not in ("pass", "not-applicable"):
        log["recommendation"] = finding.fix
    evidence = _evidence(finding, when)
    if evidence:
        log["evidence"] = evidence
    return log


def to_gemara(assessment: Assessment, catalog: Catalog | None = None) -> dict[str, Any]:
    """The assessment as a Gemara v1.4.1 ``EvaluationLog`` (plain data).

    ``catalog``: the catalog the assessment was made against (default: the packaged one);
    requirement texts and the catalog title come from it. Errors: UsageError when the
    assessment has no findings (an EvaluationLog needs at least one evaluation)."""
    catalog = catalog or load_catalog()
    if not assessment.findings:
        raise UsageError("nothing to write: the assessment has no findings")
    when = assessment.timestamp
    evaluations: list[dict[str, Any]] = []
    for finding in assessment.findings:
        requirement = catalog.get(finding.requirement_id)
        text = requirement.text if requirement else finding.title
        control: dict[str, Any] = {
            "reference-id": CATALOG_REFERENCE,
            "entry-id": finding.requirement_id,
        }
        if requirement is not None and requirement.mappings.osps:
            control["remarks"] = "maps to " + ", ".join(requirement.mappings.osps)
        evaluations.append(
            {
                "name": f"{finding.requirement_id}: {finding.title}",
                "result": result_of(finding.status.value),
                "message": _message(finding),
                "control": control,
                "assessment-logs": [_assessment_log(finding, text, when)],
            }
        )
    revision = assessment.revision or "working-tree"
    references: list[dict[str, str]] = [
        {
            "id": CATALOG_REFERENCE,
            "title": catalog.title,
            "version": assessment.catalog_version,
            "description": "The Steward common standard the requirements (controls) come from.",
        }
    ]
    osps = catalog.framework("osps")
    if osps is not None:
        references.append(
            {
                "id": OSPS_REFERENCE,
                "title": osps.title,
                "version": osps.version,
                "url": osps.url,
                "description": "The OSPS Baseline edition the control remarks refer to.",
            }
        )
    target: dict[str, Any] = {
        "id": f"{assessment.project}@{revision}",
        "name": assessment.project,
        "type": "Software",
        "description": f"revision {revision} at {assessment.root}",
    }
    if assessment.forge and assessment.forge.startswith(("http://", "https://")):
        target["uri"] = assessment.forge
    level = f"up to level {assessment.level}" if assessment.level else "all levels"
    return {
        "metadata": {
            "id": f"steward-evaluation-{_slug(assessment.project)}-{_slug(revision)[:12]}",
            "type": "EvaluationLog",
            "gemara-version": GEMARA_VERSION,
            "date": when,
            "description": (
                f"Steward assessment of {assessment.project} against the Steward common "
                f"standard {assessment.catalog_version} as {assessment.role}, {level}."
            ),
            "author": {
                "id": "steward",
                "name": "Steward",
                "type": "Software",
                "version": __version__,
            },
            "mapping-references": references,
            "applicability-groups": [
                {
                    "id": f"level-{n}",
                    "title": f"Level {n}",
                    "description": f"Requirements that apply to a project assessed at level {n}.",
                }
                for n in _LEVELS
            ],
        },
        "target": target,
        "result": aggregate([e["result"] for e in evaluations]),
        "evaluations": evaluations,
    }


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "project"
