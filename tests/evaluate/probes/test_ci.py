"""CI probes: tests run in CI (or "cannot tell"), static analysis, dependency scanning."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from steward.collect.deps import collect_dependencies
from steward.collect.facts import Docs, Source, Workflow
from steward.collect.tree import walk
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import dependencies, fact, make_facts, run

WF = Source(path=".github/workflows/ci.yml")


def test_tests_found_unknown_or_missing() -> None:
    found = Workflow(WF, "github", runs_tests=(fact("ci/run.bash", 4, "runs cargo test"),))
    out = run("tests_run_in_ci", make_facts(workflows=(found,)))
    assert out.status == ProbeStatus.PASS and (out.evidence[0].source, out.evidence[0].line) == (
        "ci/run.bash",
        4,
    )
    unclear = Workflow(WF, "github", test_unknowns=(fact(WF.path or "", 9, "runs x.py"),))
    tests = dataclasses.replace(Docs(), tests=(fact("tests/test_x.py", None, "test file"),))
    out = run("tests_run_in_ci", make_facts(workflows=(unclear,), docs=tests))
    assert out.status == ProbeStatus.UNKNOWN and out.evidence[0].line == 9
    # with no tests in the tree, the step that could not be followed runs none (held-out-11e)
    out = run("tests_run_in_ci", make_facts(workflows=(unclear,)))
    assert out.status == ProbeStatus.FAIL and "no tests in the repository" in out.message
    assert run("tests_run_in_ci", make_facts(workflows=(Workflow(WF, "github"),))).status == (
        ProbeStatus.FAIL
    )


def test_dependabot_for_actions_only_is_not_dependency_scanning() -> None:
    actions_only = dependencies(
        update_tools=(fact(".github/dependabot.yml", 3, "dependabot: github-actions in /"),)
    )
    out = run("sca_configured", make_facts(dependencies=actions_only))
    assert out.status == ProbeStatus.FAIL
    assert (
        run("dependency_update_tool_configured", make_facts(dependencies=actions_only)).status
        == ProbeStatus.PASS
    )
    pip = dependencies(update_tools=(fact(".github/dependabot.yml", 5, "dependabot: pip in /"),))
    out = run("sca_configured", make_facts(dependencies=pip))
    assert out.status == ProbeStatus.PASS and out.evidence[0].line == 5


def test_no_fuzzing_in_the_tree_cannot_tell_about_oss_fuzz() -> None:
    out = run("fuzzing_configured", make_facts())
    assert out.status == ProbeStatus.UNKNOWN and "OSS-Fuzz" in out.message
    found = run("fuzzing_configured", make_facts(fuzzing=(fact("fuzz/fuzz_targets/a.rs", 7),)))
    assert found.status == ProbeStatus.PASS and found.evidence[0].line == 7


def test_dependabot_for_pre_commit_hooks_is_not_dependency_scanning() -> None:
    hooks = dependencies(
        update_tools=(fact(".github/dependabot.yml", 18, "dependabot: pre-commit in /"),)
    )
    assert run("sca_configured", make_facts(dependencies=hooks)).status == ProbeStatus.FAIL


def test_renovate_watching_a_language_ecosystem_is_dependency_scanning(tmp_path: Path) -> None:
    """held-out-7b (unjs/ufo): Renovate raises pull requests for the advisories on the
    ecosystems it manages, as Dependabot does; restricted to CI files or with its
    vulnerability alerts off it scans no language dependency."""
    cases = {
        '{\n  "extends": ["github>org/renovate-config"]\n}\n': ProbeStatus.PASS,
        '{"enabledManagers": ["npm", "github-actions"]}': ProbeStatus.PASS,
        '{"enabledManagers": ["github-actions", "dockerfile"]}': ProbeStatus.FAIL,
        '{"vulnerabilityAlerts": {"enabled": false}}': ProbeStatus.FAIL,
    }
    for i, (config, want) in enumerate(cases.items()):
        root = tmp_path / str(i)
        root.mkdir()
        (root / "renovate.json").write_text(config)
        tools = collect_dependencies(walk(root)).update_tools
        facts = make_facts(dependencies=dependencies(update_tools=tools))
        assert run("sca_configured", facts).status == want, config
        assert run("dependency_update_tool_configured", facts).status == ProbeStatus.PASS


def test_absence_in_ci_nobody_read_is_unknown() -> None:
    """A project whose only CI is one Steward does not read (Jenkins, Bitbucket Pipelines...):
    static analysis, dependency scanning and tests not found are "cannot tell", naming the
    configuration. Beside a GitHub workflow that was read, the absence of static analysis and
    dependency scanning still fails (unless the file names them, ``unreadci``); tests stay
    "cannot tell", a test suite being often run only there."""
    jenkins = Workflow(Source(path="Jenkinsfile"), "Jenkins")
    # a project with tests for that CI to run (with none, no CI runs any: held-out-11e)
    tests = dataclasses.replace(Docs(), tests=(fact("tests/test_x.py", None, "test file"),))
    only = make_facts(workflows=(jenkins,), docs=tests)
    for name in ("sast_configured", "sca_configured", "tests_run_in_ci"):
        out = run(name, only)
        assert out.status == ProbeStatus.UNKNOWN, (name, out.message)
        assert "Jenkins" in out.message
    for name in ("sast_configured", "sca_configured"):
        out = run(name, only)
        assert "CI configured in Jenkins (Jenkinsfile), which Steward does not read" in out.message
        assert [e.source for e in out.evidence] == ["Jenkinsfile"]
    both = make_facts(workflows=(jenkins, Workflow(WF, "github")), docs=tests)
    assert run("sast_configured", both).status == ProbeStatus.FAIL
    assert run("sca_configured", both).status == ProbeStatus.FAIL
    assert run("tests_run_in_ci", both).status == ProbeStatus.UNKNOWN
    read = make_facts(workflows=(Workflow(Source(path=".travis.yml"), "Travis CI"),
                                 Workflow(WF, "github")))  # fmt: skip
    for name in ("sast_configured", "sca_configured", "tests_run_in_ci"):
        assert run(name, read).status == ProbeStatus.FAIL, name
    assert run("sast_configured", make_facts()).status == ProbeStatus.FAIL
