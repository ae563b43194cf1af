"""Art. 25: a voluntary security attestation in the ORC working group's "template-lite" form.

The Open Regulatory Compliance working group's lightweight attestation (checklist revision
0.1, derived from BSI TR-03185-2) has a JSON form (``template-lite.schema.json``): the issuer
and contact (AU.01-AU.02), the projects (AU.03), and 19 controls, each ``met``, ``not_met`` or
``not_applicable`` with the evidence its class asks for (an ``evidence_url`` for the
"evidenced" ones). Each control is filled from the assessment through the Steward
requirements below, with the web address of the evidence where it is met; an answer under
``cra.attestation.controls`` in steward.yml replaces the assessment's verdict.

The schema has no "unknown": it requires every control, and a missing one is a different
statement from ``not_met``. So a control the assessment cannot establish (needs attestation,
error, or met without an address for its evidence) is left out and listed as missing; the
JSON is only complete (and schema-valid) when nothing is missing. :func:`build` says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from steward.documents import common
from steward.documents.common import answer, supply
from steward.documents.inputs import Inputs, page_url
from steward.documents.model import Document, Fact, Item, Missing, Section, Table

TEMPLATE = "template-lite"
REVISION = "0.1"
TITLE = "Security attestation (ORC template-lite 0.1)"
BASIS = "Regulation (EU) 2024/2847, Art. 25 (voluntary security attestation)"

EVIDENCED = "evidenced"
CONFIRMED = "confirmed"
EXPLAINED = "confirmedOrExplained"
CHECKSUMS = "evidencedWithChecksums"
CONFIRMED_EVIDENCED = "confirmedAndEvidenced"
OPTIONAL_EVIDENCE = "confirmedWithOptionalEvidence"
CONDITIONAL = "conditional"
CONTACT = "securityContact"

#: control → (evidence class, short title, Steward requirements that decide it)
CONTROLS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "GV.01": (EVIDENCED, "Contribution guideline", ("STW-GOV-03",)),
    "GV.02": (CONFIRMED, "Quality standard for contributions", ("STW-GOV-04",)),
    "GV.03": (EVIDENCED, "Usage and intended purpose documented", ("STW-DOC-02",)),
    "LE.01": (EVIDENCED, "Components under an open source licence", ("STW-LEG-01", "STW-LEG-03")),
    "LE.02": (EXPLAINED, "Dependencies under open source licences", ()),
    "QA.01": (CHECKSUMS, "Direct dependencies listed, with checksums", ("STW-DEP-01",)),
    "QA.02": (EVIDENCED, "Source code and change history public", ("STW-QA-01",)),
    "QA.03": (EVIDENCED, "How to report a vulnerability documented", ("STW-VUL-01",)),
    "QA.04": (EVIDENCED, "Repeatable test procedures", ("STW-QA-02",)),
    "QA.05": (CONDITIONAL, "Memory-safety mitigations for non-memory-safe code", ()),
    "QA.06": (CONFIRMED, "More than one active contributor", ("STW-GOV-06",)),
    "QA.07": (CONDITIONAL, "Changes reviewed by a human non-author", ("STW-QA-04",)),
    "BR.01": (EVIDENCED, "Build from source documented", ("STW-BLD-08",)),
    "BR.02": (CONFIRMED_EVIDENCED, "Unique, increasing version identifiers", ("STW-REL-01",)),
    "BR.03": (
        CONFIRMED_EVIDENCED,
        "Release integrity verifiable and documented",
        ("STW-REL-04", "STW-REL-07"),
    ),
    "BR.04": (CONFIRMED_EVIDENCED, "Releases log functional and security changes", ("STW-REL-03",)),
    "VM.01": (CONTACT, "Security contact for reporting vulnerabilities", ("STW-VUL-02",)),
    "VM.02": (
        CONFIRMED,
        "Discovered vulnerabilities published in reasonable time",
        ("STW-VUL-04",),
    ),
    "EL.01": (OPTIONAL_EVIDENCE, "End of support communicated", ("STW-DOC-04",)),
}
_NEEDS_URL = (EVIDENCED, CHECKSUMS, CONFIRMED_EVIDENCED)


@dataclass
class Attestation:
    """The attestation: its JSON form (``data``), the same as a document (with the missing
    list), and whether the JSON is complete (every required field and control present)."""

    data: dict[str, Any]
    document: Document
    missing: list[Missing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def _combined(inputs: Inputs, requirement_ids: tuple[str, ...]) -> tuple[str | None, str]:
    """``met``, ``not_met``, ``not_applicable`` or None (cannot tell), and why."""
    findings = [inputs.finding(rid) for rid in requirement_ids]
    if not findings or any(f is None for f in findings):
        return None, "not assessed"
    statuses = [f.status.value for f in findings if f is not None]
    messages = "; ".join(f"{f.requirement_id}: {f.message}" for f in findings if f is not None)
    if any(s in ("fail", "accepted") for s in statuses):
        return "not_met", messages
    if all(s == "not-applicable" for s in statuses):
        return "not_applicable", messages
    if all(s in ("pass", "not-applicable") for s in statuses):
        return "met", messages
    return None, messages


def _evidence_url(inputs: Inputs, control: str, requirement_ids: tuple[str, ...]) -> str | None:
    assessment = inputs.assessment
    repository = assessment.repository if assessment is not None else None
    if control == "QA.02":
        return repository
    if control == "BR.02":
        return page_url(repository, "tags")
    for rid in reversed(requirement_ids):  # the documentation requirement is listed last
        url = common.evidence_url(inputs, rid)
        if url:
            return url
    return None


def _checksums(inputs: Inputs) -> bool | None:
    sbom = inputs.sbom
    if sbom is None or not sbom.components:
        return None
    return all(c.hashes for c in sbom.components)


def build(inputs: Inputs) -> Attestation:
    doc = Document(
        key="art25-attestation",
        title=TITLE,
        basis=BASIS,
        subject=common.subject(inputs),
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    common.requires_assessment(doc, inputs, "project")
    result = Attestation(data={"template": TEMPLATE, "template_revision": REVISION}, document=doc)
    _authorship(inputs, result)
    controls: dict[str, dict[str, Any]] = {}
    rows = []
    for control, (cls, title, requirement_ids) in CONTROLS.items():
        entry, source, problem = _control(inputs, control, cls, requirement_ids, controls)
        if entry is not None:
            controls[control] = entry
            shown = entry["status"] + (
                f", {entry['evidence_url']}" if "evidence_url" in entry else ""
            )
        else:
            shown = "missing"
            result.missing.append(Missing(control, f"{title}: {problem}", _supply(control)))
        rows.append((control, title, shown, source))
    result.data["controls"] = controls
    doc.sections.append(
        Section(
            "Controls",
            "template-lite GV, LE, QA, BR, VM, EL",
            paragraphs=[
                "Each control is decided by the Steward requirements named in the source "
                "column (met when they pass, not met when one fails), or by an answer under "
                "cra.attestation.controls in steward.yml."
            ],
            tables=[Table("Controls", ("Control", "Title", "Answer", "Source"), tuple(rows))],
        )
    )
    doc.extra_missing.extend(result.missing)
    return result


def _supply(control: str) -> str:
    return f"answer cra.attestation.controls.{control} (status, and evidence) in steward.yml"


def _authorship(inputs: Inputs, result: Attestation) -> None:
    doc = result.document
    fields = {
        "name": answer(inputs, "attestation", "issuer", "name"),
        "registered_address": answer(inputs, "attestation", "issuer", "registered_address"),
        "website": answer(inputs, "attestation", "issuer", "website"),
    }
    contact = {
        "primary_contact": answer(inputs, "attestation", "primary_contact"),
        "organizational_role": answer(inputs, "attestation", "organizational_role"),
    }
    assessment = inputs.assessment
    repository = inputs.config.sections.project.repository
    url = common.first(
        Fact(repository, inputs.config.where("project", "repository")) if repository else None,
        Fact(assessment.repository, inputs.assessment_source)
        if assessment is not None and assessment.repository
        else None,
    )
    project = {
        "name": common.product_name(inputs),
        "url": url,
        # the issuer's statement of what it covers: never the version found in a checkout
        "valid_for_versions": answer(inputs, "attestation", "valid_for_versions"),
        "valid_for_dates": answer(inputs, "attestation", "valid_for_dates"),
    }
    project_supply = {
        "name": supply("product", "name"),
        "url": "the checkout's origin remote on a forge, or answer project.repository",
        "valid_for_versions": supply("attestation", "valid_for_versions"),
        "valid_for_dates": supply("attestation", "valid_for_dates"),
    }
    issuer_items = [
        Item("AU.01", f"Issuer: {k.replace('_', ' ')}", v, supply("attestation", "issuer", k))
        for k, v in fields.items()
    ]
    contact_items = [
        Item("AU.02", k.replace("_", " ").capitalize(), v, supply("attestation", k))
        for k, v in contact.items()
    ]
    project_items = [
        Item("AU.03", f"Project {k.replace('_', ' ')}", v, project_supply[k])
        for k, v in project.items()
    ]
    issued = answer(inputs, "attestation", "issued_on")
    doc.sections.append(
        Section(
            "Authorship",
            "template-lite AU.01-AU.03",
            items=issuer_items + contact_items + project_items,
        )
    )
    for item in issuer_items + contact_items + project_items:
        if item.missing is not None:
            result.missing.append(item.missing)
    if all(v is not None for v in fields.values()):
        result.data["issuer"] = {k: v.text for k, v in fields.items() if v is not None}
    if all(v is not None for v in contact.values()):
        result.data["contact"] = {k: v.text for k, v in contact.items() if v is not None}
    if all(v is not None for v in project.values()):
        result.data["projects"] = [{k: v.text for k, v in project.items() if v is not None}]
    if issued is not None:
        result.data["issued_on"] = issued.text


def _control(
    inputs: Inputs,
    control: str,
    cls: str,
    requirement_ids: tuple[str, ...],
    decided: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any] | None, str, str]:
    """One control's JSON (None when it cannot be established), its source, and the reason
    it cannot."""
    given = inputs.config.sections.cra.attestation.controls.get(control)
    if given is not None:
        answered = given.model_dump(exclude_none=True)
        where = inputs.config.where("cra", "attestation", "controls", control)
        problem = _shape_problem(cls, answered)
        return (None, where, problem) if problem else (answered, where, "")
    source = ", ".join(requirement_ids) or "answer only"
    if not requirement_ids:
        return None, source, "no requirement decides it; the project's answer is needed"
    if cls == CONDITIONAL:  # QA.07: applies when QA.06 (more than one contributor) is met
        applies = decided.get("QA.06", {}).get("status")
        if applies is None:
            return None, source, "QA.06 (more than one contributor) is not established"
        if applies != "met":
            note = "QA.06: the project does not have more than one active contributor"
            return {"applies": False, "status": "not_applicable", "note": note}, source, ""
    status, why = _combined(inputs, requirement_ids)
    if status is None:
        return None, source, f"the assessment cannot establish it ({why})"
    entry: dict[str, Any] = {"status": status}
    if cls == CONDITIONAL:
        entry["applies"] = True
        if status == "not_applicable":
            return None, source, f"applies, yet the requirement is not applicable ({why})"
    if status in ("not_applicable", "not_met") and why:
        entry["note"] = why  # what the assessment found, for the reader
    if status == "not_met" and cls == EXPLAINED:
        entry["explanation"] = why
    if status == "met" and cls != CONTACT:  # the contact class has no evidence_url
        url = _evidence_url(inputs, control, requirement_ids)
        if url is not None:
            entry["evidence_url"] = url
        elif cls in _NEEDS_URL:
            return None, source, "met, but no web address for the evidence (repository unknown)"
    if status == "met":
        if cls == CHECKSUMS:
            checksums = _checksums(inputs)
            if checksums is None:
                return None, source, "whether the dependency list has checksums (no SBOM)"
            entry["checksums_present"] = checksums
        if cls == CONTACT:
            mail, link = common.contacts(inputs)
            if mail is None and link is None:
                return None, source, "no contact found in the security policy"
            entry["reporting_contact"] = (mail or link).lines[0]  # type: ignore[union-attr]
            if link is not None:
                entry["private_reporting_url"] = link.lines[0]
    return entry, source, ""


def _shape_problem(cls: str, entry: dict[str, Any]) -> str:
    """What an answered control lacks for its evidence class (empty when complete)."""
    status = entry["status"]
    if cls == CONDITIONAL and "applies" not in entry:
        return "the answer must say whether it applies (applies: true/false)"
    if cls == CONDITIONAL and entry["applies"] is False and status != "not_applicable":
        return "it does not apply, so its status must be not_applicable"
    if cls == CONDITIONAL and entry["applies"] is True and status == "not_applicable":
        return "it applies, so its status must be met or not_met"
    if cls != CONDITIONAL and "applies" in entry:
        return "'applies' is only for the conditional controls QA.05 and QA.07"
    if status == "not_applicable" and "note" not in entry:
        return "not_applicable needs a note saying why"
    if status == "met" and cls in _NEEDS_URL and "evidence_url" not in entry:
        return "met needs an evidence_url"
    if status == "met" and cls == CHECKSUMS and "checksums_present" not in entry:
        return "met needs checksums_present"
    if status == "met" and cls == CONTACT and "reporting_contact" not in entry:
        return "met needs a reporting_contact"
    if status == "not_met" and cls == EXPLAINED and "explanation" not in entry:
        return "not_met needs an explanation"
    allowed = (
        {
            CHECKSUMS: {"checksums_present"},
            EXPLAINED: {"explanation"},
            CONTACT: {"reporting_contact", "private_reporting_url"},
            CONDITIONAL: {"applies"},
        }.get(cls, set())
        | {"status", "note"}
        | ({"evidence_url"} if cls != CONTACT else set())
    )
    extra = sorted(set(entry) - allowed)
    return f"fields not used by this control: {', '.join(extra)}" if extra else ""


def build_document(inputs: Inputs) -> Document:
    """The attestation as a document (for Markdown, HTML and PDF)."""
    return build(inputs).document
