"""Gemara EvaluationLog output, validated against a hand transcription of the Gemara v1.4.1
CUE schema (tests/evaluate/data/gemara-1.4.1-evaluation-log.schema.json)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from steward.catalog.loader import load_catalog
from steward.collect import collect_facts
from steward.errors import UsageError
from steward.evaluate.assess import evaluate_facts
from steward.evaluate.gemara import GEMARA_VERSION, aggregate, result_of, to_gemara
from steward.evaluate.model import Assessment

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "gemara-1.4.1-evaluation-log.schema.json").read_text()
)


def validate(document: dict[str, Any]) -> None:
    """Schema validation plus the CUE constraint JSON Schema cannot say: every assessment
    log's requirement refers to the same reference as its control."""
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    for evaluation in document["evaluations"]:
        reference = evaluation["control"]["reference-id"]
        for log in evaluation["assessment-logs"]:
            assert log["requirement"].get("reference-id", reference) == reference


@pytest.fixture(scope="module")
def assessment(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    root = tmp_path_factory.mktemp("widget")
    (root / "README.md").write_text("# Widget\n\nA widget.\n")
    (root / "SECURITY.md").write_text(
        "# Security\n\nReport vulnerabilities to security@widget.example.org.\n"
    )
    (root / "steward.yml").write_text(
        "attestations:\n  STW-VUL-06: {status: met, evidence: https://widget.example.org/team}\n"
        "accept:\n  - requirement: STW-LEG-02\n    reason: licence kept in the release archive\n"
        "    owner: ada@widget.example.org\n    expires: 2099-12-31\n"
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return evaluate_facts(collect_facts(root), only={"VUL", "DOC", "LEG"})


def test_evaluation_log_validates_and_names_versions(assessment: Assessment) -> None:
    document = to_gemara(assessment)
    validate(document)
    metadata = document["metadata"]
    assert metadata["type"] == "EvaluationLog" and metadata["gemara-version"] == GEMARA_VERSION
    references = {r["id"]: r for r in metadata["mapping-references"]}
    assert references["steward"]["version"] == load_catalog().version
    assert references["OSPS-B"]["version"] == load_catalog().framework("osps").version  # type: ignore[union-attr]
    assert len(document["evaluations"]) == len(assessment.findings)


def test_results_steps_and_evidence(assessment: Assessment) -> None:
    document = to_gemara(assessment)
    by_id = {e["control"]["entry-id"]: e for e in document["evaluations"]}
    for finding in assessment.findings:
        evaluation = by_id[finding.requirement_id]
        assert evaluation["result"] == result_of(finding.status.value)
        [log] = evaluation["assessment-logs"]
        assert log["requirement"]["entry-id"] == finding.requirement_id
        assert log["steps"]
    vul01 = by_id["STW-VUL-01"]
    assert vul01["result"] == "Passed"
    assert vul01["control"]["remarks"] == "maps to OSPS-VM-01.01"
    [log] = vul01["assessment-logs"]
    assert log["steps"] == ["steward/probes/security_policy_present"]
    assert log["applicability"] == ["level-1", "level-2", "level-3"]
    assert any(ev["payload"]["source"] == "SECURITY.md" for ev in log["evidence"])
    attested = by_id["STW-VUL-06"]["assessment-logs"][0]
    assert attested["result"] == "Passed" and "steward/attestation" in attested["steps"]
    assert attested["evidence"][0]["type"] == "attestation"
    accepted = by_id["STW-LEG-02"]
    assert accepted["result"] == "Failed"
    assert "[accepted: licence kept in the release archive" in accepted["message"]
    needs = [e for e in document["evaluations"] if e["result"] == "Needs Review"]
    assert needs and all("recommendation" in e["assessment-logs"][0] for e in needs)
    assert document["result"] == aggregate([e["result"] for e in document["evaluations"]])


def test_result_mapping_and_aggregate() -> None:
    assert [result_of(s) for s in ("pass", "fail", "not-applicable", "needs-attestation")] == [
        "Passed",
        "Failed",
        "Not Applicable",
        "Needs Review",
    ]
    assert result_of("error") == "Unknown" and result_of("accepted") == "Failed"
    assert result_of("some-future-status") == "Needs Review"
    assert aggregate(["Passed", "Needs Review", "Not Applicable"]) == "Needs Review"
    assert aggregate(["Passed", "Failed", "Unknown"]) == "Failed"
    assert aggregate(["Not Applicable"]) == "Not Applicable" and aggregate([]) == "Not Run"


def test_schema_catches_broken_documents(assessment: Assessment) -> None:
    document = to_gemara(assessment)
    for breakage in (
        lambda d: d["metadata"].pop("author"),
        lambda d: d.update(result="Pass"),
        lambda d: d["evaluations"][0]["assessment-logs"][0].update(steps=[]),
        lambda d: d["evaluations"][0]["control"].pop("entry-id"),
        lambda d: d["target"].update(kind="repo"),
        lambda d: d["metadata"].update(date="29.11.2026"),
        lambda d: d.update(evaluations=[]),
    ):
        broken = copy.deepcopy(document)
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_self_written_scanner_style_log_validates() -> None:
    """A positive control in the style the OSPS Baseline scanner writes (the requirement
    inherits its reference from the control, timestamps with nanoseconds)."""
    validate(
        {
            "metadata": {
                "id": "scan",
                "type": "EvaluationLog",
                "gemara-version": "1.4.1",
                "description": "example scan",
                "author": {"id": "scanner", "name": "Scanner", "type": "Software"},
            },
            "target": {"id": "repo", "name": "Repository", "type": "Software"},
            "result": "Failed",
            "evaluations": [
                {
                    "name": "",
                    "result": "Failed",
                    "message": "no policy",
                    "control": {"reference-id": "OSPS-B", "entry-id": "OSPS-VM-01"},
                    "assessment-logs": [
                        {
                            "requirement": {"entry-id": "OSPS-VM-01.01"},
                            "description": "CVD policy",
                            "result": "Failed",
                            "message": "no policy",
                            "applicability": ["Maturity Level 2"],
                            "steps": ["checks.policy"],
                            "start": "2026-01-02T03:04:05.000000001Z",
                        }
                    ],
                }
            ],
        }
    )


def test_empty_assessment_is_a_usage_error(assessment: Assessment) -> None:
    empty = assessment.model_copy(update={"findings": ()})
    with pytest.raises(UsageError, match="no findings"):
        to_gemara(empty)
