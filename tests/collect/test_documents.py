"""Security policy parsing (Scorecard's fixtures), licence identification (real texts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.documents import (
    identify_license_text,
    is_osi_or_fsf,
    parse_expression,
    parse_policy_text,
)

LICENSES = Path(__file__).resolve().parents[1] / "data" / "repos" / "licenses"


def _policy(shared_data: Path, name: str) -> dict[str, list[object]]:
    text = (shared_data / "scorecard-testdata/checks/securitypolicy" / name).read_text()
    return parse_policy_text("SECURITY.md", text)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("name", "private", "disclosure", "timeframe"),
    [
        ("00_empty", False, False, False),
        ("00_1byte", False, False, False),
        ("03_textOnly", False, False, False),
        ("04_textAndDisclosureVulns", False, True, False),
        ("06_emailOnly", True, False, False),
        ("06_urlOnly", False, False, False),
        ("06_urlAndEmailOnly", True, False, False),
        ("10_linkedContentAndTextAndDisclosureVulns", True, True, False),
        ("10_realworldtwo", True, True, True),
    ],
)
def test_scorecard_policy_fixtures(
    shared_data: Path, name: str, private: bool, disclosure: bool, timeframe: bool
) -> None:
    found = _policy(shared_data, name)
    assert bool(found["private"]) is private
    assert bool(found["disclosure"]) is disclosure
    assert bool(found["timeframe"]) is timeframe


def test_url_only_policy_has_a_link_but_no_private_channel(shared_data: Path) -> None:
    found = _policy(shared_data, "06_urlOnly")
    assert found["links"] and not found["private"]


def test_realworld_supported_versions_section(shared_data: Path) -> None:
    found = _policy(shared_data, "10_realworld")
    assert any("Supported Versions" in f.detail for f in found["versions"])  # type: ignore[attr-defined]


def test_policy_evidence_has_lines() -> None:
    text = (
        "# Security\n\n## Supported Versions\n\n| Version | Supported |\n|---|---|\n"
        "| 2.x | yes |\n\n"
        "Report privately via https://github.com/o/r/security/advisories/new.\n"
        "We acknowledge reports within 48 hours and fix within 90 days.\n"
        "Issues are disclosed through a GitHub Security Advisory after an embargo.\n"
    )
    found = parse_policy_text("SECURITY.md", text)
    assert [f.source.line for f in found["private"]] == [9]
    assert found["timeframe"][0].source.line == 10
    assert {f.source.line for f in found["versions"]} >= {3}
    assert found["disclosure"][0].source.line == 11


@pytest.mark.parametrize(
    "spdx",
    ["Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "ISC", "MPL-2.0", "AGPL-3.0",
     "GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0"],
)  # fmt: skip
def test_real_license_texts_are_identified(spdx: str) -> None:
    found = identify_license_text((LICENSES / spdx).read_text())
    assert found is not None
    assert found == spdx or found.startswith(f"{spdx}-")
    assert is_osi_or_fsf(found)


def test_gpl_or_later_from_notice() -> None:
    text = (LICENSES / "GPL-2.0").read_text()[:600] + (
        "\nThis program is free software; you can redistribute it and/or modify it under the "
        "terms of the GNU General Public License as published by the Free Software Foundation; "
        "either version 2 of the License, or (at your option) any later version.\n"
    )
    assert identify_license_text(text) == "GPL-2.0-or-later"


def test_unrecognised_and_proprietary_licences() -> None:
    assert identify_license_text("All rights reserved. Do not copy.") is None
    assert parse_expression("MIT OR Apache-2.0") == "MIT OR Apache-2.0"
    assert parse_expression("not a licence ((") is None
    assert is_osi_or_fsf("Apache-2.0 WITH LLVM-exception")
    assert not is_osi_or_fsf("LicenseRef-Proprietary")
    assert not is_osi_or_fsf("MIT AND SSPL-1.0")
