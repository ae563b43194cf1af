"""Assessment reports: Markdown, HTML, SARIF 2.1.0 and OSCAL 1.1.3 assessment-results.

- Markdown and HTML: the summary, the level achieved, then every requirement that is not
  met (fail, error, needs-attestation) with its evidence and fix, then the rest.
- SARIF: one rule per requirement (with its CRA / OSPS mappings as tags), one result per
  requirement that is not met; located at the evidence's file and line where there is one,
  else at the repository root, so code-scanning UIs show it next to the file to change.
- OSCAL assessment-results: one result for the run, one observation per requirement
  (method AUTOMATED for probes, EXAMINE for attestations, evidence as relevant-evidence),
  one finding per requirement targeting the catalog control (``stw-vul-03``) with state
  satisfied / not-satisfied. UUIDs are derived from the content, so the same assessment
  gives the same document.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from jinja2 import Environment

from steward import __version__
from steward.catalog.export import oscal_control_id
from steward.catalog.loader import load_catalog
from steward.catalog.model import Requirement
from steward.evaluate.model import Assessment, Evidence, Finding, Status
from steward.markdown import table_row
from steward.sarif import sarif_log

NS = "https://steward.dev/ns/oscal"
_NAMESPACE = uuid.UUID("6f1c2b9a-3d4e-5f60-8a7b-9c0d1e2f3a4b")
_ORDER = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.NEEDS_ATTESTATION: 2,
    Status.PASS: 3,
    Status.NOT_APPLICABLE: 4,
}
_MARK = {
    Status.PASS: "✅ pass",
    Status.FAIL: "❌ fail",
    Status.ERROR: "⚠️ error",
    Status.NEEDS_ATTESTATION: "📝 needs attestation",
    Status.NOT_APPLICABLE: "➖ n/a",
}


def _sorted(assessment: Assessment) -> list[Finding]:
    return sorted(assessment.findings, key=lambda f: (_ORDER[f.status], f.requirement_id))


def _evidence_text(item: Evidence) -> str:
    where = item.source if item.line is None else f"{item.source}:{item.line}"
    return f"{where} — {item.detail}" if item.detail else where


def to_markdown(assessment: Assessment) -> str:
    s = assessment.summary
    lines = [
        f"# Steward assessment: {assessment.project}",
        "",
        f"- Revision: `{assessment.revision or 'not a git checkout'}`",
        f"- Assessed: {assessment.timestamp} against catalog {assessment.catalog_version}"
        f" as {assessment.role}",
        f"- **Level achieved: {assessment.level_achieved}**",
        f"- {s.passed} pass, {s.failed} fail, {s.needs_attestation} need attestation, "
        f"{s.error} error, {s.not_applicable} not applicable (of {s.total})",
        "",
        "| Requirement | Level | Status | Finding |",
        "|---|---|---|---|",
    ]
    for f in _sorted(assessment):
        attested = " (attested)" if f.attested else ""
        lines.append(
            table_row(
                f"{f.requirement_id} {f.title}", f.level, _MARK[f.status] + attested, f.message
            )
        )
    open_items = [f for f in _sorted(assessment) if f.status in (Status.FAIL, Status.ERROR)]
    open_items += [f for f in _sorted(assessment) if f.status is Status.NEEDS_ATTESTATION]
    if open_items:
        lines += ["", "## What to do"]
    for f in open_items:
        lines += ["", f"### {f.requirement_id}: {f.title}", "", f"{_MARK[f.status]} — {f.message}"]
        if f.evidence:
            lines += ["", "Evidence:"] + [f"- {_evidence_text(e)}" for e in f.evidence]
        if f.fix:
            lines += ["", f"Fix: {f.fix.strip()}"]
        if f.attestation_request:
            lines += ["", f"To attest: {f.attestation_request.strip()}"]
    if assessment.problems:
        lines += ["", "## Could not be collected", ""]
        lines += [f"- {_evidence_text(p)}" for p in assessment.problems]
    return "\n".join(lines) + "\n"


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Steward assessment: {{ a.project }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}.pass{color:#176f2c}.fail,.error{color:#b00020}
.needs-attestation{color:#8a5a00}.not-applicable{color:#666}
</style></head><body>
<h1>Steward assessment: {{ a.project }}</h1>
<p>Revision <code>{{ a.revision or "not a git checkout" }}</code>, assessed {{ a.timestamp }}
against catalog {{ a.catalog_version }} as {{ a.role }}.</p>
<p><strong>Level achieved: {{ a.level_achieved }}</strong> —
{{ s.passed }} pass, {{ s.failed }} fail, {{ s.needs_attestation }} need attestation,
{{ s.error }} error, {{ s.not_applicable }} not applicable (of {{ s.total }}).</p>
<table><thead><tr><th>Requirement</th><th>Level</th><th>Status</th><th>Finding</th>
<th>Evidence</th><th>Fix</th></tr></thead><tbody>
{% for f in findings %}<tr id="{{ f.requirement_id }}">
<td>{{ f.requirement_id }}<br>{{ f.title }}</td><td>{{ f.level }}</td>
<td class="{{ f.status.value }}">{{ f.status.value }}{% if f.attested %} (attested){% endif %}</td>
<td>{{ f.message }}</td>
<td>{% for e in f.evidence %}{{ evidence(e) }}<br>{% endfor %}</td>
<td>{% if f.status.value != "pass" %}{{ f.fix }}{% endif %}</td></tr>
{% endfor %}</tbody></table>
</body></html>
"""


