"""CRA Art. 14 report payloads, field by field as ENISA's Single Reporting Platform asks.

One payload per notification: an actively exploited vulnerability (Art. 14(1)-(2)) or a
severe incident (Art. 14(3)-(4)), at one of four levels — early warning (24 h), notification
(72 h), final report, or an intermediate report a CSIRT requested (Art. 14(6)). An
open-source software steward reports under Art. 24(3), which the legal basis names.

Every payload carries every field of its notification type (``data/srp_fields.yaml`` lists
them with the SRP's field numbers) and a ``checklist``: for each field, how binding it is at
this stage (obligatory, carried forward, optional, obligatory if available), whether the case
holds it, and the command that records it. A value the case does not hold is ``null`` —
never a guess — and obligatory absent fields are also listed in ``missing``.

``schema_version`` versions the format; the JSON Schema generated from these models is
published in ``steward/disclosure/schemas/art14-report.schema.json`` (a test keeps the two
identical).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from steward.disclosure.advisories.common import CVE_RE, parse_cvss
from steward.disclosure.advisories.constraints import describe, parse_affected
from steward.disclosure.csirts import EU_MEMBER_STATES, csirt_for, single_reporting_platform
from steward.disclosure.datafiles import table
from steward.disclosure.model import (
    AffectedProduct,
    CaseKind,
    CaseSnapshot,
    Component,
    ExploitationStatus,
    Manufacturer,
    Release,
)
from steward.errors import InputError

SCHEMA_VERSION = "2.0"


class ReportStage(StrEnum):
    """Which report: the three of Art. 14(2) / 14(4), or an intermediate one (Art. 14(6))."""

    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final-report"
    INTERMEDIATE_REPORT = "intermediate-report"

    @property
    def level(self) -> str:
        return self.value.replace("-", "_")


class Obligation(StrEnum):
    """How binding an SRP field is at a stage."""

    OBLIGATORY = "obligatory"
    CARRIED_FORWARD = "carried_forward"
    OPTIONAL = "optional"
    IF_AVAILABLE = "if_available"


class FieldStatus(StrEnum):
    PROVIDED = "provided"
    MISSING = "missing"  # required at this stage and not recorded
    NOT_RECORDED = "not_recorded"  # optional, or required only if available


class _Model(BaseModel):
    # built on first use: a vulnerability report never builds the incident report's model
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ManufacturerInfo(_Model):
    name: str
    role: Literal["manufacturer", "open_source_software_steward"]
    country: str | None
    address: str | None
    contact_email: str | None
    website: str | None


class Recipient(_Model):
    """Where the report goes: the coordinator CSIRT and ENISA, simultaneously (Art. 14(1))."""

    member_state: str | None = Field(description="ISO 3166-1 alpha-2 code of the Member State")
    csirt: str | None
    csirt_url: str | None
    designation_confirmed: bool
    enisa: str


class ComponentInfo(_Model):
    """The vulnerable third-party component inside a product."""

    name: str
    version: str | None = Field(description="The version the product ships")
    identifiers: list[str] = Field(description="purl")
    affected_versions: list[str]
    fixed_versions: list[str] = Field(description="Fixed upstream, for the shipped branch")


class ProductInfo(_Model):
    """The manufacturer's product (SRP field 8), with its CRA class and category (9, 10)."""

    name: str
    vendor: str | None
    identifiers: list[str] = Field(description="purl and/or CPE")
    affected_versions: list[str]
    fixed_versions: list[str]
    product_type: str | None = Field(description="default, important_class_i/ii, critical")
    product_category: str | None
    components: list[ComponentInfo] = Field(
        description="Vulnerable components through which the product is affected"
    )


class CvssScore(_Model):
    version: str
    vector: str
    base_score: float
    rating: str


class Severity(_Model):
    """Severity as a described assessment and/or a CVSS score."""

    assessment: str | None
    cvss: CvssScore | None


class SecurityUpdate(_Model):
    """A recorded corrective or mitigating measure (``fixed`` / ``mitigation_available``)."""

    kind: Literal["fixed", "mitigation_available"]
    available_at: datetime
    versions: list[str]
    description: str | None


