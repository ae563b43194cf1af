"""``vers`` ranges as CycloneDX VEX ``affects[].versions`` use them (purl project's vers spec)."""

from __future__ import annotations

import pytest

from steward.vuln.vers import contains


@pytest.mark.parametrize(
    ("spec", "version", "inside"),
    [
        # CycloneDX VEX use case 8: not exploitable in 2.0.0-2.7.0, 3.0.0-3.2.0, 3.8.0-4.1.0
        ("vers:semver/>=2.0.0|<=2.7.0", "2.7.0", True),
        ("vers:semver/>=2.0.0|<=2.7.0", "2.7.1", False),
        ("vers:semver/>=3.8.0|<=4.1.0", "3.9.9", True),
        # use case 5: below 1.5.0 or from 7.0.0 (constraints given in any order)
        ("vers:semver/<1.5.0|>=7.0.0", "1.4.9", True),
        ("vers:semver/<1.5.0|>=7.0.0", "6.9.0", False),
        ("vers:semver/>=7.0.0|<1.5.0", "7.0.0", True),
        ("vers:semver/<7.0.0|>=1.5.0", "1.5.0", True),
        # CISA use case 4, generic dotted numbers
        ("vers:generic/>=2.9|<=4.1", "4.1", True),
        ("vers:generic/>=2.9|<=4.1", "4.2", False),
        ("vers:pypi/>=3.2|<3.2.1", "3.2.0", True),
        ("vers:pypi/>=3.0|<4.0|!=3.2.0", "3.2.0", False),
        ("vers:pypi/>=3.0|<4.0|!=3.2.0", "3.2.1", True),
        ("vers:maven/>=2.10.0|<2.10.5.1", "2.10.5", True),
        ("vers:npm/1.0.0|2.0.0", "2.0.0", True),
        ("vers:npm/1.0.0|2.0.0", "1.5.0", False),
        ("vers:all/*", "9", None),  # unknown scheme: undecided, never in or out
        ("vers:npm/*", "9.9.9", True),
        ("vers:generic/>=2.9|<=4.1", "4.1-beta", None),  # no generic order for it
        ("vers:semver/>=1.0.0", "not-a-version", None),
        ("semver/>=1.0.0", "1.0.0", None),
    ],
)
def test_contains(spec: str, version: str, inside: bool | None) -> None:
    assert contains(spec, version) is inside
