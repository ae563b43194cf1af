"""End-to-end assessments of real git repositories built in a temporary directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
import yaml

from steward.catalog.loader import load_catalog
from steward.collect.forge import collect_forge
from steward.errors import InputError, NotFoundError, UsageError
from steward.evaluate import Status, assess
from tests.collect.gitrepo import commit, git, init
from tests.collect.test_forge import recorded

LICENSES = Path(__file__).resolve().parents[1] / "data" / "repos" / "licenses"
SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"

GOOD_FILES: dict[str, str | bytes] = {
    "README.md": "# widget\n\nWidget parses things.\n\n## Usage\n\nRun it.\n\n## Building\n\n"
    "`pip install .`\n\nReport bugs in the issue tracker: https://github.com/acme/widget/issues\n",
    "SECURITY.md": "# Security policy\n\n## Supported Versions\n\n| Version | Supported |\n"
    "|---|---|\n| 1.x | yes |\n\n## Reporting\n\nE-mail security@acme.example or use "
    "https://github.com/acme/widget/security/advisories/new.\nWe acknowledge reports within "
    "3 working days.\n\nFixes are disclosed in a GitHub Security Advisory after an embargo "
    "of at most 90 days; reporters are credited.\n",
    "CONTRIBUTING.md": "# Contributing\n\nSend pull requests. Sign off your commits (DCO).\n",
    "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- first release\n",
    "pyproject.toml": '[project]\nname = "widget"\nversion = "1.0.0"\nlicense = "MIT"\n'
    'dependencies = ["requests==2.32.3"]\n',
    "uv.lock": "version = 1\n",
    "src/widget/__init__.py": "",
    "tests/test_widget.py": "def test_x():\n    assert True\n",
    ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n"
    "    directory: /\n    schedule: {interval: weekly}\n",
    ".github/workflows/ci.yml": "name: ci\non: [push, pull_request]\n"
    "permissions:\n  contents: read\n"
    "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    f"      - uses: actions/checkout@{SHA}\n      - uses: astral-sh/setup-uv@{SHA}\n"
    "      - run: uv run pytest\n",
    ".github/workflows/codeql.yml": "name: codeql\non: [push]\npermissions: read-all\njobs:\n"
    "  analyze:\n    runs-on: ubuntu-latest\n    permissions:\n      security-events: write\n"
    f"    steps:\n      - uses: github/codeql-action/init@{SHA}\n"
    f"      - uses: github/codeql-action/analyze@{SHA}\n",
}


@pytest.fixture
def good_repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "widget")
    files = dict(GOOD_FILES)
    files["LICENSE"] = (LICENSES / "MIT").read_text()
    commit(root, "initial\n\nSigned-off-by: Alice <alice@example.org>", files)
    commit(root, "fix\n\nSigned-off-by: Bob <bob@example.org>", {"src/widget/a.py": "x = 1\n"},
           author=("Bob", "bob@example.org"))  # fmt: skip
    git(root, "tag", "-a", "v1.0.0", "-m", "1.0.0")
    return root


def _status(assessment: object, rid: str) -> Status:
    finding = assessment.finding(rid)  # type: ignore[attr-defined]
    assert finding is not None, rid
    return finding.status  # type: ignore[no-any-return]


def test_good_repository(good_repo: Path) -> None:
    a = assess(good_repo)
    assert a.project == "widget"
    assert a.revision == git(good_repo, "rev-parse", "HEAD")
    assert a.catalog_version == load_catalog().version
    assert len(a.findings) == len(load_catalog().requirements)
    expected_pass = [
        "STW-VUL-01", "STW-VUL-02", "STW-VUL-03", "STW-VUL-04", "STW-DOC-01", "STW-GOV-03",
        "STW-LEG-01", "STW-LEG-02", "STW-LEG-04", "STW-BLD-01", "STW-BLD-02", "STW-BLD-03",
        "STW-BLD-04", "STW-BLD-05", "STW-BLD-07", "STW-DEP-01", "STW-DEP-02", "STW-DEP-03",
        "STW-DEP-06", "STW-QA-01", "STW-QA-02", "STW-QA-06", "STW-REL-01", "STW-GOV-06",
        "STW-GOV-07", "STW-REL-03",
    ]  # fmt: skip
    wrong = {rid: _status(a, rid) for rid in expected_pass if _status(a, rid) != Status.PASS}
    assert wrong == {}
    # forge-only requirements without forge data are never a silent pass
    for rid in ("STW-AC-01", "STW-AC-03", "STW-QA-03", "STW-VUL-05", "STW-REL-04"):
        assert _status(a, rid) == Status.NEEDS_ATTESTATION
    assert _status(a, "STW-REL-05") == Status.FAIL  # tag not signed
    assert _status(a, "STW-PRD-01") == Status.NOT_APPLICABLE  # manufacturer only
    policy = a.finding("STW-VUL-03")
    assert policy is not None and any(e.source == "SECURITY.md" and e.line for e in policy.evidence)
    assert a.level_achieved == 0  # level-1 MUSTs on the forge still need attestation
    data = json.loads(a.to_json())
    assert data["summary"]["total"] == len(a.findings)
    keys = ("pass", "fail", "not-applicable", "needs-attestation", "error")
    assert sum(data["summary"][k] for k in keys) == len(a.findings)
    assert data["findings"][0]["requirement_id"] == a.findings[0].requirement_id


def test_attestations_and_forge_data_complete_the_picture(good_repo: Path) -> None:
    attest = {
        rid: {"status": "met", "evidence": "https://example.org/evidence", "by": "alice",
              "date": "2026-11-01"}
        for rid in ("STW-GOV-02", "STW-GOV-08", "STW-LEG-03", "STW-REL-08", "STW-GOV-01",
                    "STW-DOC-02", "STW-DOC-03")
    }  # fmt: skip
    attest["STW-QA-05"] = {"status": "not-met", "evidence": "no testing docs yet"}
    (good_repo / "steward.yml").write_text(yaml.safe_dump({"attestations": attest}))
    forge = collect_forge(
        "https://github.com/acme/widget",
        token="t",
        transport=httpx.MockTransport(recorded("github")),
    )
    a = assess(good_repo, forge=forge, level=1)
    assert all(f.level == 1 for f in a.findings)
    gov08 = a.finding("STW-GOV-08")
    assert gov08 is not None and gov08.status == Status.PASS and gov08.attested
    source, line = str(gov08.attestation_source).split(":")
    assert source == "steward.yml"
    assert "STW-GOV-08:" in (good_repo / "steward.yml").read_text().splitlines()[int(line) - 1]
    assert _status(a, "STW-AC-03") == Status.PASS  # branch protection from the forge
    assert _status(a, "STW-AC-01") == Status.PASS  # org requires 2FA
    not_met = assess(good_repo, forge=forge, only={"STW-QA-05"})
    assert [f.status for f in not_met.findings] == [Status.FAIL]
    failing = [f.requirement_id for f in a.findings if f.must and f.status != Status.PASS
               and f.status != Status.NOT_APPLICABLE]  # fmt: skip
    assert a.level_achieved == (0 if failing else 1)


def test_attestation_cannot_override_a_failing_probe(good_repo: Path) -> None:
    (good_repo / "SECURITY.md").unlink()
    config = "attestations:\n  STW-VUL-01:\n    status: met\n    evidence: trust me\n"
    (good_repo / "steward.yml").write_text(config)
    a = assess(good_repo, only={"VUL"})
    assert _status(a, "STW-VUL-01") == Status.FAIL
    # a broken steward.yml stops the assessment with the file and line, never half-applied
    (good_repo / "steward.yml").write_text(config + "  STW-VUL-02:\n    status: maybe\n")
    with pytest.raises(InputError) as bad:
        assess(good_repo, only={"VUL"})
    assert str(bad.value).startswith("steward.yml:6: attestations.STW-VUL-02.status:")


def test_only_and_level_are_validated(good_repo: Path) -> None:
    with pytest.raises(UsageError):
        assess(good_repo, only={"STW-NOPE-01"})
    with pytest.raises(UsageError):
        assess(good_repo, level=7)
    with pytest.raises(NotFoundError):
        assess(good_repo / "missing")
    a = assess(good_repo, only={"stw-vul-1", "LEG"})
    legal = {r.id for r in load_catalog().requirements if r.family == "LEG"}
    assert {f.requirement_id for f in a.findings} == {"STW-VUL-01", *legal}
    assert "STW-LEG-01" in legal


def test_progress_is_reported(good_repo: Path) -> None:
    stages: list[tuple[str, int, int]] = []
    assess(good_repo, progress=lambda s, d, t: stages.append((s, d, t)))
    assert stages[0][0] == "files" and ("evaluate", 1, 1) in stages


def test_empty_directory_is_assessed_without_crashing(tmp_path: Path) -> None:
    a = assess(tmp_path)
    assert a.revision is None
    # not a git checkout (an exported tree): the history cannot be told, neither pass nor fail
    assert _status(a, "STW-QA-01") == Status.NEEDS_ATTESTATION
    qa = a.finding("STW-QA-01")
    assert qa is not None and "not a git checkout" in " ".join(p.message for p in qa.probes)
    assert _status(a, "STW-GOV-07") == Status.NEEDS_ATTESTATION
    # nor who committed: "0 person(s) committed in the last year" was a guessed fail
    assert _status(a, "STW-GOV-06") == Status.NEEDS_ATTESTATION
    gov = a.finding("STW-GOV-06")
    assert gov is not None and "not a git checkout" in gov.probes[0].message
    assert _status(a, "STW-VUL-01") == Status.FAIL
    assert _status(a, "STW-BLD-02") == Status.NOT_APPLICABLE


def test_hostile_repository(tmp_path: Path) -> None:
    root = init(tmp_path / "hostile")
    commit(root, "init", {"README.md": "x" * (3 * 1024 * 1024)})
    os.symlink("/etc/passwd", root / "SECURITY.md")
    os.symlink("/etc", root / "docs")
    os.symlink("..", root / "loop")
    (root / "LICENSE").symlink_to(root / "README.md")  # inside the tree: still not followed
    wf = root / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "junk.yml").write_bytes(os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00\xff")
    (wf / "broken.yml").write_text("on: [push\njobs: {\n")
    (wf / "bomb.yml").write_text(
        'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                  f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                  for i in range(9))
        + "jobs: *j\n"
    )  # fmt: skip
    (wf / "list.yml").write_text("- just\n- a list\n")
    (root / "Dockerfile").write_bytes(b"\xff\xfe\x00binary")
    os.mkfifo(root / "CONTRIBUTING.md")
    a = assess(root)
    sec = a.finding("STW-VUL-01")
    assert sec is not None and sec.status == Status.FAIL  # the symlink was not read
    blob = a.to_json()
    assert "root:x:0:0" not in blob
    assert _status(a, "STW-BLD-02") == Status.ERROR  # workflows unreadable -> error, not pass
    assert _status(a, "STW-BLD-03") == Status.ERROR
    problems = {p.source for p in a.problems}
    assert {".github/workflows/junk.yml", ".github/workflows/broken.yml",
            ".github/workflows/bomb.yml", ".github/workflows/list.yml"} <= problems  # fmt: skip
    assert _status(a, "STW-DOC-01") == Status.PASS  # the 3 MiB README is read up to the cap
    assert _status(a, "STW-GOV-03") == Status.FAIL  # a FIFO is not a contribution guide


def test_shallow_clone_is_unknown_not_a_false_fail(tmp_path: Path) -> None:
    """actions/checkout fetches one commit and no tags by default: two maintainers, release
    tags and sign-offs beyond that depth were judged missing (false fails, one of level 1)."""
    origin = init(tmp_path / "origin")
    commit(origin, "first\n\nSigned-off-by: Bob <bob@example.org>", {"README.md": "# w\n"},
           author=("Bob", "bob@example.org"))  # fmt: skip
    commit(origin, "release", {"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- first\n"})
    git(origin, "tag", "v1.0.0")
    commit(origin, "more", {"a.txt": "a\n"})
    full = assess(origin, only={"GOV", "REL", "LEG"})
    assert _status(full, "STW-GOV-06") == Status.PASS
    assert _status(full, "STW-REL-01") == Status.PASS
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow))
    a = assess(shallow, only={"GOV", "REL", "LEG"})
    assert any("shallow clone" in p.detail for p in a.problems)
    for rid in ("STW-GOV-06", "STW-REL-01", "STW-REL-05", "STW-LEG-04"):
        finding = a.finding(rid)
        assert finding is not None and finding.status == Status.NEEDS_ATTESTATION, rid
        assert any("shallow clone" in p.message for p in finding.probes), rid
    assert _status(a, "STW-REL-03") == Status.PASS  # the changelog still speaks
    assert _status(a, "STW-GOV-07") == Status.PASS  # HEAD's date is there
