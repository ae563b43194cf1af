"""Assessment reports: SARIF checked against the OASIS schema and GitHub's upload rules, OSCAL
against the NIST models (trestle), Markdown and HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from trestle.oscal.assessment_results import AssessmentResults

from steward.evaluate import Status, assess
from steward.evaluate.model import Assessment
from steward.evaluate.report import to_html, to_markdown, to_oscal, to_sarif
from tests.collect.gitrepo import commit, init
from tests.evaluate.repos import RELEASE_LINE, make_repo, pinned_repo  # noqa: F401 - fixture
from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture
from tests.sarif_github import assert_uploadable

KIND = {
    Status.FAIL: "fail",
    Status.ACCEPTED: "fail",
    Status.ERROR: "open",
    Status.NEEDS_ATTESTATION: "review",
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
}


@pytest.fixture
def assessment(good_repo: Path) -> Assessment:  # noqa: F811
    (good_repo / "README.md").write_text("# <script>alert(1)</script> widget\n")
    return assess(good_repo)


def _results(log: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rid]


def _uri(result: dict[str, Any]) -> str:
    return str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


def test_sarif_locates_every_piece_of_evidence(pinned_repo: Path) -> None:  # noqa: F811
    a = assess(pinned_repo)
    log = assert_uploadable(to_sarif(a), str(pinned_repo), str(pinned_repo.parent))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(f.requirement_id for f in a.findings)
    bld04 = a.finding("STW-BLD-04")
    assert bld04 is not None and bld04.status is Status.FAIL and bld04.must
    located = {(_uri(r), r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in _results(log, "STW-BLD-04")}  # fmt: skip
    assert located == {
        (".github/workflows/release.yml", RELEASE_LINE),
        ("my%20service/Dockerfile", 1),
    }
    assert {(r["kind"], r["level"]) for r in _results(log, "STW-BLD-04")} == {("fail", "error")}
    # evidence that is not a file (the unsigned tag's commit) is a logical location
    [tag] = _results(log, "STW-REL-05")
    assert _uri(tag) == "." and "commit" in tag["message"]["text"]
    logical = tag["locations"][0]["logicalLocations"][0]
    assert logical["kind"] == "commit" and len(logical["fullyQualifiedName"]) == 40
    assert not any(" " in _uri(r) or _uri(r).startswith("commit") for r in run["results"])
    # SARIF 3.27.9/3.27.10: the kind follows the status; only fail has a level other than none
    reported = {f.requirement_id: f for f in a.findings if f.status not in (
        Status.PASS, Status.NOT_APPLICABLE)}  # fmt: skip
    assert {r["ruleId"] for r in run["results"]} == set(reported)
    for r in run["results"]:
        f = reported[r["ruleId"]]
        assert r["kind"] == KIND[f.status] and r["properties"]["status"] == f.status.value
        assert r["level"] == (("error" if f.must else "warning") if r["kind"] == "fail" else "none")
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    # an alert keeps its identity when lines move
    moved = (
        (pinned_repo / ".github/workflows/release.yml")
        .read_text()
        .replace("jobs:", "# a comment\njobs:")
    )
    (pinned_repo / ".github/workflows/release.yml").write_text(moved)
    again = json.loads(to_sarif(assess(pinned_repo)))
    before = {
        r["partialFingerprints"]["primaryLocationLineHash"] for r in _results(log, "STW-BLD-04")
    }
    after = {r["partialFingerprints"]["primaryLocationLineHash"]
             for r in _results(again, "STW-BLD-04")}  # fmt: skip
    assert before == after and len(before) == 2


def test_sarif_with_passing_requirements(assessment: Assessment) -> None:
    log = assert_uploadable(to_sarif(assessment, include_passing=True))
    kinds = {r["ruleId"]: (r["kind"], r["level"]) for r in log["runs"][0]["results"]}
    for f in assessment.findings:
        assert kinds[f.requirement_id][0] == KIND[f.status]
    assert ("pass", "none") in kinds.values() and ("notApplicable", "none") in kinds.values()


def test_sarif_errors_are_open_and_problems_are_notifications(tmp_path: Path) -> None:
    root = init(tmp_path / "broken project")
    commit(root, "init", {"README.md": "# x\n", ".github/workflows/ci.yml": "on: [push\njobs: {\n"})
    a = assess(root)
    errors = [f for f in a.findings if f.status is Status.ERROR]
    assert errors
    log = assert_uploadable(to_sarif(a), str(root))
    for f in errors:
        assert {(r["kind"], r["level"]) for r in _results(log, f.requirement_id)} == {
            ("open", "none")
        }
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    where = notes[0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"] == {
        "uri": ".github/workflows/ci.yml",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_of_a_subdirectory_is_relative_to_the_repository_root(cli, tmp_path: Path) -> None:
    repo = init(tmp_path / "mono")
    make_repo(tmp_path / "scratch")  # build the project files, then place them in a subdirectory
    project = repo / "services" / "my api"
    project.mkdir(parents=True)
    for item in (tmp_path / "scratch").iterdir():
        if item.name != ".git":
            item.rename(project / item.name)
    (project / ".github/workflows/release.yml").parent.mkdir(parents=True, exist_ok=True)
    (project / "Dockerfile").write_text("FROM python:3.12\n")
    commit(repo, "import")
    result = cli("assess", str(project), "-f", "sarif")
    assert result.exit_code == 0, result.stderr
    log = assert_uploadable(result.stdout, str(tmp_path))
    uris = {_uri(r) for r in log["runs"][0]["results"]}
    assert "services/my%20api/Dockerfile" in uris and "services/my%20api" in uris
    assert all(u.startswith("services/my%20api") for u in uris)


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


def test_sarif_keeps_each_occurrence_and_never_leaks_odd_paths(
    assessment: Assessment, tmp_path: Path
) -> None:
    from steward.collect.facts import Source
    from steward.evaluate.model import Evidence, ProbeOutcome, ProbeStatus

    same = "someorg/act@main"
    evidence = (
        Evidence.of(Source(path=".github/workflows/ci.yml", line=12), same),
        Evidence.of(Source(path=".github/workflows/ci.yml", line=40), same),
        Evidence.of(Source(path=str(tmp_path / "outside.yml"), line=3), "absolute"),
        Evidence.of(Source(path="../sibling/x.yml", line=1), "outside the tree"),
        Evidence.of(Source(url="https://api.github.com/repos/o/r"), "branch protection off"),
    )
    probe = ProbeOutcome(probe="actions_pinned_by_sha", status=ProbeStatus.FAIL, message="x",
                         evidence=evidence)  # fmt: skip
    finding = assessment.findings[0].model_copy(
        update={"status": Status.FAIL, "probes": (probe,), "evidence": evidence}
    )
    odd = assessment.model_copy(update={"findings": (finding,)})
    log = assert_uploadable(to_sarif(odd), str(tmp_path))
    results = _results(log, finding.requirement_id)
    located = sorted(
        (_uri(r), r["locations"][0]["physicalLocation"]["region"]["startLine"],
         r["partialFingerprints"]["primaryLocationLineHash"][-2:]) for r in results
    )  # fmt: skip
    assert located == [(".", 1, ":1"), (".github/workflows/ci.yml", 12, ":1"),
                       (".github/workflows/ci.yml", 40, ":2")]  # fmt: skip
    [repository] = [r for r in results if _uri(r) == "."]
    assert "outside the tree" in repository["message"]["text"]
    kinds = {x["kind"] for x in repository["locations"][0]["logicalLocations"]}
    assert kinds == {"resource"}


def test_sarif_logical_locations_are_unique(assessment: Assessment, tmp_path: Path) -> None:
    """Two tags on one commit (a monorepo releasing two packages at once, as dart-lang/http
    does) are two pieces of evidence with one commit: the SARIF schema wants the location's
    ``logicalLocations`` unique, so the commit is listed once (both tags stay in the text)."""
    from steward.collect.facts import Source
    from steward.evaluate.model import Evidence, ProbeOutcome, ProbeStatus

    sha = "63c477b466f650e8f5505d6d78dc283c2c2f9845"
    evidence = (
        Evidence.of(Source(commit=sha), "tag alpha-v1.0.0: unsigned"),
        Evidence.of(Source(commit=sha), "tag beta-v3.0.3: unsigned"),
        Evidence.of(Source(commit="b" * 40), "tag alpha-v0.9.0: unsigned"),
    )
    probe = ProbeOutcome(probe="tags_signed", status=ProbeStatus.FAIL, message="x",
                         evidence=evidence)  # fmt: skip
    finding = assessment.findings[0].model_copy(
        update={"status": Status.FAIL, "probes": (probe,), "evidence": evidence}
    )
    odd = assessment.model_copy(update={"findings": (finding,)})
    log = assert_uploadable(to_sarif(odd), str(tmp_path))
    [result] = _results(log, finding.requirement_id)
    names = [x["fullyQualifiedName"] for x in result["locations"][0]["logicalLocations"]]
    assert names == [sha, "b" * 40]
    assert "alpha-v1.0.0" in result["message"]["text"]
    assert "beta-v3.0.3" in result["message"]["text"]
