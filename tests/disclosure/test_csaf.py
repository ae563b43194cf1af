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
from tests.disclosure.cases import EXPLOITED, GATEWAY, INCIDENT, MANUFACTURER


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


# ------------------------------------------------------------------ issue 15, items 3, 8, 9


def _corpus_files(shared_data: Path, groups: tuple[str, ...]) -> list[tuple[str, Path, bool]]:
    base = shared_data / "csaf-2.0" / "test" / "validator" / "data"
    cases = json.loads((base / "testcases.json").read_text())
    return [
        (test["id"], base / item["name"], kind == "valid")
        for test in cases["tests"]
        if test["id"].startswith(groups)
        for kind in ("failures", "valid")
        for item in test.get(kind, [])
    ]


# Failing examples of optional tests 6.2.8 / 6.2.9 (MD5 / SHA-1 as the only hash algorithm)
# list the same algorithm twice in one file_hashes item, which mandatory test 6.1.25 forbids;
# the OASIS reference validator (secvisogram's csaf-validator-lib) rejects them the same way.
ALSO_VIOLATE_A_MANDATORY_TEST = {
    "oasis_csaf_tc-csaf_2_0-2021-6-2-08-02.json": "6.1.25",
    "oasis_csaf_tc-csaf_2_0-2021-6-2-09-02.json": "6.1.25",
}


def test_optional_and_informative_test_documents_are_valid_csaf(shared_data: Path) -> None:
    files = _corpus_files(shared_data, ("6.2.", "6.3."))
    assert len(files) == 92
    wrong = []
    for _test_id, path, _valid in files:
        problems = validate(json.loads(path.read_text()))
        expected = ALSO_VIOLATE_A_MANDATORY_TEST.get(path.name)
        if expected is None and problems:
            wrong.append(f"{path.name}: {problems[0]}")
        if expected is not None and {p.test for p in problems} != {expected}:
            wrong.append(f"{path.name}: expected only {expected}, got {problems}")
    assert wrong == []


def test_6_1_10_compares_only_the_metrics_the_vector_states(shared_data: Path) -> None:
    base = shared_data / "csaf-2.0" / "test" / "validator" / "data"
    doc = json.loads((base / "optional" / "oasis_csaf_tc-csaf_2_0-2021-6-2-19-12.json").read_text())
    assert mandatory_problems(doc, ["6.1.10"]) == []  # modified metrics absent from the vector
    cvss = doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    cvss["vectorString"] += "/MC:H"
    assert [p.path.rsplit("/", 1)[1] for p in mandatory_problems(doc, ["6.1.10"])] == [
        "modifiedConfidentialityImpact"
    ]


def test_schema_verdicts_match_the_reference_python_validator(shared_data: Path) -> None:
    from importlib.resources import files as package_files

    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource

    base = package_files("csaf_lib.verification.schemas")
    registry: Registry = Registry()
    for name, url in (
        ("cvss_v2_0.json", "https://www.first.org/cvss/cvss-v2.0.json"),
        ("cvss_v3_0.json", "https://www.first.org/cvss/cvss-v3.0.json"),
        ("cvss_v3_1.json", "https://www.first.org/cvss/cvss-v3.1.json"),
    ):
        contents = json.loads(base.joinpath(name).read_bytes())
        registry = registry.with_resource(url, Resource.from_contents(contents))
    reference = Draft202012Validator(
        json.loads(base.joinpath("csaf_2_0.json").read_bytes()),
        registry=registry,
        format_checker=FormatChecker(),
    )
    documents = [
        p for p in (shared_data / "csaf-2.0").rglob("*.json") if p.name != "testcases.json"
    ]
    documents = [p for p in documents if "json_schema" not in p.parts]
    assert len(documents) > 200
    for path in documents:
        doc = json.loads(path.read_text())
        broken = copy.deepcopy(doc)
        if isinstance(broken.get("document"), dict):
            broken["document"]["tracking"] = {"id": 5, "current_release_date": "yesterday"}
        for candidate in (doc, broken):
            ours = sorted(p.path for p in schema_problems(candidate))
            theirs = sorted(
                "/" + "/".join(map(str, e.path)) for e in reference.iter_errors(candidate)
            )
            assert bool(ours) == bool(theirs), path.name
            assert set(ours) == set(theirs), path.name


