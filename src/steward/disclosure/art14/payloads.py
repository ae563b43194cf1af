"""CRA Art. 14 report payloads: early warning, notification and final report.

Six payload types, one per paragraph point of Regulation (EU) 2024/2847:

- actively exploited vulnerability: early warning (Art. 14(2)(a)), vulnerability notification
  (14(2)(b)), final report (14(2)(c));
- severe incident having an impact on the security of the product: early warning (14(4)(a)),
  incident notification (14(4)(b)), final report (14(4)(c)).

Each carries exactly what its point asks for, the manufacturer, the recipient (the CSIRT
designated as coordinator for the main establishment, with ENISA via the single reporting
platform) and the due time. A required item the case does not hold is ``null`` and listed in
``missing`` with what to record — never filled with a guess. ``schema_version`` versions the
format; the JSON Schema generated from these models is published in
``steward/disclosure/schemas/art14-report.schema.json`` (a test keeps the two identical).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from steward.disclosure.advisories.common import parse_cvss
from steward.disclosure.advisories.constraints import describe, parse_affected
from steward.disclosure.csirts import EU_MEMBER_STATES, csirt_for, single_reporting_platform
from steward.disclosure.model import CaseKind, CaseSnapshot, Manufacturer
from steward.errors import InputError

SCHEMA_VERSION = "1.0"


class ReportStage(StrEnum):
    """Which of the three reports of Art. 14(2) / 14(4)."""

    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final-report"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ManufacturerInfo(_Model):
    name: str
    country: str | None
    address: str | None
    contact_email: str | None
    website: str | None
    is_steward: bool


class Recipient(_Model):
    """Where the report goes: the coordinator CSIRT and ENISA, simultaneously (Art. 14(1))."""

    member_state: str | None = Field(description="ISO 3166-1 alpha-2 code of the Member State")
    csirt: str | None
    csirt_url: str | None
    designation_confirmed: bool
    enisa: str


class ProductInfo(_Model):
    name: str
    vendor: str | None
    identifiers: list[str] = Field(description="purl and/or CPE")
    affected_versions: list[str]
    fixed_versions: list[str]


class Severity(_Model):
    cvss_version: str
    vector: str
    base_score: float
    rating: str


class _Report(_Model):
    schema_version: Literal["1.0"] = "1.0"
    legal_basis: str = Field(description="Article and point of Regulation (EU) 2024/2847")
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
    missing: list[str] = Field(
        description="Required items the case does not hold yet: record them, do not guess"
    )


class VulnerabilityEarlyWarning(_Report):
    report_type: Literal["vulnerability_early_warning"] = "vulnerability_early_warning"
    member_states: list[str] | None = Field(
        description="Member States where the product is made available (where applicable)"
    )


class VulnerabilityNotification(_Report):
    report_type: Literal["vulnerability_notification"] = "vulnerability_notification"
    product_information: str | None = Field(description="General information on the product")
    exploit_nature: str | None = Field(description="General nature of the exploit")
    vulnerability_nature: str | None = Field(description="General nature of the vulnerability")
    corrective_measures_taken: list[str] | None
    user_measures: list[str] | None = Field(
        description="Corrective or mitigating measures users can take"
    )
    sensitivity: str | None = Field(
        description="How sensitive the manufacturer considers the information"
    )


class VulnerabilityFinalReport(_Report):
    report_type: Literal["vulnerability_final_report"] = "vulnerability_final_report"
    description: str | None
    severity: Severity | None
    impact: str | None
    malicious_actor: str | None = Field(
        description="Information on any malicious actor, where available (null: none available)"
    )
    security_update: list[str] | None = Field(
        description="Details of the security update or other corrective measures"
    )


class IncidentEarlyWarning(_Report):
    report_type: Literal["incident_early_warning"] = "incident_early_warning"
    suspected_malicious: bool | None = Field(
        description="Suspected of being caused by unlawful or malicious acts?"
    )
    member_states: list[str] | None


class IncidentNotification(_Report):
    report_type: Literal["incident_notification"] = "incident_notification"
    incident_nature: str | None = Field(
        description="General information about the nature of the incident"
    )
    initial_assessment: str | None
    corrective_measures_taken: list[str] | None
    user_measures: list[str] | None
    sensitivity: str | None


class IncidentFinalReport(_Report):
    report_type: Literal["incident_final_report"] = "incident_final_report"
    description: str | None = Field(
        description="Detailed description, including severity and impact"
    )
    severity: Severity | None
    impact: str | None
    root_cause: str | None = Field(
        description="Type of threat or root cause likely to have triggered it"
    )
    mitigations: list[str] | None = Field(description="Applied and ongoing mitigation measures")


Art14Report = Annotated[
    VulnerabilityEarlyWarning
    | VulnerabilityNotification
    | VulnerabilityFinalReport
    | IncidentEarlyWarning
    | IncidentNotification
    | IncidentFinalReport,
    Field(discriminator="report_type"),
]
REPORT_ADAPTER: TypeAdapter[Art14Report] = TypeAdapter(Art14Report)

_LEGAL_BASIS = {
    (CaseKind.VULNERABILITY, ReportStage.EARLY_WARNING): "Art. 14(2)(a)",
    (CaseKind.VULNERABILITY, ReportStage.NOTIFICATION): "Art. 14(2)(b)",
    (CaseKind.VULNERABILITY, ReportStage.FINAL_REPORT): "Art. 14(2)(c)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.EARLY_WARNING): "Art. 14(4)(a)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.NOTIFICATION): "Art. 14(4)(b)",
    (CaseKind.SEVERE_INCIDENT, ReportStage.FINAL_REPORT): "Art. 14(4)(c)",
}


def json_schema() -> dict[str, object]:
    """The JSON Schema of every payload type (published in the package)."""
    schema = REPORT_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://steward.dev/schemas/art14-report-1.0.schema.json"
    schema["title"] = "CRA Art. 14 report payload (Steward)"
    return schema


class _Missing:
    """Collects the names of required items that are absent."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def need(self, value: object, label: str) -> None:
        if value is None or value == [] or value == "":
            self.items.append(label)