class ChecklistItem(_Model):
    """One SRP field at this stage: how binding, whether recorded, how to record it."""

    srp_id: str = Field(description="The SRP's field number (i-fields: derived from Art. 14(4))")
    field: str = Field(
        description="The payload property holding the value (product_type and "
        "product_category: a property of each product)"
    )
    label: str
    obligation: Obligation
    carried_from: Obligation | None = Field(
        description="For a carried-forward field: how binding it was where it was first asked"
    )
    required: bool = Field(
        description="Obligatory now, or carried forward from a stage where it was obligatory"
    )
    status: FieldStatus
    supply: str | None = Field(description="The command that records it")
    derived: bool = Field(description="Staging derived from the Regulation, not an SRP list")


class _Report(_Model):
    schema_version: Literal["2.0"] = "2.0"
    notification_level: Literal[
        "early_warning", "notification", "final_report", "intermediate_report"
    ]
    report_type: str = Field(
        description="notification type and level, e.g. vulnerability_notification"
    )
    legal_basis: str = Field(description="Articles of Regulation (EU) 2024/2847")
    case_id: str
    title: str
    generated_at: datetime
    aware_at: datetime | None = Field(
        description="When the manufacturer became aware (starts the 24 h and 72 h clocks)"
    )
    due_at: datetime | None = Field(description="When this report is due, from the case's clocks")
    manufacturer: ManufacturerInfo
    recipient: Recipient
    products: list[ProductInfo]
    member_states: list[str] | None = Field(
        description="Member States where the product is made available"
    )
    checklist: list[ChecklistItem]
    missing: list[str] = Field(
        description="Required items the case does not hold yet, with the command that records "
        "each: record them, do not guess"
    )


class VulnerabilityReport(_Report):
    """An actively exploited vulnerability (Art. 14(1)-(2))."""

    notification_type: Literal["actively_exploited_vulnerability"] = (
        "actively_exploited_vulnerability"
    )
    cve_ids: list[str]
    euvd_ids: list[str]
    vulnerability_nature: str | None
    exploit_nature: str | None
    corrective_measures_taken: list[str] | None
    user_measures: list[str] | None
    sensitivity: str | None
    measure_available_at: datetime | None
    severity: Severity | None
    impact: str | None
    malicious_actor: str | None = Field(description="Where available; null: none recorded")
    security_update: list[SecurityUpdate] | None


class IncidentReport(_Report):
    """A severe incident having an impact on the security of the product (Art. 14(3)-(4))."""

    notification_type: Literal["severe_incident"] = "severe_incident"
    suspected_malicious: bool | None
    incident_nature: str | None
    initial_assessment: str | None
    corrective_measures_taken: list[str] | None
    user_measures: list[str] | None
    sensitivity: str | None
    description: str | None
    severity: Severity | None
    impact: str | None
    root_cause: str | None
    mitigations: list[str] | None


Art14Report = Annotated[
    VulnerabilityReport | IncidentReport, Field(discriminator="notification_type")
]


@cache
def report_adapter() -> TypeAdapter[Art14Report]:
    """Both payload types as one discriminated union (built on first use: the JSON Schema)."""
    return TypeAdapter(Art14Report)


_POINTS = {
    (CaseKind.VULNERABILITY, ReportStage.EARLY_WARNING): "Art. 14(2)(a)",
    (CaseKind.VULNERABILITY, ReportStage.NOTIFICATION): "Art. 14(2)(b)",
    (CaseKind.VULNERABILITY, ReportStage.FINAL_REPORT): "Art. 14(2)(c)",
    (CaseKind.VULNERABILITY, ReportStage.INTERMEDIATE_REPORT): "Art. 14(6)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.EARLY_WARNING): "Art. 14(4)(a)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.NOTIFICATION): "Art. 14(4)(b)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.FINAL_REPORT): "Art. 14(4)(c)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.INTERMEDIATE_REPORT): "Art. 14(6)",
}


