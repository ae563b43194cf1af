"""Assessment reports: Markdown, HTML, SARIF 2.1.0 and OSCAL 1.1.3 assessment-results.

Every format carries the same facts: the strict level achieved, per level how many
requirements are met / failed / awaiting attestation / accepted, the shortest list of what
stands between the project and the next level, every requirement not met with its evidence
(``file:line``) and fix, and what steward.yml accepts (reason, owner, expiry).

- Markdown and HTML: summary and levels, what stands before the next level, every requirement
  with its status, then what to do for each one not met, then what is accepted.
- SARIF (SARIF 2.1.0 §3.27.9 ``kind``, §3.27.10 ``level``): one rule per assessed requirement
  (CRA / OSPS mappings as tags); one result per piece of file evidence of a requirement that
  is not met, located at its file and line (relative to ``%SRCROOT%``), plus one result at the
  repository for evidence that is not a file (commits, forge settings, URLs; named in
  ``logicalLocations`` and the message) or when there is no evidence. ``kind``: fail for fail
  (``level`` error for MUST, warning for SHOULD), review for needs-attestation (accepted ones
  keep the kind of what was accepted),
  open for error, pass and notApplicable (with ``include_passing``); every kind but fail has
  ``level: none``. Accepted results carry ``suppressions`` (kind external, status accepted, the
  reason as justification). Levels go into the run's ``properties``; what could not be read
  into ``toolExecutionNotifications``.
- OSCAL assessment-results: one result for the run (levels as props), one observation per
  requirement (method AUTOMATED for probes, EXAMINE for attestations, evidence as
  relevant-evidence), one finding per requirement targeting the catalog control
  (``stw-vul-03``) with state satisfied / not-satisfied, and one risk with status
  ``deviation-approved`` (its deadline the expiry) per accepted requirement. UUIDs are
  derived from the content, so the same assessment gives the same document.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

import orjson
from jinja2 import Environment

from steward import __version__
from steward.catalog.export import oscal_control_id
from steward.catalog.loader import load_catalog
from steward.catalog.model import Requirement
from steward.evaluate.model import (
    AcceptanceNote,
    Assessment,
    Evidence,
    Finding,
    ProbeStatus,
    Status,
)
from steward.markdown import table_row
from steward.sarif import (
    MAX_TAGS,
    is_inside,
    line_hash,
    notification,
    physical_location,
    rule_name,
    sarif_log,
    truncate,
)

NS = "https://steward.dev/ns/oscal"
_NAMESPACE = uuid.UUID("6f1c2b9a-3d4e-5f60-8a7b-9c0d1e2f3a4b")
_ORDER = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.NEEDS_ATTESTATION: 2,
    Status.ACCEPTED: 3,
    Status.PASS: 4,
    Status.NOT_APPLICABLE: 5,
}
_MARK = {
    Status.PASS: "✅ pass",
    Status.FAIL: "❌ fail",
    Status.ERROR: "⚠️ error",
    Status.NEEDS_ATTESTATION: "📝 needs attestation",
    Status.ACCEPTED: "☑️ accepted",
    Status.NOT_APPLICABLE: "➖ n/a",
}
NOT_MET = (Status.FAIL, Status.ERROR, Status.NEEDS_ATTESTATION)


def _sorted(assessment: Assessment) -> list[Finding]:
    return sorted(assessment.findings, key=lambda f: (_ORDER[f.status], f.requirement_id))


def summary_line(assessment: Assessment) -> str:
    """``16 pass, 2 fail, ... (of 93)``: the counts every format shows."""
    s = assessment.summary
    accepted = f", {s.accepted} accepted" if s.accepted else ""
    return (
        f"{s.passed} pass, {s.failed} fail, {s.needs_attestation} need attestation, "
        f"{s.error} error{accepted}, {s.not_applicable} not applicable (of {s.total})"
    )


def partial(assessment: Assessment) -> bool:
    """Only part of the catalog was assessed (``--only``): no level is achieved then, which is
    not level 0 (``next_level`` is None below the top level only in that case)."""
    return assessment.next_level is None and assessment.level_achieved < len(assessment.levels)


def achieved_text(assessment: Assessment) -> str:
    """The strict level achieved as reports show it: ``2``, or why there is none with --only
    (a bare 0 beside "0 MUST not met" on every level read as a contradiction)."""
    if partial(assessment):
        return "not determined (--only assessed part of the catalog)"
    return str(assessment.level_achieved)


def level_lines(assessment: Assessment) -> list[str]:
    """One line per level (``Level 1: 14 of 19 met, ...``) and what the next level needs."""
    lines = []
    among = " among those assessed" if partial(assessment) else ""
    for p in assessment.levels:
        parts = [f"{p.met} of {p.total} met", f"{p.failed} failed"]
        if p.error:
            parts.append(f"{p.error} error")
        parts.append(f"{p.awaiting_attestation} awaiting attestation")
        if p.accepted:
            parts.append(f"{p.accepted} accepted")
        state = "achieved" if p.achieved else f"{p.blocking} MUST not met{among}"
        lines.append(f"Level {p.level}: {', '.join(parts)} — {state}")
    return lines


def next_level_lines(assessment: Assessment, *, limit: int | None = None) -> list[str]:
    """``To reach level N:`` and one line per blocker (``fix STW-...: message``)."""
    gap = assessment.next_level
    if gap is None:
        return []
    if not gap.blockers:
        return [f"Level {gap.level} needs nothing more."]
    shown = gap.blockers if limit is None else gap.blockers[:limit]
    lines = [f"To reach level {gap.level} ({len(gap.blockers)} MUST requirements):"]
    lines += [f"  {b.action} {b.requirement_id} {b.title} — {b.message}" for b in shown]
    if len(shown) < len(gap.blockers):
        lines.append(f"… and {len(gap.blockers) - len(shown)} more (--format json lists all)")
    return lines


def _status_text(f: Finding) -> str:
    return _MARK[f.status] + (" (attested)" if f.attested else "")


def editions(assessment: Assessment) -> str:
    """The mapped framework editions for report headers: ``cra OJ L ...; osps v2026.02.19``."""
    return "; ".join(f"{key} {version}" for key, version in assessment.frameworks.items())


def to_markdown(assessment: Assessment) -> str:
    lines = [
        f"# Steward assessment: {assessment.project}",
        "",
        f"- Revision: `{assessment.revision or 'not a git checkout'}`",
        f"- Framework editions mapped: {editions(assessment) or 'not recorded'}",
        f"- Assessed: {assessment.timestamp} against catalog {assessment.catalog_version}"
        f" as {assessment.role}",
        f"- **Level achieved: {achieved_text(assessment)}** (every MUST requirement of the "
        "level and below met or not applicable)",
        f"- {summary_line(assessment)}",
    ]
    if assessment.levels:
        lines += [
            "",
            "## Levels",
            "",
            "| Level | Met | Failed | Error | Awaiting attestation | Accepted | MUST not met "
            "| Achieved |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            table_row(
                p.level,
                f"{p.met} of {p.total}",
                p.failed,
                p.error,
                p.awaiting_attestation,
                p.accepted,
                p.blocking,
                "yes" if p.achieved else "no",
            )
            for p in assessment.levels
        ]
    gap = assessment.next_level
    if gap is not None:
        lines += ["", f"## To reach level {gap.level}", ""]
        lines += [
            f"- {b.action} **{b.requirement_id}** {b.title} — {b.message}" for b in gap.blockers
        ] or ["Nothing more is needed."]
    lines += [
        "",
        "## Requirements",
        "",
        "| Requirement | Level | Status | Finding |",
        "|---|---|---|---|",
    ]
    for f in _sorted(assessment):
        lines.append(
            table_row(f"{f.requirement_id} {f.title}", f.level, _status_text(f), f.message)
        )
    open_items = [f for f in _sorted(assessment) if f.status in NOT_MET]
    if open_items:
        lines += ["", "## What to do"]
    for f in open_items:
        lines += ["", f"### {f.requirement_id}: {f.title}", "", f"{_MARK[f.status]} — {f.message}"]
        if f.acceptance is not None and f.acceptance.expired:
            lines += ["", f"Acceptance expired: {f.acceptance.text()}"]
        if f.evidence:
            lines += ["", "Evidence:"] + [f"- {e.text()}" for e in f.evidence]
        if f.fix:
            lines += ["", f"Fix: {f.fix.strip()}"]
        if f.attestation_request:
            lines += ["", f"To attest: {f.attestation_request.strip()}"]
    accepted = [f for f in _sorted(assessment) if f.status is Status.ACCEPTED]
    if accepted:
        lines += ["", "## Accepted"]
    for f in accepted:
        lines += ["", f"### {f.requirement_id}: {f.title}", "", f"{f.message}", ""]
        if f.acceptance is not None:
            lines.append(f"Accepted: {f.acceptance.text()}")
        if f.evidence:
            lines += ["", "Evidence:"] + [f"- {e.text()}" for e in f.evidence]
    if assessment.problems:
        lines += ["", "## Could not be collected", ""]
        lines += [f"- {p.text()}" for p in assessment.problems]
    return "\n".join(lines) + "\n"


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Steward assessment: {{ a.project }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}.pass{color:#176f2c}.fail,.error{color:#b00020}
.needs-attestation{color:#8a5a00}.not-applicable,.accepted{color:#666}
</style></head><body>
<h1>Steward assessment: {{ a.project }}</h1>
<p>Steward catalog {{ a.catalog_version }};
framework editions mapped: {{ a.frameworks.items()|map("join", " ")|join("; ")
or "not recorded" }}.</p>
<p>Revision <code>{{ a.revision or "not a git checkout" }}</code>, assessed {{ a.timestamp }}
against catalog {{ a.catalog_version }} as {{ a.role }}.</p>
<p><strong>Level achieved: {{ achieved }}</strong> (every MUST requirement of the level
and below met or not applicable) — {{ summary }}.</p>
{% if a.levels %}<table id="levels"><thead><tr><th>Level</th><th>Met</th><th>Failed</th>
<th>Error</th><th>Awaiting attestation</th><th>Accepted</th><th>MUST not met</th>
<th>Achieved</th></tr></thead><tbody>
{% for p in a.levels %}<tr><td>{{ p.level }}</td><td>{{ p.met }} of {{ p.total }}</td>
<td>{{ p.failed }}</td><td>{{ p.error }}</td><td>{{ p.awaiting_attestation }}</td>
<td>{{ p.accepted }}</td><td>{{ p.blocking }}</td><td>{{ "yes" if p.achieved else "no" }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% if a.next_level %}<h2>To reach level {{ a.next_level.level }}</h2>
<ul id="next-level">{% for b in a.next_level.blockers %}
<li>{{ b.action }} <a href="#{{ b.requirement_id }}">{{ b.requirement_id }}</a> {{ b.title }}
— {{ b.message }}</li>{% else %}<li>Nothing more is needed.</li>{% endfor %}</ul>{% endif %}
<h2>Requirements</h2>
<table><thead><tr><th>Requirement</th><th>Level</th><th>Status</th><th>Finding</th>
<th>Evidence</th><th>Fix</th></tr></thead><tbody>
{% for f in findings %}<tr id="{{ f.requirement_id }}">
<td>{{ f.requirement_id }}<br>{{ f.title }}</td><td>{{ f.level }}</td>
<td class="{{ f.status.value }}">{{ f.status.value }}{% if f.attested %} (attested){% endif %}
{% if f.acceptance %}<br><small>{{ "acceptance expired" if f.acceptance.expired else "accepted" }}:
{{ f.acceptance.text() }}</small>{% endif %}</td>
<td>{{ f.message }}</td>
<td>{% for e in f.evidence %}{{ e.text() }}<br>{% endfor %}</td>
<td>{% if f.status.value != "pass" %}{{ f.fix }}{% endif %}</td></tr>
{% endfor %}</tbody></table>
</body></html>
"""


