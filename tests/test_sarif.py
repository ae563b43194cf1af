"""The shared SARIF helpers (URIs, source roots) and the GitHub upload checker used by the
assess and vulns SARIF tests: the checker must refuse each kind of log GitHub refuses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from steward.sarif import (
    artifact_uri,
    line_hash,
    physical_location,
    relative_path,
    root_prefix,
    sarif_log,
    source_root,
    truncate,
)
from tests.sarif_github import github_problems


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("my service/requirements.txt", "my%20service/requirements.txt"),
        ("backend/requirements.txt", "backend/requirements.txt"),
        ("docs/", "docs/"),
        ("a:b/c.txt", "a%3Ab/c.txt"),  # a colon in the first segment would read as a scheme
        ("dir#1/x?.txt", "dir%231/x%3F.txt"),
        ("100%/x", "100%25/x"),
        ("ünïcode/ß.md", "%C3%BCn%C3%AFcode/%C3%9F.md"),
        (".", "."),
        ("", "."),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.txt", "a/../../b", "c:\\x"])
def test_artifact_uri_refuses_paths_outside(path: str) -> None:
    with pytest.raises(ValueError, match="not a path inside the repository"):
        artifact_uri(path)


def test_source_root_and_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "my service" / "api").mkdir(parents=True)
    lockfile = repo / "my service" / "api" / "requirements.txt"
    lockfile.write_text("x==1\n")
    assert source_root(repo / "my service" / "api") == repo.resolve()
    assert source_root(lockfile) == repo.resolve()
    assert root_prefix(repo / "my service" / "api") == "my service/api/"
    assert root_prefix(repo) == ""
    assert relative_path(lockfile, repo.resolve()) == "my service/api/requirements.txt"
    assert relative_path(tmp_path / "elsewhere.json", repo.resolve()) is None
    # a worktree or submodule has a .git file, not a directory
    sub = repo / "vendor" / "lib"
    sub.mkdir(parents=True)
    (sub / ".git").write_text("gitdir: ../../.git/modules/lib\n")
    assert source_root(sub) == sub.resolve()
    # outside any repository: the working directory when the target is below it
    plain = tmp_path / "plain"
    (plain / "backend").mkdir(parents=True)
    monkeypatch.chdir(plain)
    assert root_prefix(plain / "backend") == "backend/"
    monkeypatch.chdir(repo)
    assert root_prefix(plain / "backend") == ""  # not below the working directory


def test_line_hash_and_truncate() -> None:
    assert line_hash("STW-BLD-02", "a.yml|x") == line_hash("STW-BLD-02", "a.yml|x")
    assert line_hash("STW-BLD-02", "a.yml|x") != line_hash("STW-BLD-02", "b.yml|x")
    assert line_hash("r", "x").endswith(":1") and len(line_hash("r", "x")) == 18
    assert len(truncate("x" * 5000)) == 1024 and truncate("short") == "short"


def _good_log() -> dict[str, Any]:
    rule = {
        "id": "STW-BLD-02",
        "name": "ActionsArePinned",
        "shortDescription": {"text": "Actions are pinned"},
        "fullDescription": {"text": "Actions MUST be pinned by commit SHA."},
        "help": {"text": "Pin by SHA."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security"]},
    }
    result = {
        "ruleId": "STW-BLD-02",
        "ruleIndex": 0,
        "kind": "fail",
        "level": "error",
        "message": {"text": "unpinned action"},
        "locations": [{"physicalLocation": physical_location(".github/workflows/ci.yml", 7)}],
        "partialFingerprints": {"primaryLocationLineHash": line_hash("a")},
    }
    return dict(json.loads(sarif_log([rule], [result])))


def _mutated(change: str) -> dict[str, Any]:
    log = copy.deepcopy(_good_log())
    run = log["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    result = run["results"][0]
    physical = result["locations"][0]["physicalLocation"]
    if change == "commit-uri":
        physical["artifactLocation"]["uri"] = "commit 0123abc"
    elif change == "space":
        physical["artifactLocation"]["uri"] = "my service/requirements.txt"
    elif change == "absolute":
        physical["artifactLocation"]["uri"] = "file:///home/me/repo/ci.yml"
    elif change == "dotdot":
        physical["artifactLocation"]["uri"] = "../ci.yml"
    elif change == "no-base":
        del physical["artifactLocation"]["uriBaseId"]
    elif change == "undeclared-base":
        del run["originalUriBaseIds"]
    elif change == "no-region":
        del physical["region"]
    elif change == "no-locations":
        result["locations"] = []
    elif change == "review-with-level":
        result["kind"], result["level"] = "review", "note"
    elif change == "pass-with-level":
        result["kind"], result["level"] = "pass", "warning"
    elif change == "no-fingerprints":
        del result["partialFingerprints"]
    elif change == "unknown-rule":
        result["ruleId"] = "STW-NOPE-01"
    elif change == "long-description":
        rule["fullDescription"]["text"] = "x" * 1025
    elif change == "empty-help":
        rule["help"]["text"] = ""
    elif change == "too-many-tags":
        rule["properties"]["tags"] = [f"t{i}" for i in range(21)]
    elif change == "bad-severity":
        rule["properties"]["security-severity"] = "11"
    elif change == "bad-suppression":
        result["suppressions"] = [{"kind": "somewhere"}]
    elif change == "local-path":
        result["message"]["text"] = "seen in /home/me/repo"
    return log


@pytest.mark.parametrize(
    "change",
    [
        "commit-uri",
        "space",
        "absolute",
        "dotdot",
        "no-base",
        "undeclared-base",
        "no-region",
        "no-locations",
        "review-with-level",
        "pass-with-level",
        "no-fingerprints",
        "unknown-rule",
        "long-description",
        "empty-help",
        "too-many-tags",
        "bad-severity",
        "bad-suppression",
        "local-path",
    ],
)
def test_checker_refuses_what_github_refuses(change: str) -> None:
    assert github_problems(_good_log(), local_paths=("/home/me/repo",)) == []
    assert github_problems(_mutated(change), local_paths=("/home/me/repo",)) != []


def test_log_envelope_declares_the_source_root_without_a_local_path() -> None:
    run = _good_log()["runs"][0]
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]
    many = json.loads(sarif_log([], [{"ruleId": "x"}] * 25_001))["runs"][0]
    assert len(many["results"]) == 25_000 and many["properties"]["resultsLeftOut"] == 1
