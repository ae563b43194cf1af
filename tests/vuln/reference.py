"""An independent OSV range evaluator for tests: univers' version classes, interval reading.

It shares nothing with :mod:`steward.vuln.ranges` or :mod:`steward.vuln.versions`: versions
are ordered by ``univers`` (its own ports of SemVer and Maven's ComparableVersion), and a
range's events are read as intervals in the order the record gives them — each
``introduced`` opens an interval that the next ``fixed`` (exclusive) or ``last_affected``
(inclusive) closes — instead of the OSV pseudocode's sort-and-walk used by the code under test.
"""

from __future__ import annotations

from typing import Any

from univers.versions import MavenVersion, PypiVersion, SemverVersion, Version

_CLASSES: dict[str, type[Version]] = {
    "crates.io": SemverVersion,
    "npm": SemverVersion,
    "Go": SemverVersion,
    "Maven": MavenVersion,
    "PyPI": PypiVersion,
}


def _version(ecosystem: str, text: str) -> Version:
    return _CLASSES[ecosystem](text.removeprefix("v"))


def affected(entry: dict[str, Any], version: str) -> bool:
    """Is ``version`` affected by one OSV ``affected[]`` entry (ECOSYSTEM/SEMVER ranges)?"""
    if version in (entry.get("versions") or []):
        return True
    ecosystem = entry["package"]["ecosystem"].split(":")[0]
    have = _version(ecosystem, version)
    for rng in entry.get("ranges") or []:
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        low: Version | str | None = None  # "open": introduced 0
        for event in rng.get("events") or []:
            if "introduced" in event:
                low = (
                    "open"
                    if event["introduced"] == "0"
                    else _version(ecosystem, event["introduced"])
                )
            elif "fixed" in event and low is not None:
                if (low == "open" or have >= low) and have < _version(ecosystem, event["fixed"]):
                    return True
                low = None
            elif "last_affected" in event and low is not None:
                if (low == "open" or have >= low) and have <= _version(
                    ecosystem, event["last_affected"]
                ):
                    return True
                low = None
        if low is not None and (low == "open" or have >= low):
            return True
    return False


def event_versions(entry: dict[str, Any]) -> set[str]:
    """Every version an entry's events or versions list name (except ``0``)."""
    found = set(entry.get("versions") or [])
    for rng in entry.get("ranges") or []:
        if rng.get("type") in ("ECOSYSTEM", "SEMVER"):
            for event in rng.get("events") or []:
                for key in ("introduced", "fixed", "last_affected"):
                    if event.get(key) not in (None, "0"):
                        found.add(event[key])
    return found