def to_html(assessment: Assessment) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(_HTML)
    return template.render(
        a=assessment,
        achieved=achieved_text(assessment),
        summary=summary_line(assessment),
        findings=_sorted(assessment),
    )


def _tags(requirement: Requirement | None) -> list[str]:
    if requirement is None:
        return ["security"]
    mappings = requirement.mappings
    tags = ["security", f"level-{requirement.level}"]
    tags += list(mappings.osps[:6]) + list(mappings.scorecard[:6])
    return list(dict.fromkeys(t for t in tags if t))[:MAX_TAGS]


# SARIF 2.1.0 §3.27.9: what each status is; §3.27.10: any kind but fail has level none
_KIND = {
    Status.FAIL: "fail",
    Status.ACCEPTED: "fail",
    Status.ERROR: "open",
    Status.NEEDS_ATTESTATION: "review",
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
}


def _rule(f: Finding, requirement: Requirement | None) -> dict[str, Any]:
    return {
        "id": f.requirement_id,
        "name": rule_name(f.title, f.requirement_id),
        "shortDescription": {"text": truncate(f.title)},
        "fullDescription": {"text": truncate(requirement.text if requirement else f.title)},
        "help": {"text": truncate(f.fix or f.title, 8000)},
        "defaultConfiguration": {"level": "error" if f.must else "warning"},
        "properties": {"tags": _tags(requirement), "precision": "high"},
    }


