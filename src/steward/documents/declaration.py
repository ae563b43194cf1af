"""Annex V (EU declaration of conformity) and Annex VI (simplified declaration), Art. 28 of
Regulation (EU) 2024/2847.

The declaration is the manufacturer's statement; the fixed sentences are the ones Annex V
and VI prescribe, every fact (product, manufacturer, standards, procedure, notified body,
place, date, signatory) comes from steward.yml answers or evidence, and a notice lists what
the assessment still finds failing before anyone signs.
"""

from __future__ import annotations

from steward.documents import common
from steward.documents.common import answer, answer_item, first, supply
from steward.documents.inputs import Inputs
from steward.documents.model import Document, Fact, Item, Missing, Section
from steward.documents.scope import MODULE_A, MODULE_BC, MODULE_H

TITLE_V = "EU declaration of conformity"
BASIS_V = "Regulation (EU) 2024/2847, Art. 28 and Annex V"
TITLE_VI = "Simplified EU declaration of conformity"
BASIS_VI = "Regulation (EU) 2024/2847, Art. 28 and Annex VI"


def _maker(inputs: Inputs) -> tuple[Fact | None, Fact | None, str]:
    """Name and address of the authorised representative when one is given, else of the
    manufacturer; and whose they are."""
    if inputs.config.sections.cra.authorised_representative is not None:
        return (
            answer(inputs, "authorised_representative", "name"),
            answer(inputs, "authorised_representative", "address"),
            "authorised_representative",
        )
    return (
        common.party(inputs, "manufacturer", "name"),
        common.party(inputs, "manufacturer", "address"),
        "manufacturer",
    )


