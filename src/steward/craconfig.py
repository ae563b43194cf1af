"""The ``project:`` and ``cra:`` sections of ``steward.yml``: what a project says about itself.

``project:`` holds what ``steward init`` could read from the checkout (name, repository,
licence, manifests); ``cra:`` the answers no file can give: the scope questionnaire of
``steward cra scope`` (``cra.scope``) and the facts the CRA documents need (manufacturer,
product, Annex I applicability, standards, declaration, steward policy, Art. 25
attestation). Every field is optional: an unanswered item is reported missing by the
documents, never given a default (Regulation (EU) 2024/2847, Annexes II, V, VI and VII; Art.
24; Art. 25).

These models are part of the one schema in :mod:`steward.projectconfig` (unknown keys are
refused with file and line); they live here so that module stays about loading.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)


def _matching(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[Text, _matching(r"^https?://\S+$", "an http(s) URL")]
Email = Annotated[
    Text, _matching(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", "an e-mail address")
]
Country = Annotated[Text, _matching(r"^[A-Z]{2}$", "an ISO 3166-1 alpha-2 country code")]
#: an Annex III/IV category id (checked against the list by ``steward.documents.categories``)
CategoryId = Annotated[Text, _matching(r"^[a-z0-9-]+$", "a category id (see steward cra scope)")]
#: an Annex I Part I item as the regulation numbers it: ``1``, ``2(a)`` ... ``2(m)``
AnnexItem = Annotated[
    str, _matching(r"^(1|2\([a-m]\))$", "an Annex I Part I item (1, 2(a) ... 2(m))")
]
ControlId = Annotated[
    str, _matching(r"^(GV|LE|QA|BR|VM|EL)\.\d{2}$", "a template-lite control id (GV.01 ...)")
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectSection(_Model):
    """``project:``: what ``steward init`` read from the checkout (each with where it came
    from in the checkout, so a reader can check it)."""

    name: Text | None = None
    repository: Url | None = None
    license: Text | None = None  # SPDX expression
    manifests: tuple[Text, ...] = ()  # paths relative to the project root


class Scope(_Model):
    """``cra.scope``: the answers of the scope questionnaire (``steward cra scope``).

    Each is a yes/no answer; None (absent) means unanswered. The questions and their legal
    basis are in :mod:`steward.documents.scope`.
    """

    eu_market: bool | None = None
    excluded_sector: bool | None = None
    contributor_only: bool | None = None
    charges_price: bool | None = None
    paid_support_beyond_costs: bool | None = None
    monetised_platform: bool | None = None
    personal_data_beyond_security: bool | None = None
    donations_for_profit: bool | None = None
    own_name: bool | None = None
    legal_person: bool | None = None
    sustained_support: bool | None = None
    category: CategoryId | None = None  # "none" or an Annex III/IV category id
    free_open_source: bool | None = None
    business_context: bool | None = None
    harmonised_standards: bool | None = None
    documentation_public: bool | None = None


class Party(_Model):
    """A manufacturer, authorised representative or steward (Annex II (1), Annex V (2))."""

    name: Text | None = None
    address: Text | None = None
    email: Email | None = None
    website: Url | None = None
    country: Country | None = None


class Instructions(_Model):
    """Annex II (8)(a)-(f): instructions, each as text or the URL where they are."""

    commissioning: Text | None = None
    data_changes: Text | None = None
    updates: Text | None = None
    decommissioning: Text | None = None
    automatic_updates_off: Text | None = None
    integration: Text | None = None


class Product(_Model):
    """The product with digital elements the documents are about."""

    name: Text | None = None
    type: Text | None = None
    version: Text | None = None
    identification: Text | None = None  # what identifies it uniquely (purl, model number ...)
    intended_purpose: Text | None = None
    security_environment: Text | None = None
    essential_functions: tuple[Text, ...] | None = None
    security_properties: tuple[Text, ...] | None = None
    foreseeable_risks: tuple[Text, ...] | None = None
    support_type: Text | None = None
    support_period_end: dt.date | None = None
    support_period_rationale: Text | None = None
    declaration_url: Url | None = None
    sbom_location: Text | None = None  # Annex II (9): URL, or "not shared with users"
    hardware_illustrations: Text | None = None  # Annex VII 1(c); "not applicable: software"
    architecture: Text | None = None
    production_monitoring: Text | None = None
    instructions: Instructions = Field(default_factory=Instructions)


class AnnexIAnswer(_Model):
    """Whether an Annex I Part I item applies to the product, and why (Annex VII (3))."""

    applies: bool
    justification: Text
    evidence: Text | None = None


class StandardApplied(_Model):
    """A harmonised standard, common specification or certification scheme (Annex VII (5))."""

    reference: Text
    applied: Literal["full", "partial"] = "full"
    parts: Text | None = None


class NotifiedBody(_Model):
    """Annex V (7): the notified body, where one took part."""

    name: Text | None = None
    number: Text | None = None
    certificate: Text | None = None


class Declaration(_Model):
    """Annex V (7)-(8): the procedure performed, who signs, where and when."""

    procedure: Text | None = None
    place: Text | None = None
    date: dt.date | None = None
    signatory: Text | None = None
    function: Text | None = None
    additional_information: Text | None = None
    notified_body: NotifiedBody | None = None


class Policy(_Model):
    """Art. 24(1)-(3): the steward's cybersecurity policy, in its own words."""

    projects: tuple[Text, ...] | None = None
    secure_development: Text | None = None
    vulnerability_handling: Text | None = None
    voluntary_reporting: Text | None = None
    remediation: Text | None = None
    information_sharing: Text | None = None
    authority_cooperation: Text | None = None
    incident_reporting: Text | None = None
    review: Text | None = None  # how and when the policy is reviewed


