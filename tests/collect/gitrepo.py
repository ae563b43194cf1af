"""Building small real git repositories for tests (real ``git`` commands, fixed dates)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def git_env(
    name: str = "Alice", email: str = "alice@example.org", when: int | None = None
) -> dict[str, str]:
    stamp = f"{when or int(time.time())} +0000"
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", "-C", str(root), *args], env=env or git_env(), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return proc.stdout.strip()


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def init(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    if files:
        write(root, files)
    return root


def commit(
    root: Path,
    message: str,
    files: dict[str, str | bytes] | None = None,
    *,
    author: tuple[str, str] = ("Alice", "alice@example.org"),
    when: int | None = None,
) -> str:
    if files:
        write(root, files)
    env = git_env(author[0], author[1], when)
    git(root, "add", "-A", env=env)
    git(root, "commit", "-q", "--allow-empty", "-m", message, env=env)
    return git(root, "rev-parse", "HEAD")
