"""Annex VII: the technical documentation (Art. 31 and Annex VII of Regulation (EU)
2024/2847), points (1) to (8).

Built from the assessment (the Annex I Part II processes and the Part I evidence, tests,
SAST and fuzzing), the SBOM, the vulnerability findings, the case store and the answers in
steward.yml. The cybersecurity risk assessment (point 3) is a skeleton: the Annex I Part I
applicability table takes, for each item, the manufacturer's answer (applies or not, with a
justification) and the evidence the assessment found for the requirements mapped to it; an
item without an answer is listed as missing.
"""

from __future__ import annotations

from collections import Counter

from steward.catalog.loader import load_catalog
from steward.catalog.model import Applicability, Requirement
from steward.documents import annex_ii, common, cra, declaration
from steward.documents.common import answer_item, supply
from steward.documents.inputs import Inputs, summary_counts
from steward.documents.model import Document, Fact, Item, Missing, Section, Table

TITLE = "Technical documentation"
BASIS = "Regulation (EU) 2024/2847, Art. 31 and Annex VII"

#: requirements whose evidence shows how updates are distributed securely (Annex I Part II (7))
_UPDATES = ["STW-SUP-02", "STW-REL-04", "STW-REL-06", "STW-REL-07", "STW-REL-09"]
_PRODUCTION = [
    "STW-BLD-01",
    "STW-BLD-02",
    "STW-BLD-03",
    "STW-BLD-04",
    "STW-BLD-05",
    "STW-BLD-07",
    "STW-AC-03",
    "STW-QA-03",
]
_TESTS = [
    "STW-QA-02",
    "STW-QA-04",
    "STW-QA-05",
    "STW-QA-06",
    "STW-QA-07",
    "STW-QA-08",
    "STW-QA-09",
    "STW-QA-10",
    "STW-DEP-06",
    "STW-DEP-09",
]


