"""Workflow and Dockerfile parsing against OpenSSF Scorecard's own test fixtures.

The expected outcomes are the ones the fixture names (and Scorecard's tests) state:
``dangerous-pattern-untrusted-*`` are findings, ``trusted-*``/``safe-trigger``/
``default-checkout`` are not; ``permissions-*`` top-level levels; ``Dockerfile-pinned*``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.ci import parse_dockerfile, parse_github_workflow
from steward.collect.facts import Workflow


@pytest.fixture(scope="module")
def workflows(shared_data: Path) -> Path:
    return shared_data / "scorecard-testdata" / "checks" / ".github" / "workflows"


def _wf(directory: Path, name: str) -> Workflow:
    path = directory / name
    return parse_github_workflow(f".github/workflows/{name}", path.read_text())


@pytest.mark.parametrize(
    ("name", "untrusted_checkout", "injection", "secrets_exposed"),
    [
        ("github-workflow-dangerous-pattern-untrusted-checkout.yml", True, False, True),
        (
            "github-workflow-dangerous-pattern-untrusted-checkout-workflow_run.yml",
            True,
            False,
            True,
        ),
        ("github-workflow-dangerous-pattern-trusted-checkout.yml", False, False, False),
        ("github-workflow-dangerous-pattern-default-checkout.yml", False, False, False),
        ("github-workflow-dangerous-pattern-safe-trigger.yml", False, False, False),
        ("github-workflow-dangerous-pattern-untrusted-script-injection.yml", False, True, False),
        (
            "github-workflow-dangerous-pattern-untrusted-inline-script-injection.yml",
            False,
            True,
            False,
        ),
        (
            "github-workflow-dangerous-pattern-untrusted-multiple-script-injection.yml",
            False,
            True,
            False,
        ),
        (
            "github-workflow-dangerous-pattern-untrusted-script-injection-wildcard.yml",
            False,
            True,
            False,
        ),
        (
            "github-workflow-dangerous-pattern-untrusted-script-injection-tojson.yml",
            False,
            True,
            False,
        ),
        ("github-workflow-dangerous-pattern-trusted-script-injection.yml", False, False, False),
    ],
)
def test_dangerous_workflow_patterns(
    workflows: Path, name: str, untrusted_checkout: bool, injection: bool, secrets_exposed: bool
) -> None:
    wf = _wf(workflows, name)
    assert bool(wf.untrusted_checkouts) is untrusted_checkout
    assert bool(wf.script_injections) is injection
    assert bool(wf.secrets_after_untrusted_checkout) is secrets_exposed
    for finding in (*wf.untrusted_checkouts, *wf.script_injections):
        assert finding.source.line is not None and finding.source.line > 1


def test_multiple_injections_are_each_reported(workflows: Path) -> None:
    wf = _wf(workflows, "github-workflow-dangerous-pattern-untrusted-multiple-script-injection.yml")
    details = " ".join(f.detail for f in wf.script_injections)
    assert "github.event.issue.title" in details and "github.head_ref" in details


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("github-workflow-permissions-absent.yaml", "absent"),
        ("github-workflow-permissions-jobs-only.yaml", "absent"),
        ("github-workflow-permissions-run-level-only.yaml", "absent"),
        ("github-workflow-permissions-none.yaml", "none"),
        ("github-workflow-permissions-nones.yaml", "none"),
        ("github-workflow-permissions-readall.yaml", "read"),
        ("github-workflow-permissions-reads.yaml", "read"),
        ("github-workflow-permissions-gh-pages.yaml", "read"),
        ("github-workflow-permissions-run-writes-2.yaml", "read"),
        ("github-workflow-permissions-writeall.yaml", "write"),
        ("github-workflow-permissions-writes.yaml", "write"),
        ("github-workflow-permissions-contents.yaml", "write"),
        ("github-workflow-permissions-secevent-deployments.yaml", "write"),
    ],
)
def test_top_level_permissions(workflows: Path, name: str, level: str) -> None:
    assert _wf(workflows, name).top_permissions == level


def test_job_level_writes_are_recorded_not_top_level(workflows: Path) -> None:
    wf = _wf(workflows, "github-workflow-permissions-run-multiple-writes.yaml")
    assert wf.top_permissions == "read"
    assert any("security-events: write" in f.detail for f in wf.job_writes)


def test_sast_detection(workflows: Path) -> None:
    assert _wf(workflows, "github-workflow-sast-codeql.yaml").sast
    assert not _wf(workflows, "github-workflow-sast-no-codeql.yaml").sast


@pytest.mark.parametrize(
    ("name", "unpinned_third_party"),
    [
        ("workflow-pinned.yaml", 0),
        ("workflow-not-pinned.yaml", None),  # some
        ("workflow-mix-github-and-non-github-pinned.yaml", 0),
        ("workflow-mix-github-and-non-github-not-pinned.yaml", None),
        ("workflow-non-github-pinned.yaml", 0),
    ],
)
def test_action_pinning(shared_data: Path, name: str, unpinned_third_party: int | None) -> None:
    path = shared_data / "scorecard-testdata" / "raw" / ".github" / "workflows" / name
    wf = parse_github_workflow(name, path.read_text())
    assert wf.uses
    count = sum(1 for r in wf.uses if not r.pinned and not r.first_party)
    if unpinned_third_party is None:
        assert count > 0
    else:
        assert count == unpinned_third_party


def test_local_action_is_pinned(shared_data: Path) -> None:
    path = shared_data / "scorecard-testdata/raw/.github/workflows/workflow-local-action.yaml"
    wf = parse_github_workflow("w.yaml", path.read_text())
    assert all(r.pinned for r in wf.uses if r.action.startswith("./"))


@pytest.mark.parametrize(
    ("name", "pinned"),
    [
        ("Dockerfile-pinned", True),
        ("Dockerfile-pinned-as", True),
        ("Dockerfile-pinned-arg", True),
        ("Dockerfile-from-scratch", True),
        ("Dockerfile-not-pinned", False),
        ("Dockerfile-not-pinned-as", False),
        ("Dockerfile-pinned-as-without-hash", False),
    ],
)
def test_dockerfile_pinning(shared_data: Path, name: str, pinned: bool) -> None:
    text = (shared_data / "scorecard-testdata" / "raw" / name).read_text()
    images = parse_dockerfile(name, text)
    assert images
    assert all(i.pinned for i in images) is pinned


def test_dockerfile_stages_and_scratch_are_not_images(shared_data: Path) -> None:
    text = (shared_data / "scorecard-testdata/raw/Dockerfile-pinned-as").read_text()
    names = [i.image for i in parse_dockerfile("Dockerfile", text)]
    assert "scratch" not in names and "base" not in names and "build" not in names
    assert len(names) == 2


def test_every_fixture_workflow_parses_or_is_an_input_error(shared_data: Path) -> None:
    from steward.errors import InputError

    base = shared_data / "scorecard-testdata"
    paths = sorted((base / "checks/.github/workflows").glob("*.y*ml"))
    paths += sorted((base / "raw/.github/workflows").glob("*.y*ml"))
    assert len(paths) > 80
    parsed = 0
    for path in paths:
        try:
            parse_github_workflow(path.name, path.read_text())
            parsed += 1
        except InputError:
            pass
    assert parsed >= len(paths) - 5
