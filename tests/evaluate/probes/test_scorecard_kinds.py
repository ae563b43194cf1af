"""Probe-level conventions found by comparing with OpenSSF Scorecard (bench/README.md,
"Recognition compared with Scorecard"). Self-written facts; each failed before its fix."""

from __future__ import annotations

from steward.evaluate.probes import run_probe
from tests.evaluate.probes.factsbuilder import NOW, commit, git, make_facts

DAY = 86_400


def test_dependabot_security_update_commits_show_an_update_tool() -> None:
    history = (
        commit("b" * 40, when=NOW, name="Alice"),
        commit(
            "c" * 40,
            when=NOW - 30 * DAY,
            name="dependabot[bot]",
            email="49699333+dependabot[bot]@users.noreply.github.com",
        ),
    )
    outcome = run_probe("dependency_update_tool_configured", make_facts(git=git(history)))
    assert outcome.status.value == "pass"
    assert [e.commit for e in outcome.evidence] == ["c" * 40]


def test_old_bot_commits_or_people_named_like_bots_are_not_an_update_tool() -> None:
    history = (
        commit("b" * 40, when=NOW, name="Alice"),
        commit("c" * 40, when=NOW - 400 * DAY, name="renovate[bot]"),
        commit("d" * 40, when=NOW - DAY, name="Dependabot Fan", email="fan@example.org"),
    )
    outcome = run_probe("dependency_update_tool_configured", make_facts(git=git(history)))
    assert outcome.status.value == "fail"