def _recipient(manufacturer: Manufacturer, override: str | None, missing: _Missing) -> Recipient:
    platform = single_reporting_platform()
    country = (override or manufacturer.country or "").upper() or None
    csirt = csirt_for(country)
    if country is None:
        missing.items.append(
            "recipient: the manufacturer's Member State of main establishment "
            "(set the profile's country)"
        )
    elif csirt is None:
        where = "not an EU Member State" if country not in EU_MEMBER_STATES else "unknown"
        missing.items.append(
            f"recipient: {country} is {where}; under Art. 14(7) name the Member State of the "
            "authorised representative, importer, distributor or most users (--csirt-country)"
        )
    return Recipient(
        member_state=csirt.code if csirt else country,
        csirt=csirt.csirt if csirt else None,
        csirt_url=csirt.url if csirt else None,
        designation_confirmed=bool(csirt and csirt.designation == "confirmed"),
        enisa=platform,
    )


def _products(snapshot: CaseSnapshot) -> list[ProductInfo]:
    products = []
    for product in snapshot.products:
        parsed = parse_affected(product)
        products.append(
            ProductInfo(
                name=product.name,
                vendor=product.vendor,
                identifiers=[i for i in (product.purl, product.cpe) if i],
                affected_versions=[describe(i) for i in parsed.intervals] + list(parsed.exact),
                fixed_versions=list(parsed.fixed),
            )
        )
    return products


def _severity(snapshot: CaseSnapshot) -> Severity | None:
    if not snapshot.cvss_vector:
        return None
    cvss = parse_cvss(snapshot.cvss_vector, source=snapshot.id)
    return Severity(
        cvss_version=cvss.version,
        vector=cvss.vector,
        base_score=cvss.base_score,
        rating=cvss.severity,
    )


def _member_states(snapshot: CaseSnapshot) -> list[str] | None:
    states = sorted({s.upper() for p in snapshot.products for s in p.member_states})
    return states or None


def _join(*parts: str | None) -> str | None:
    text = "\n\n".join(p for p in parts if p)
    return text or None


