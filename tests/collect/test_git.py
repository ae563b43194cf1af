"""Git facts from real repositories built with git in a temporary directory."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from steward.collect.git import collect_git
from tests.collect.gitrepo import commit, git, git_env, init

DAY = 86_400


def test_history_authors_trailers_and_tags(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    now = int(time.time())
    first = commit(root, "first", {"a.txt": "1"}, when=now - 10 * DAY)
    commit(root, "second\n\nSigned-off-by: Bob <bob@example.org>", {"a.txt": "2"},
           author=("Bob", "Bob@Example.org"), when=now - 5 * DAY)  # fmt: skip
    third = commit(root, "third\n\nReviewed-by: Carol <carol@example.org>", {"b.txt": "3"},
                   when=now - DAY)  # fmt: skip
    git(root, "tag", "v0.1.0", first)
    git(root, "tag", "-a", "v0.2.0", "-m", "release 0.2.0", env=git_env(when=now))
    facts, problems = collect_git(root)
    assert problems == []
    assert facts is not None
    assert facts.head == third and facts.branch == "main"
    assert [c.subject for c in facts.commits] == ["third", "second", "first"]
    assert facts.commits[1].author_email == "bob@example.org"
    assert facts.commits[1].signed_off and not facts.commits[0].signed_off
    assert facts.commits[0].reviewed
    assert all(c.signature == "N" for c in facts.commits)
    assert not facts.truncated
    tags = {t.name: t for t in facts.tags}
    assert set(tags) == {"v0.1.0", "v0.2.0"}
    assert not tags["v0.1.0"].annotated and tags["v0.2.0"].annotated
    assert tags["v0.1.0"].commit == first and tags["v0.2.0"].commit == third
    assert not tags["v0.2.0"].signed


def test_history_is_capped(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    for i in range(5):
        commit(root, f"c{i}", {"f": str(i)})
    facts, _ = collect_git(root, max_commits=3)
    assert facts is not None
    assert len(facts.commits) == 3 and facts.truncated
    assert facts.commits[0].subject == "c4"


def test_not_a_repository_and_empty_repository(tmp_path: Path) -> None:
    assert collect_git(tmp_path) == (None, [])
    root = init(tmp_path / "empty")
    facts, problems = collect_git(root)
    assert facts is not None and facts.head is None and facts.commits == ()
    assert problems == []


def _repo_with_signed_commit(path: Path) -> Path:
    """A repository whose HEAD commit carries a (garbage) gpgsig header, on top of "base"."""
    root = init(path)
    commit(root, "base", {"a": "1"})
    tree = git(root, "rev-parse", "HEAD^{tree}")
    parent = git(root, "rev-parse", "HEAD")
    raw = (
        f"tree {tree}\nparent {parent}\nauthor A <a@example.org> 1700000000 +0000\n"
        "committer A <a@example.org> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        "\nsigned commit\n"
    )
    sha = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=raw, capture_output=True, text=True, check=True, env=git_env(),
    ).stdout.strip()  # fmt: skip
    git(root, "update-ref", "refs/heads/main", sha)
    return root


def test_hostile_gpg_program_in_repo_config_is_not_run(tmp_path: Path) -> None:
    """A commit with a signature header makes %G? call gpg; the repository's own config
    must not choose the program."""
    root = _repo_with_signed_commit(tmp_path / "r")
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    evil.chmod(0o755)
    git(root, "config", "gpg.program", str(evil))
    facts, _ = collect_git(root)
    assert facts is not None
    assert facts.commits[0].subject == "signed commit"
    # (a garbage signature reads as "N"; what matters is that git ran our gpg, not theirs:
    # plain `git log --format=%G?` in this repository does create the marker)
    assert not marker.exists()


@pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is not installed")
def test_signed_tag_is_verified_with_available_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    uid = "Release Manager <rm@example.org>"
    gen = subprocess.run(
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
         uid, "ed25519", "sign", "never"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if gen.returncode != 0:
        pytest.skip(f"cannot generate a gpg key here: {gen.stderr.strip()[:200]}")
    root = init(tmp_path / "r")
    commit(root, "release", {"a": "1"})
    env = {**git_env(), "GNUPGHOME": str(home)}
    git(
        root, "-c", "user.signingkey=rm@example.org", "tag", "-s", "v1.0.0", "-m", "v1.0.0", env=env
    )
    git(root, "tag", "-a", "v0.9.0", "-m", "unsigned", "HEAD", env=env)
    facts, _ = collect_git(root)
    assert facts is not None
    tags = {t.name: t for t in facts.tags}
    assert tags["v1.0.0"].signed and tags["v1.0.0"].verified is True
    assert not tags["v0.9.0"].signed and tags["v0.9.0"].verified is None
    # without the key: signed, not verified
    monkeypatch.setenv("GNUPGHOME", str(tmp_path / "empty-gnupg"))
    (tmp_path / "empty-gnupg").mkdir(mode=0o700)
    facts, _ = collect_git(root)
    assert facts is not None
    tag = next(t for t in facts.tags if t.name == "v1.0.0")
    assert tag.signed and tag.verified is None


def test_signatures_beyond_the_verified_window_are_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the newest commits are verified with gpg; older ones are read for a gpgsig header
    (one cat-file process): signed ones read "E" (signed, not verified), unsigned ones "N"."""
    import steward.collect.git as git_module

    root = _repo_with_signed_commit(tmp_path / "r")
    commit(root, "newest, unsigned", {"b": "2"})
    monkeypatch.setattr(git_module, "VERIFY_COMMITS", 1)
    facts, _ = collect_git(root)
    assert facts is not None
    assert [(c.subject, c.signature) for c in facts.commits] == [
        ("newest, unsigned", "N"),
        ("signed commit", "E"),
        ("base", "N"),
    ]


