"""Git operations on repositories nobody vetted: revision look-up, partial clone, disk use.

Every call goes through :func:`git_command`, which pins the options a hostile repository's
configuration could use to run programs (the guarded invocation of
``steward.collect.git``), ignores system and global configuration, never prompts, and limits
transports to https, http, ssh, git and file (``GIT_ALLOW_PROTOCOL``: no ``ext::`` or
``fd::`` commands); a URL is always passed after ``--``. A clone never recurses into
submodules, and a fresh clone has no configuration from the remote, so no filter, hook or
fsmonitor of the remote's choosing can run.

What a clone must contain, measured per probe family (``bench/scale_clones.py``):

- file probes (policy, licence, documentation, dependencies, CI, Dockerfiles, secrets,
  binaries, fuzzing): the tree and blobs of HEAD only;
- history probes (``vcs_public``, ``recent_activity``, ``multiple_maintainers``,
  ``contributor_agreement_enforced``, ``code_review_practised``, ``commits_signed``): the
  commit objects of the newest ``MAX_COMMITS`` + 1 commits, no trees or blobs;
- release probes (``releases_tagged``, ``release_tags_signed``): every tag with its tag
  object and tagged commit, on any branch.

So the clone is *treeless* (``--filter=tree:0``: all commits and tags, trees and blobs only
for the checkout of HEAD), of all branches so that tags on release branches come along. A
shallow clone (``--depth``) is not used: it drops the tags outside the depth, and the release
probes then give different results (measured on real repositories: ``STW-REL-01/03/05``
change at ``--depth 1001``), whereas treeless and blobless clones give results identical to a
full clone at about half its size. Servers without partial-clone support send everything,
which is still correct.

Local checkouts are assessed in place. Their identity for the cache is the commit plus a
digest of the working tree's file metadata (path, size, mode, modification time), read with
``lstat`` only: ``git status`` would run the clean filters a hostile ``.git/config`` may
define, so it is not used.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# The single guarded git invocation (hostile configuration pinned on the command line), so
# that every git call Steward makes is neutralised the same way.
from steward import gitsafe

CLONE_FILTER = "tree:0"
ALLOWED_PROTOCOLS = gitsafe.ALLOWED_PROTOCOLS
_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_PASS_ENV = ("SSH_AUTH_SOCK", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy",
             "http_proxy", "no_proxy", "SSL_CERT_FILE", "GIT_SSL_CAINFO")  # fmt: skip


class GitError(Exception):
    """A git operation failed; ``str()`` is one line for the result row."""


@dataclass(frozen=True, slots=True)
class Clone:
    """A finished clone: where, how big (bytes on disk under ``.git``) and how long."""

    path: Path
    bytes: int
    seconds: float


def git_env() -> dict[str, str]:
    """The environment of every git process: clean, non-interactive, transports limited."""
    env = gitsafe.git_env()
    env.update({k: v for k, v in os.environ.items() if k in _PASS_ENV})
    env.update(
        GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        GIT_ASKPASS="true",
        SSH_ASKPASS="true",
        GIT_LFS_SKIP_SMUDGE="1",
    )
    return env


def git_command(*args: str, cwd: Path | None = None) -> list[str]:
    """``git [-C cwd] <pinned safe options> args``."""
    return gitsafe.git_command(*args, cwd=cwd)


def _run(cmd: list[str], timeout: float, what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            errors="replace",
            env=git_env(),
            timeout=max(timeout, 1.0),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {what} timed out after {timeout:.0f} s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def git_reason(text: str) -> str:
    """git's first ``fatal:``/``error:`` line (later lines are advice), else its last line, with
    any credentials in a URL removed (``steward assess URL`` and the service use it too)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next((x for x in lines if x.startswith(("fatal:", "error:"))), None)
    from steward.scale.targets import redact

    return redact(first or (lines[-1] if lines else "no message"))[:300]


def remote_head(url: str, *, timeout: float) -> str:
    """The commit the remote's HEAD points at (``git ls-remote``), without cloning."""
    done = _run(git_command("ls-remote", "--", url, "HEAD"), timeout, "ls-remote")
    if done.returncode != 0:
        raise GitError(f"git ls-remote failed: {git_reason(done.stderr)}")
    for line in done.stdout.splitlines():
        sha, _, ref = line.partition("\t")
        if ref.strip() == "HEAD" and _SHA.match(sha):
            return sha
    raise GitError("the remote has no HEAD (empty repository?)")


def clone(url: str, dest: Path, *, timeout: float) -> Clone:
    """A treeless partial clone of ``url`` into ``dest`` (see the module docstring)."""
    started = time.monotonic()
    cmd = git_command(
        "clone", "--quiet", "--no-recurse-submodules", f"--filter={CLONE_FILTER}",
        "--", url, str(dest),
    )  # fmt: skip
    done = _run(cmd, timeout, "clone")
    if done.returncode != 0:
        raise GitError(f"git clone failed: {git_reason(done.stderr)}")
    return Clone(dest, disk_usage(dest / ".git"), time.monotonic() - started)


def local_revision(root: Path, *, timeout: float = 60) -> str | None:
    """HEAD of the checkout at ``root`` (None when it is not a git checkout or has no
    commit)."""
    if not (root / ".git").exists():
        return None
    done = _run(git_command("rev-parse", "--verify", "-q", "HEAD", cwd=root), timeout, "rev-parse")
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and _SHA.match(sha) else None


def worktree_digest(root: Path) -> str:
    """A digest of the working tree's file metadata (``.git`` directories skipped;
    symlinks not followed). Any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name == ".git":
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            rel = os.path.relpath(entry.path, root)
            digest.update(f"{rel}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
            if stat.S_ISDIR(info.st_mode):
                stack.append(Path(entry.path))
    return digest.hexdigest()[:16]


def local_snapshot(root: Path) -> tuple[str | None, str]:
    """(HEAD or None, the cache identity of the checkout: ``HEAD+worktree-digest``)."""
    revision = local_revision(root)
    return revision, f"{revision or 'no-commit'}+{worktree_digest(root)}"


def disk_usage(path: Path) -> int:
    """Bytes allocated on disk under ``path`` (symlinks not followed; 0 when missing)."""
    total = 0
    stack = [path]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += getattr(info, "st_blocks", 0) * 512 or info.st_size
                    if stat.S_ISDIR(info.st_mode):
                        stack.append(Path(entry.path))
        except OSError:
            continue
    return total
