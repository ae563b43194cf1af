"""Licence probes."""

from __future__ import annotations

from steward.collect.facts import License, Source
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import make_facts, run


def test_licence_file_and_osi() -> None:
    mit = make_facts(licenses=(License(Source(path="LICENSE"), "MIT", "text"),))
    assert run("license_file_present", mit).status == ProbeStatus.PASS
    assert run("license_osi_approved", mit).status == ProbeStatus.PASS
    odd = make_facts(licenses=(License(Source(path="LICENSE"), "LicenseRef-x", "text"),))
    assert run("license_osi_approved", odd).status == ProbeStatus.FAIL
    unknown = make_facts(licenses=(License(Source(path="LICENSE"), None, "text"),))
    assert run("license_osi_approved", unknown).status == ProbeStatus.UNKNOWN
    assert run("license_file_present", make_facts()).status == ProbeStatus.FAIL