def legal_basis(kind: CaseKind, stage: ReportStage, *, steward: bool) -> str:
    """The articles a report rests on; a steward's reporting duty comes from Art. 24(3)."""
    point = _POINTS[(kind, stage)]
    prefix = "Art. 24(3) and " if steward else ""
    return f"{prefix}{point} Regulation (EU) 2024/2847"


def json_schema() -> dict[str, object]:
    """The JSON Schema of every payload type (published in the package)."""
    schema = report_adapter().json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://steward.dev/schemas/art14-report-2.0.schema.json"
    schema["title"] = "CRA Art. 14 report payload (Steward)"
    return schema


# ------------------------------------------------------------------------------ SRP table

_CODES = {
    "X": Obligation.OBLIGATORY,
    "C": Obligation.CARRIED_FORWARD,
    "O": Obligation.OPTIONAL,
    "I": Obligation.IF_AVAILABLE,
}
_STAGE_COLUMN = {
    ReportStage.EARLY_WARNING: 0,
    ReportStage.NOTIFICATION: 1,
    ReportStage.FINAL_REPORT: 2,
}


@cache
def srp_fields(kind: CaseKind) -> tuple[dict[str, Any], ...]:
    """The SRP fields of a notification type, common fields first (``data/srp_fields.yaml``,
    read from its JSON twin: :mod:`steward.disclosure.datafiles`)."""
    raw = table("srp_fields")  # data/srp_fields.yaml, as its JSON twin
    specific = "vulnerability" if kind is CaseKind.VULNERABILITY else "incident"
    return tuple(raw["common"]) + tuple(raw[specific])


def obligation(entry: dict[str, Any], stage: ReportStage) -> tuple[Obligation, Obligation | None]:
    """How binding a field is at ``stage`` and, for a carried-forward field, how binding it
    was at the last stage that asked for it (it is required when that was obligatory).

    An intermediate report (Art. 14(6)) is a status update at the CSIRT's request: fields
    that were obligatory at 24 h or 72 h are carried forward, everything else is optional.
    """
    codes = [_CODES[c] for c in entry["stages"]]
    if stage is ReportStage.INTERMEDIATE_REPORT:
        was = any(c is Obligation.OBLIGATORY for c in codes[:2])
        return (
            (Obligation.CARRIED_FORWARD, Obligation.OBLIGATORY)
            if was
            else (Obligation.OPTIONAL, None)
        )
    column = _STAGE_COLUMN[stage]
    code = codes[column]
    if code is not Obligation.CARRIED_FORWARD:
        return code, None
    earlier = next(
        (c for c in reversed(codes[:column]) if c is not Obligation.CARRIED_FORWARD),
        Obligation.OPTIONAL,
    )
    return code, earlier


# -------------------------------------------------------------------------------- values


def _recipient(manufacturer: Manufacturer, override: str | None, missing: list[str]) -> Recipient:
    platform = single_reporting_platform()
    country = (override or manufacturer.country or "").upper() or None
    csirt = csirt_for(country)
    if country is None:
        missing.append(
            "recipient: the Member State of the main establishment decides the CSIRT "
            "(Art. 14(7)) — steward case profile set --name NAME --country XX"
        )
    elif csirt is None:
        where = "not an EU Member State" if country not in EU_MEMBER_STATES else "unknown"
        missing.append(
            f"recipient: {country} is {where}; under Art. 14(7) name the Member State of the "
            "authorised representative, importer, distributor or most users — "
            "steward case report ... --csirt-country XX"
        )
    return Recipient(
        member_state=csirt.code if csirt else country,
        csirt=csirt.csirt if csirt else None,
        csirt_url=csirt.url if csirt else None,
        designation_confirmed=bool(csirt and csirt.designation == "confirmed"),
        enisa=platform,
    )


