"""Levels that mean something: per level met / failed / awaiting attestation / accepted, the
strict level achieved, and the shortest list of what stands before the next level."""

from __future__ import annotations

import json
from pathlib import Path

from steward.evaluate import Status, assess, level_achieved, level_progress, next_level
from steward.evaluate.model import Finding
from steward.evaluate.report import to_html, to_markdown, to_oscal, to_sarif
from tests.evaluate.repos import write_config
from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture


def _f(rid: str, level: int, status: Status, *, must: bool = True) -> Finding:
    return Finding(
        requirement_id=rid, title=rid, level=level, must=must, status=status, message="m"
    )


FINDINGS = [
    _f("STW-A-01", 1, Status.PASS),
    _f("STW-A-02", 1, Status.NEEDS_ATTESTATION),
    _f("STW-A-03", 1, Status.FAIL, must=False),  # a SHOULD: counted, never blocks
    _f("STW-A-04", 1, Status.NOT_APPLICABLE),
    _f("STW-B-01", 2, Status.FAIL),
    _f("STW-B-02", 2, Status.ACCEPTED),
    _f("STW-B-03", 2, Status.ERROR),
    _f("STW-B-04", 2, Status.PASS),
    _f("STW-C-01", 3, Status.PASS),
]


def test_level_progress_counts_every_status() -> None:
    one, two, three = level_progress(FINDINGS)
    assert (one.total, one.met, one.failed, one.awaiting_attestation, one.not_applicable) == (
        3, 1, 1, 1, 1)  # fmt: skip
    assert (one.blocking, one.achieved) == (1, False)
    assert (two.total, two.met, two.failed, two.error, two.accepted, two.blocking) == (
        4, 1, 1, 1, 1, 3)  # fmt: skip
    assert three.blocking == 0 and not three.achieved  # the levels below are not achieved
    assert [p.achieved for p in level_progress(FINDINGS, complete=False)] == [False] * 3


def test_next_level_lists_exactly_the_musts_in_the_way() -> None:
    gap = next_level(FINDINGS, level_achieved(FINDINGS))
    assert gap is not None and gap.level == 1
    assert [(b.requirement_id, b.action) for b in gap.blockers] == [("STW-A-02", "attest")]
    attested = [f if f.requirement_id != "STW-A-02" else _f("STW-A-02", 1, Status.PASS)
                for f in FINDINGS]  # fmt: skip
    assert level_achieved(attested) == 1
    gap = next_level(attested, 1)
    assert gap is not None and gap.level == 2
    assert [(b.requirement_id, b.action) for b in gap.blockers] == [
        ("STW-B-01", "fix"), ("STW-B-03", "repair input"), ("STW-B-02", "accepted")]  # fmt: skip
    assert next_level(attested, 3) is None
    assert next_level(attested, 1, max_level=1) is None


def test_the_list_is_sufficient_and_necessary_on_a_real_repository(
    good_repo: Path,  # noqa: F811
) -> None:
    before = assess(good_repo)
    assert before.level_achieved == 0 and before.next_level is not None
    blockers = [b.requirement_id for b in before.next_level.blockers]
    assert blockers and all(b.action == "attest" for b in before.next_level.blockers)
    level1 = next(p for p in before.levels if p.level == 1)
    assert level1.failed == 0 and level1.blocking == len(blockers)
    answers = {rid: {"status": "met", "evidence": "https://example.org/x"} for rid in blockers}
    write_config(good_repo, {"attestations": answers})
    after = assess(good_repo)
    assert after.level_achieved >= 1 and after.levels[0].achieved
    assert after.next_level is not None and after.next_level.level == after.level_achieved + 1
    dropped = blockers[0]
    write_config(good_repo, {"attestations": {k: v for k, v in answers.items() if k != dropped}})
    one_short = assess(good_repo)
    assert one_short.level_achieved == 0
    assert [b.requirement_id for b in one_short.next_level.blockers] == [dropped]  # type: ignore[union-attr]


def test_levels_in_every_format(cli, good_repo: Path) -> None:  # noqa: F811
    a = assess(good_repo)
    gap = a.next_level
    assert gap is not None
    first = gap.blockers[0].requirement_id
    data = json.loads(a.to_json())
    assert [p["level"] for p in data["levels"]] == [1, 2, 3]
    assert data["levels"][0]["awaiting_attestation"] == a.levels[0].awaiting_attestation
    assert data["next_level"]["blockers"][0]["requirement_id"] == first
    markdown = to_markdown(a)
    assert "## Levels" in markdown and f"## To reach level {gap.level}" in markdown
    assert f"attest **{first}**" in markdown
    html = to_html(a)
    assert 'id="levels"' in html and f'href="#{first}"' in html
    run = json.loads(to_sarif(a))["runs"][0]
    assert run["properties"]["levelAchieved"] == a.level_achieved
    assert run["properties"]["levels"][0]["met"] == a.levels[0].met
    assert run["properties"]["nextLevel"]["blockers"][0]["requirement_id"] == first
    props = {
        p["name"]: p["value"]
        for p in json.loads(to_oscal(a))["assessment-results"]["results"][0]["props"]
    }
    assert props["level-1-met"] == str(a.levels[0].met)
    assert props["level-1-awaiting-attestation"] == str(a.levels[0].awaiting_attestation)
    table = cli("assess", str(good_repo)).stdout
    level1 = a.levels[0]
    assert f"Level 1: {level1.met} of {level1.total} met, 0 failed" in table
    assert f"To reach level {gap.level}" in table and f"attest {first}" in table
    assert "Level achieved: 0" in table