def to_html(assessment: Assessment) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(_HTML)
    return template.render(
        a=assessment,
        s=assessment.summary,
        findings=_sorted(assessment),
        evidence=_evidence_text,
    )


def _tags(requirement: Requirement | None) -> list[str]:
    if requirement is None:
        return ["security"]
    data = requirement.model_dump(mode="json")
    mappings = data.get("mappings") or {}
    tags = ["security", f"level-{requirement.level}"]
    for key in ("osps", "scorecard"):
        values = mappings.get(key) or []
        tags += [str(v if isinstance(v, str) else v.get("id", "")) for v in values][:6]
    return [t for t in tags if t]


def _is_path(source: str) -> bool:
    return bool(source) and "://" not in source and not source.startswith(("git", "forge"))


def to_sarif(assessment: Assessment) -> bytes:
    catalog = load_catalog()
    requirements = {r.id: r for r in catalog.requirements}
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for f in _sorted(assessment):
        if f.status not in (Status.FAIL, Status.ERROR, Status.NEEDS_ATTESTATION):
            continue
        requirement = requirements.get(f.requirement_id)
        if f.requirement_id not in index:
            index[f.requirement_id] = len(rules)
            rules.append(
                {
                    "id": f.requirement_id,
                    "name": "".join(w.capitalize() for w in f.title.split()[:8] if w.isalnum())
                    or f.requirement_id,
                    "shortDescription": {"text": f.title},
                    "fullDescription": {"text": requirement.text if requirement else f.title},
                    "help": {"text": f.fix or f.title},
                    "properties": {"tags": _tags(requirement)},
                }
            )
        level = "error" if f.status is not Status.NEEDS_ATTESTATION and f.must else "warning"
        if f.status is Status.NEEDS_ATTESTATION:
            level = "note"
        located = next((e for e in f.evidence if _is_path(e.source)), None)
        physical: dict[str, Any] = {"artifactLocation": {"uri": located.source if located else "."}}
        if located is not None and located.line:
            physical["region"] = {"startLine": located.line}
        results.append(
            {
                "ruleId": f.requirement_id,
                "ruleIndex": index[f.requirement_id],
                "level": level,
                "kind": "fail" if f.status is not Status.NEEDS_ATTESTATION else "review",
                "message": {"text": f"{f.title}: {f.message}"},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {
                    "stewardRequirement/v1": f"{assessment.project}:{f.requirement_id}"
                },
                "properties": {"status": f.status.value},
            }
        )
    return sarif_log(
        rules, results, properties={"project": assessment.project, "revision": assessment.revision}
    )


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def to_oscal(assessment: Assessment) -> bytes:
    seed = f"{assessment.project}|{assessment.revision}|{assessment.timestamp}"
    observations = []
    findings = []
    for f in sorted(assessment.findings, key=lambda x: x.requirement_id):
        observation_id = _uuid(seed, "observation", f.requirement_id)
        evidence = [
            {"description": _evidence_text(e)}
            | ({"href": e.source} if e.source.startswith(("http://", "https://")) else {})
            for e in f.evidence
        ]
        observation: dict[str, Any] = {
            "uuid": observation_id,
            "title": f"{f.requirement_id}: {f.title}",
            "description": f.message or f.title,
            "methods": ["EXAMINE" if f.attested else "AUTOMATED"],
            "collected": assessment.timestamp,
            "props": [{"name": "status", "ns": NS, "value": f.status.value}],
        }
        if evidence:
            observation["relevant-evidence"] = evidence
        observations.append(observation)
        state = "satisfied" if f.status in (Status.PASS, Status.NOT_APPLICABLE) else "not-satisfied"
        finding: dict[str, Any] = {
            "uuid": _uuid(seed, "finding", f.requirement_id),
            "title": f.title,
            "description": f.message or f.title,
            "target": {
                "type": "objective-id",
                "target-id": oscal_control_id(f.requirement_id),
                "status": {"state": state, "reason": f.status.value},
            },
            "related-observations": [{"observation-uuid": observation_id}],
        }
        if f.status is not Status.PASS and f.fix:
            finding["remarks"] = f.fix.strip()
        findings.append(finding)
    s = assessment.summary
    document = {
        "assessment-results": {
            "uuid": _uuid(seed, "assessment-results"),
            "metadata": {
                "title": f"Steward assessment of {assessment.project}",
                "last-modified": assessment.timestamp,
                "version": assessment.revision or "unversioned",
                "oscal-version": "1.1.3",
                "props": [
                    {
                        "name": "tool",
                        "ns": "https://steward.dev/ns/oscal",
                        "value": f"steward-{__version__}",
                    }
                ],
            },
            "import-ap": {"href": f"urn:steward:assessment-plan:{assessment.catalog_version}"},
            "results": [
                {
                    "uuid": _uuid(seed, "result"),
                    "title": f"Assessment against the Steward catalog {assessment.catalog_version}",
                    "description": (
                        f"Level achieved {assessment.level_achieved}: {s.passed} pass, "
                        f"{s.failed} fail, {s.needs_attestation} need attestation, {s.error} "
                        f"error, {s.not_applicable} not applicable."
                    ),
                    "start": assessment.timestamp,
                    "end": assessment.timestamp,
                    "reviewed-controls": {"control-selections": [{"include-all": {}}]},
                    "observations": observations,
                    "findings": findings,
                }
            ],
        }
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
