"""The VEX model: statements, the products they name, and the status and justification words.

Read by :mod:`steward.vuln.vex_formats` (OpenVEX, CycloneDX, CSAF) and applied to findings by
:mod:`steward.vuln.vex`, whose docstring gives the semantics. Justification labels map
between OpenVEX/CSAF and CycloneDX ``analysis.justification`` (CycloneDX 1.6 enum).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class Status(enum.StrEnum):
    """A statement's status, in OpenVEX's words (plus CycloneDX's ``false_positive``)."""

    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"
    FALSE_POSITIVE = "false_positive"


SUPPRESSING = frozenset({Status.NOT_AFFECTED, Status.FIXED, Status.FALSE_POSITIVE})

STATUS_WORDS = {
    # OpenVEX
    "not_affected": Status.NOT_AFFECTED,
    "affected": Status.AFFECTED,
    "fixed": Status.FIXED,
    "under_investigation": Status.UNDER_INVESTIGATION,
    # CycloneDX analysis.state
    "exploitable": Status.AFFECTED,
    "in_triage": Status.UNDER_INVESTIGATION,
    "resolved": Status.FIXED,
    "resolved_with_pedigree": Status.FIXED,
    "false_positive": Status.FALSE_POSITIVE,
    # CSAF product_status
    "known_affected": Status.AFFECTED,
    "first_affected": Status.AFFECTED,
    "last_affected": Status.AFFECTED,
    "known_not_affected": Status.NOT_AFFECTED,
    "first_fixed": Status.FIXED,
}
CSAF_STATUSES = (
    "first_affected",
    "known_affected",
    "last_affected",
    "known_not_affected",
    "first_fixed",
    "fixed",
    "under_investigation",
)

#: OpenVEX / CSAF justification labels → CycloneDX ``analysis.justification``. There is no
#: exact CycloneDX word for "cannot be controlled by adversary"; ``requires_environment``
#: is the closest (the original label stays in the detail text).
TO_CYCLONEDX_JUSTIFICATION = {
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}
#: CycloneDX ``analysis.justification`` → OpenVEX justification label
TO_OPENVEX_JUSTIFICATION = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "component_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
CYCLONEDX_JUSTIFICATIONS = frozenset(TO_OPENVEX_JUSTIFICATION)
OPENVEX_JUSTIFICATIONS = frozenset(TO_CYCLONEDX_JUSTIFICATION)


def cyclonedx_justification(label: str | None) -> str | None:
    """The CycloneDX ``analysis.justification`` for a justification in any VEX format."""
    if label is None:
        return None
    if label in CYCLONEDX_JUSTIFICATIONS:
        return label
    return TO_CYCLONEDX_JUSTIFICATION.get(label)


def openvex_justification(label: str | None) -> str | None:
    """The OpenVEX justification label for a justification in any VEX format."""
    if label is None:
        return None
    if label in OPENVEX_JUSTIFICATIONS:
        return label
    return TO_OPENVEX_JUSTIFICATION.get(label)


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class VersionSpec:
    """One CycloneDX ``affects[].versions`` entry: an exact version or a ``vers`` range."""

    version: str | None = None
    range: str | None = None


@dataclass(frozen=True, slots=True)
class ProductRef:
    """What a statement names: a purl, a CPE and/or a bom-ref, possibly within a product.

    ``serial`` is the SBOM a bom-ref belongs to (from a BOM-Link, lower-case UUID) or None
    for a bare ref; ``local`` marks a bare ref that the VEX document defines itself (then its
    purl/CPE identify it); ``whole_bom`` a BOM-Link without ``#`` (the SBOM's subject).
    """

    label: str
    purl: str | None = None
    cpe: str | None = None
    bom_ref: str | None = None
    serial: str | None = None
    local: bool = False
    whole_bom: bool = False
    versions: tuple[VersionSpec, ...] = ()
    within: ProductRef | None = None

    @property
    def identified(self) -> bool:
        return bool(self.purl or self.cpe or self.whole_bom or (self.bom_ref and not self.local))


@dataclass(frozen=True, slots=True)
class VexStatement:
    """One statement: vulnerability ids, products, normalised status, and its place in time."""

    ids: frozenset[str]
    products: tuple[ProductRef, ...]
    status: Status | None
    raw_status: str
    justification: str | None
    detail: str | None
    source: str
    timestamp: datetime | None
    position: tuple[int, int] = (0, 0)  # (document on the command line, statement in it)

    @property
    def order(self) -> tuple[int, datetime, tuple[int, int]]:
        """Sort key of the sequence: undated first, then by time, then by position."""
        moment = self.timestamp or datetime.min.replace(tzinfo=UTC)
        return (self.timestamp is not None, moment, self.position)


@dataclass
class VexDocument:
    """A VEX document read from a file."""

    source: str
    format: str  # "OpenVEX", "CycloneDX" or "CSAF"
    statements: list[VexStatement]
    serial: str | None = None  # CycloneDX serialNumber (lower-case UUID)


@dataclass(frozen=True)
class Subject:
    """What was scanned: the SBOM's serial number and root component, when known."""

    serial: str | None = None
    root_ref: str | None = None
    root_purl: str | None = None
    root_cpe: str | None = None
    root_version: str | None = None


@dataclass
class DocumentReport:
    """What one VEX document did: statements read, matched, and why the rest did not."""

    source: str
    format: str
    statements: int
    matched: int = 0
    decided: int = 0  # findings whose newest statement came from this document
    suppressed: int = 0
    unmatched: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """``VEX x.json: 11 statements, 0 matched: products named without purl or CPE``."""
        name = Path(self.source).name
        text = f"VEX {name}: {self.statements} statements, {self.matched} matched"
        if self.suppressed:
            text += f", {self.suppressed} findings suppressed"
        if self.statements and not self.matched:
            reasons = sorted(self.unmatched.items(), key=lambda kv: (-kv[1], kv[0]))
            if len(reasons) == 1:
                text += f": {reasons[0][0]}"
            elif reasons:
                text += ": " + "; ".join(f"{n} {why}" for why, n in reasons)
        elif not self.statements:
            text += ": the document holds no VEX statement"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "statements": self.statements,
            "matched": self.matched,
            "decided": self.decided,
            "suppressed": self.suppressed,
            "unmatched": dict(sorted(self.unmatched.items())),
        }
