"""Where a requirement comes from, with links: the sections of the foundations' published
processes it cites (``data/sources.yaml``), and the OSPS Baseline and ORC items it maps to.

Links to OSPS assessment requirements point at the pinned edition on baseline.openssf.org
(``/versions/2026-02-19#osps-vm-0101``); links to ORC items point at the section of the
specification or template that states them.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.catalog.loader import load_source_sections
from steward.catalog.model import Catalog, Requirement

_ORC_VHS = "https://github.com/orcwg/vulnerability-management-spec/blob/main/spec.md"
_ORC_VSA = "https://github.com/orcwg/cra-attestations/blob/main/proposals/template-lite.md"
# item prefix → the specification's section heading (GitHub anchors are the heading in lower
# case with spaces as hyphens)
_VHS_SECTIONS = {
    "VRP": "Vulnerability Reporting Policy",
    "SRC": "Vulnerability sources",
    "HDL": "Vulnerability handling inside an organization",
    "MPH": "Multi-party vulnerability handling and disclosure",
    "PUB": "Vulnerability publication",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One source of a requirement. ``by``: foundation or framework id; ``title``: the
    section; ``url``: where to read it; ``id``: the sources.yaml id or the mapped item."""

    id: str
    by: str
    title: str
    url: str


def sources_of(requirement: Requirement, catalog: Catalog) -> list[Source]:
    """Every source of ``requirement``: cited sections first, then mapped OSPS and ORC items."""
    sections = load_source_sections()
    out = [Source(s, **sections[s]) for s in requirement.sources]
    osps = catalog.framework("osps")
    if osps is not None and osps.date:
        base = f"https://baseline.openssf.org/versions/{osps.date}"
        out += [
            Source(o, "osps", f"OSPS Baseline {osps.version}: {o}", f"{base}#{_anchor(o)}")
            for o in requirement.mappings.osps
        ]
    for item in requirement.mappings.orc_vhs:
        title = _VHS_SECTIONS[item.split("-")[0]]
        anchor = title.lower().replace(" ", "-")
        out.append(
            Source(
                item,
                "orc-vhs",
                f"ORC vulnerability handling specification, {title}: {item}",
                f"{_ORC_VHS}#{anchor}",
            )
        )
    out += [
        Source(item, "orc-vsa", f"ORC light-weight VSA template: {item}", f"{_ORC_VSA}#template")
        for item in requirement.mappings.orc_vsa
    ]
    return out


def _anchor(osps_id: str) -> str:
    """``OSPS-VM-01.01`` → ``osps-vm-0101`` (the baseline site's heading anchors)."""
    return osps_id.lower().replace(".", "")
