"""The words of a case's timeline, kept free of pydantic: the kinds of cases, states, events
and reports, the stored :class:`Event`, and the EU Member States.

Re-exported from :mod:`steward.disclosure.model` and :mod:`steward.disclosure.events`, where
they are documented with the data models; they live here so that the commands that only read
cases and count their CRA Art. 14 clocks (``steward case list``, ``due``) import no pydantic
model (start-up time, ``bench/startup.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from steward.errors import InputError

#: the Member States of the EU (ISO 3166-1 alpha-2; Greece is ``GR``), where products are made
#: available and whose CSIRTs receive Art. 14 reports (:mod:`steward.disclosure.csirts`)
EU_MEMBER_STATES = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)


class CaseKind(StrEnum):
    """What is being handled: Art. 14(1)-(2) vulnerability or Art. 14(3)-(4) severe incident."""

    VULNERABILITY = "vulnerability"
    SEVERE_INCIDENT = "severe_incident"


class CaseState(StrEnum):
    """Where a case stands in coordinated disclosure."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    CONFIRMED = "confirmed"
    FIX_IN_PROGRESS = "fix_in_progress"
    FIXED = "fixed"
    PUBLISHED = "published"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class ExploitationStatus(StrEnum):
    """What is known about exploitation in the wild."""

    UNKNOWN = "unknown"
    NONE_KNOWN = "none_known"
    PROOF_OF_CONCEPT = "proof_of_concept"
    ACTIVELY_EXPLOITED = "actively_exploited"


class EventKind(StrEnum):
    RECEIVED = "received"
    NOTE = "note"
    TRIAGED = "triaged"
    CONFIRMED = "confirmed"
    DETAILS_SET = "details_set"
    SEVERITY_SET = "severity_set"
    PRODUCTS_SET = "products_set"
    PRODUCT_ADDED = "product_added"
    ALIAS_ADDED = "alias_added"
    EMBARGO_SET = "embargo_set"
    EMBARGO_LIFTED = "embargo_lifted"
    EXPLOITATION_STATUS = "exploitation_status"
    EXPLOITATION_AWARE = "exploitation_aware"
    INCIDENT_AWARE = "incident_aware"
    FIX_STARTED = "fix_started"
    MITIGATION_AVAILABLE = "mitigation_available"
    FIXED = "fixed"
    PUBLISHED = "published"
    REPORT_SUBMITTED = "report_submitted"
    REPORT_REQUESTED = "report_requested"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    REOPENED = "reopened"
    CORRECTION = "correction"


class ReportType(StrEnum):
    """The reports of CRA Art. 14: the three of 14(2)/14(4), and the intermediate report a
    CSIRT may request under Art. 14(6)."""

    EARLY_WARNING = "early_warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final_report"
    INTERMEDIATE_REPORT = "intermediate_report"


@dataclass(frozen=True)
class Event:
    """An event as stored: ``seq`` is the recording order, ``occurred_at`` real time."""

    seq: int
    kind: EventKind
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    data: dict[str, Any]


def parse_kind(kind: str) -> EventKind:
    try:
        return EventKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in EventKind)
        raise InputError(f"unknown event kind {kind!r} (known: {known})") from None
