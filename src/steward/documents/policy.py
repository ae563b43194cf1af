"""Art. 24: the cybersecurity policy of an open-source software steward (Regulation (EU)
2024/2847, Art. 24(1)-(3), with Art. 14 and Art. 15).

Each element Art. 24 names gets the steward's own statement (``cra.policy`` in steward.yml:
a policy is a commitment only its author can make) and, beside it, the evidence from the
assessments of the projects it stewards (one ``--assessment`` per project, or the checkout):
the status of the requirements that show the element at work in each project.
"""

from __future__ import annotations

from collections import Counter

from steward.documents import common
from steward.documents.common import answer, answer_item, supply
from steward.documents.inputs import Inputs
from steward.documents.model import Document, Fact, Item, Section, Table

TITLE = "Cybersecurity policy of the open-source software steward"
BASIS = "Regulation (EU) 2024/2847, Art. 24"

#: element → (ref, title, statement key, requirements that evidence it in each project)
ELEMENTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Art. 24(1)",
        "Fostering the development of a secure product",
        "secure_development",
        (
            "STW-QA-02",
            "STW-QA-04",
            "STW-QA-06",
            "STW-BLD-01",
            "STW-BLD-03",
            "STW-DEP-03",
            "STW-QA-10",
        ),
    ),
    (
        "Art. 24(1)",
        "Effective handling of vulnerabilities by the developers",
        "vulnerability_handling",
        ("STW-VUL-01", "STW-VUL-02", "STW-VUL-03", "STW-VUL-04", "STW-VUL-06"),
    ),
    (
        "Art. 24(1), Art. 15",
        "Fostering voluntary reporting of vulnerabilities",
        "voluntary_reporting",
        ("STW-VUL-03", "STW-VUL-05"),
    ),
    (
        "Art. 24(1)",
        "Documenting, addressing and remediating vulnerabilities",
        "remediation",
        ("STW-VUL-07", "STW-VUL-08", "STW-VUL-09", "STW-VUL-10", "STW-VUL-12", "STW-VUL-13"),
    ),
    (
        "Art. 24(1)",
        "Sharing information about discovered vulnerabilities within the open-source community",
        "information_sharing",
        ("STW-VUL-07", "STW-VUL-11", "STW-DOC-07"),
    ),
    (
        "Art. 24(2)",
        "Cooperation with market surveillance authorities",
        "authority_cooperation",
        ("STW-STEW-03",),
    ),
    (
        "Art. 24(3), Art. 14(1), (3), (8)",
        "Notifying actively exploited vulnerabilities and severe incidents, and informing users",
        "incident_reporting",
        ("STW-STEW-04", "STW-RPT-01", "STW-RPT-02", "STW-RPT-03"),
    ),
)


def build(inputs: Inputs) -> Document:
    steward_name = common.party(inputs, "steward", "name")
    doc = Document(
        key="art24-policy",
        title=TITLE,
        basis=BASIS,
        subject=steward_name.text if steward_name else "steward name missing",
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    common.requires_assessment(doc, inputs, "steward")
    assessed = [a.project for a, _ in inputs.assessments]
    projects = answer(inputs, "policy", "projects") or (
        Fact.listed(assessed, ", ".join(s.label for _, s in inputs.assessments))
        if assessed
        else None
    )
    doc.sections.append(
        Section(
            "The steward and the projects it supports",
            "Art. 3(14), Art. 24(1)",
            items=[
                Item("Art. 3(14)", "Steward", steward_name, supply("steward", "name")),
                Item(
                    "Art. 24(2)",
                    "Address",
                    common.party(inputs, "steward", "address"),
                    supply("steward", "address"),
                ),
                Item(
                    "Art. 24(2)",
                    "Contact for market surveillance authorities",
                    common.party(inputs, "steward", "email"),
                    supply("steward", "email"),
                ),
                Item(
                    "Art. 24(1)",
                    "Website",
                    common.party(inputs, "steward", "website"),
                    supply("steward", "website"),
                    note="where available",
                ),
                Item(
                    "Art. 24(1)",
                    "Free and open-source products covered",
                    projects,
                    supply("policy", "projects") + " (or give one --assessment per project)",
                ),
            ],
        )
    )
    # the projects' evidence is about the projects: computed for the role project (requirements
    # addressed to a project do not apply to a steward, so a steward assessment shows them as
    # not applicable); the steward requirements below keep the steward assessment
    projects_view = inputs.for_role("project") if inputs.facts is not None else inputs
    for ref, title, key, requirement_ids in ELEMENTS:
        section = Section(
            title,
            ref,
            items=[answer_item(inputs, ref, "The steward's policy", "policy", key, note=title)],
        )
        if projects_view.assessments:
            section.tables.append(
                _project_table(projects_view, "Evidence in the projects", requirement_ids)
            )
        if key == "incident_reporting" and inputs.cases is not None:
            kinds = Counter(c.kind.value for c in inputs.cases)
            section.bullets.append(
                f"Cases recorded in the case store: {len(inputs.cases)} "
                f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items())) or 'none'})"
            )
        doc.sections.append(section)
    doc.sections.append(
        Section(
            "Keeping the policy current",
            "Art. 24(1)",
            items=[
                answer_item(
                    inputs, "Art. 24(1)", "How and when the policy is reviewed", "policy", "review"
                )
            ],
        )
    )
    if inputs.assessments:
        doc.sections.append(
            Section(
                "Steward requirements of the common standard",
                "Art. 24",
                tables=[
                    _project_table(
                        inputs,
                        "Status in each assessment",
                        ("STW-STEW-01", "STW-STEW-02", "STW-STEW-03", "STW-STEW-04"),
                    )
                ],
            )
        )
    common.check_role(doc, inputs, "steward")
    return doc


def _project_table(inputs: Inputs, caption: str, requirement_ids: tuple[str, ...]) -> Table:
    rows = []
    for assessment, _source in inputs.assessments:
        for rid in requirement_ids:
            finding = assessment.finding(rid)
            if finding is None:
                rows.append((assessment.project, rid, "", "not assessed", ""))
                continue
            evidence = "; ".join(e.text() for e in common.shown_evidence(finding)[:2])
            evidence = evidence or finding.message
            status = finding.status.value + (" (attested)" if finding.attested else "")
            if finding.status.value == "not-applicable" and _other_role(rid, assessment.role):
                status = f"not evaluated (assessment made for the role {assessment.role})"
                evidence = "give an assessment of the project: steward assess --role project"
            rows.append((assessment.project, rid, finding.title, status, evidence))
    return Table(caption, ("Project", "Requirement", "Title", "Status", "Evidence"), tuple(rows))


def _other_role(requirement_id: str, role: str) -> bool:
    """Whether the requirement is not addressed to ``role`` (so not evaluated for it)."""
    from steward.catalog.loader import load_catalog

    requirement = load_catalog().get(requirement_id)
    return requirement is not None and role not in requirement.applicability