def test_a_product_affected_through_a_component(shared_data: Path) -> None:
    doc = build_csaf(GATEWAY, MANUFACTURER, profile=CsafProfile.VEX)
    assert validate(doc) == []
    tree = doc["product_tree"]
    vendor = tree["branches"][0]
    assert vendor["name"] == MANUFACTURER.name
    product = vendor["branches"][0]
    assert product["name"] == "Acme Gateway"
    assert [b["name"] for b in product["branches"]] == ["3.2.0", "3.2.1"]
    component = tree["full_product_names"][0]
    assert component["name"] == "urllib3 1.26.15"
    assert component["product_identification_helper"]["purl"] == "pkg:pypi/urllib3@1.26.15"
    (relation,) = tree["relationships"]
    assert relation["category"] == "default_component_of"
    assert relation["product_reference"] == component["product_id"]
    assert (
        relation["relates_to_product_reference"] == product["branches"][0]["product"]["product_id"]
    )
    vuln = doc["vulnerabilities"][0]
    assert vuln["product_status"]["known_affected"] == [relation["full_product_name"]["product_id"]]
    assert vuln["product_status"]["fixed"] == [product["branches"][1]["product"]["product_id"]]
    assert vuln["remediations"][0]["details"].startswith("Update to 3.2.1 or later.")
    assert any("urllib3 1.26.15 (fixed upstream in 1.26.17)" in n["text"] for n in vuln["notes"])


def test_fixed_in_is_named_per_affected_branch() -> None:
    doc = build_csaf(EXPLOITED, MANUFACTURER)
    remediations = {
        r["details"].split(" or later")[0]: r["product_ids"]
        for r in doc["vulnerabilities"][0]["remediations"]
        if r["category"] == "vendor_fix"
    }
    assert remediations == {
        "Update to 1.4.2": ["CSAFPID-0001"],
        "Update to 2.3.1": ["CSAFPID-0002"],
    }
    open_ended = EXPLOITED.model_copy(
        update={
            "products": (
                EXPLOITED.products[0].model_copy(
                    update={"affected": (">=1.0,<1.4.2", ">=2.0"), "fixed": ("1.4.2",)}
                ),
            ),
            "user_mitigations": (),
        }
    )
    doc = build_csaf(open_ended, MANUFACTURER, profile=CsafProfile.VEX)
    assert validate(doc) == []
    categories = {
        r["category"]: r["product_ids"] for r in doc["vulnerabilities"][0]["remediations"]
    }
    assert categories == {"vendor_fix": ["CSAFPID-0001"], "none_available": ["CSAFPID-0002"]}


def test_a_published_advisory_is_tlp_clear_whatever_the_report_sensitivity() -> None:
    amber = EXPLOITED.model_copy(update={"sensitivity": "TLP:AMBER"})
    doc = build_csaf(amber, MANUFACTURER)
    assert doc["document"]["tracking"]["status"] == "final"
    assert doc["document"]["distribution"]["tlp"]["label"] == "WHITE"
    assert doc["document"]["distribution"]["text"].startswith("TLP:CLEAR")


def test_optional_tests_agree_with_the_oasis_corpus(shared_data: Path) -> None:
    from steward.disclosure.advisories.csaf_optional import OPTIONAL, optional_problems

    files = _corpus_files(shared_data, ("6.2.",))
    assert {test_id for test_id, _, _ in files} == set(OPTIONAL)
    disagreements = []
    for test_id, path, valid in files:
        problems = optional_problems(json.loads(path.read_text()), [test_id])
        if bool(problems) == valid:
            disagreements.append(f"{test_id} {path.name}: {problems or 'no warning'}")
    assert len(files) == 51
    assert disagreements == []


def test_our_documents_pass_the_optional_tests_they_can() -> None:
    from steward.disclosure.advisories.csaf_optional import optional_problems

    url = "https://example-archive.org/.well-known/csaf/white/2026/stw-2026-0007.json"
    doc = build_csaf(EXPLOITED, MANUFACTURER, canonical_url=url)
    assert validate(doc) == [] and optional_problems(doc) == []
    assert doc["document"]["references"][0] == {
        "category": "self",
        "summary": "Canonical URL",
        "url": url,
    }
    gateway = build_csaf(
        GATEWAY,
        MANUFACTURER,
        canonical_url="https://acme.example/csaf/acme-2026-0003.json",
    )
    assert optional_problems(gateway) == []
    # without a CVSS score the affected products have none: 6.2.3 says so, nothing invents one
    assert {p.test for p in optional_problems(build_csaf(INCIDENT, MANUFACTURER))} == {
        "6.2.3",
        "6.2.11",
    }
    with pytest.raises(InputError, match=r"stw-2026-0007\.json"):
        build_csaf(EXPLOITED, MANUFACTURER, canonical_url="https://example.org/advisory.json")