class Issuer(_Model):
    """template-lite AU.01."""

    name: Text | None = None
    registered_address: Text | None = None
    website: Url | None = None


class Control(_Model):
    """An answer to one template-lite control, overriding what the assessment says."""

    status: Literal["met", "not_met", "not_applicable"]
    applies: bool | None = None
    evidence_url: Url | None = None
    note: Text | None = None
    explanation: Text | None = None
    checksums_present: bool | None = None
    reporting_contact: Text | None = None
    private_reporting_url: Url | None = None


class Attestation(_Model):
    """The Art. 25 security attestation (ORC template-lite revision 0.1): AU.01-AU.03 and
    the answers to controls no assessment can decide."""

    issuer: Issuer = Field(default_factory=Issuer)
    primary_contact: Text | None = None
    organizational_role: Text | None = None
    valid_for_versions: Text | None = None
    valid_for_dates: Text | None = None
    issued_on: dt.date | None = None
    controls: dict[ControlId, Control] = Field(default_factory=dict)


class CraSection(_Model):
    """``cra:``: scope answers and the facts the CRA documents need."""

    scope: Scope = Field(default_factory=Scope)
    manufacturer: Party = Field(default_factory=Party)
    authorised_representative: Party | None = None
    steward: Party = Field(default_factory=Party)
    product: Product = Field(default_factory=Product)
    annex_i: dict[AnnexItem, AnnexIAnswer] = Field(default_factory=dict)
    standards: tuple[StandardApplied, ...] | None = None
    declaration: Declaration = Field(default_factory=Declaration)
    policy: Policy = Field(default_factory=Policy)
    attestation: Attestation = Field(default_factory=Attestation)

    @field_validator("annex_i", mode="before")
    @classmethod
    def _item_keys(cls, value: object) -> object:
        """Accept ``(2)(a)`` as well as ``2(a)``: the regulation's own way of writing it."""
        if isinstance(value, dict):
            return {
                (k[1:].replace(")", "", 1) if isinstance(k, str) and k.startswith("(") else k): v
                for k, v in value.items()
            }
        return value
