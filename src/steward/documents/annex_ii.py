"""Annex II: the information and instructions that accompany the product (Art. 13, Annex II
of Regulation (EU) 2024/2847), items (1) to (9), each filled from an answer in steward.yml or
from evidence (the security policy, the SBOM, the case store's manufacturer profile)."""

from __future__ import annotations

from steward.documents import common
from steward.documents.common import answer, answer_item, first, supply
from steward.documents.inputs import Inputs
from steward.documents.model import Document, Fact, Item, Section

TITLE = "Information and instructions to the user"
BASIS = "Regulation (EU) 2024/2847, Art. 13 and Annex II"


def build(inputs: Inputs) -> Document:
    doc = Document(
        key="annex-ii",
        title=TITLE,
        basis=BASIS,
        subject=common.subject(inputs),
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    party = "manufacturer"
    doc.sections.append(
        Section(
            "Manufacturer",
            "Annex II (1)",
            items=[
                Item(
                    "(1)",
                    "Name, registered trade name or trademark",
                    common.party(inputs, party, "name"),
                    supply(party, "name"),
                ),
                Item(
                    "(1)",
                    "Postal address",
                    common.party(inputs, party, "address"),
                    supply(party, "address"),
                ),
                Item(
                    "(1)",
                    "E-mail address or other digital contact",
                    common.party(inputs, party, "email"),
                    supply(party, "email"),
                ),
                Item(
                    "(1)",
                    "Website",
                    common.party(inputs, party, "website"),
                    supply(party, "website"),
                    note="where available",
                ),
            ],
        )
    )
    mail, link = common.contacts(inputs)
    contact = first(mail, link)
    if mail is not None and link is not None:
        contact = Fact.listed(
            [*mail.lines, *(f"private reporting: {u}" for u in link.lines)],
            common.joined([mail.source, link.source]),
        )
    doc.sections.append(
        Section(
            "Reporting vulnerabilities",
            "Annex II (2)",
            items=[
                Item(
                    "(2)",
                    "Single point of contact for reporting vulnerabilities",
                    contact,
                    "name a security contact in SECURITY.md (`steward init security`)",
                ),
                Item(
                    "(2)",
                    "Where the coordinated vulnerability disclosure policy is",
                    common.policy_location(inputs),
                    "publish SECURITY.md (`steward init security`) and assess the checkout",
                ),
            ],
        )
    )
    doc.sections.append(
        Section(
            "Product identification",
            "Annex II (3)",
            items=[
                Item("(3)", "Name", common.product_name(inputs), supply("product", "name")),
                answer_item(inputs, "(3)", "Type", "product", "type"),
                Item(
                    "(3)", "Version", common.product_version(inputs), supply("product", "version")
                ),
                Item(
                    "(3)",
                    "Unique identification",
                    common.product_identification(inputs),
                    supply("product", "identification"),
                ),
            ],
        )
    )
    doc.sections.append(
        Section(
            "Intended purpose and security properties",
            "Annex II (4)",
            items=[
                answer_item(inputs, "(4)", "Intended purpose", "product", "intended_purpose"),
                answer_item(
                    inputs,
                    "(4)",
                    "Security environment provided by the manufacturer",
                    "product",
                    "security_environment",
                ),
                answer_item(
                    inputs, "(4)", "Essential functionalities", "product", "essential_functions"
                ),
                answer_item(inputs, "(4)", "Security properties", "product", "security_properties"),
            ],
        )
    )
    doc.sections.append(
        Section(
            "Circumstances that may lead to significant cybersecurity risks",
            "Annex II (5)",
            paragraphs=[
                "Known or foreseeable circumstances, in use according to the intended purpose or "
                "under reasonably foreseeable misuse."
            ],
            items=[answer_item(inputs, "(5)", "Circumstances", "product", "foreseeable_risks")],
        )
    )
    doc.sections.append(
        Section(
            "EU declaration of conformity",
            "Annex II (6)",
            items=[
                answer_item(
                    inputs,
                    "(6)",
                    "Internet address of the EU declaration of conformity",
                    "product",
                    "declaration_url",
                    note="where applicable",
                ),
            ],
        )
    )
    support = Section("Security support", "Annex II (7)")
    support.items = [
        answer_item(inputs, "(7)", "Type of technical security support", "product", "support_type"),
        answer_item(
            inputs, "(7)", "End date of the support period", "product", "support_period_end"
        ),
    ]
    stated = inputs.finding("STW-DOC-04")
    if stated is not None and stated.status.value == "pass" and stated.evidence:
        support.bullets = [
            f"The security policy states supported versions: {e.text()}"
            for e in stated.evidence[:3]
        ]
    doc.sections.append(support)
    instructions = [
        (
            "(8)(a)",
            "Measures for secure commissioning and use throughout the lifetime",
            "commissioning",
            "",
        ),
        (
            "(8)(b)",
            "How changes to the product can affect the security of data",
            "data_changes",
            "",
        ),
        ("(8)(c)", "How security-relevant updates can be installed", "updates", ""),
        (
            "(8)(d)",
            "Secure decommissioning, including how user data can be securely removed",
            "decommissioning",
            "",
        ),
        (
            "(8)(e)",
            "How the default setting for automatic security updates can be turned off",
            "automatic_updates_off",
            "where applicable",
        ),
        (
            "(8)(f)",
            "Information for integrating the product into other products",
            "integration",
            "where the product is intended for integration",
        ),
    ]
    doc.sections.append(
        Section(
            "Instructions",
            "Annex II (8)",
            paragraphs=["Detailed instructions, or the internet address where they are."],
            items=[
                answer_item(inputs, ref, label, "product", "instructions", key, note=note)
                for ref, label, key, note in instructions
            ],
        )
    )
    doc.sections.append(
        Section(
            "Software bill of materials",
            "Annex II (9)",
            paragraphs=[
                "Required only if the manufacturer makes the SBOM available to users; answer "
                "where it is, or that it is not shared."
            ],
            items=[
                Item(
                    "(9)",
                    "Where the SBOM can be accessed",
                    answer(inputs, "product", "sbom_location"),
                    supply("product", "sbom_location") + " (publish one with `steward sbom`)",
                    note="if made available to users",
                )
            ],
        )
    )
    common.check_role(doc, inputs, "manufacturer")
    return doc