def _suppression(note: AcceptanceNote) -> dict[str, Any]:
    return {
        "kind": "external",
        "status": "accepted",
        "justification": f"{note.reason} (owner {note.owner}, until {note.expires}; {note.source})",
        "properties": {"owner": note.owner, "expires": note.expires, "scope": note.scope},
    }


def _join_path(prefix: str, path: str | None) -> str | None:
    if path is None:
        return prefix.rstrip("/") or None
    return prefix + path


def _kind(f: Finding) -> str:
    """SARIF kind; an accepted requirement keeps the kind of what was accepted (a failure,
    or one awaiting attestation)."""
    if f.status is Status.ACCEPTED:
        failed = f.attested or any(p.status is ProbeStatus.FAIL for p in f.probes)
        return "fail" if failed else "review"
    return _KIND[f.status]


def _results(f: Finding, index: int, prefix: str) -> list[dict[str, Any]]:
    kind = _kind(f)
    base: dict[str, Any] = {
        "ruleId": f.requirement_id,
        "ruleIndex": index,
        "kind": kind,
        "level": ("error" if f.must else "warning") if kind == "fail" else "none",
    }
    properties = {"status": f.status.value, "requirementLevel": f.level, "must": f.must}
    evidence = f.evidence[:1] if f.status is Status.PASS else f.open_evidence()
    files = [e for e in evidence if e.path is not None and is_inside(e.path)]
    others = [e for e in evidence if e not in files]
    headline = f"{f.title}: {f.message}"
    out = []

    seen: Counter[str] = Counter()

    def result(
        message: str, location: dict[str, Any], identity: str, note: AcceptanceNote | None
    ) -> dict[str, Any]:
        seen[identity] += 1
        fingerprint = line_hash(f.requirement_id, identity, occurrence=seen[identity])
        entry = {
            **base,
            "message": {"text": truncate(message, 4000)},
            "locations": [location],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
            "properties": properties,
        }
        if note is not None and not note.expired:
            entry["suppressions"] = [_suppression(note)]
        return entry

    finding_note = f.acceptance if f.status is Status.ACCEPTED else None
    for e in files:
        text = f"{headline} ({e.detail})" if e.detail else headline
        at = {"physicalLocation": physical_location(_join_path(prefix, e.path), e.line)}
        out.append(result(text, at, f"{e.path}|{e.detail}", e.accepted or finding_note))
    if others or not files:
        location: dict[str, Any] = {"physicalLocation": physical_location(_join_path(prefix, None))}
        logical: list[dict[str, Any]] = []
        for e in others[:10]:
            # the schema wants them unique: two tags on one commit are one commit
            if e.path is None and (entry := _logical(e)) not in logical:
                logical.append(entry)
        if logical:
            location["logicalLocations"] = logical
        if others:
            headline += "; evidence: " + "; ".join(_outside_text(e) for e in others[:10])
        notes = [e.accepted for e in others if e.accepted is not None]
        out.append(
            result(headline, location, "repository", finding_note or next(iter(notes), None))
        )
    return out


