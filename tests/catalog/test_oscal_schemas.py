"""OSCAL output against NIST's own JSON schemas (../shared/data/oscal-schemas), besides the
compliance-trestle models (OSCAL 1.1.3) used in test_export.

What is covered: NIST commits generated JSON schemas to the OSCAL repository only up to release
1.0.6; from 1.1.0 on they are release assets, not available here. Our documents declare OSCAL
1.1.3. So:

- against **1.0.6** (draft-07, closed objects) the catalog export and the assessment-results
  report must validate with no error at all: every property we write exists in 1.0.6 with the
  same shape and constraints (tokens, UUIDs, date-times, URIs, required fields);
- against **1.0.0-rc1** (a release candidate), the catalog must validate except for one known
  difference: rc1 allowed only random (version 4) UUIDs, while 1.0.0 and later allow the
  name-based version 5 UUIDs we use to make exports reproducible. The assessment-results model
  changed shape between rc1 and 1.0.0 (e.g. ``include-all``, ``collected``), so rc1 does not
  apply to it.

The schemas' patterns use Unicode property escapes (``\\p{L}``) that Python's ``re`` does not
support, so patterns are matched with the ``regex`` package, as the schemas intend.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import validators

from steward.catalog.export import to_oscal
from steward.catalog.loader import load_catalog
from steward.collect import collect_facts
from steward.evaluate.assess import evaluate_facts
from steward.evaluate.report import to_oscal as assessment_to_oscal


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Any
) -> Any:  # jsonschema keyword callback
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})


def _errors(shared_data: Path, version: str, model: str, document: Any) -> list[Any]:
    schemas = shared_data / "oscal-schemas" / version / "json" / "schema"
    path = schemas / f"oscal_{model}_schema.json"
    schema = json.loads(path.read_text())
    validator = OscalValidator(schema, format_checker=OscalValidator.FORMAT_CHECKER)
    return list(validator.iter_errors(document))


@pytest.fixture(scope="module")
def assessment_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("widget")
    (root / "README.md").write_text("# Widget\n")
    (root / "SECURITY.md").write_text("Report to security@widget.example.org.\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assessment = evaluate_facts(collect_facts(root))
    document: dict[str, Any] = json.loads(assessment_to_oscal(assessment))
    return document


def test_catalog_validates_against_oscal_1_0_6(shared_data: Path) -> None:
    document = to_oscal(load_catalog())
    assert document["catalog"]["metadata"]["oscal-version"] == "1.1.3"
    assert _errors(shared_data, "v1.0.6", "catalog", document) == []


def test_catalog_against_1_0_0_rc1_differs_only_in_uuid_version(shared_data: Path) -> None:
    errors = _errors(shared_data, "at-index-commit-b1bdb05", "catalog", to_oscal(load_catalog()))
    assert errors, "rc1 accepted only version-4 UUIDs; the export uses version 5"
    assert all(
        e.validator == "pattern" and "-4[0-9A-Fa-f]{3}-" in e.validator_value for e in errors
    )
    assert {str(e.absolute_path[-1]) for e in errors} == {"uuid"}


def test_assessment_results_validate_against_oscal_1_0_6(
    shared_data: Path, assessment_results: dict[str, Any]
) -> None:
    assert assessment_results["assessment-results"]["metadata"]["oscal-version"] == "1.1.3"
    assert _errors(shared_data, "v1.0.6", "assessment-results", assessment_results) == []
    # the complete schema (every model in one) agrees
    assert _errors(shared_data, "v1.0.6", "complete", assessment_results) == []


def test_nist_schema_catches_broken_documents(
    shared_data: Path, assessment_results: dict[str, Any]
) -> None:
    catalog = to_oscal(load_catalog())
    broken = copy.deepcopy(catalog)
    broken["catalog"]["groups"][0]["controls"][0]["id"] = "9 not a token"
    assert _errors(shared_data, "v1.0.6", "catalog", broken)
    broken = copy.deepcopy(catalog)
    broken["catalog"]["metadata"]["colour"] = "red"
    assert _errors(shared_data, "v1.0.6", "catalog", broken)
    broken = copy.deepcopy(assessment_results)
    broken["assessment-results"]["results"][0]["start"] = "yesterday"
    assert _errors(shared_data, "v1.0.6", "assessment-results", broken)
    broken = copy.deepcopy(assessment_results)
    del broken["assessment-results"]["import-ap"]
    assert _errors(shared_data, "v1.0.6", "assessment-results", broken)
