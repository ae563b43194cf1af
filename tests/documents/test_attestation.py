"""The Art. 25 attestation in the ORC template-lite JSON: valid against the working group's
schema when complete, and never complete by guessing a control."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from steward.documents import attestation
from steward.documents.inputs import Inputs, Sourced, gather
from steward.evaluate.model import Status
from steward.projectconfig import parse_project_config
from tests.documents.project import ANSWERS, make_project

ORC = "orc/cra-attestations/proposals"
#: what the widget project's evidence cannot establish: the contribution quality standard
#: (STW-GOV-04) and the licence of released assets (STW-LEG-03) need attestation, change
#: review (STW-QA-04) needs forge data
UNDECIDED = {"GV.02", "LE.01", "QA.07"}
DECIDED = {
    "GV.02": {"status": "met"},
    "LE.01": {"status": "met", "evidence_url": "https://github.com/acme/widget/blob/main/LICENSE"},
    "QA.07": {"applies": True, "status": "met",
              "evidence_url": "https://github.com/acme/widget/settings/rules"},
}  # fmt: skip


def _validator(shared_data: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads((shared_data / ORC / "template-lite.schema.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _inputs(root: Path) -> Inputs:
    return gather(root, role="project")


def test_the_schema_check_is_wired(shared_data: Path) -> None:
    validator = _validator(shared_data)
    example = json.loads((shared_data / ORC / "template-lite.example.json").read_text())
    validator.validate(example)
    broken = copy.deepcopy(example)
    del broken["controls"]["VM.02"]
    assert not validator.is_valid(broken)


def test_complete_attestation_is_valid_template_lite(tmp_path: Path, shared_data: Path) -> None:
    answers = copy.deepcopy(ANSWERS)
    answers["attestation"]["controls"].update(DECIDED)
    root = make_project(tmp_path / "widget", shared_data, answers=answers)
    result = attestation.build(_inputs(root))
    assert result.complete, [(m.ref, m.what) for m in result.missing]
    _validator(shared_data).validate(result.data)
    data = result.data
    assert data["template"] == "template-lite" and data["template_revision"] == "0.1"
    assert data["projects"] == [
        {"name": "widget", "url": "https://github.com/acme/widget",
         "valid_for_versions": "1.0.0", "valid_for_dates": "2026-11-29 to 2027-11-28"}
    ]  # fmt: skip
    controls = data["controls"]
    assert set(controls) == set(attestation.CONTROLS)
    # met controls point at the evidence, in the assessed revision
    assert controls["QA.03"]["status"] == "met"
    assert re.match(r"^https://github.com/acme/widget/blob/[0-9a-f]{40}/SECURITY.md$",
                    controls["QA.03"]["evidence_url"])  # fmt: skip
    assert controls["QA.02"]["evidence_url"] == "https://github.com/acme/widget"
    assert controls["VM.01"] == {
        "status": "met",
        "reporting_contact": "security@acme.example",
        "private_reporting_url": "https://github.com/acme/widget/security/advisories/new",
    }
    assert controls["QA.01"]["checksums_present"] is True  # uv.lock carries hashes
    # a requirement that fails makes the control not met (no release verification docs)
    assert controls["BR.03"]["status"] == "not_met"
    assert "STW-REL-07: release verification instructions: not found" in controls["BR.03"]["note"]
    # answers replace the assessment's verdict
    assert controls["QA.05"] == {"applies": False, "status": "not_applicable",
                                 "note": "pure Python, no native code"}  # fmt: skip
    assert controls["GV.02"] == {"status": "met"}


def test_controls_the_assessment_cannot_establish_are_missing(
    tmp_path: Path, shared_data: Path
) -> None:
    root = make_project(tmp_path / "widget", shared_data, answers=ANSWERS)
    result = attestation.build(_inputs(root))
    assert not result.complete
    assert {m.ref for m in result.missing} == UNDECIDED
    assert UNDECIDED.isdisjoint(result.data["controls"])
    reasons = {m.ref: m.what for m in result.missing}
    assert "the assessment cannot establish it (STW-GOV-04:" in reasons["GV.02"]
    assert all(m.supply.startswith("answer cra.attestation.controls.") for m in result.missing)
    # the draft is not valid: an absent control differs from not_met
    assert not _validator(shared_data).is_valid(result.data)
    md_missing = {m.ref for m in result.document.missing()}
    assert md_missing >= UNDECIDED


def test_without_answers_the_authorship_is_missing(tmp_path: Path, shared_data: Path) -> None:
    root = make_project(tmp_path / "widget", shared_data)
    result = attestation.build(_inputs(root))
    refs = {m.ref for m in result.missing}
    assert {"AU.01", "AU.02", "AU.03"} <= refs
    assert "issuer" not in result.data and "contact" not in result.data
    assert {"LE.02", "QA.05"} <= refs  # no requirement decides them: the project's answer
    # Reproducer: "valid for versions" was filled with the checkout's version (3.1.0.dev on a
    # real repository): what an attestation covers is the issuer's statement, never a default
    versions = next(i for s in result.document.sections for i in s.items
                    if i.label == "Project valid for versions")  # fmt: skip
    assert versions.value is None
    assert "answer cra.attestation.valid_for_versions" in versions.supply


@pytest.mark.parametrize(
    ("control", "answer", "problem"),
    [
        ("QA.05", {"status": "met"}, "whether it applies"),
        ("QA.05", {"applies": False, "status": "met"}, "must be not_applicable"),
        ("GV.01", {"status": "met"}, "met needs an evidence_url"),
        ("GV.01", {"status": "not_applicable"}, "needs a note"),
        ("LE.02", {"status": "not_met"}, "needs an explanation"),
        ("VM.01", {"status": "met", "evidence_url": "https://x.example"}, "reporting_contact"),
        ("QA.01", {"status": "met", "evidence_url": "https://x.example"}, "checksums_present"),
        ("GV.02", {"status": "met", "applies": True}, "only for the conditional"),
    ],
)
def test_answers_must_have_the_shape_their_control_needs(
    control: str, answer: dict[str, Any], problem: str
) -> None:
    body = json.dumps({"cra": {"attestation": {"controls": {control: answer}}}})
    config = parse_project_config(body)
    inputs = Inputs(generated_at=dt.datetime.now(dt.UTC), config=config)
    result = attestation.build(inputs)
    found = next(m for m in result.missing if m.ref == control)
    assert problem in found.what


def test_a_failing_or_accepted_requirement_is_not_met(full_project: Path) -> None:
    inputs = gather(full_project, role="project")
    assessment = inputs.assessment
    assert assessment is not None
    findings = tuple(
        f.model_copy(update={"status": Status.FAIL, "message": "no CHANGELOG"})
        if f.requirement_id == "STW-REL-03"
        else f
        for f in assessment.findings
    )
    changed = assessment.model_copy(update={"findings": findings})
    result = attestation.build(
        Inputs(
            generated_at=inputs.generated_at,
            config=inputs.config,
            assessments=[(changed, Sourced("x"))],
            sbom=inputs.sbom,
        )
    )
    assert result.data["controls"]["BR.04"] == {
        "status": "not_met",
        "note": "STW-REL-03: no CHANGELOG",
    }


def test_without_a_repository_address_evidenced_controls_are_missing(
    tmp_path: Path, shared_data: Path
) -> None:
    root = make_project(tmp_path / "widget", shared_data, answers=ANSWERS)
    subprocess.run(["git", "-C", str(root), "remote", "remove", "origin"], check=True)
    result = attestation.build(_inputs(root))
    reasons = {m.ref: m.what for m in result.missing}
    assert "no web address for the evidence" in reasons["GV.01"]
    assert "QA.06" not in reasons  # a confirmed control needs no address


def test_the_written_json_and_the_packed_one_are_valid(
    cli, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a user gets on disk: `steward docs art25-attestation -o FILE`, and the same JSON
    in a steward's evidence pack, both valid template-lite."""
    import zipfile

    answers = copy.deepcopy(ANSWERS)
    answers["attestation"]["controls"].update(DECIDED)
    answers["scope"] = {"eu_market": True, "excluded_sector": False, "contributor_only": False,
                        "charges_price": False, "paid_support_beyond_costs": False,
                        "monetised_platform": False, "personal_data_beyond_security": False,
                        "donations_for_profit": False, "free_open_source": True,
                        "legal_person": True, "sustained_support": True}  # fmt: skip
    root = make_project(tmp_path / "widget", shared_data, answers=answers)
    out = tmp_path / "attestation.json"
    result = cli("docs", "art25-attestation", str(root), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    validator = _validator(shared_data)
    written = json.loads(out.read_text())
    validator.validate(written)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764374400")
    pack = tmp_path / "pack.zip"
    assert cli("evidence", "pack", str(root), "-o", str(pack)).exit_code == 0
    with zipfile.ZipFile(pack) as zf:
        names = zf.namelist()
        packed = json.loads(zf.read("documents/art25-attestation.json"))
    assert "documents/art24-policy.md" in names  # the steward's documents
    validator.validate(packed)
    assert packed["controls"] == written["controls"]
