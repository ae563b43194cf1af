"""CSAF 2.0: our documents pass the schema and mandatory tests; our tests agree with OASIS's.

The official validator test cases (../shared/data/csaf-2.0/test/validator/data) list, for each
mandatory test, documents that must fail it and documents that must pass it.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from steward.disclosure.advisories.csaf import CsafProfile, build_csaf
from steward.disclosure.advisories.csaf_validate import (
    MANDATORY,
    mandatory_problems,
    schema_problems,
    validate,
)
from steward.disclosure.model import CaseState, Embargo
from steward.errors import InputError
from tests.disclosure.cases import EXPLOITED, INCIDENT, MANUFACTURER


def _testcases(shared_data: Path) -> list[tuple[str, str, bool]]:
    base = shared_data / "csaf-2.0" / "test" / "validator" / "data"
    cases = json.loads((base / "testcases.json").read_text())
    out = []
    for test in cases["tests"]:
        for item in test.get("failures", []):
            out.append((test["id"], str(base / item["name"]), False))
        for item in test.get("valid", []):
            out.append((test["id"], str(base / item["name"]), True))
    return out


def test_every_mandatory_test_is_implemented(shared_data: Path) -> None:
    listed = {tid for tid, _, _ in _testcases(shared_data) if tid.startswith("6.1.")}
    assert listed == set(MANDATORY)


def test_official_testcases_agree(shared_data: Path) -> None:
    disagreements = []
    count = 0
    for test_id, path, valid in _testcases(shared_data):
        if test_id not in MANDATORY:
            continue
        count += 1
        problems = mandatory_problems(json.loads(Path(path).read_text()), [test_id])
        if bool(problems) == valid:
            disagreements.append(f"{test_id} {Path(path).name}: {problems or 'no problem found'}")
    assert count == 147
    assert disagreements == []


def test_official_examples_are_valid(shared_data: Path) -> None:
    examples = sorted((shared_data / "csaf-2.0" / "examples" / "csaf").rglob("*.json"))
    assert len(examples) >= 10
    for example in examples:
        assert validate(json.loads(example.read_text())) == [], example.name


@pytest.mark.parametrize("profile", list(CsafProfile))
def test_generated_documents_are_valid(profile: CsafProfile) -> None:
    doc = build_csaf(EXPLOITED, MANUFACTURER, profile=profile)
    assert validate(doc) == []
    assert doc["document"]["category"] == profile.value
    tracking = doc["document"]["tracking"]
    assert (tracking["status"], tracking["version"]) == ("final", "1")
    vuln = doc["vulnerabilities"][0]
    assert vuln["cve"] == "CVE-2026-31415"
    assert vuln["ids"] == [
        {"system_name": "GitHub Security Advisory", "text": "GHSA-2c7x-9m4v-qx8p"}
    ]
    assert vuln["cwe"]["name"].startswith("Improper Limitation of a Pathname")
    assert vuln["scores"][0]["cvss_v3"]["baseScore"] == 8.1
    ranges = [
        b["name"]
        for b in doc["product_tree"]["branches"][0]["branches"][0]["branches"]
        if b["category"] == "product_version_range"
    ]
    assert ranges == ["vers:pypi/>=1.0|<1.4.2", "vers:pypi/>=2.0|<2.3.1"]
    assert len(vuln["product_status"]["known_affected"]) == 2
    assert len(vuln["product_status"]["fixed"]) == 2


def test_unpublished_case_is_a_draft_under_embargo() -> None:
    case = EXPLOITED.model_copy(
        update={
            "state": CaseState.FIX_IN_PROGRESS,
            "published_at": None,
            "timeline": tuple(e for e in EXPLOITED.timeline if e.kind != "published"),
            "sensitivity": None,
            "embargo": Embargo(until=datetime(2027, 1, 1, tzinfo=UTC)),
        }
    )
    doc = build_csaf(case, MANUFACTURER, profile=CsafProfile.VEX)
    assert validate(doc) == []
    assert doc["document"]["tracking"]["status"] == "draft"
    assert doc["document"]["distribution"]["tlp"]["label"] == "AMBER"


def test_cvss4_goes_to_a_note_and_no_fix_means_none_available() -> None:
    case = INCIDENT.model_copy(
        update={"cvss_vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
    )
    doc = build_csaf(case, MANUFACTURER, profile=CsafProfile.VEX)
    assert validate(doc) == []
    vuln = doc["vulnerabilities"][0]
    assert "scores" not in vuln
    assert any(n["title"] == "CVSS v4.0" and "9.3" in n["text"] for n in vuln["notes"])
    assert vuln["remediations"][0]["category"] == "none_available"
    assert vuln["ids"] == [{"system_name": "Steward case", "text": "STW-2026-0011"}]


def test_broken_documents_fail_the_right_tests() -> None:
    doc = build_csaf(EXPLOITED, MANUFACTURER)
    broken = copy.deepcopy(doc)
    vuln = broken["vulnerabilities"][0]
    vuln["product_status"]["known_not_affected"] = [vuln["product_status"]["known_affected"][0]]
    vuln["scores"][0]["cvss_v3"]["baseScore"] = 3.0
    vuln["cwe"]["name"] = "Improper Input Validation"
    broken["document"]["lang"] = "EZ"
    failed = {p.test for p in mandatory_problems(broken)}
    assert {"6.1.6", "6.1.9", "6.1.11", "6.1.12"} <= failed
    assert schema_problems(broken) == []


def test_schema_violation_reported_with_path() -> None:
    doc = build_csaf(EXPLOITED, MANUFACTURER)
    del doc["document"]["publisher"]["namespace"]
    problems = validate(doc)
    assert problems and problems[0].test == "schema"
    assert problems[0].path == "/document/publisher"


def test_manufacturer_without_website_is_refused() -> None:
    with pytest.raises(InputError, match="publisher namespace"):
        build_csaf(EXPLOITED, MANUFACTURER.model_copy(update={"website": None}))