def _versions(product: AffectedProduct | Component) -> tuple[list[str], list[str]]:
    if not product.affected and len(product.fixed) > 1:
        # releases on several branches and no affected constraints recorded: the report lists
        # the fixed versions and infers no ranges (an advisory needs them and says so)
        return [], list(product.fixed)
    parsed = parse_affected(
        product
        if isinstance(product, AffectedProduct)
        else AffectedProduct(name=product.name, affected=product.affected, fixed=product.fixed)
    )
    return [describe(i) for i in parsed.intervals] + list(parsed.exact), list(parsed.fixed)


def _products(snapshot: CaseSnapshot) -> list[ProductInfo]:
    products = []
    for product in snapshot.products:
        affected, fixed = _versions(product)
        components = []
        for component in product.components:
            c_affected, c_fixed = _versions(component)
            components.append(
                ComponentInfo(
                    name=component.name,
                    version=component.version,
                    identifiers=[component.purl] if component.purl else [],
                    affected_versions=c_affected,
                    fixed_versions=c_fixed,
                )
            )
        products.append(
            ProductInfo(
                name=product.name,
                vendor=product.vendor,
                identifiers=[i for i in (product.purl, product.cpe) if i],
                affected_versions=affected,
                fixed_versions=fixed,
                product_type=product.cra_class.value if product.cra_class else None,
                product_category=product.cra_category,
                components=components,
            )
        )
    return products


def _severity(snapshot: CaseSnapshot) -> Severity | None:
    cvss = None
    if snapshot.cvss_vector:
        parsed = parse_cvss(snapshot.cvss_vector, source=snapshot.id)
        cvss = CvssScore(
            version=parsed.version,
            vector=parsed.vector,
            base_score=parsed.base_score,
            rating=parsed.severity,
        )
    if cvss is None and not snapshot.severity_assessment:
        return None
    return Severity(assessment=snapshot.severity_assessment, cvss=cvss)


def _updates(snapshot: CaseSnapshot) -> list[SecurityUpdate] | None:
    updates = [
        SecurityUpdate(
            kind="fixed" if r.kind == "fixed" else "mitigation_available",
            available_at=r.occurred_at,
            versions=list(r.versions),
            description=r.description,
        )
        for r in snapshot.releases
    ]
    return updates or None


def _release_note(release: Release) -> str:
    """``Fixed in 3.2.1: what it does`` / ``Mitigation: what it does``: a recorded release."""
    what = "Fixed" if release.kind == "fixed" else "Mitigation"
    versions = f" in {', '.join(release.versions)}" if release.versions else ""
    return f"{what}{versions}" + (f": {release.description}" if release.description else "")


def _join(*parts: str | None) -> str | None:
    text = "\n\n".join(p for p in parts if p)
    return text or None


def _present(value: object) -> bool:
    return value is not None and value != [] and value != ""