def build_v(inputs: Inputs) -> Document:
    doc = Document(
        key="annex-v",
        title=TITLE_V,
        basis=BASIS_V,
        subject=common.subject(inputs),
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    common.requires_assessment(doc, inputs, "manufacturer")
    name, address, who = _maker(inputs)
    version = common.product_version(inputs)
    identification = common.product_identification(inputs)
    traceable = [f.text for f in (common.product_name(inputs), version, identification) if f]
    doc.sections.append(
        Section(
            "Product",
            "Annex V (1)",
            items=[
                Item("(1)", "Name", common.product_name(inputs), supply("product", "name")),
                answer_item(inputs, "(1)", "Type", "product", "type"),
                Item(
                    "(1)",
                    "Unique identification",
                    first(identification, version),
                    supply("product", "identification"),
                ),
            ],
        )
    )
    doc.sections.append(
        Section(
            "Manufacturer" if who == "manufacturer" else "Authorised representative",
            "Annex V (2)",
            items=[
                Item("(2)", "Name", name, supply(who, "name")),
                Item("(2)", "Address", address, supply(who, "address")),
            ],
        )
    )
    doc.sections.append(
        Section(
            "Responsibility",
            "Annex V (3)",
            paragraphs=[
                "This declaration of conformity is issued under the sole responsibility of the "
                "manufacturer."
            ],
        )
    )
    doc.sections.append(
        Section(
            "Object of the declaration",
            "Annex V (4)",
            items=[
                Item(
                    "(4)",
                    "Identification of the product allowing traceability",
                    Fact(", ".join(traceable), "as in (1)") if version and traceable else None,
                    supply("product", "version") + " and " + supply("product", "identification"),
                )
            ],
        )
    )
    doc.sections.append(
        Section(
            "Conformity",
            "Annex V (5)",
            paragraphs=[
                "The object of the declaration described above is in conformity with the "
                "relevant Union harmonisation legislation: Regulation (EU) 2024/2847."
            ],
        )
    )
    given, where = inputs.answer("standards")
    standards = None
    if given is not None:
        standards = Fact.listed(
            [f"{s.reference}" + (f" (in part: {s.parts})" if s.parts else "") for s in given]
            or ["none"],
            where,
        )
    doc.sections.append(
        Section(
            "Standards, specifications and certification",
            "Annex V (6)",
            items=[
                Item(
                    "(6)",
                    "Harmonised standards, common specifications or cybersecurity "
                    "certification in relation to which conformity is declared",
                    standards,
                    supply("standards") + " (a list; [] when none is applied)",
                ),
            ],
        )
    )
    decision = common.decision(inputs)
    body_needed = bool(decision.routes) and MODULE_A not in decision.routes
    conformity = Section(
        "Conformity assessment",
        "Annex V (7)",
        items=[
            answer_item(
                inputs,
                "(7)",
                "Conformity assessment procedure performed",
                "declaration",
                "procedure",
            ),
        ],
    )
    body = [
        answer_item(inputs, "(7)", label, "declaration", "notified_body", key)
        for label, key in (
            ("Notified body: name", "name"),
            ("Notified body: number", "number"),
            ("Certificate issued", "certificate"),
        )
    ]
    if body_needed or any(i.value is not None for i in body):
        conformity.items += body
    else:  # internal control (module A) involves no notified body
        conformity.paragraphs.append(
            "Where a notified body took part (any procedure other than internal control, "
            "module A), answer cra.declaration.notified_body (name, number, certificate) in "
            f"{common.YML}."
        )
    doc.sections.append(conformity)
    wrong = _procedure_not_open(inputs, decision.routes, decision.route_basis)
    if wrong is not None:
        doc.extra_missing.append(wrong)
    signed = Section(
        "Additional information",
        "Annex V (8)",
        items=[
            Item("(8)", "Signed for and on behalf of", name, supply(who, "name")),
            answer_item(inputs, "(8)", "Place of issue", "declaration", "place"),
            answer_item(inputs, "(8)", "Date of issue", "declaration", "date"),
            answer_item(inputs, "(8)", "Name of the signatory", "declaration", "signatory"),
            answer_item(inputs, "(8)", "Function", "declaration", "function"),
        ],
        closing=["Signature: ______________________________"],
    )
    extra = answer(inputs, "declaration", "additional_information")
    if extra is not None:
        signed.items.insert(0, Item("(8)", "Additional information", extra, ""))
    doc.sections.append(signed)
    doc.notice = _before_signing(inputs)
    common.check_role(doc, inputs, "manufacturer")
    return doc


def _procedure_not_open(inputs: Inputs, routes: tuple[str, ...], basis: str) -> Missing | None:
    """A missing entry when the procedure answered is internal control (module A) and Art. 32
    does not leave it open to the product's category (a class II or critical product, or a
    class I product without harmonised standards applied in full)."""
    procedure, _ = inputs.answer("declaration", "procedure")
    if not routes or not isinstance(procedure, str):
        return None
    text = procedure.lower()
    if ("module a" in text or "internal control" in text) and MODULE_A not in routes:
        return Missing(
            "Annex V (7)",
            f"a conformity assessment procedure open to the product: {procedure!r} is not "
            f"({basis}; open: {'; '.join(r for r in routes if r in (MODULE_BC, MODULE_H))}, "
            "or a certification scheme)",
            "correct cra.declaration.procedure in steward.yml (see `steward cra scope`)",
        )
    return None


def _before_signing(inputs: Inputs) -> str:
    assessment = inputs.assessment
    if assessment is None:
        return "No assessment was given: nothing checks the product before this is signed."
    failing = [
        f.requirement_id
        for f in assessment.findings
        if f.status.value in ("fail", "error", "needs-attestation")
        and any(ref.startswith(("Annex I", "Art. 13")) for ref in _cra_refs(f.requirement_id))
    ]
    if not failing:
        return ""
    shown = ", ".join(failing[:12]) + (
        f" and {len(failing) - 12} more" if len(failing) > 12 else ""
    )
    return (
        f"Before signing: {len(failing)} requirements mapped to Annex I or Art. 13 are not met "
        f"or not yet established in the assessment ({shown})."
    )


def _cra_refs(requirement_id: str) -> tuple[str, ...]:
    from steward.catalog.loader import load_catalog

    requirement = load_catalog().get(requirement_id)
    return requirement.mappings.cra if requirement is not None else ()


def build_vi(inputs: Inputs) -> Document:
    doc = Document(
        key="annex-vi",
        title=TITLE_VI,
        basis=BASIS_VI,
        subject=common.subject(inputs),
        generated_at=inputs.generated_at.isoformat().replace("+00:00", "Z"),
        inputs=common.sources(inputs),
    )
    name = common.party(inputs, "manufacturer", "name")
    kind = answer(inputs, "product", "type")
    url = answer(inputs, "product", "declaration_url")
    sentence = (
        f"Hereby, {name.text if name else '[manufacturer: missing]'} declares that the product "
        f"with digital elements type {kind.text if kind else '[product type: missing]'} is in "
        "compliance with Regulation (EU) 2024/2847. The full text of the EU declaration of "
        "conformity is available at the following internet address: "
        f"{url.text if url else '[address: missing]'}"
    )
    doc.sections.append(
        Section(
            "Declaration",
            "Annex VI",
            paragraphs=[sentence],
            items=[
                Item("Annex VI", "Manufacturer", name, supply("manufacturer", "name")),
                Item("Annex VI", "Type of the product", kind, supply("product", "type")),
                Item(
                    "Annex VI",
                    "Internet address of the full declaration",
                    url,
                    supply("product", "declaration_url"),
                ),
            ],
        )
    )
    common.check_role(doc, inputs, "manufacturer")
    return doc
