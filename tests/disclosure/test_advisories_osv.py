"""OSV records from cases, validated against the official OSV schema (../shared/data/osv-schema)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from steward.disclosure.advisories.osv import build_osv
from steward.disclosure.model import AffectedProduct
from steward.errors import InputError
from tests.disclosure.cases import EXPLOITED, INCIDENT, MANUFACTURER


@pytest.fixture(scope="module")
def osv_validator(shared_data: Path) -> Draft202012Validator:
    schema = json.loads((shared_data / "osv-schema" / "schema.json").read_text())
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, record: dict) -> list[str]:
    return [e.message for e in validator.iter_errors(record)]


def test_exploited_case_is_valid_osv(osv_validator: Draft202012Validator) -> None:
    record = build_osv(EXPLOITED, MANUFACTURER)
    assert errors(osv_validator, record) == []
    assert record["id"] == "x_STW-2026-0007"
    assert record["aliases"] == ["CVE-2026-31415", "GHSA-2c7x-9m4v-qx8p"]
    assert record["severity"] == [
        {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H"}
    ]
    (affected,) = record["affected"]
    assert affected["package"] == {
        "ecosystem": "PyPI",
        "name": "example-archive",
        "purl": "pkg:pypi/example-archive",
    }
    assert [r["events"] for r in affected["ranges"]] == [
        [{"introduced": "1.0"}, {"fixed": "1.4.2"}],
        [{"introduced": "2.0"}, {"fixed": "2.3.1"}],
    ]
    assert {r["type"] for r in record["references"]} == {"ADVISORY", "FIX"}
    assert record["credits"][0]["name"] == "Jane Researcher"


def test_registered_prefix_and_go_semver(osv_validator: Draft202012Validator) -> None:
    case = EXPLOITED.model_copy(
        update={
            "products": (
                AffectedProduct(
                    name="github.com/example/archive",
                    purl="pkg:golang/github.com/example/archive",
                    affected=("<=v1.9.3", "==v2.0.0"),
                ),
            )
        }
    )
    record = build_osv(case, advisory_id="GO-2026-4242")
    assert errors(osv_validator, record) == []
    (affected,) = record["affected"]
    assert affected["package"]["ecosystem"] == "Go"
    assert affected["package"]["name"] == "github.com/example/archive"
    assert affected["ranges"] == [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "1.9.3"}]}
    ]
    assert affected["versions"] == ["2.0.0"]


def test_reporter_without_credit_is_not_named(osv_validator: Draft202012Validator) -> None:
    reporter = EXPLOITED.reporter.model_copy(update={"credit": False})
    record = build_osv(EXPLOITED.model_copy(update={"reporter": reporter}))
    assert "credits" not in record
    assert errors(osv_validator, record) == []


def test_product_without_identity_is_refused() -> None:
    case = INCIDENT.model_copy(
        update={"products": (AffectedProduct(name="appliance firmware", affected=("<4.2",)),)}
    )
    with pytest.raises(InputError, match=r"is not a package.*CSAF"):
        build_osv(case)


def test_invalid_cvss_is_refused() -> None:
    case = EXPLOITED.model_copy(update={"cvss_vector": "CVSS:3.1/AV:Q/AC:L"})
    with pytest.raises(InputError, match="invalid CVSS vector"):
        build_osv(case)


def test_the_shipped_osv_schema_is_the_official_one(shared_data: Path) -> None:
    from importlib.resources import files

    shipped = json.loads((files("steward.disclosure") / "schemas" / "osv.schema.json").read_text())
    assert shipped == json.loads((shared_data / "osv-schema" / "schema.json").read_text())


def test_generated_records_pass_the_pre_write_validation() -> None:
    from steward.disclosure.advisories.schemas import osv_problems

    assert osv_problems(build_osv(EXPLOITED, MANUFACTURER)) == []
    broken = build_osv(EXPLOITED, MANUFACTURER)
    broken["affected"][0]["package"]["ecosystem"] = "pypi"
    assert any(p.startswith("/affected/0/package/ecosystem") for p in osv_problems(broken))