def _outside_text(e: Evidence) -> str:
    """Evidence that is not a file in the repository, for a message: a path outside the
    tree is shown by its name only (no local path leaves the machine)."""
    if e.path is None:
        return e.text()
    name = PurePosixPath(e.path.replace("\\", "/")).name or "?"
    return f"{name} (outside the repository) — {e.detail}" if e.detail else name


def _logical(e: Evidence) -> dict[str, Any]:
    if e.commit is not None:
        return {"name": e.commit[:12], "fullyQualifiedName": e.commit, "kind": "commit"}
    return {"name": e.source, "fullyQualifiedName": e.url or e.source, "kind": "resource"}


def _level_properties(assessment: Assessment) -> dict[str, Any]:
    gap = assessment.next_level
    return {
        "project": assessment.project,
        "revision": assessment.revision,
        "catalogVersion": assessment.catalog_version,
        "frameworks": assessment.frameworks,
        "role": assessment.role,
        "levelAchieved": assessment.level_achieved,
        "levels": [p.model_dump(mode="json") for p in assessment.levels],
        "nextLevel": gap.model_dump(mode="json") if gap is not None else None,
        "summary": assessment.summary.model_dump(mode="json", by_alias=True),
    }


def to_sarif(assessment: Assessment, *, prefix: str = "", include_passing: bool = False) -> bytes:
    """SARIF 2.1.0 for code scanning (see the module doc).

    ``prefix``: the assessed directory relative to the repository root (``""`` at the root,
    ``"services/api/"`` for a subdirectory), prepended to every evidence path.
    ``include_passing``: also report passing and not-applicable requirements.
    """
    requirements = {r.id: r for r in load_catalog().requirements}
    ordered = sorted(assessment.findings, key=lambda f: f.requirement_id)
    rules = [_rule(f, requirements.get(f.requirement_id)) for f in ordered]
    index = {f.requirement_id: i for i, f in enumerate(ordered)}
    reported = {*NOT_MET, Status.ACCEPTED}
    if include_passing:
        reported |= {Status.PASS, Status.NOT_APPLICABLE}
    results = [
        r
        for f in _sorted(assessment)
        if f.status in reported
        for r in _results(f, index[f.requirement_id], prefix)
    ]
    notes = [
        notification(p.detail or p.source, _join_path(prefix, p.path), p.line)
        if p.path is not None and is_inside(p.path)
        else notification(_outside_text(p))
        for p in assessment.problems
    ]
    return sarif_log(
        rules,
        results,
        properties=_level_properties(assessment),
        notifications=notes,
        repository=assessment.repository,
        revision=assessment.revision,
    )


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def _risk(seed: str, f: Finding, note: AcceptanceNote, observation_id: str) -> dict[str, Any]:
    """An accepted requirement as an OSCAL risk whose deviation was approved until expiry."""
    return {
        "uuid": _uuid(seed, "risk", f.requirement_id),
        "title": f"{f.requirement_id} accepted: {f.title}",
        "description": f.message or f.title,
        "statement": note.reason,
        "props": [
            {"name": "owner", "ns": NS, "value": note.owner},
            {"name": "accepted-in", "ns": NS, "value": note.source},
            {"name": "scope", "ns": NS, "value": note.scope},
        ],
        "status": "deviation-approved",
        "deadline": f"{note.expires}T23:59:59Z",
        "related-observations": [{"observation-uuid": observation_id}],
    }