def build_report(
    snapshot: CaseSnapshot,
    manufacturer: Manufacturer,
    stage: ReportStage,
    *,
    generated_at: datetime,
    due_at: datetime | None = None,
    csirt_country: str | None = None,
) -> Art14Report:
    """The payload for one report of a case; missing items are listed, never invented."""
    if (
        snapshot.kind is CaseKind.VULNERABILITY
        and snapshot.exploitation.value != "actively_exploited"
    ):
        raise InputError(
            "Art. 14(1) reports concern actively exploited vulnerabilities; record the "
            "exploitation (event exploitation_aware) first, or use Art. 15 voluntary reporting",
            source=snapshot.id,
        )
    missing = _Missing()
    products = _products(snapshot)
    missing.need(products, "products: the product(s) concerned")
    missing.need(snapshot.aware_at, "aware_at: when the manufacturer became aware")
    common = {
        "legal_basis": f"{_LEGAL_BASIS[(snapshot.kind, stage)]} Regulation (EU) 2024/2847",
        "case_id": snapshot.id,
        "title": snapshot.title,
        "generated_at": generated_at,
        "aware_at": snapshot.aware_at,
        "due_at": due_at,
        "manufacturer": ManufacturerInfo(**manufacturer.model_dump()),
        "recipient": _recipient(manufacturer, csirt_country, missing),
        "products": products,
    }
    cwes = f"Weakness: {', '.join(snapshot.cwes)}." if snapshot.cwes else None
    report: Art14Report
    if snapshot.kind is CaseKind.VULNERABILITY:
        if stage is ReportStage.EARLY_WARNING:
            states = _member_states(snapshot)
            missing.need(states, "member_states: where the product is made available")
            report = VulnerabilityEarlyWarning(
                **common, member_states=states, missing=missing.items
            )
        elif stage is ReportStage.NOTIFICATION:
            product_info = "; ".join(
                f"{p.name} ({', '.join(p.affected_versions)})" for p in products
            )
            exploit = "\n".join(snapshot.exploitation_evidence) or None
            nature = _join(snapshot.description, cwes)
            corrective = list(snapshot.corrective_measures) or None
            users = list(snapshot.user_mitigations) or None
            missing.need(
                exploit, "exploit_nature: general nature of the exploit (exploitation evidence)"
            )
            missing.need(nature, "vulnerability_nature: description of the vulnerability")
            missing.need(
                corrective, "corrective_measures_taken: corrective or mitigating measures taken"
            )
            missing.need(users, "user_measures: measures users can take")
            missing.need(
                snapshot.sensitivity, "sensitivity: how sensitive the information is (e.g. TLP)"
            )
            report = VulnerabilityNotification(
                **common,
                product_information=product_info or None,
                exploit_nature=exploit,
                vulnerability_nature=nature,
                corrective_measures_taken=corrective,
                user_measures=users,
                sensitivity=snapshot.sensitivity,
                missing=missing.items,
            )
        else:
            severity = _severity(snapshot)
            update = list(snapshot.corrective_measures) or None
            missing.need(snapshot.description, "description: description of the vulnerability")
            missing.need(severity, "severity: CVSS vector")
            missing.need(snapshot.impact, "impact: impact of the vulnerability")
            missing.need(
                update, "security_update: details of the security update or corrective measures"
            )
            if snapshot.mitigation_available_at is None:
                missing.items.append(
                    "mitigation_available_at: when the corrective measure became available"
                )
            report = VulnerabilityFinalReport(
                **common,
                description=snapshot.description,
                severity=severity,
                impact=snapshot.impact,
                malicious_actor=snapshot.malicious_actor,
                security_update=update,
                missing=missing.items,
            )
    elif stage is ReportStage.EARLY_WARNING:
        states = _member_states(snapshot)
        missing.need(
            snapshot.suspected_malicious,
            "suspected_malicious: suspected unlawful or malicious act?",
        )
        missing.need(states, "member_states: where the product is made available")
        report = IncidentEarlyWarning(
            **common,
            suspected_malicious=snapshot.suspected_malicious,
            member_states=states,
            missing=missing.items,
        )
    elif stage is ReportStage.NOTIFICATION:
        corrective = list(snapshot.corrective_measures) or None
        users = list(snapshot.user_mitigations) or None
        missing.need(
            snapshot.description, "incident_nature: general information about the incident"
        )
        missing.need(
            snapshot.impact, "initial_assessment: initial assessment of the incident (impact)"
        )
        missing.need(
            corrective, "corrective_measures_taken: corrective or mitigating measures taken"
        )
        missing.need(users, "user_measures: measures users can take")
        missing.need(
            snapshot.sensitivity, "sensitivity: how sensitive the information is (e.g. TLP)"
        )
        report = IncidentNotification(
            **common,
            incident_nature=snapshot.description,
            initial_assessment=snapshot.impact,
            corrective_measures_taken=corrective,
            user_measures=users,
            sensitivity=snapshot.sensitivity,
            missing=missing.items,
        )
    else:
        severity = _severity(snapshot)
        mitigations = list(snapshot.corrective_measures) or None
        missing.need(snapshot.description, "description: detailed description of the incident")
        missing.need(severity, "severity: CVSS vector or severity assessment")
        missing.need(snapshot.impact, "impact: impact of the incident")
        missing.need(snapshot.root_cause, "root_cause: type of threat or root cause")
        missing.need(mitigations, "mitigations: applied and ongoing mitigation measures")
        report = IncidentFinalReport(
            **common,
            description=snapshot.description,
            severity=severity,
            impact=snapshot.impact,
            root_cause=snapshot.root_cause,
            mitigations=mitigations,
            missing=missing.items,
        )
    return report
