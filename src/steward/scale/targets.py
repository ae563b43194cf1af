"""What ``steward assess-many`` assesses: targets, and the two list formats that name them.

A :class:`Target` is one repository: a git URL to clone, or a local checkout assessed in
place. Its ``key`` (the normalised URL, or the absolute path) is what results, the cache and
a resumed run know it by; two list entries with the same key are one target.

List formats:

- a text file, one target per line (a git URL, or a path relative to the list's
  directory); blank lines and ``#`` comments are skipped;
- an organisation manifest: a ``steward.yml`` whose ``projects:`` section lists
  ``{url: ...}`` or ``{path: ...}`` entries (or plain strings), each with an optional
  ``name`` (validated by :mod:`steward.projectconfig`; paths relative to the manifest).

Errors are :class:`~steward.errors.InputError` naming the file and line: an entry that is
neither a git URL of an allowed kind nor an existing directory stops the run before any
work, and so does a list naming no repository at all (an empty file, only comments).
Allowed URLs: ``https://``, ``http://``, ``ssh://``, ``git://``, ``file://`` and scp-like
``user@host:path``; git's command transports (``ext::``, ``fd::``) and anything starting
with ``-`` are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from steward.errors import InputError, UnsafeInputError
from steward.safeio import read_text

MAX_LIST_BYTES = 256 * 1024 * 1024

_URL = re.compile(r"^(https?|ssh|git|file)://[^\s]+$", re.IGNORECASE)
_SCP = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$")
_MANIFEST_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, slots=True)
class Target:
    """One repository to assess.

    ``key``: the identity (normalised URL without a trailing ``/`` or ``.git``, or the
    absolute path); ``location``: what git clones (a URL) or the checkout (a path);
    ``remote``: True for a URL; ``name``: a display name given by the list, if any;
    ``sources``: where it was listed (``repos.txt:3``, ``bom.cdx.json pkg:npm/x@1``);
    ``components``: the SBOM components (purls) whose upstream it is, if it came from an
    SBOM; ``via``: how an SBOM component's repository was found.
    """

    key: str
    location: str
    remote: bool
    name: str | None = None
    sources: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    via: str | None = None

    def label(self) -> str:
        """A short name for progress lines and tables."""
        if self.name:
            return self.name
        tail = self.key.rstrip("/").rsplit("/", 1)[-1]
        return tail or self.key


@dataclass
class TargetList:
    """Targets in list order (duplicates merged) and what could not become a target."""

    targets: list[Target] = field(default_factory=list)
    #: SBOM components without an upstream repository: (purl or name, reason)
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0


def is_git_url(text: str) -> bool:
    """Whether ``text`` is a git URL of an allowed kind (see the module docstring)."""
    if text.startswith("-") or "::" in text:
        return False
    return bool(_URL.match(text) or _SCP.match(text))


def url_key(url: str) -> str:
    """The identity of a repository URL: scheme and host lower-cased, no credentials, no
    trailing ``/`` or ``.git`` (``https://GitHub.com/o/r.git/`` → ``https://github.com/o/r``)."""
    m = re.match(r"^([A-Za-z]+)://(?:[^@/]*@)?([^/]+)(/.*)?$", url)
    if m is None:  # scp-like user@host:path
        user_host, _, path = url.partition(":")
        host = user_host.rsplit("@", 1)[-1].lower()
        return f"{host}:{path.rstrip('/').removesuffix('.git')}"
    scheme, host, path = m.group(1).lower(), m.group(2).lower(), m.group(3) or ""
    return f"{scheme}://{host}{path.rstrip('/').removesuffix('.git')}"


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^@/\s]+@")


def redact(text: str) -> str:
    """``text`` with the credentials of any ``scheme://user:secret@host`` URL in it removed
    (rows and messages must not carry tokens written into a list)."""
    return _USERINFO.sub(lambda m: m.group(1), text)


def target_for(entry: str, *, base: Path, source: str, name: str | None = None) -> Target:
    """The target an entry names: a git URL, or a directory relative to ``base``.

    Raises :class:`InputError` (with ``source`` as the place) when it is neither.
    """
    text = entry.strip()
    if is_git_url(text):
        return Target(key=url_key(text), location=text, remote=True, name=name, sources=(source,))
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*::?", text) and not Path(text).exists():
        raise InputError(f"not an allowed git URL or a directory: {text}", source=source)
    path = (base / text).resolve() if not Path(text).is_absolute() else Path(text).resolve()
    if not path.is_dir():
        raise InputError(f"not a git URL or a directory: {text}", source=source)
    return Target(key=str(path), location=str(path), remote=False, name=name, sources=(source,))


def _merged(known: Target, other: Target) -> Target:
    return Target(
        key=known.key,
        location=known.location,
        remote=known.remote,
        name=known.name or other.name,
        sources=known.sources + other.sources,
        components=tuple(sorted({*known.components, *other.components})),
        via=known.via or other.via,
    )


def merge_targets(targets: list[Target]) -> TargetList:
    """Targets in first-seen order, entries with the same key merged into one."""
    found = TargetList()
    index: dict[str, int] = {}
    for target in targets:
        at = index.get(target.key)
        if at is None:
            index[target.key] = len(found.targets)
            found.targets.append(target)
        else:
            found.targets[at] = _merged(found.targets[at], target)
            found.duplicates += 1
    return found


#: the longest line of a text list: a URL or a path (PATH_MAX is 4096) with room to spare
MAX_LINE_CHARS = 8192


def read_text_list(path: Path) -> TargetList:
    """Targets of a text list: one git URL or directory per line (see the module docstring)."""
    text = read_text(path, max_bytes=MAX_LIST_BYTES)
    targets: list[Target] = []
    base = path.resolve().parent
    for number, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE_CHARS:
            raise UnsafeInputError(
                f"line longer than {MAX_LINE_CHARS} characters (limit on line length)",
                source=path,
                line=number,
            )
        line = raw.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        targets.append(target_for(line, base=base, source=f"{path}:{number}"))
    if not targets:  # like a manifest without projects: a wrong or truncated list, not a run
        raise InputError(
            "no repositories listed, only blank lines or comments (nothing to assess)",
            source=path,
        )
    return merge_targets(targets)


def read_manifest(path: Path) -> TargetList:
    """Targets of an organisation manifest (``steward.yml`` with a ``projects:`` section)."""
    from steward.projectconfig import MAX_BYTES, parse_project_config

    config = parse_project_config(read_text(path, max_bytes=MAX_BYTES), source=str(path))
    if not config.projects:
        raise InputError("no projects: section (nothing to assess)", source=path)
    base = path.resolve().parent
    targets = [
        target_for(
            project.url or project.path or "",
            base=base,
            source=f"{path}:{project.line}" if project.line else str(path),
            name=project.name,
        )
        for project in config.projects
    ]
    return merge_targets(targets)


def read_list(path: Path) -> TargetList:
    """A manifest when the name ends in ``.yml``/``.yaml``, otherwise a text list."""
    if not path.is_file():
        raise InputError("not a readable file", source=path)
    if path.suffix.lower() in _MANIFEST_SUFFIXES:
        return read_manifest(path)
    return read_text_list(path)
