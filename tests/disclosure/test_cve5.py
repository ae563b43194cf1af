"""CVE JSON 5 records, validated against the CVE 5.1.1 record schema shipped by cvelib."""

from __future__ import annotations

import json
from pathlib import Path

import cvelib
import pytest
from jsonschema import Draft7Validator

from steward.disclosure.advisories.cve5 import build_cve5
from steward.errors import InputError
from tests.disclosure.cases import EXPLOITED, INCIDENT, MANUFACTURER

ORG = "b3476cb9-2e3d-41a6-98d0-0f47421a65b6"


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    path = Path(cvelib.__file__).parent / "schemas" / "CVE_JSON_bundled_5.1.1.json"
    return Draft7Validator(json.loads(path.read_text()))


def test_record_is_valid(validator: Draft7Validator) -> None:
    record = build_cve5(EXPLOITED, MANUFACTURER, cna_org_id=ORG, cna_short_name="exarch")
    assert [e.message for e in validator.iter_errors(record)] == []
    assert record["cveMetadata"]["cveId"] == "CVE-2026-31415"
    cna = record["containers"]["cna"]
    assert cna["affected"][0]["versions"][:2] == [
        {"version": "1.0", "lessThan": "1.4.2", "status": "affected", "versionType": "python"},
        {"version": "2.0", "lessThan": "2.3.1", "status": "affected", "versionType": "python"},
    ]
    assert cna["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-22"
    assert cna["metrics"][0]["cvssV3_1"]["baseScore"] == 8.1
    assert cna["credits"] == [{"lang": "en", "value": "Jane Researcher", "type": "finder"}]


def test_cvss4_metric_is_valid(validator: Draft7Validator) -> None:
    case = EXPLOITED.model_copy(
        update={"cvss_vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N"}
    )
    record = build_cve5(case, MANUFACTURER, cna_org_id=ORG, cna_short_name="exarch")
    assert [e.message for e in validator.iter_errors(record)] == []
    assert "cvssV4_0" in record["containers"]["cna"]["metrics"][0]


def test_needs_a_cve_id_and_a_reference() -> None:
    with pytest.raises(InputError, match="no CVE id"):
        build_cve5(INCIDENT, MANUFACTURER, cna_org_id=ORG, cna_short_name="exarch")
    case = EXPLOITED.model_copy(update={"references": ()})
    with pytest.raises(InputError, match="reference"):
        build_cve5(case, MANUFACTURER, cna_org_id=ORG, cna_short_name="exarch")