def _level_props(assessment: Assessment) -> list[dict[str, str]]:
    props = [{"name": "level-achieved", "ns": NS, "value": str(assessment.level_achieved)}]
    for p in assessment.levels:
        for name, value in (
            ("met", p.met),
            ("failed", p.failed),
            ("error", p.error),
            ("awaiting-attestation", p.awaiting_attestation),
            ("accepted", p.accepted),
            ("must-not-met", p.blocking),
        ):
            props.append({"name": f"level-{p.level}-{name}", "ns": NS, "value": str(value)})
    gap = assessment.next_level
    if gap is not None:
        props += [
            {
                "name": "next-level-blocker",
                "ns": NS,
                "value": b.requirement_id,
                "class": f"level-{gap.level}",
                "remarks": f"{b.action}: {b.message}",
            }
            for b in gap.blockers
        ]
    return props


def to_oscal(assessment: Assessment) -> bytes:
    seed = f"{assessment.project}|{assessment.revision}|{assessment.timestamp}"
    observations = []
    findings = []
    risks = []
    for f in sorted(assessment.findings, key=lambda x: x.requirement_id):
        observation_id = _uuid(seed, "observation", f.requirement_id)
        evidence = [
            {"description": e.text()} | ({"href": e.url} if e.url else {}) for e in f.evidence
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
        if f.status is Status.ACCEPTED and f.acceptance is not None:
            risk = _risk(seed, f, f.acceptance, observation_id)
            risks.append(risk)
            finding["related-risks"] = [{"risk-uuid": risk["uuid"]}]
        findings.append(finding)
    result: dict[str, Any] = {
        "uuid": _uuid(seed, "result"),
        "title": f"Assessment against the Steward catalog {assessment.catalog_version}",
        "description": f"Level achieved {assessment.level_achieved}: "
        f"{summary_line(assessment)}. " + " ".join(f"{line}." for line in level_lines(assessment)),
        "start": assessment.timestamp,
        "end": assessment.timestamp,
        "props": _level_props(assessment),
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
        "observations": observations,
        "findings": findings,
    }
    if risks:
        result["risks"] = risks
    document = {
        "assessment-results": {
            "uuid": _uuid(seed, "assessment-results"),
            "metadata": {
                "title": f"Steward assessment of {assessment.project}",
                "last-modified": assessment.timestamp,
                "version": assessment.revision or "unversioned",
                "oscal-version": "1.1.3",
                "props": [
                    {"name": "tool", "ns": NS, "value": f"steward-{__version__}"},
                    *(
                        {"name": "framework-version", "ns": NS, "value": f"{key} {version}"}
                        for key, version in assessment.frameworks.items()
                    ),
                ],
            },
            "import-ap": {"href": f"urn:steward:assessment-plan:{assessment.catalog_version}"},
            "results": [result],
        }
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