def build(inputs: Inputs) -> Document:
    doc = Document(
        key="annex-vii",
        title=TITLE,
        basis=BASIS,
        subject=common.subject(inputs),
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    common.requires_assessment(doc, inputs, "manufacturer")
    doc.sections.append(
        Section(
            "Role, category and conformity assessment", "Art. 32", items=common.scope_items(inputs)
        )
    )
    doc.sections.append(_general(inputs))
    doc.sections.append(_design(inputs))
    doc.sections.append(_vulnerability_handling(inputs, doc))
    doc.sections.append(_production(inputs))
    doc.sections.append(_risk_assessment(inputs, doc))
    doc.sections.append(
        Section(
            "Support period",
            "Annex VII (4)",
            paragraphs=[
                "The support period reflects the time the product is expected to be in use, "
                "at least five years unless it is expected to be used for less (Art. 13(8))."
            ],
            items=[
                answer_item(
                    inputs, "(4)", "End of the support period", "product", "support_period_end"
                ),
                answer_item(
                    inputs,
                    "(4)",
                    "Information taken into account to set it",
                    "product",
                    "support_period_rationale",
                ),
            ],
        )
    )
    doc.sections.append(_standards(inputs))
    doc.sections.append(_tests(inputs, doc))
    declared = declaration.build_v(inputs)
    open_items = declared.missing()
    doc.sections.append(
        Section(
            "EU declaration of conformity",
            "Annex VII (7)",
            items=[
                Item(
                    "(7)",
                    "Copy of the EU declaration of conformity",
                    Fact("rendered from the same answers", "steward docs annex-v")
                    if not open_items
                    else None,
                    f"complete the {len(open_items)} missing items of `steward docs annex-v`",
                )
            ],
        )
    )
    sbom = _sbom_fact(inputs)
    doc.sections.append(
        Section(
            "Software bill of materials for market surveillance authorities",
            "Annex VII (8)",
            paragraphs=[
                "Handed to a market surveillance authority on its reasoned request, where it "
                "needs it to check the essential requirements; the evidence pack (`steward "
                "evidence pack`) keeps it in CycloneDX and SPDX."
            ],
            items=[Item("(8)", "Software bill of materials", sbom, _SBOM_SUPPLY)],
        )
    )
    common.check_role(doc, inputs, "manufacturer")
    return doc


_SBOM_SUPPLY = "`steward sbom PATH -o sbom.cdx.json`, then --sbom sbom.cdx.json (or a lockfile)"


def _sbom_fact(inputs: Inputs) -> Fact | None:
    sbom = inputs.sbom
    if sbom is None or inputs.sbom_source is None:
        return None
    hashed = sum(1 for c in sbom.components if c.hashes)
    graph = "complete" if sbom.complete_refs and not sbom.incomplete_refs else "not stated complete"
    text = (
        f"{sbom.standard} {sbom.spec_version} ({sbom.encoding}): {len(sbom.components)} "
        f"components, {hashed} with hashes, dependency graph {graph}"
    )
    return Fact(text, inputs.sbom_source.label)


def _general(inputs: Inputs) -> Section:
    versions: list[str] = []
    sources: list[str] = []
    for fact in (common.product_version(inputs), common.revision(inputs)):
        if fact is not None:
            versions.append(fact.text if fact.text.startswith("source") else f"version {fact.text}")
            sources.append(fact.source)
    user_info = annex_ii.build(inputs)
    open_items = len(user_info.missing())
    return Section(
        "General description of the product",
        "Annex VII (1)",
        items=[
            answer_item(inputs, "(1)(a)", "Intended purpose", "product", "intended_purpose"),
            Item(
                "(1)(b)",
                "Versions of software affecting compliance with the essential requirements",
                Fact.listed(versions, "; ".join(dict.fromkeys(sources))) if versions else None,
                supply("product", "version"),
            ),
            answer_item(
                inputs,
                "(1)(c)",
                "Photographs or illustrations of the hardware",
                "product",
                "hardware_illustrations",
                note="hardware products; answer 'not applicable' for software",
            ),
            Item(
                "(1)(d)",
                "User information and instructions (Annex II)",
                Fact("rendered from the same evidence and answers", "steward docs annex-ii")
                if not open_items
                else None,
                f"complete the {open_items} missing items of `steward docs annex-ii`",
            ),
        ],
    )


def _design(inputs: Inputs) -> Section:
    section = Section(
        "Design and development",
        "Annex VII (2)(a)",
        items=[
            answer_item(
                inputs,
                "(2)(a)",
                "System architecture: how software components build "
                "on or complement each other and are integrated",
                "product",
                "architecture",
            ),
        ],
    )
    design = inputs.finding("STW-DOC-05")
    if design is not None and design.status.value == "pass":
        section.bullets = [f"Design documentation found: {e.text()}" for e in design.evidence[:5]]
    return section


def _vulnerability_handling(inputs: Inputs, doc: Document) -> Section:
    mail, link = common.contacts(inputs)
    contact = common.first(mail, link)
    updates = inputs.finding("STW-SUP-02")
    update_fact = None
    if updates is not None and updates.status.value == "pass":
        update_fact = Fact(common.evidence_text(inputs, "STW-SUP-02"), inputs.assessment_source)
    section = Section(
        "Vulnerability handling processes",
        "Annex VII (2)(b)",
        items=[
            Item("(2)(b)", "Software bill of materials", _sbom_fact(inputs), _SBOM_SUPPLY),
            Item(
                "(2)(b)",
                "Coordinated vulnerability disclosure policy",
                common.policy_location(inputs),
                "publish SECURITY.md (`steward init security`)",
            ),
            Item(
                "(2)(b)",
                "Contact address for reporting vulnerabilities",
                contact,
                "name a security contact in SECURITY.md (`steward init security`)",
            ),
            Item(
                "(2)(b)",
                "Technical solutions for the secure distribution of updates",
                update_fact,
                "make STW-SUP-02 pass, or attest it under attestations: in steward.yml",
            ),
        ],
    )
    catalog = load_catalog()
    rows = []
    for number, title in cra.ANNEX_I_PART_II.items():
        mapped = _for_manufacturer(cra.requirements_for(catalog, cra.catalog_key("II", number)))
        statuses = ", ".join(f"{r.id} {common.status_text(inputs, r.id)}" for r in mapped)
        rows.append((f"Part II ({number})", title, statuses or "no requirement maps to it"))
    section.tables.append(
        Table(
            "Annex I Part II: the processes, and the status of the requirements that evidence them",
            ("Item", "Requirement of Annex I", "Steward requirements and status"),
            tuple(rows),
        )
    )
    section.tables.append(
        common.requirement_table(inputs, "Secure distribution of updates", _UPDATES)
    )
    if inputs.cases is not None:
        states = Counter(c.state.value for c in inputs.cases)
        section.bullets.append(
            f"Cases in the case store: {len(inputs.cases)}"
            + (f" ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))})" if states else "")
        )
    else:
        doc.extra_missing.append(
            Missing(
                "Annex VII (2)(b)",
                "the record of handled vulnerabilities (cases)",
                "--db with the case store (`steward case ...`)",
            )
        )
    return section


def _production(inputs: Inputs) -> Section:
    return Section(
        "Production and monitoring processes",
        "Annex VII (2)(c)",
        items=[
            answer_item(
                inputs,
                "(2)(c)",
                "Production and monitoring processes and their validation",
                "product",
                "production_monitoring",
            ),
        ],
        tables=[common.requirement_table(inputs, "Build and CI evidence", _PRODUCTION)],
    )


def _risk_assessment(inputs: Inputs, doc: Document) -> Section:
    catalog = load_catalog()
    section = Section(
        "Cybersecurity risk assessment",
        "Annex VII (3)",
        paragraphs=[
            "The risks the product is designed, developed, produced, delivered and maintained "
            "against (Art. 13(2)-(3)), and how each essential requirement of Annex I Part I "
            "applies. Each row takes the manufacturer's answer and the evidence the assessment "
            "found for the Steward requirements mapped to the item."
        ],
        items=[
            answer_item(
                inputs,
                "(3)",
                "Intended purpose and reasonably foreseeable use",
                "product",
                "intended_purpose",
            ),
            answer_item(inputs, "(3)", "Security environment", "product", "security_environment"),
            answer_item(
                inputs,
                "(3)",
                "Circumstances that may lead to significant risks",
                "product",
                "foreseeable_risks",
            ),
        ],
    )
    answers = inputs.config.sections.cra.annex_i
    rows = []
    for number, title in cra.ANNEX_I_PART_I.items():
        given = answers.get(number)
        mapped = _for_manufacturer(cra.requirements_for(catalog, cra.catalog_key("I", number)))
        evidence = (
            "; ".join(f"{r.id} {common.status_text(inputs, r.id)}" for r in mapped)
            or "no Steward requirement maps to it"
        )
        if number == "2(a)":
            evidence += "; " + _vulnerability_summary(inputs)
        if given is not None:
            applies = "applies" if given.applies else "does not apply"
            where = inputs.config.where("cra", "annex_i", number)
            justification = given.justification + (
                f" (evidence: {given.evidence})" if given.evidence else ""
            )
            justification += f" [{where}]"
        else:
            applies, justification = "missing", "missing"
            doc.extra_missing.append(
                Missing(
                    f"Annex I Part I {cra.item_ref(number)}",
                    f"whether it applies, and why: {title}",
                    f'answer cra.annex_i."{number}" (applies, justification) in steward.yml',
                )
            )
        rows.append((cra.item_ref(number), title, applies, justification, evidence))
    section.tables.append(
        Table(
            "Annex I Part I: applicability of the essential cybersecurity requirements",
            ("Item", "Requirement", "Applies", "Justification", "Evidence"),
            tuple(rows),
        )
    )
    return section


def _for_manufacturer(requirements: tuple[Requirement, ...]) -> tuple[Requirement, ...]:
    return tuple(r for r in requirements if Applicability.MANUFACTURER in r.applicability)


def _vulnerability_summary(inputs: Inputs) -> str:
    if inputs.findings is None or inputs.findings_source is None:
        return "no vulnerability scan given (--vulns)"
    counts = summary_counts(inputs.findings)
    open_findings = counts["findings"] - int(counts["suppressed"] or 0)
    return (
        f"vulnerability scan: {open_findings} open findings ({counts['exploited']} known "
        f"exploited, {counts['suppressed']} suppressed by VEX) [{inputs.findings_source.label}]"
    )


def _standards(inputs: Inputs) -> Section:
    given, where = inputs.answer("standards")
    item: Fact | None = None
    if given is not None:
        lines = [
            f"{s.reference} ({'in full' if s.applied == 'full' else 'in part'}"
            + (f": {s.parts}" if s.parts else "")
            + ")"
            for s in given
        ] or ["none applied"]
        item = Fact.listed(lines, where)
    section = Section(
        "Harmonised standards, common specifications and certification schemes",
        "Annex VII (5)",
        items=[
            Item(
                "(5)",
                "Standards, specifications or schemes applied (in full or in part)",
                item,
                supply("standards") + " (a list; [] when none is applied)",
            )
        ],
    )
    assessment = inputs.assessment
    if assessment is not None:
        section.bullets.append(
            f"The assessment in Annex VII (6) checks the Steward common standard, catalog "
            f"version {assessment.catalog_version}: not a harmonised standard, and applied "
            "only as far as the manufacturer states it above"
        )
    return section


def _tests(inputs: Inputs, doc: Document) -> Section:
    assessment = inputs.assessment
    summary = None
    if assessment is not None:
        s = assessment.summary
        summary = Fact(
            f"{assessment.timestamp}, revision {(assessment.revision or 'working tree')[:12]}: "
            f"{s.passed} pass, {s.failed} fail, {s.needs_attestation} need attestation, "
            f"{s.not_applicable} not applicable, {s.error} error, {s.accepted} accepted; "
            f"level achieved {assessment.level_achieved}",
            inputs.assessment_source,
        )
    vulns = None
    if inputs.findings is not None and inputs.findings_source is not None:
        counts = summary_counts(inputs.findings)
        severities = ", ".join(f"{k} {v}" for k, v in sorted(counts["by_severity"].items()))
        vulns = Fact(
            f"{counts['findings']} findings ({severities or 'none'}), {counts['exploited']} known "
            f"exploited, {counts['reportable']} reportable under Art. 14, {counts['suppressed']} "
            "suppressed by VEX",
            inputs.findings_source.label,
        )
    section = Section(
        "Test reports",
        "Annex VII (6)",
        paragraphs=[
            "Reports of the tests verifying conformity with Annex I Parts I and II: the "
            "assessment against the Steward common standard, the vulnerability scan of the "
            "components, and the testing, static analysis and fuzzing the assessment found."
        ],
        items=[
            Item("(6)", "Assessment report", summary, "give the project path or --assessment"),
            Item(
                "(6)",
                "Vulnerability scan of the components",
                vulns,
                "`steward vulns PATH --format json -o findings.json`, then --vulns findings.json",
            ),
        ],
        tables=[common.requirement_table(inputs, "Testing, review and analysis", _TESTS)],
    )
    for rid, what in (("STW-QA-06", "Static analysis"), ("STW-QA-08", "Fuzzing")):
        finding = inputs.finding(rid)
        if finding is not None and finding.status.value == "pass":
            section.bullets += [f"{what}: {e.text()}" for e in finding.evidence[:5]]
        elif finding is not None:
            section.bullets.append(f"{what}: {finding.status.value} ({finding.message})")
    return section