def build_report(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer,
    stage: ReportStage,
    *,
    generated_at: datetime,
    due_at: datetime | None = None,
    csirt_country: str | None = None,
) -> Art14Report:
    """The payload for one report of a case: every SRP field of its type with its value (or
    null), the per-stage checklist, and the required items still missing."""
    if (
        snapshot.kind is CaseKind.VULNERABILITY
        and snapshot.exploitation is not ExploitationStatus.ACTIVELY_EXPLOITED
    ):
        raise InputError(
            "Art. 14(1) reports concern actively exploited vulnerabilities; record the "
            "exploitation (event exploitation_aware) first, or use Art. 15 voluntary reporting",
            source=snapshot.id,
        )
    missing: list[str] = []
    products = _products(snapshot)
    steward = manufacturer.is_steward
    values: dict[str, Any] = {
        "notification_type": True,
        "notification_level": True,
        "manufacturer": manufacturer.name or None,
        "products": products,
        "product_type": [p.product_type for p in products if p.product_type],
        "product_category": [p.product_category for p in products if p.product_category],
        "member_states": list(snapshot.member_states) or None,
        "title": snapshot.title,
    }
    release_notes = [_release_note(r) for r in snapshot.releases]
    # a recorded release or mitigation is a corrective measure taken (SRP v18 / i16), as its
    # date is the date the measure became available (v21)
    corrective = [*snapshot.corrective_measures, *release_notes] or None
    users = list(snapshot.user_mitigations) or None
    severity = _severity(snapshot)
    specific: dict[str, Any]
    if snapshot.kind is CaseKind.VULNERABILITY:
        cwes = f"Weakness: {', '.join(snapshot.cwes)}." if snapshot.cwes else None
        measures = [r.occurred_at for r in snapshot.releases]
        specific = {
            "cve_ids": [a for a in snapshot.aliases if CVE_RE.match(a)],
            "euvd_ids": [a for a in snapshot.aliases if a.upper().startswith("EUVD-")],
            "vulnerability_nature": _join(snapshot.description, cwes),
            "exploit_nature": _join(
                snapshot.exploit_nature, "\n".join(snapshot.exploitation_evidence) or None
            ),
            "corrective_measures_taken": corrective,
            "user_measures": users,
            "sensitivity": snapshot.sensitivity,
            "measure_available_at": min(measures) if measures else None,
            "severity": severity,
            "impact": snapshot.impact,
            "malicious_actor": snapshot.malicious_actor,
            "security_update": _updates(snapshot),
        }
    else:
        specific = {
            "suspected_malicious": snapshot.suspected_malicious,
            "incident_nature": snapshot.description,
            "initial_assessment": _join(snapshot.severity_assessment, snapshot.impact),
            "corrective_measures_taken": corrective,
            "user_measures": users,
            "sensitivity": snapshot.sensitivity,
            "description": snapshot.description,
            # an incident's severity is a described assessment; a CVSS score alone is not one
            "severity": severity if snapshot.severity_assessment else None,
            "impact": snapshot.impact,
            "root_cause": snapshot.root_cause,
            "mitigations": corrective,
        }
    values.update(specific)
    checklist = []
    for entry in srp_fields(snapshot.kind):
        how, carried_from = obligation(entry, stage)
        required = Obligation.OBLIGATORY in (how, carried_from)
        value = values[entry["field"]]
        supply = entry.get("supply")
        supply = supply.replace("{case}", snapshot.id) if supply else None
        if _present(value):
            status = FieldStatus.PROVIDED
        elif required:
            status = FieldStatus.MISSING
            missing.append(f"{entry['field']}: {entry['label']} — {supply}")
        else:
            status = FieldStatus.NOT_RECORDED
        checklist.append(
            ChecklistItem(
                srp_id=str(entry["id"]),
                field=entry["field"],
                label=entry["label"],
                obligation=how,
                carried_from=carried_from,
                required=required,
                status=status,
                supply=supply,
                derived=bool(entry.get("derived", False)),
            )
        )
    if snapshot.aware_at is None:
        event = (
            "exploitation_aware" if snapshot.kind is CaseKind.VULNERABILITY else "incident_aware"
        )
        missing.append(
            f"aware_at: when the manufacturer became aware (starts the clocks) — "
            f"steward case event {snapshot.id} {event} --at TIME"
        )
    recipient = _recipient(manufacturer, csirt_country, missing)
    common: dict[str, Any] = {
        "notification_level": stage.level,
        "report_type": (
            f"{'vulnerability' if snapshot.kind is CaseKind.VULNERABILITY else 'incident'}"
            f"_{stage.level}"
        ),
        "legal_basis": legal_basis(snapshot.kind, stage, steward=steward),
        "case_id": snapshot.id,
        "title": snapshot.title,
        "generated_at": generated_at,
        "aware_at": snapshot.aware_at,
        "due_at": due_at,
        "manufacturer": ManufacturerInfo(
            name=manufacturer.name,
            role="open_source_software_steward" if steward else "manufacturer",
            country=manufacturer.country,
            address=manufacturer.address,
            contact_email=manufacturer.contact_email,
            website=manufacturer.website,
        ),
        "recipient": recipient,
        "products": products,
        "member_states": values["member_states"],
        "checklist": checklist,
        "missing": missing,
    }
    if snapshot.kind is CaseKind.VULNERABILITY:
        return VulnerabilityReport(**common, **specific)
    return IncidentReport(**common, **specific)
