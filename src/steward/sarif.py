"""What every Steward SARIF 2.1.0 log shares (assess, vulns): envelope, locations, limits.

Callers build their own rules and results with the helpers here; :func:`sarif_log` adds the
schema reference, the tool driver, ``originalUriBaseIds`` and serialises. The rules followed,
beyond the OASIS schema (errata 01, validated in the tests):

- Locations (SARIF 3.4, RFC 3986): every ``artifactLocation.uri`` is a relative reference,
  percent-encoded (``my%20service/requirements.txt``), resolved against ``%SRCROOT%`` (the
  repository root, found by looking for ``.git`` above the scanned path), which
  ``run.originalUriBaseIds`` declares without an absolute URI: no local path leaves the
  machine. The repository itself (findings with no file) is ``.``. Every location has a region
  (``startLine`` 1 when no line is known), as GitHub code scanning requires.
- Result identity: ``partialFingerprints.primaryLocationLineHash`` (the one key GitHub code
  scanning reads) is derived from what the finding is, not from its line, so an alert keeps
  its identity when lines move.
- GitHub's documented limits: rule ``name`` 255 characters, ``shortDescription`` and
  ``fullDescription`` 1,024, 20 tags per rule, 25,000 results per run (the first ones are
  kept; callers order results most severe first).
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import orjson

from steward import __version__

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/steward-project/steward"
SRCROOT = "%SRCROOT%"
MAX_TEXT = 1024  # GitHub: shortDescription.text, fullDescription.text
MAX_NAME = 255  # GitHub: reportingDescriptor.name
MAX_TAGS = 20  # GitHub: tags per rule
MAX_RESULTS = 25_000  # GitHub: results per run
# RFC 3986 pchar minus ':' (a colon in the first segment would read as a scheme) and '%'
_SAFE = "/!$&'()*+,;=@-._~"


def truncate(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rule_name(title: str, fallback: str) -> str:
    """A PascalCase rule name from a title (``Releases are signed`` → ``ReleasesAreSigned``)."""
    words = [w for w in title.replace("-", " ").split() if w.isalnum()]
    return "".join(w[:1].upper() + w[1:] for w in words)[:MAX_NAME] or fallback


def artifact_uri(path: str) -> str:
    """A POSIX path relative to the source root as an RFC 3986 relative reference.

    Raises ValueError for absolute paths and ``..`` segments (never a valid location here).
    """
    if not is_inside(path):
        raise ValueError(f"not a path inside the repository: {path!r}")
    if path in ("", "."):
        return "."
    return quote(path, safe=_SAFE)


def physical_location(path: str | None, line: int | None = None) -> dict[str, Any]:
    """A ``physicalLocation`` at ``path`` (relative to ``%SRCROOT%``; None: the repository)."""
    return {
        "artifactLocation": {"uri": artifact_uri(path or "."), "uriBaseId": SRCROOT},
        "region": {"startLine": line if line and line > 0 else 1},
    }


def line_hash(*parts: str, occurrence: int = 1) -> str:
    """A stable ``primaryLocationLineHash`` for a result identified by ``parts``.

    Like GitHub's own value, ``<16 hex digits>:<occurrence>``: the n-th result with the same
    identity in one file (the same action used on five lines) gets ``:n``, so each stays an
    alert of its own.
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return f"{digest}:{occurrence}"


def is_inside(path: str) -> bool:
    """Whether ``path`` can be a location relative to the repository root (see
    :func:`artifact_uri`)."""
    posix = PurePosixPath(path)
    return not (posix.is_absolute() or ".." in posix.parts or "\\" in path)


# ----------------------------------------------------------------------- source roots


def source_root(target: Path) -> Path:
    """The repository root for ``target`` (a directory or a file), resolved.

    The nearest directory at or above it holding ``.git`` (a directory, or a file for
    worktrees and submodules); else the working directory when ``target`` is inside it;
    else ``target``'s own directory.
    """
    resolved = target.resolve()
    start = resolved if resolved.is_dir() else resolved.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if start == cwd or cwd in start.parents else start


def relative_path(path: Path, root: Path) -> str | None:
    """``path`` relative to ``root`` (POSIX, no ``./``), or None when it is outside."""
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return None
    text = relative.as_posix()
    return "" if text == "." else text


def root_prefix(directory: Path, root: Path | None = None) -> str:
    """The prefix that turns paths relative to ``directory`` into paths relative to the
    repository root: ``""`` at the root, ``"backend/"`` for a subdirectory."""
    root = root or source_root(directory)
    relative = relative_path(directory, root) or ""
    return f"{relative}/" if relative else ""


# ----------------------------------------------------------------------------- the log


def sarif_log(
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    *,
    properties: dict[str, Any] | None = None,
    notifications: list[dict[str, Any]] | None = None,
    repository: str | None = None,
    revision: str | None = None,
) -> bytes:
    """One run of the ``steward`` driver with these rules and results, as JSON bytes.

    ``notifications``: problems met while running (``toolExecutionNotifications``).
    ``repository``/``revision``: the public repository URL and commit, recorded as
    ``versionControlProvenance`` mapped to ``%SRCROOT%`` when both are known.
    """
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "steward",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository that was assessed."}}
        },
        "invocations": [
            {
                "executionSuccessful": True,
                **({"toolExecutionNotifications": notifications} if notifications else {}),
            }
        ],
        "results": results[:MAX_RESULTS],
    }
    if repository and revision:
        run["versionControlProvenance"] = [
            {
                "repositoryUri": repository,
                "revisionId": revision,
                "mappedTo": {"uriBaseId": SRCROOT},
            }
        ]
    extra = dict(properties or {})
    if len(results) > MAX_RESULTS:
        extra["resultsLeftOut"] = len(results) - MAX_RESULTS
    if extra:
        run["properties"] = extra
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return orjson.dumps(log, option=orjson.OPT_INDENT_2) + b"\n"


def notification(text: str, path: str | None = None, line: int | None = None) -> dict[str, Any]:
    """A warning-level ``toolExecutionNotification`` (something that could not be read)."""
    note: dict[str, Any] = {"level": "warning", "message": {"text": text or "problem"}}
    if path is not None:
        note["locations"] = [{"physicalLocation": physical_location(path, line)}]
    return note
