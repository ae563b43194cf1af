"""Local git history: commits, tags, signatures — through as few git processes as possible.

History is read by ONE ``git log -z`` process whose output is streamed and split on NUL, so
memory stays flat however long the history. It reads at most ``max_commits`` commits (the
most recent; default 1000): every probe looks at recent history only, and ``%G?`` makes git
run gpg once per signed commit, which would dominate the run time on a long, fully signed
history. Tags come from one ``git for-each-ref``; a signed tag is verified with
``git verify-tag`` (at most ``MAX_VERIFY`` of the newest) when gpg is installed — without the
signer's key the result is "signed, not verified" (``verified=None``), never a pass on trust.

git runs through :mod:`steward.gitsafe`: a clean, non-interactive environment, and every
option a hostile ``.git/config`` could use to run a program (fsmonitor, hooks, gpg, ssh,
pager, filter and diff drivers...) pinned on the command line, which overrides the
repository's configuration.

Author names and e-mails are read through the project's ``.mailmap`` (``%aN``/``%aE``), so one
person under two addresses is one author. When git is installed but cannot read the
repository (a corrupt object store, a missing HEAD object, a failing ``git log``), the
failure becomes a ``Problem`` in area ``git`` (``git-tags`` for the tag listing): the probes
that need history report ``error`` with that message, never a ``fail``. A shallow clone
(``--depth``; actions/checkout fetches one commit and no tags by default) is a warning in
area ``git-shallow``: what its cut history does not show (a second author, a release tag,
sign-offs) is ``unknown`` there, never a ``fail``.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from steward.collect.facts import Commit, GitFacts, Problem, Source, Tag
from steward.gitsafe import git_command, git_env, run_git

MAX_COMMITS = 1000
#: the warning for a shallow clone, whose missing history and tags say nothing of the project
SHALLOW = (
    "shallow clone: history and tags beyond the fetched depth are missing (clone with full "
    "history, e.g. actions/checkout with fetch-depth: 0)"
)
MAX_VERIFY = 10
#: newest commits whose signatures are verified (``%G?`` starts gpg once per signed commit,
#: seconds on a long signed history); older ones are only checked for a signature header
VERIFY_COMMITS = 50
_SEP = "\x1f"
_FORMAT = _SEP.join(["%H", "%ct", "%aN", "%aE", "?", "%P", "%s", "%B"])
# a sign-off or review line anywhere in the message, at the start of a line, as the DCO app
# reads them, not only git's trailer block (the last paragraph): Jakarta Messaging's
# contributors wrote "Signed-off-by:" on the line under the subject, without the blank line
# that makes it a trailer (13 of its 33 signed-off commits, held-out-12e)
_SIGNED_OFF = re.compile(r"^[ \t]*Signed-off-by[ \t]*:[ \t]*\S", re.I | re.M)
_REVIEWED = re.compile(r"^[ \t]*(?:Reviewed|Approved|Acked)-by[ \t]*:[ \t]*\S", re.I | re.M)


def _env() -> dict[str, str]:
    return git_env()


def _git(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return run_git(root, *args, timeout=timeout)


def is_repository(root: Path) -> bool:
    return (root / ".git").exists()


def collect_git(
    root: Path, *, max_commits: int = MAX_COMMITS
) -> tuple[GitFacts | None, list[Problem]]:
    """Facts from the repository at ``root`` (None when it is not a git checkout)."""
    if shutil.which("git") is None:
        return None, [Problem(Source(path="."), "git is not installed", "git")]
    if not is_repository(root):
        return None, []
    problems: list[Problem] = []
    try:
        head_proc = _git(root, "rev-parse", "--verify", "-q", "HEAD")
        head = head_proc.stdout.decode().strip() or None
        branch_proc = _git(root, "symbolic-ref", "-q", "--short", "HEAD")
        branch = branch_proc.stdout.decode().strip() or None
        remote_proc = _git(root, "config", "--get", "remote.origin.url")
        remote = remote_proc.stdout.decode().strip() or None
        shallow_proc = _git(root, "rev-parse", "--is-shallow-repository")
        shallow = shallow_proc.stdout.decode().strip() == "true"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, [Problem(Source(path=".git"), f"git cannot read the repository: {exc}", "git")]
    if head is None and (failure := _unreadable(root, head_proc)):
        why = f"git cannot read the repository: {failure}"
        return None, [Problem(Source(path=".git"), why, "git")]
    commits: list[Commit] = []
    truncated = False
    if head:
        try:
            commits, truncated = _read_log(root, max_commits)
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            problems.append(Problem(Source(path=".git"), f"git log failed: {exc}", "git"))
    try:
        tags = _read_tags(root)
    except (OSError, subprocess.SubprocessError) as exc:
        problems.append(Problem(Source(path=".git"), f"git for-each-ref failed: {exc}", "git-tags"))
        tags = []
    try:
        bot_changes = _bot_changes(root, commits) if commits else []
    except (OSError, subprocess.SubprocessError) as exc:
        # only the update bots' files are missing: dependency scanning cannot be told, the
        # history probes still can (area ``git-bots``, not ``git``)
        problems.append(Problem(Source(path=".git"), f"git log failed: {exc}", "git-bots"))
        bot_changes = []
    facts = GitFacts(head, branch, tuple(commits), truncated, tuple(tags), remote)
    if shallow:
        problems.append(Problem(Source(path=".git"), SHALLOW, "git-shallow"))
    return dataclasses.replace(facts, bot_changes=tuple(bot_changes), shallow=shallow), problems


#: the update bots' commit identities on GitHub (as ``git log --author`` matches them)
UPDATE_BOT_AUTHOR = r"(dependabot|renovate)(-preview)?\[bot\]"
MAX_BOT_COMMITS = 50
_YEAR = 365 * 86_400


def _bot_changes(root: Path, commits: list[Commit]) -> list[tuple[str, tuple[str, ...]]]:
    """The files changed by the update bots' commits of the year before the newest commit
    (at most ``MAX_BOT_COMMITS``), through one ``git log --name-only``: which ecosystems a bot
    updates shows what it watches (Dependabot's security updates run without a configuration
    file). Only commits made after the last change of a bot's configuration file count (a
    second ``git log``). Raises ``subprocess.SubprocessError`` when git fails."""
    since = commits[0].timestamp - _YEAR
    proc = _git(root, "log", "-E", "-i", f"--author={UPDATE_BOT_AUTHOR}", "--no-merges",
                f"--max-count={MAX_BOT_COMMITS}", f"--since=@{since}", "--name-only",
                "--format=%x01%H %ct", "HEAD", "--")  # fmt: skip
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise subprocess.SubprocessError(message[0] if message else "git log failed")
    out: list[tuple[str, tuple[str, ...]]] = []
    times: dict[str, int] = {}
    for record in proc.stdout.decode("utf-8", errors="replace").split("\x01")[1:]:
        head, *paths = [line.strip() for line in record.splitlines() if line.strip()]
        sha, _, when = head.partition(" ")
        times[sha] = int(when) if when.isdigit() else 0
        out.append((sha, tuple(paths)))
    if not out:
        return out
    # a bot's commit from before the last change of its configuration may come from a
    # configuration that watched more (pallets/markupsafe: "remove dependabot", after a year
    # of grouped pip updates): only the commits after it show what the bot does now
    last = _git(root, "log", "-1", "--format=%ct", "HEAD", "--", *UPDATE_BOT_CONFIGS)
    if last.returncode != 0:
        message = last.stderr.decode(errors="replace").strip().splitlines()
        raise subprocess.SubprocessError(message[0] if message else "git log failed")
    changed = last.stdout.decode().strip()
    if changed.isdigit():
        out = [(sha, paths) for sha, paths in out if times[sha] > int(changed)]
    return out


#: where Dependabot and Renovate read their configuration (Renovate's repository files)
UPDATE_BOT_CONFIGS = (
    ".github/dependabot.yml", ".github/dependabot.yaml", "renovate.json", "renovate.json5",
    ".github/renovate.json", ".github/renovate.json5", ".gitlab/renovate.json",
    ".gitlab/renovate.json5", ".renovaterc", ".renovaterc.json", ".renovaterc.json5",
)  # fmt: skip


def _unreadable(root: Path, head_proc: subprocess.CompletedProcess[bytes]) -> str | None:
    """Why git cannot read the repository, or None when it is just empty (no commit yet)."""
    message = head_proc.stderr.decode(errors="replace").strip()
    if message:
        return message.splitlines()[0]
    check = _git(root, "rev-parse", "--git-dir")
    if check.returncode != 0:
        lines = check.stderr.decode(errors="replace").strip().splitlines()
        return lines[0] if lines else f"git rev-parse failed (exit {check.returncode})"
    symbolic = _git(root, "symbolic-ref", "-q", "HEAD")
    ref = symbolic.stdout.decode().strip()
    if ref:
        exists = _git(root, "show-ref", "--verify", "-q", ref)
        if exists.returncode == 0:  # the branch exists but HEAD cannot be resolved
            return f"HEAD ({ref}) cannot be resolved"
    return None


def _read_log(root: Path, max_commits: int) -> tuple[list[Commit], bool]:
    cmd = git_command("log", "-z", "--no-color", f"--max-count={max_commits + 1}",
                      f"--format={_FORMAT}", "HEAD", "--", cwd=root)  # fmt: skip
    commits: list[Commit] = []
    truncated = False
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process
    with errors, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, env=_env()) as proc:
        assert proc.stdout is not None
        pending = b""
        while True:
            chunk = proc.stdout.read(1 << 16)
            if not chunk:
                break
            pending += chunk
            *records, pending = pending.split(b"\x00")
            for record in records:
                if len(commits) >= max_commits:
                    truncated = True
                    break
                commits.append(_parse_commit(record))
        if pending.strip() and len(commits) < max_commits:
            commits.append(_parse_commit(pending))
        elif pending.strip():
            truncated = True
        proc.wait()
        if proc.returncode != 0 and not truncated:
            errors.seek(0)
            message = errors.read(4096).decode(errors="replace").strip()
            raise subprocess.SubprocessError(
                message.splitlines()[0] if message else f"exit status {proc.returncode}"
            )
    return _with_signatures(root, commits), truncated


def _with_signatures(root: Path, commits: list[Commit]) -> list[Commit]:
    """Fill ``signature``: verified (``%G?``) for the newest commits, present/absent for the rest.

    Older commits get ``E`` ("signed, cannot be checked here") when their object carries a
    ``gpgsig`` header, read for all of them through one ``git cat-file --batch`` process. So
    do the newest ones for which ``%G?`` says ``N`` while their object carries a signature:
    git answers ``N`` for an SSH signature when no ``gpg.ssh.allowedSignersFile`` is
    configured (never here: the signers are the forge's to know) and for an X.509 one without
    gpgsm, so a history signed with SSH keys is not "unsigned".
    """
    if not commits:
        return commits
    verified: dict[str, str] = {}
    proc = _git(root, "log", "-z", f"--max-count={VERIFY_COMMITS}", "--format=%H %G?", "HEAD", "--")
    for record in proc.stdout.decode("utf-8", errors="replace").split("\x00"):
        sha, _, code = record.strip().partition(" ")
        if sha and code:
            verified[sha] = code
    rest = [c.sha for c in commits if verified.get(c.sha, "N") == "N"]
    if rest:
        batch = run_git(
            root, "cat-file", "--batch", input=("\n".join(rest) + "\n").encode(), timeout=120
        )
        data = batch.stdout
        offset = 0
        while offset < len(data):
            newline = data.find(b"\n", offset)
            if newline < 0:
                break
            header = data[offset:newline].split()
            offset = newline + 1
            if len(header) != 3 or header[1] != b"commit":
                continue
            size = int(header[2])
            body = data[offset : offset + size]
            offset += size + 1
            headers = body.split(b"\n\n", 1)[0]
            signed = b"\ngpgsig " in headers or b"\ngpgsig-sha256 " in headers
            verified[header[0].decode()] = "E" if signed else "N"
    return [dataclasses.replace(c, signature=verified.get(c.sha, "N")) for c in commits]


def _parse_commit(record: bytes) -> Commit:
    fields = record.decode("utf-8", errors="replace").lstrip("\n").split(_SEP)
    if len(fields) < 8:
        raise ValueError(f"unexpected git log record ({len(fields)} fields)")
    sha, ts, name, email, sig, parents, subject = fields[:7]
    message = _SEP.join(fields[7:])
    return Commit(
        sha=sha,
        timestamp=int(ts or 0),
        author_name=name,
        author_email=email.lower(),
        signature=sig or "N",
        parents=len(parents.split()),
        signed_off=bool(_SIGNED_OFF.search(message)),
        reviewed=bool(_REVIEWED.search(message)),
        subject=subject.strip(),
    )


def _read_tags(root: Path) -> list[Tag]:
    fmt = _SEP.join(["%(refname:short)", "%(objecttype)", "%(creatordate:unix)",
                     "%(*objectname)%(objectname)", "%(contents:signature)"]) + "%00"  # fmt: skip
    proc = _git(root, "for-each-ref", "--sort=-creatordate", f"--format={fmt}", "refs/tags")
    if proc.returncode != 0:
        raise subprocess.SubprocessError(proc.stderr.decode(errors="replace").strip())
    raw = [r for r in proc.stdout.decode("utf-8", errors="replace").split("\x00\n") if r.strip()]
    tags: list[Tag] = []
    merged = _merged_tags(root)
    can_verify = shutil.which("gpg") is not None
    verified_count = 0
    for record in raw:
        parts = record.lstrip("\n").split(_SEP)
        if len(parts) < 5:
            continue
        name, objtype, date, objects, signature = parts[0], parts[1], parts[2], parts[3], parts[4]
        annotated = objtype == "tag"
        signed = annotated and "BEGIN" in signature and "SIGNATURE" in signature
        verified: bool | None = None
        if signed and can_verify and verified_count < MAX_VERIFY:
            verified_count += 1
            check = _git(root, "verify-tag", "--raw", name, timeout=30)
            status = check.stderr.decode(errors="replace")
            if "GOODSIG" in status and "VALIDSIG" in status:
                verified = True
            elif "BADSIG" in status:
                verified = False
        commit = objects[:40] if len(objects) >= 40 else None
        when = int(date) if date.isdigit() else None
        in_head = None if merged is None else name in merged
        tags.append(Tag(name, annotated, signed, verified, when, commit, in_head))
    return tags


def _merged_tags(root: Path) -> set[str] | None:
    """The tags in HEAD's history (``git tag --merged HEAD``), or None when git cannot say
    (no HEAD, an error)."""
    try:
        proc = _git(root, "for-each-ref", "--merged=HEAD", "--format=%(refname:short)", "refs/tags")
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return set(proc.stdout.decode("utf-8", errors="replace").split())


def last_changed(root: Path, path: str) -> int | None:
    """When ``path`` was last changed in HEAD's history (committer time, Unix seconds), or
    None when git cannot tell (not a checkout, never committed, git failed)."""
    try:
        proc = _git(root, "log", "-1", "--format=%ct", "HEAD", "--", path)
    except (OSError, subprocess.SubprocessError):
        return None
    text = proc.stdout.decode().strip() if proc.returncode == 0 else ""
    return int(text) if text.isdigit() else None
