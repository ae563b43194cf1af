"""Pinning probes: GitHub-owned actions pinned by tag count (and are named as such)."""

from __future__ import annotations

from steward.collect.facts import ActionRef, Source, Workflow
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import fact, make_facts, run

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
WF = ".github/workflows/ci.yml"


def _ref(line: int, action: str, ref: str | None, pinned: bool, owned: bool) -> ActionRef:
    return ActionRef(Source(path=WF, line=line), action, ref, pinned, owned)


def _workflow(*refs: ActionRef) -> Workflow:
    return Workflow(source=Source(path=WF), system="github", uses=refs)


def test_github_owned_tags_are_listed_and_fail() -> None:
    facts = make_facts(
        workflows=(
            _workflow(
                _ref(7, "actions/checkout", "v4", False, True),
                _ref(9, "github/codeql-action/init", "v3", False, True),
                _ref(11, "./.github/actions/setup", None, True, True),
                _ref(12, "docker://alpine@sha256:" + "a" * 64, None, True, False),
            ),
        )
    )
    out = run("actions_pinned_by_sha", facts)
    assert out.status == ProbeStatus.FAIL and "2 of them GitHub-owned" in out.message
    assert [(e.line, e.detail) for e in out.evidence] == [
        (7, "actions/checkout@v4 (GitHub-owned)"),
        (9, "github/codeql-action/init@v3 (GitHub-owned)"),
    ]
    assert run("dependencies_pinned", facts).status == ProbeStatus.FAIL


def test_sha_local_and_digest_pinned_pass() -> None:
    facts = make_facts(
        workflows=(
            _workflow(
                _ref(7, "actions/checkout", SHA, True, True),
                _ref(8, "./local", None, True, True),
            ),
        )
    )
    assert run("actions_pinned_by_sha", facts).status == ProbeStatus.PASS
    tagged_image = make_facts(
        workflows=(_workflow(_ref(5, "docker://alpine:3.20", None, False, False)),)
    )
    out = run("actions_pinned_by_sha", tagged_image)
    assert out.status == ProbeStatus.FAIL and out.evidence[0].detail.endswith("(no digest)")


def test_identical_evidence_is_reported_once() -> None:
    same = _ref(4, "some/action", "main", False, False)
    facts = make_facts(workflows=(_workflow(same, same, same),))
    out = run("actions_pinned_by_sha", facts)
    assert len(out.evidence) == 1 and out.message.startswith("1 action reference")


def test_dockerfile_installs_fail_dependencies_pinned() -> None:
    facts = make_facts(
        docker_installs=(fact("Dockerfile", 4, "unpinned: curl output piped into sh"),)
    )
    out = run("dependencies_pinned", facts)
    assert out.status == ProbeStatus.FAIL and out.evidence[0].line == 4
