"""Git on untrusted repositories: the treeless clone is as good as a full one for the probes,
revisions are read without cloning, and a checkout's snapshot follows its working tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from steward.evaluate import assess
from steward.scale import checkout
from tests.scale.gen import generate, serve


def _findings(root: Path) -> dict[str, object]:
    return {f["requirement_id"]: f for f in assess(root).to_dict()["findings"]}  # type: ignore[index,union-attr]


def test_treeless_clone_gives_the_full_clones_findings(tmp_path: Path) -> None:
    source = generate(tmp_path / "src", "proj", commits=40, files=30, tags=5, seed=4)
    url = serve(source, tmp_path / "proj.git")
    full = tmp_path / "full" / "proj"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "clone", "-q", url, str(full)], check=True, env=env)
    done = checkout.clone(url, tmp_path / "partial" / "proj", timeout=60)
    assert done.bytes > 0
    key = "remote.origin.partialclonefilter"
    promisor = subprocess.run(["git", "-C", str(done.path), "config", key],
                              capture_output=True, text=True, check=True)  # fmt: skip
    assert promisor.stdout.strip() == "tree:0"
    assert _findings(done.path) == _findings(full)
    tags = subprocess.run(["git", "-C", str(done.path), "tag"], capture_output=True, text=True,
                          check=True).stdout.split()  # fmt: skip
    assert "v0.9.1" in tags  # the tag on a release branch came along


def test_remote_head_without_cloning(tmp_path: Path) -> None:
    source = generate(tmp_path / "src", "proj", commits=3, tags=0)
    url = serve(source, tmp_path / "proj.git")
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    assert checkout.remote_head(url, timeout=30) == head
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "empty.git")], check=True)
    with pytest.raises(checkout.GitError, match="no HEAD"):
        checkout.remote_head((tmp_path / "empty.git").as_uri(), timeout=30)
    with pytest.raises(checkout.GitError, match=r"^git ls-remote failed: fatal: .*nowhere\.git"):
        checkout.remote_head((tmp_path / "nowhere.git").as_uri(), timeout=30)


def test_transports_that_run_commands_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(checkout.GitError):
        checkout.remote_head(f"ext::sh -c touch% {marker}", timeout=30)
    with pytest.raises(checkout.GitError):
        checkout.clone(f"ext::sh -c touch% {marker}", tmp_path / "x", timeout=30)
    assert not marker.exists()


def test_local_snapshot_follows_the_working_tree(tmp_path: Path) -> None:
    root = generate(tmp_path / "proj", "proj", commits=2, tags=0)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    revision, first = checkout.local_snapshot(root)
    assert revision == head and first.startswith(f"{head}+")
    assert checkout.local_snapshot(root) == (revision, first)  # stable
    (root / "NEW.md").write_text("new\n")
    _, second = checkout.local_snapshot(root)
    assert second != first
    (root / "NEW.md").unlink()
    (root / "README.md").write_text("changed\n")
    assert checkout.local_snapshot(root)[1] not in (first, second)
    (root / "outside").symlink_to("/")  # not followed: the digest stays small and local
    assert checkout.local_snapshot(root)[1]
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "f").write_text("x")
    assert checkout.local_snapshot(plain)[0] is None
