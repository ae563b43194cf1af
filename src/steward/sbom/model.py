"""An SBOM as Steward builds it: the project's root component, the components, and the graph.

Writers (CycloneDX, SPDX) and the quality check work from this model, so every output says
the same thing. Built by :mod:`steward.sbom.assemble` from parsed lockfiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from steward.sbom.component import Component, Diagnostic


@dataclass
class SbomMetadata:
    """Who made the SBOM, when, and with what."""

    timestamp: datetime
    tool_name: str = "steward"
    tool_version: str = ""
    creator_email: str | None = None
    creator_url: str | None = None
    creator_name: str | None = None
    #: URL of the manufacturer's security.txt (RFC 9116; TR-03183-2 v2.1 optional field)
    security_txt: str | None = None
    sources: list[str] = field(default_factory=list)  # the lockfiles read, relative paths


@dataclass
class Sbom:
    """The document: root component, components, dependency edges (ref → refs)."""

    root: Component
    components: list[Component]
    dependencies: dict[str, list[str]]
    metadata: SbomMetadata
    complete: bool = False  # every lockfile read records its full dependency graph
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # lockfiles under test, test-data and example directories that were not read (paths as
    # discovered; steward.sbom.discover)
    left_out: list[Path] = field(default_factory=list)
