"""Licence probes."""

from __future__ import annotations

from steward.collect.documents import is_osi_or_fsf
from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    error,
    failed,
    passed,
    probe,
    unknown,
)


@probe("license_file_present")
def _license_file(facts: Facts) -> ProbeOutcome:
    # a licence declared in a manifest or named in the README is no licence file
    files = [lic for lic in facts.licenses if lic.how not in ("manifest", "readme")]
    if files:
        return passed(
            "licence file found",
            [Fact(lic.source, lic.spdx or "unrecognised text") for lic in files],
        )
    if facts.problems_in("license"):
        return error("the licence file could not be read", facts.problems_in("license"))
    declared = [Fact(lic.source, f"declared {lic.spdx}") for lic in facts.licenses]
    return failed("no LICENSE/COPYING file at the top of the tree", declared)


@probe("license_osi_approved")
def _license_osi(facts: Facts) -> ProbeOutcome:
    if not facts.licenses:
        if facts.problems_in("license"):
            return error("the licence file could not be read", facts.problems_in("license"))
        return failed("no licence found")
    recognised = [lic for lic in facts.licenses if lic.spdx]
    if not recognised:
        return unknown("the licence text was not recognised; attest its SPDX identifier")
    bad = [lic for lic in recognised if not is_osi_or_fsf(lic.spdx or "")]
    if bad:
        return failed(
            "licence not OSI-approved or FSF-free",
            [Fact(lic.source, lic.spdx or "") for lic in bad],
        )
    return passed(
        "OSI-approved licence", [Fact(lic.source, f"{lic.spdx} ({lic.how})") for lic in recognised]
    )
