"""Security Insights 2.0-2.2: validation by declared schema version, and what a valid file
answers (self-written fixtures; field rules transcribed from the specification's CUE schema,
ossf/security-insights spec/schema.cue at v2.2.0, and schema.cue at v2.1.0 and v2.0.0)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from steward.collect import collect_facts
from steward.evaluate.assess import evaluate_facts
from steward.evaluate.model import Status
from steward.insights import SecurityInsights, answers

MULTI_REPO_22 = """\
header:
  schema-version: 2.2.0
  last-updated: 2026-11-01
  last-reviewed: 2026-11-01
  url: https://forge.example.org/widget/widget/raw/main/security-insights.yml
project:
  name: Widget
  homepage: https://widget.example.org
  administrators:
    - {name: Ada Admin, primary: true, email: ada@widget.example.org}
  repositories:
    - {name: widget, url: https://forge.example.org/widget/widget, comment: the library}
    - {name: widget-cli, url: https://forge.example.org/widget/widget-cli, comment: the CLI}
  documentation:
    design: https://widget.example.org/design
  vulnerability-reporting:
    reports-accepted: true
    bug-bounty-available: false
    policy: https://widget.example.org/security
    contact: {name: Widget security team, primary: true, email: security@widget.example.org}
    pgp-key: https://widget.example.org/security.asc
repository:
  url: https://forge.example.org/widget/widget
  status: active
  accepts-change-request: true
  accepts-automated-change-request: true
  core-team:
    - {name: Ada Admin, primary: true}
    - {name: Bo Builder, primary: false}
  license: {url: https://forge.example.org/widget/widget/LICENSE, expression: Apache-2.0}
  security:
    assessments:
      self: {comment: Threat model of the parser, evidence: https://widget.example.org/tm}
  release:
    automated-pipeline: true
    distribution-points:
      - {uri: https://pypi.org/project/widget, comment: PyPI}
"""


def _doc(**edits: Any) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(MULTI_REPO_22)
    for path, value in edits.items():
        *parents, last = path.split("__")
        node = doc
        for key in parents:
            node = node[key.replace("_", "-")]
        if value is None:
            del node[last.replace("_", "-")]
        else:
            node[last.replace("_", "-")] = value
    return doc


def _as(version: str, doc: dict[str, Any]) -> dict[str, Any]:
    doc["header"]["schema-version"] = version
    return doc


def test_a_2_2_file_validates_and_answers_what_it_states() -> None:
    si = SecurityInsights.model_validate(_doc())
    assert si.reporting_policy == "https://widget.example.org/security"
    by_id = {a.requirement_id: a for a in answers(si)}
    gov08 = by_id["STW-GOV-08"]
    assert gov08.status == "met" and gov08.key == "project.repositories"
    assert "widget-cli" in gov08.evidence and "2 codebase(s)" in gov08.evidence
    assert by_id["STW-VUL-16"].evidence.endswith("security@widget.example.org")
    assert by_id["STW-VUL-17"].key == "project.vulnerability-reporting.pgp-key"
    assert by_id["STW-REL-08"].status == "met"
    assert set(by_id) >= {"STW-GOV-01", "STW-QA-10", "STW-REL-09"}


def test_2_0_and_2_1_files_are_read_with_their_own_field_names() -> None:
    for version in ("2.0.0", "2.1.0"):
        doc = _as(version, _doc(project__documentation=None))
        reporting = doc["project"]["vulnerability-reporting"]
        reporting["security-policy"] = reporting.pop("policy")
        si = SecurityInsights.model_validate(doc)
        assert si.reporting_policy == "https://widget.example.org/security"
    empty_lists = _as("2.0.0", _doc(project__documentation=None, project__administrators=[]))
    empty_lists["project"]["vulnerability-reporting"].pop("policy")
    SecurityInsights.model_validate(empty_lists)  # 2.0.0 allowed empty lists


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (_as("2.3.0", _doc()), "2.3.0 is not supported"),
        (_as("1.0.0", _doc()), "1.0.0 is not supported"),
        (_as("2.1.0", _doc(project__documentation=None)), "policy: new in 2.2.0"),
        (_as("2.1.0", _doc()), "design: new in 2.2.0"),
        (_doc(project__administrators=[]), "project.administrators: at least one entry"),
        (_doc(repository__core_team=[]), "repository.core-team: at least one entry"),
        (_doc(project__homepage="widget.example.org"), "homepage"),
        (_doc(repository__status="retired"), "status"),
        (_doc(project__vulnerability_reporting__contact={"name": "x"}), "primary"),
        (_doc(project__repositories=[{"name": "w", "url": "https://x.org/w"}]), "comment"),
        (_doc(project__unknown_key="x"), "unknown-key"),
        (_doc(header__last_updated="yesterday"), "last-updated"),
    ],
)
def test_invalid_files_are_refused_with_the_field(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SecurityInsights.model_validate(doc)


def test_renamed_field_in_2_2_is_reported() -> None:
    doc = _doc()
    doc["project"]["vulnerability-reporting"]["security-policy"] = "https://w.example.org/s"
    with pytest.raises(ValidationError, match=r"renamed to 'policy' in 2\.2\.0"):
        SecurityInsights.model_validate(doc)


def _repo(tmp_path: Path, insights: str) -> Path:
    root = tmp_path / "widget"
    root.mkdir()
    (root / "security-insights.yml").write_text(insights)
    (root / "README.md").write_text("# Widget\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_assessment_takes_gov_08_from_a_valid_file(tmp_path: Path) -> None:
    facts = collect_facts(_repo(tmp_path, MULTI_REPO_22))
    finding = evaluate_facts(facts, only={"STW-GOV-08"}).finding("STW-GOV-08")
    assert finding is not None and finding.status == Status.PASS and finding.attested
    assert "project.repositories" in finding.evidence[0].detail
    assert finding.evidence[0].source.endswith("security-insights.yml")


def test_an_invalid_file_answers_nothing(tmp_path: Path) -> None:
    broken = MULTI_REPO_22.replace("schema-version: 2.2.0", "schema-version: 2.1.0")
    facts = collect_facts(_repo(tmp_path, broken))
    assert facts.insights is not None and facts.insights.model is None
    assert "new in 2.2.0" in (facts.insights.error or "")
    finding = evaluate_facts(facts, only={"STW-GOV-08"}).finding("STW-GOV-08")
    assert finding is not None and finding.status == Status.NEEDS_ATTESTATION
