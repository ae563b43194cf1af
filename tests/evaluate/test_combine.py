"""How probe outcomes and attestations combine into a requirement's status."""

from __future__ import annotations

import pytest

from steward.catalog.loader import load_catalog
from steward.catalog.model import Applicability
from steward.collect.facts import Attestation, Source
from steward.evaluate import Finding, ProbeOutcome, ProbeStatus, Status, evaluate_requirement
from steward.evaluate.assess import level_achieved

P, F, NA, E, U = (ProbeStatus.PASS, ProbeStatus.FAIL, ProbeStatus.NOT_APPLICABLE,
                  ProbeStatus.ERROR, ProbeStatus.UNKNOWN)  # fmt: skip
BLD04 = load_catalog().get("STW-BLD-04")  # probes only: actions + containers pinned
GOV01 = load_catalog().get("STW-GOV-01")  # probe + attestation
VUL06 = load_catalog().get("STW-VUL-06")  # attestation only


def _outcomes(**statuses: ProbeStatus) -> dict[str, ProbeOutcome]:
    return {k: ProbeOutcome(probe=k, status=v, message=f"{k} {v}") for k, v in statuses.items()}


def _att(status: str) -> Attestation:
    return Attestation("X", status, "see URL", Source(path="steward.yml", line=3), by="alice")


@pytest.mark.parametrize(
    ("actions", "containers", "expected"),
    [
        (P, P, Status.PASS),
        (P, NA, Status.PASS),
        (NA, NA, Status.NOT_APPLICABLE),
        (P, F, Status.FAIL),
        (F, E, Status.ERROR),
        (P, U, Status.NEEDS_ATTESTATION),
        (U, F, Status.FAIL),
    ],
)
def test_probe_combination(actions: ProbeStatus, containers: ProbeStatus, expected: Status) -> None:
    assert BLD04 is not None
    outcomes = _outcomes(actions_pinned_by_sha=actions, containers_pinned_by_digest=containers)
    finding = evaluate_requirement(BLD04, outcomes, None, Applicability.PROJECT)
    assert finding.status == expected
    assert not finding.attested


def test_probes_passing_still_need_the_attestation_the_catalog_asks_for() -> None:
    assert GOV01 is not None and VUL06 is not None
    outcomes = _outcomes(governance_documented=P)
    assert evaluate_requirement(GOV01, outcomes, None, Applicability.PROJECT).status == (
        Status.NEEDS_ATTESTATION
    )
    met = evaluate_requirement(GOV01, outcomes, _att("met"), Applicability.PROJECT)
    assert met.status == Status.PASS and met.attested and met.attestation_source == "steward.yml:3"
    assert evaluate_requirement(VUL06, {}, None, Applicability.PROJECT).status == (
        Status.NEEDS_ATTESTATION
    )
    for answer, status in (("met", Status.PASS), ("not-met", Status.FAIL),
                           ("not-applicable", Status.NOT_APPLICABLE)):  # fmt: skip
        assert evaluate_requirement(VUL06, {}, _att(answer), Applicability.PROJECT).status == status
    failing = _outcomes(governance_documented=F)
    assert evaluate_requirement(GOV01, failing, _att("met"), Applicability.PROJECT).status == (
        Status.FAIL
    )


def test_role_applicability() -> None:
    prd = load_catalog().get("STW-PRD-01")
    assert prd is not None
    assert (
        evaluate_requirement(prd, {}, None, Applicability.PROJECT).status == Status.NOT_APPLICABLE
    )
    assert evaluate_requirement(prd, {}, None, Applicability.MANUFACTURER).status == (
        Status.NEEDS_ATTESTATION
    )


def _finding(level: int, status: Status, must: bool = True) -> Finding:
    return Finding(requirement_id=f"STW-X-0{level}", title="t", level=level, must=must,
                   status=status, message="")  # fmt: skip


def test_level_achieved() -> None:
    assert level_achieved([]) == 3
    assert level_achieved([_finding(1, Status.FAIL)]) == 0
    assert level_achieved([_finding(1, Status.PASS), _finding(2, Status.NEEDS_ATTESTATION)]) == 1
    assert level_achieved([_finding(1, Status.PASS), _finding(2, Status.FAIL, must=False)]) == 3
    assert level_achieved([_finding(1, Status.NOT_APPLICABLE), _finding(3, Status.ERROR)]) == 2
