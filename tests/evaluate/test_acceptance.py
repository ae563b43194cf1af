"""steward.yml ``accept:``: accepted items show as accepted with reason, owner and expiry in
every format; an expired acceptance fails again and says so; a path covers only its files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from trestle.oscal.assessment_results import AssessmentResults

from steward.collect import collect_facts
from steward.evaluate import Status, evaluate_facts
from steward.evaluate.model import Assessment
from steward.evaluate.report import to_html, to_markdown, to_oscal, to_sarif
from tests.evaluate.repos import RELEASE_LINE, pinned_repo, write_config  # noqa: F401 - fixture
from tests.sarif_github import assert_uploadable

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
REASON = "our own publish action, reviewed each release"


def _entry(**fields: object) -> dict[str, object]:
    return {"reason": REASON, "owner": "alice@example.org", "expires": "2027-03-31", **fields}


def _assess(root: Path, accept: list[dict[str, object]], now: dt.datetime = NOW) -> Assessment:
    write_config(root, {"accept": accept})
    return evaluate_facts(collect_facts(root), now=now)


def _sarif(a: Assessment, rid: str) -> list[dict[str, Any]]:
    log = assert_uploadable(to_sarif(a))
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rid]


def test_an_accepted_requirement_shows_as_accepted_everywhere(
    cli,
    pinned_repo: Path,  # noqa: F811
) -> None:
    a = _assess(pinned_repo, [_entry(requirement="STW-BLD-04")])
    f = a.finding("STW-BLD-04")
    assert f is not None and f.status is Status.ACCEPTED
    assert f.acceptance is not None and not f.acceptance.expired
    assert (f.acceptance.reason, f.acceptance.owner, f.acceptance.expires) == (
        REASON, "alice@example.org", "2027-03-31")  # fmt: skip
    assert f.acceptance.source == "steward.yml:2"
    assert a.summary.accepted == 1 and a.summary.failed == sum(
        1 for x in a.findings if x.status is Status.FAIL
    )
    # JSON
    data = json.loads(a.to_json())
    entry = next(x for x in data["findings"] if x["requirement_id"] == "STW-BLD-04")
    assert entry["status"] == "accepted" and entry["acceptance"]["reason"] == REASON
    assert data["summary"]["accepted"] == 1
    # Markdown and HTML
    markdown = to_markdown(a)
    assert "## Accepted" in markdown and REASON in markdown and "until 2027-03-31" in markdown
    assert "accepted" in to_html(a) and REASON in to_html(a)
    # SARIF: still a failure, suppressed with the reason as justification
    results = _sarif(a, "STW-BLD-04")
    assert len(results) == 2
    for r in results:
        assert r["kind"] == "fail"
        [suppression] = r["suppressions"]
        assert suppression["kind"] == "external" and suppression["status"] == "accepted"
        assert (
            REASON in suppression["justification"] and "2027-03-31" in suppression["justification"]
        )
    # OSCAL: not satisfied, with an approved deviation that has the expiry as deadline
    oscal = json.loads(to_oscal(a))
    result = AssessmentResults.parse_obj(oscal["assessment-results"]).results[0]
    [risk] = result.risks or []
    assert risk.status.__root__.__root__ == "deviation-approved" and risk.statement == REASON
    finding = next(x for x in result.findings if x.target.target_id == "stw-bld-04")
    assert finding.target.status.state.value == "not-satisfied"
    assert finding.related_risks and finding.related_risks[0].risk_uuid == risk.uuid
    # the default table
    table = cli("assess", str(pinned_repo))
    assert table.exit_code == 0, table.stderr
    assert "accepted" in table.stdout and "our own publish action" in table.stdout
    # an accepted MUST does not count as met for the strict level
    assert all(b.requirement_id != "STW-BLD-04" or b.action == "accepted"
               for b in (a.next_level.blockers if a.next_level else ()))  # fmt: skip


def test_an_expired_acceptance_fails_again_and_says_so(cli, pinned_repo: Path) -> None:  # noqa: F811
    entry = _entry(requirement="STW-BLD-04", expires="2026-11-28")
    a = _assess(pinned_repo, [entry])
    f = a.finding("STW-BLD-04")
    assert f is not None and f.status is Status.FAIL
    assert f.acceptance is not None and f.acceptance.expired
    assert "acceptance expired on 2026-11-28 (steward.yml:2)" in f.message
    assert all("suppressions" not in r for r in _sarif(a, "STW-BLD-04"))
    assert "Acceptance expired" in to_markdown(a)
    # the day of expiry itself is still covered
    same_day = _assess(pinned_repo, [entry], now=dt.datetime(2026, 11, 28, 23, tzinfo=dt.UTC))
    assert same_day.finding("STW-BLD-04").status is Status.ACCEPTED  # type: ignore[union-attr]
    table = cli("assess", str(pinned_repo))
    assert "acceptance expired" in table.stdout and "2026-11-28" in table.stdout


def test_a_path_covers_only_its_files(pinned_repo: Path) -> None:  # noqa: F811
    release = _entry(requirement="STW-BLD-04", path=".github/workflows/release.yml")
    a = _assess(pinned_repo, [release])
    f = a.finding("STW-BLD-04")
    assert f is not None and f.status is Status.FAIL  # the Dockerfile still fails
    marked = {e.path: e.accepted for e in f.evidence}
    assert marked[".github/workflows/release.yml"] is not None
    assert marked["my service/Dockerfile"] is None
    by_uri = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r
        for r in _sarif(a, "STW-BLD-04")
    }
    assert "suppressions" in by_uri[".github/workflows/release.yml"]
    assert "suppressions" not in by_uri["my%20service/Dockerfile"]
    assert f"release.yml:{RELEASE_LINE} — someorg/publish@v1 [accepted:" in to_markdown(a)
    # a probe entry plus a path entry together cover everything: accepted
    both = [
        release,
        _entry(probe="containers_pinned_by_digest", path="my service/**", reason="base image"),
    ]
    f = _assess(pinned_repo, both).finding("STW-BLD-04")
    assert f is not None and f.status is Status.ACCEPTED
    # one probe accepted as a whole while the other still fails: its evidence says so
    f = _assess(pinned_repo, [_entry(probe="actions_pinned_by_sha")]).finding("STW-BLD-04")
    assert f is not None and f.status is Status.FAIL
    assert {e.path: e.accepted is not None for e in f.evidence} == {
        ".github/workflows/release.yml": True,
        "my service/Dockerfile": False,
    }
    # a pattern that matches no evidence accepts nothing
    f = _assess(pinned_repo, [_entry(requirement="STW-BLD-04", path="docs/**")]).finding(
        "STW-BLD-04"
    )
    assert f is not None and f.status is Status.FAIL and f.acceptance is None


def test_awaiting_attestation_and_attested_not_met_can_be_accepted(
    pinned_repo: Path,  # noqa: F811
) -> None:
    write_config(
        pinned_repo,
        {
            "attestations": {"STW-QA-05": {"status": "not-met", "evidence": "not yet"}},
            "accept": [
                _entry(requirement="STW-AC-01"),
                _entry(requirement="STW-QA-05"),
                _entry(requirement="STW-VUL-01"),
            ],
        },
    )
    a = evaluate_facts(collect_facts(pinned_repo), now=NOW)
    assert a.finding("STW-AC-01").status is Status.ACCEPTED  # type: ignore[union-attr]
    assert a.finding("STW-QA-05").status is Status.ACCEPTED  # type: ignore[union-attr]
    vul01 = a.finding("STW-VUL-01")  # passes: an acceptance changes nothing
    assert vul01 is not None and vul01.status is Status.PASS and vul01.acceptance is None
    [ac01] = _sarif(a, "STW-AC-01")
    assert ac01["kind"] == "review" and ac01["level"] == "none" and ac01["suppressions"]
