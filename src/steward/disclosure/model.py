"""The case as documents see it: a read-only snapshot derived from a case's event timeline.

Cases are stored as an append-only timeline of events (``steward.disclosure.cases`` and the
store); everything that produces a document — CRA Art. 14 payloads, OSV, CSAF and CVE
records — takes a :class:`CaseSnapshot` plus the :class:`Manufacturer` profile and is a pure
function of them. Fields a case does not know yet are None or empty: documents flag them as
missing, never invent them.

All datetimes are timezone-aware UTC; the validators refuse naive ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from steward.disclosure.vocabulary import CaseKind as CaseKind
from steward.disclosure.vocabulary import CaseState as CaseState
from steward.disclosure.vocabulary import ExploitationStatus as ExploitationStatus


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError("timestamp must carry a timezone (naive datetimes are ambiguous)")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"timestamp {value.isoformat()} is out of range") from None
    if utc < _EARLIEST:
        raise ValueError(f"timestamp {value.isoformat()} is before 1970; not a plausible time")
    return utc


#: the earliest time a case may record (``steward.disclosure.localtime.EARLIEST``)
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


#: A timezone-aware datetime, normalised to UTC.
UtcDatetime = Annotated[datetime, AfterValidator(_aware_utc)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Manufacturer(_Model):
    """Who places the product on the market (or the steward acting for a project).

    ``country`` is the ISO 3166-1 alpha-2 code of the main establishment in the Union; it
    decides the CSIRT designated as coordinator under Art. 14(7).
    """

    name: str
    country: str | None = None
    address: str | None = None
    contact_email: str | None = None
    website: str | None = None
    is_steward: bool = False


class ProductClass(StrEnum):
    """The CRA class of a product: default, important (Annex III class I or II), critical
    (Annex IV). The single reporting platform asks for it (optional)."""

    DEFAULT = "default"
    IMPORTANT_CLASS_I = "important_class_i"
    IMPORTANT_CLASS_II = "important_class_ii"
    CRITICAL = "critical"


class Component(_Model):
    """A third-party component of the product, through which the product is affected.

    ``version`` is the version the product ships; ``affected`` the component's affected
    version constraints and ``fixed`` the component's fixed version for that release branch
    (what the component's maintainers published, not a release of the product).
    """

    name: str
    version: str | None = None
    vendor: str | None = None
    purl: str | None = None
    ecosystem: str | None = None
    affected: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()


class AffectedProduct(_Model):
    """A product the case affects: the manufacturer's own product, or a package it publishes.

    ``affected`` holds the product's version constraints as written by the team
    (``"<2.3.1"``, ``">=1.0,<1.4.2"``, or exact versions such as ``"==3.2.0"``); ``fixed`` the
    product's fixed version(s). ``components`` names the vulnerable component(s) inside the
    product, when the product is affected through a dependency; empty when the product's own
    code is affected.
    """

    name: str
    vendor: str | None = None
    purl: str | None = None
    cpe: str | None = None
    ecosystem: str | None = None
    affected: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    member_states: tuple[str, ...] = ()  # where the product is made available (ISO alpha-2)
    components: tuple[Component, ...] = ()
    cra_class: ProductClass | None = None
    cra_category: str | None = None  # the Annex III / IV category, e.g. "password managers"


class Reporter(_Model):
    """Who reported the issue and through which channel."""

    name: str | None = None
    contact: str | None = None
    organisation: str | None = None
    channel: str | None = None  # e.g. "security@ e-mail", "GitHub private report"
    credit: bool = True
    publish_contact: bool = False  # the reporter agreed to the contact being published


def public_reporter(reporter: dict[str, Any]) -> dict[str, Any]:
    """What of a reporter (a :class:`Reporter` as JSON) readers outside the security team see.

    The contact only with the reporter's consent (``publish_contact``); name and organisation
    only if the reporter wants credit. Advisories apply the same rule (issue 15, item 8).
    """
    shown = dict(reporter)
    if not shown.get("publish_contact", False):
        shown.pop("contact", None)
    if not shown.get("credit", True):
        for key in ("name", "organisation", "contact"):
            shown.pop(key, None)
    return shown


class Embargo(_Model):
    """Until when a case is private, and who may know."""

    until: UtcDatetime | None = None
    parties: tuple[str, ...] = ()


class TimelineEntry(_Model):
    """One event as documents show it (the store keeps the full event)."""

    seq: int
    kind: str
    occurred_at: UtcDatetime
    recorded_at: UtcDatetime
    actor: str
    summary: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class Release(_Model):
    """A corrective or mitigating measure made available (a ``fixed`` or
    ``mitigation_available`` event): when, which versions, and what it does."""

    kind: str  # "fixed" or "mitigation_available"
    occurred_at: UtcDatetime
    versions: tuple[str, ...] = ()
    description: str | None = None
    product: str | None = None  # which product the versions are of; None: the only one


class CaseSnapshot(_Model):
    """Everything known about a case at one moment, derived from its timeline."""

    id: str
    title: str
    kind: CaseKind = CaseKind.VULNERABILITY
    state: CaseState = CaseState.RECEIVED
    description: str | None = None
    products: tuple[AffectedProduct, ...] = ()
    reporter: Reporter | None = None
    embargo: Embargo | None = None
    cvss_vector: str | None = None
    cwes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # CVE-..., GHSA-..., PYSEC-...
    references: tuple[str, ...] = ()
    exploitation: ExploitationStatus = ExploitationStatus.UNKNOWN
    exploitation_evidence: tuple[str, ...] = ()
    exploit_nature: str | None = None  # general nature of the exploit, in words
    malicious_actor: str | None = None
    impact: str | None = None
    severity_assessment: str | None = None  # severity described in words (incidents need it)
    root_cause: str | None = None  # severe incidents: type of threat or root cause
    corrective_measures: tuple[str, ...] = ()  # what the manufacturer did (updates, patches)
    user_mitigations: tuple[str, ...] = ()  # what users can do
    sensitivity: str | None = None  # how sensitive the information is (e.g. TLP:AMBER)
    suspected_malicious: bool | None = None  # severe incidents: unlawful or malicious act?
    member_states: tuple[str, ...] = ()  # where the products are made available (ISO alpha-2)
    timezone: str | None = None  # IANA zone whose calendar counts "one month"; None = UTC
    releases: tuple[Release, ...] = ()  # fixed / mitigation_available events, in time order
    created_at: UtcDatetime
    updated_at: UtcDatetime
    aware_at: UtcDatetime | None = None  # awareness of active exploitation / of the incident
    mitigation_available_at: UtcDatetime | None = None
    fixed_at: UtcDatetime | None = None
    published_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    duplicate_of: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()
