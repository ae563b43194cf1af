"""Running what the repository says (issue 18, kind 2): a planted ``.git/config`` never runs.

A checkout whose ``.git/config`` names a canary program for every hook git offers for running
commands (fsmonitor, hooks, pager, ssh, askpass, editor, filter/diff/merge drivers, aliases)
is put through every command that runs git on it: ``sbom DIR``, ``vulns DIR``, ``assess`` and
``assess-many``. The canary leaves a file when it runs; it must never. A control run of plain
``git describe --dirty`` proves the planted configuration does run it without the guard.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import Outcome, Sandbox

_KEYS = {
    "core.fsmonitor": "{canary} fsmonitor",
    "core.hooksPath": "{hooks}",
    "core.pager": "{canary} pager",
    "core.sshCommand": "{canary} ssh",
    "core.askPass": "{canary} askpass",
    "core.editor": "{canary} editor",
    "core.gitProxy": "{canary} proxy",
    "credential.helper": "!{canary} credential",
    "diff.external": "{canary} external-diff",
    "filter.evil.clean": "{canary} clean",
    "filter.evil.smudge": "{canary} smudge",
    "filter.evil.process": "{canary} process",
    "diff.evil.textconv": "{canary} textconv",
    "merge.evil.driver": "{canary} merge",
    "alias.describe": "!{canary} alias-describe",
    "alias.log": "!{canary} alias-log",
    "gpg.program": "{canary} gpg",
}


def _git(cwd: Path, *args: str) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ann",
        "GIT_AUTHOR_EMAIL": "ann@example.org",
        "GIT_COMMITTER_NAME": "Ann",
        "GIT_COMMITTER_EMAIL": "ann@example.org",
    }
    subprocess.run(
        ["git", "-C", str(cwd), *args],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
    )


def plant(root: Path, marker_dir: Path) -> Path:
    """Make ``root`` a git checkout (one commit, tag v1.2.3) with the canary planted."""
    canary = marker_dir / "canary.sh"
    canary.write_text(f'#!/bin/sh\ntouch "{marker_dir}/ran-$1"\n')
    canary.chmod(0o755)
    hooks = marker_dir / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        (hooks / hook).write_text(f'#!/bin/sh\ntouch "{marker_dir}/ran-hook-{hook}"\n')
        (hooks / hook).chmod(0o755)
    _git(root, "init", "-q", "-b", "main")
    (root / ".gitattributes").write_text("* filter=evil diff=evil merge=evil\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "initial")
    _git(root, "tag", "v1.2.3")
    _git(root, "remote", "add", "origin", "https://github.com/acme/demo.git")
    for key, value in _KEYS.items():
        _git(root, "config", key, value.format(canary=canary, hooks=hooks))
    (root / "requirements.txt").write_text("flask==3.0.0\n# touched after the commit\n")
    return canary


def ran(marker_dir: Path) -> list[str]:
    return sorted(p.name for p in marker_dir.glob("ran-*"))


@pytest.fixture
def planted(sandbox: Sandbox) -> tuple[Sandbox, Path]:
    markers = sandbox.base / "markers"
    markers.mkdir()
    plant(sandbox.root, markers)
    return sandbox, markers


def test_control_the_planted_config_runs_without_the_guard(
    planted: tuple[Sandbox, Path],
) -> None:
    box, markers = planted
    subprocess.run(
        ["git", "-C", str(box.root), "describe", "--tags", "--dirty"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env={"PATH": os.environ["PATH"], "HOME": str(box.base), "GIT_CONFIG_NOSYSTEM": "1"},
        timeout=60,
        check=False,
    )
    assert "ran-fsmonitor" in ran(markers), "the reproducer no longer reproduces"


def test_gitsafe_describe_dirty_runs_nothing(planted: tuple[Sandbox, Path]) -> None:
    from steward.gitsafe import run_git

    box, markers = planted
    for args in (
        ("describe", "--tags", "--dirty"),
        ("status", "--porcelain"),
        ("diff", "HEAD"),
        ("log", "-p", "-1"),
        ("show", "HEAD"),
    ):
        done = run_git(box.root, *args)
        assert done.returncode == 0, (args, done.stderr)
    assert ran(markers) == []
    describe = run_git(box.root, "describe", "--tags", "--dirty")
    assert describe.stdout.decode().strip() == "v1.2.3-dirty"


@pytest.mark.parametrize(
    "argv",
    [
        ("sbom", "{root}", "-o", "{out}"),
        ("vulns", "{root}", "--db", "{db}", "-o", "{out}"),
        ("assess", "{root}", "-o", "{out}"),
        ("assess", "{root}", "--only", "STW-REL-01", "-f", "json", "-o", "{out}"),
    ],
    ids=["sbom", "vulns", "assess", "assess-release"],
)
def test_commands_never_run_the_planted_config(
    argv: tuple[str, ...],
    planted: tuple[Sandbox, Path],
    run_guarded: Callable[..., Outcome],
) -> None:
    box, markers = planted
    values = {"root": str(box.root), "out": str(box.out), "db": str(box.base / "state/v.db")}
    if argv[0] == "vulns":
        from tests.hostile.test_matrix import _OSV

        osv = box.base / "osv.json"
        osv.write_bytes(_OSV)
        run_guarded("db", "import", str(osv), "--db", values["db"])
    args = [t.format(**values) for t in argv]
    result = run_guarded(*args, limit=120)
    assert result.exit_code in (0, 1), result.stderr
    assert ran(markers) == [], f"planted commands ran: {ran(markers)}"
    if argv[0] == "sbom":  # the tag was still read, through the guarded git
        assert '"version": "1.2.3"' in box.out.read_text()


def test_assess_many_never_runs_the_planted_config(
    planted: tuple[Sandbox, Path], run_guarded: Callable[..., Outcome]
) -> None:
    box, markers = planted
    repos = box.base / "repos.txt"
    repos.write_text(f"{box.root}\n")
    result = run_guarded(
        "assess-many", str(repos), "-o", str(box.out), "--no-cache", "-j", "1", limit=180
    )
    assert result.exit_code in (0, 1), result.stderr
    assert box.out.read_text().strip(), "no row written"
    assert ran(markers) == [], f"planted commands ran: {ran(markers)}"
