"""The shape of the common standard: requirements with their mappings and verification.

These models are the schema the catalog YAML is validated against on load (unknown keys are
errors), and the interface the evaluator reads: ``Requirement.verification.probes`` names
probes from the vocabulary in ``data/probes.yaml``.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from steward.catalog.vocabulary import Applicability as Applicability


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


RequirementId = Annotated[str, StringConstraints(pattern=r"^STW-[A-Z]{2,4}-\d{2}$")]


class Verification(_Model):
    """How a requirement is checked.

    ``probes``: automated probes (names from the vocabulary); all must pass.
    ``attestation``: the evidence a project attaches where no machine can check, or that
    completes what the probes check; None when the probes suffice. A requirement with both is
    met when its probes pass and the project has attested the rest.
    """

    probes: tuple[str, ...] = ()
    attestation: str | None = None


class Mappings(_Model):
    """Where a requirement sits in other frameworks (identifiers as those frameworks write them).

    ``cra``: e.g. ``"Annex I Part II (5)"``, ``"Annex I Part I (2)(a)"``, ``"Art. 14(1)"``,
    ``"Art. 13(6)"``; ``osps``: ``"OSPS-VM-01.01"``; ``scorecard``: check names
    (``"Security-Policy"``); ``ssdf``: ``"RV.1.3"``; ``orc_vhs``: items of the ORC
    vulnerability handling specification (``"VRP-11"``, ids in ``data/orc_vhs.yaml``);
    ``orc_vsa``: items of the ORC light-weight attestation template (``"QA.03"``);
    ``foundations``: keys from the catalog's ``foundations`` table.
    """

    cra: tuple[str, ...] = ()
    osps: tuple[str, ...] = ()
    scorecard: tuple[str, ...] = ()
    ssdf: tuple[str, ...] = ()
    orc_vhs: tuple[str, ...] = ()
    orc_vsa: tuple[str, ...] = ()
    foundations: tuple[str, ...] = ()


class Requirement(_Model):
    """One requirement of the common standard."""

    id: RequirementId
    family: str
    title: str
    text: str  # normative, with MUST / SHOULD
    rationale: str
    level: int = Field(ge=1, le=3)
    applicability: tuple[Applicability, ...]
    verification: Verification
    fix: str
    sources: tuple[str, ...] = ()  # ids from data/sources.yaml (foundations' process sections)
    mappings: Mappings


class Family(_Model):
    """A group of requirements (``VM`` vulnerability management ...)."""

    id: str
    title: str
    description: str


class Foundation(_Model):
    """A foundation whose published process the standard draws on."""

    id: str
    name: str
    url: str


class FrameworkVersion(_Model):
    """The exact edition of another framework the catalog maps to (``catalog.yaml``
    ``frameworks``): what a mapping means depends on it, so every report names it.

    ``id``: the mapping key (``cra``, ``osps``, ``ssdf``, ``scorecard``, ``tr-03185-2`` ...);
    ``version``: the framework's own version string (``v2026.02.19``, ``1.1``);
    ``date``: ISO 8601 date of that edition; ``licence``: the terms of the data we map to;
    ``draft``: the edition is not a final release; ``note``: how we pinned it.
    """

    id: str
    name: str  # short label for tables: "OSPS Baseline"
    title: str
    version: str
    date: str | None = None
    url: str
    licence: str
    draft: bool = False
    note: str = ""


class Catalog(_Model):
    """The whole standard."""

    version: str
    released: str
    title: str
    licence: str = ""
    families: tuple[Family, ...]
    foundations: tuple[Foundation, ...]
    frameworks: tuple[FrameworkVersion, ...] = ()
    requirements: tuple[Requirement, ...]

    def framework(self, framework_id: str) -> FrameworkVersion | None:
        """The pinned edition of a mapped framework, or None."""
        return next((f for f in self.frameworks if f.id == framework_id), None)

    def provenance(self) -> dict[str, object]:
        """What every report and export names: the catalog version and each mapped
        framework's edition. Shape: ``{"catalog": {"title", "version", "released",
        "licence"}, "frameworks": [{"id", "name", "title", "version", "date", "url",
        "licence", "draft"}, ...]}``."""
        return {
            "catalog": {
                "title": self.title,
                "version": self.version,
                "released": self.released,
                "licence": self.licence,
            },
            "frameworks": [f.model_dump(mode="json", exclude={"note"}) for f in self.frameworks],
        }

    def versions_line(self) -> str:
        """One line for human-readable reports: ``Steward catalog 1.1.0 (2026-11-29);
        OSPS Baseline v2026.02.19; CRA ...``."""
        parts = [f"Steward catalog {self.version} ({self.released})"]
        parts += [f"{f.name} {f.version}{' (draft)' if f.draft else ''}" for f in self.frameworks]
        return "; ".join(parts)

    def family(self, family_id: str) -> Family | None:
        return next((f for f in self.families if f.id == family_id.upper()), None)

    def get(self, requirement_id: str) -> Requirement | None:
        """The requirement with this id (case-insensitive, ``stw-vul-3`` works too), or None."""
        wanted = re.sub(r"-(\d)$", r"-0\1", requirement_id.strip().upper())
        return next((r for r in self.requirements if r.id == wanted), None)


class ProbeSpec(_Model):
    """One entry of the probe vocabulary (``data/probes.yaml``)."""

    name: str
    description: str
    needs: tuple[str, ...]