def test_ssh_signed_commits_are_signed_not_unsigned(tmp_path: Path) -> None:
    """held-out-7c (composer/semver): 9 of its 30 newest commits are SSH-signed; git's %G?
    answers "N" for them when no gpg.ssh.allowedSignersFile is configured, so they read as
    unsigned and a fully signed history failed commits_signed. A signature header that cannot
    be checked here is "E" (signed, not verified), inside the verified window too."""
    root = init(tmp_path / "r")
    commit(root, "base", {"a": "1"})
    tree = git(root, "rev-parse", "HEAD^{tree}")
    parent = git(root, "rev-parse", "HEAD")
    raw = (
        f"tree {tree}\nparent {parent}\nauthor A <a@example.org> 1700000000 +0000\n"
        "committer A <a@example.org> 1700000000 +0000\n"
        "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n"
        " -----END SSH SIGNATURE-----\n"
        "\nssh-signed commit\n"
    )
    sha = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=raw, capture_output=True, text=True, check=True, env=git_env(),
    ).stdout.strip()  # fmt: skip
    git(root, "update-ref", "refs/heads/main", sha)
    facts, _ = collect_git(root)
    assert facts is not None
    assert [(c.subject, c.signature) for c in facts.commits] == [
        ("ssh-signed commit", "E"),
        ("base", "N"),
    ]


def test_mailmap_merges_one_person_under_two_addresses(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "a", {"a": "1"}, author=("Dana Doe", "dana@old.example"))
    commit(root, "b", {"a": "2"}, author=("dana", "dana@new.example"))
    commit(
        root,
        ".mailmap",
        {
            ".mailmap": "Dana Doe <dana@new.example> <dana@old.example>\n"
            "Dana Doe <dana@new.example> dana <dana@new.example>\n"
        },
        author=("Dana Doe", "dana@new.example"),
    )
    facts, _ = collect_git(root)
    assert facts is not None
    assert {(c.author_name, c.author_email) for c in facts.commits} == {
        ("Dana Doe", "dana@new.example")
    }


@pytest.mark.parametrize("damage", ["objects", "gitfile", "empty-git-dir"])
def test_unreadable_repository_is_a_problem_not_an_empty_history(
    tmp_path: Path, damage: str
) -> None:
    root = init(tmp_path / "r")
    commit(root, "a", {"a": "1"})
    if damage == "objects":
        for child in (root / ".git" / "objects").iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    elif damage == "gitfile":
        shutil.rmtree(root / ".git")
        (root / ".git").write_text("gitdir: /nonexistent/worktree\n")
    else:
        shutil.rmtree(root / ".git")
        (root / ".git").mkdir()
    facts, problems = collect_git(root)
    assert facts is None or facts.commits == ()
    assert len(problems) == 1 and problems[0].area == "git"
    assert "git" in problems[0].message and problems[0].message.count("\n") == 0
