"""Forge setting probes: unknown without forge data, pass/fail on the setting."""

from __future__ import annotations

from steward.collect.facts import ForgeData
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import make_facts, run

API = "https://api.github.com/repos/o/r"


def test_forge_probes_need_forge_data() -> None:
    for name in ("branch_protection_enabled", "code_review_required", "mfa_required",
                 "default_permissions_minimal", "status_checks_required"):  # fmt: skip
        assert run(name, make_facts()).status == ProbeStatus.UNKNOWN


def test_forge_settings() -> None:
    forge = ForgeData(
        forge="github", url=API, default_branch="main", force_push_blocked=True,
        deletion_blocked=True, required_approvals=0, mfa_required=True,
        default_permission="write",
    )  # fmt: skip
    facts = make_facts(forge=forge)
    assert run("branch_protection_enabled", facts).status == ProbeStatus.PASS
    assert run("code_review_required", facts).status == ProbeStatus.FAIL
    assert run("mfa_required", facts).status == ProbeStatus.PASS
    assert run("default_permissions_minimal", facts).status == ProbeStatus.FAIL
