"""The issue's reproducers, end to end: small real git repositories assessed with ``assess``;
each test names the requirement whose verdict was wrong."""

from __future__ import annotations

from pathlib import Path

from steward.evaluate import Status, assess
from steward.evaluate.model import Assessment
from tests.collect.gitrepo import commit, git, init

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"


def _repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = init(tmp_path / "project")
    commit(root, "initial", {"README.md": "# project\n", **files})
    return root


def _finding(a: Assessment, rid: str) -> tuple[Status, list[tuple[str, int | None]]]:
    f = a.finding(rid)
    assert f is not None, rid
    return f.status, [(e.source, e.line) for e in f.evidence]


def test_obfuscated_contact_meets_both_level_1_policy_requirements(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "SECURITY.md": "# Security\n\nReport privately to security at "
            "example dot org; we answer within 3 days.\n"
        },
    )
    a = assess(root, only={"STW-VUL-02", "STW-VUL-03"})
    for rid in ("STW-VUL-02", "STW-VUL-03"):
        status, evidence = _finding(a, rid)
        assert status == Status.PASS and set(evidence) == {("SECURITY.md", 3)}


def test_contact_in_security_txt_or_insights_meets_them_too(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "SECURITY.md": "# Security\n\nSee our security.txt.\n",
        ".well-known/security.txt": "Contact: mailto:psirt@example.org\nExpires: 2027-01-01\n",
    })  # fmt: skip
    a = assess(root, only={"STW-VUL-02", "STW-VUL-03"})
    assert _finding(a, "STW-VUL-03") == (Status.PASS, [(".well-known/security.txt", 1)])


def test_ci_tests_behind_variables_and_scripts(tmp_path: Path) -> None:
    workflow = (
        "on: push\npermissions: {contents: read}\njobs:\n  t:\n    runs-on: x\n"
        "    env: {CARGO: cargo}\n    steps:\n"
        f"      - uses: actions/checkout@{SHA}\n"
        "      - run: bash ci/run.bash\n"
    )
    root = _repo(tmp_path, {
        ".github/workflows/ci.yml": workflow,
        "ci/run.bash": '#!/bin/bash\nset -e\n"$CARGO" build\n${CARGO} test --workspace\n',
        "tests/test_p.py": "def test_p():\n    assert True\n",
    })  # fmt: skip
    a = assess(root, only={"STW-QA-02"})
    status, evidence = _finding(a, "STW-QA-02")
    assert status == Status.PASS and ("ci/run.bash", 4) in evidence


def test_ci_that_cannot_be_followed_needs_attestation_not_fail(tmp_path: Path) -> None:
    workflow = (
        "on: push\npermissions: {contents: read}\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: python tools/ci_driver.py --all\n"
    )
    root = _repo(tmp_path, {
        ".github/workflows/ci.yml": workflow,
        "tools/ci_driver.py": "x",
        "tests/test_p.py": "def test_p():\n    assert True\n",
    })  # fmt: skip
    status, evidence = _finding(assess(root, only={"STW-QA-02"}), "STW-QA-02")
    assert status == Status.NEEDS_ATTESTATION and (".github/workflows/ci.yml", 7) in evidence


def test_job_level_read_permissions_are_least_privilege(tmp_path: Path) -> None:
    workflow = (
        "on: push\njobs:\n  test:\n    permissions:\n      contents: read\n    runs-on: x\n"
        "    steps: []\n  release:\n    permissions:\n      contents: write\n    runs-on: x\n"
        "    steps: []\n"
    )
    root = _repo(tmp_path, {".github/workflows/ci.yml": workflow})
    a = assess(root, only={"STW-BLD-03"})
    f = a.finding("STW-BLD-03")
    assert f is not None and f.status == Status.PASS
    assert "repository default" not in f.message
    assert any(e.line == 10 and e.detail.startswith("warning") for e in f.evidence)


def test_github_owned_tags_are_listed_as_unpinned(tmp_path: Path) -> None:
    workflow = (
        "on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: github/codeql-action/init@v3\n"
    )
    root = _repo(tmp_path, {".github/workflows/ci.yml": workflow})
    status, evidence = _finding(assess(root, only={"STW-BLD-04"}), "STW-BLD-04")
    assert status == Status.FAIL
    assert evidence == [(".github/workflows/ci.yml", 7), (".github/workflows/ci.yml", 8)]


def test_lone_pyproject_is_a_manifest(tmp_path: Path) -> None:
    root = _repo(tmp_path, {"pyproject.toml": '[project]\nname = "p"\nversion = "1.0"\n'})
    status, evidence = _finding(assess(root, only={"STW-DEP-01"}), "STW-DEP-01")
    assert status == Status.PASS and evidence == [("pyproject.toml", None)]


def test_contributing_section_and_issue_url(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "README.md": "# p\n\n## Contributing\n\nSend patches.\n",
        "pyproject.toml": '[project]\nname = "p"\n\n[project.urls]\n'
        'Issues = "https://tracker.example.org/p"\n',
    })  # fmt: skip
    a = assess(root, only={"STW-GOV-03", "STW-DOC-03"})
    assert _finding(a, "STW-GOV-03") == (Status.PASS, [("README.md", 3)])
    assert _finding(a, "STW-DOC-03")[1] == [("pyproject.toml", 5)]


def test_signed_apache_release_tags_are_judged_and_rc_tags_are_not(tmp_path: Path) -> None:
    root = _repo(tmp_path, {})
    git(root, "tag", "-a", "commons-p-1.0-RC1", "-m", "rc")
    a = assess(root, only={"STW-REL-01"})
    status, _ = _finding(a, "STW-REL-01")
    assert status == Status.FAIL  # only a release candidate: no release tag
    git(root, "tag", "-a", "rel/commons-p-1.0", "-m", "1.0")
    a = assess(root, only={"STW-REL-01"})
    assert _finding(a, "STW-REL-01")[0] == Status.PASS


def test_unreadable_git_is_an_error_with_a_warning(tmp_path: Path) -> None:
    root = _repo(tmp_path, {})
    for child in (root / ".git" / "objects").iterdir():
        if child.name not in ("info", "pack"):
            for obj in child.iterdir():
                obj.unlink()
    a = assess(root, only={"STW-QA-01", "STW-GOV-06", "STW-GOV-07", "STW-REL-01", "STW-REL-05"})
    assert {f.status for f in a.findings} == {Status.ERROR}
    assert any(p.source == ".git" and "git" in p.detail for p in a.problems)
