"""Running git on an untrusted checkout: the one helper every git call in Steward goes through.

A repository's own ``.git/config`` can name programs that git runs by itself: ``core.fsmonitor``
(run by any command that looks at the index, e.g. ``git describe --dirty``), hooks
(``core.hooksPath``), ``core.sshCommand``, ``core.pager``, ``core.askPass``, ``core.editor``,
credential helpers, ``gpg.*.program``, and per-driver commands (``filter.<d>.clean/smudge/
process``, ``diff.<d>.textconv/command``, ``merge.<d>.driver``), any of which would run a
command planted by whoever wrote the repository. Values given with ``-c`` on the command line
win over the repository's, so :func:`git_command` pins every one of them to something inert,
including the per-driver ones it finds in the repository's configuration (read with ``git
config --name-only``, which runs nothing). Aliases cannot shadow the built-in commands Steward
runs; ``protocol.ext`` (a transport that runs a command) is refused.

:func:`git_env` is the environment: no system or global configuration, no terminal prompts,
no pager or editor, an askpass that answers nothing, batch-mode ssh, no replace objects (a
repository cannot rewrite the history Steward reads), C locale. ``safe.directory=*`` lets git
read a checkout owned by another user (Steward runs as root in CI containers) — safe because
nothing in the repository's configuration can run a program any more.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

#: the transports a clone may use (``ext::`` and the like never)
ALLOWED_PROTOCOLS = "https:http:git:ssh:file"

#: options that name programs, pinned to inert values on every git command line
SAFE_CONFIG: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.sshCommand=ssh -o BatchMode=yes",
    "-c", "core.pager=cat",
    "-c", "core.editor=:",
    "-c", "core.askPass=",
    "-c", "core.gitProxy=",
    "-c", "credential.helper=",
    "-c", "diff.external=true",
    "-c", "gpg.program=gpg",
    "-c", "gpg.ssh.program=ssh-keygen",
    "-c", "gpg.x509.program=gpgsm",
    "-c", "protocol.ext.allow=never",
    "-c", "safe.directory=*",
)  # fmt: skip

#: per-driver keys that name programs (driver names come from the repository), and the inert
#: program each is pinned to: ``cat`` converts nothing, ``true`` shows no external diff,
#: ``false`` merges nothing, an empty long-running filter fails to start (and is made optional)
_DRIVER_KEY = re.compile(
    r"^(filter|diff|merge|remote)\.(.+)\.(clean|smudge|process|textconv|command|driver"
    r"|uploadpack|receivepack)$",
    re.IGNORECASE,
)
_INERT = {
    "clean": "cat",
    "smudge": "cat",
    "process": "",
    "textconv": "cat",
    "command": "true",
    "driver": "false",
    "uploadpack": "git-upload-pack",
    "receivepack": "git-receive-pack",
}

_PASS_ENV = ("PATH", "LANG", "GNUPGHOME", "SSL_CERT_FILE", "SSL_CERT_DIR", "TMPDIR")


def git_env() -> dict[str, str]:
    """The environment of every git process (see the module docstring)."""
    env = {k: v for k, v in os.environ.items() if k in _PASS_ENV}
    env.update(
        HOME=os.environ.get("HOME", "/nonexistent"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        GIT_EDITOR=":",
        GIT_ASKPASS="true",
        SSH_ASKPASS="true",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_OPTIONAL_LOCKS="0",
        GIT_LFS_SKIP_SMUDGE="1",
        LC_ALL="C",
    )
    return env


def _config_file(root: Path) -> Path | None:
    dotgit = root / ".git"
    if dotgit.is_dir():
        return dotgit / "config"
    return None  # a worktree or submodule (.git file): git finds its config; scanned below


@functools.lru_cache(maxsize=256)
def _driver_overrides_cached(root: str, stamp: tuple[int, int]) -> tuple[str, ...]:
    try:
        done = subprocess.run(
            ["git", "-C", root, *SAFE_CONFIG, "config", "--name-only", "--list", "-z"],
            capture_output=True,
            env=git_env(),
            stdin=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    pinned: list[str] = []
    for raw in done.stdout.split(b"\x00"):
        name = raw.decode("utf-8", "replace").strip()
        found = _DRIVER_KEY.match(name)
        if not found or "=" in name:
            continue
        section, driver, key = found.group(1).lower(), found.group(2), found.group(3).lower()
        if (section, key) not in _SECTION_KEYS:
            continue
        pinned += ["-c", f"{name}={_INERT[key]}"]
        if section == "filter":
            pinned += ["-c", f"filter.{driver}.required=false"]
    return tuple(pinned)


_SECTION_KEYS = frozenset(
    {
        ("filter", "clean"),
        ("filter", "smudge"),
        ("filter", "process"),
        ("diff", "textconv"),
        ("diff", "command"),
        ("merge", "driver"),
        ("remote", "uploadpack"),
        ("remote", "receivepack"),
    }
)


def driver_overrides(root: Path) -> tuple[str, ...]:
    """``-c key=`` for every program-naming per-driver key in ``root``'s configuration."""
    config = _config_file(root)
    try:
        st = config.stat() if config is not None else (root / ".git").stat()
    except OSError:
        return ()
    return _driver_overrides_cached(str(root), (st.st_mtime_ns, st.st_size))


def git_command(*args: str, cwd: Path | None = None) -> list[str]:
    """``git [-C cwd] <pinned safe options> args`` for an untrusted checkout at ``cwd``."""
    if cwd is None:
        return ["git", *SAFE_CONFIG, *args]
    return ["git", "-C", str(cwd), *SAFE_CONFIG, *driver_overrides(cwd), *args]


def run_git(
    root: Path,
    *args: str,
    timeout: float = 60,
    input: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git -C root args`` safely; output as bytes, never raises on a non-zero exit.

    Raises ``OSError`` (git missing) or ``subprocess.TimeoutExpired`` like ``subprocess.run``.
    """
    return subprocess.run(
        git_command(*args, cwd=root),
        capture_output=True,
        env=git_env(),
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
