"""Answers ``steward init security`` can read from the repository itself.

- the project name, from the first manifest that names it (``pyproject.toml``,
  ``package.json``, ``Cargo.toml``), else the directory's name;
- the licence, as an SPDX expression: from those manifests, else from a top-level
  ``LICENSE``/``COPYING`` text recognised by its fingerprint
  (:func:`steward.collect.documents.identify_license_text`);
- the repository URL, from ``remote.origin.url`` in the repository's git configuration, read
  as a file (no ``git`` process runs on an untrusted checkout), turned into its ``https://``
  web address with any credentials dropped (``git@github.com:o/r.git`` →
  ``https://github.com/o/r``).

Every value is a suggestion: answers given on the command line or in ``--answers`` win, and
a value that is not a single clean line is ignored rather than repaired.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steward.disclosure.project_files.answers import _CONTROL

MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Prefill:
    """What the repository says, with where each value came from."""

    values: dict[str, str]
    sources: dict[str, str]


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and not _CONTROL.search(value) else None


def _manifests(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """(file name, {"name": ..., "license": ...}) for each manifest that parses."""
    found: list[tuple[str, dict[str, Any]]] = []
    text = _read(root / "pyproject.toml")
    if text is not None:
        try:
            project = tomllib.loads(text).get("project") or {}
        except (tomllib.TOMLDecodeError, RecursionError):
            project = {}
        licence = project.get("license")
        if isinstance(licence, dict):
            licence = licence.get("text")
        found.append(("pyproject.toml", {"name": project.get("name"), "license": licence}))
    text = _read(root / "package.json")
    if text is not None:
        try:
            package = json.loads(text)
        except ValueError:
            package = {}
        if isinstance(package, dict):
            found.append(
                ("package.json", {"name": package.get("name"), "license": package.get("license")})
            )
    text = _read(root / "Cargo.toml")
    if text is not None:
        try:
            crate = tomllib.loads(text).get("package") or {}
        except (tomllib.TOMLDecodeError, RecursionError):
            crate = {}
        found.append(("Cargo.toml", {"name": crate.get("name"), "license": crate.get("license")}))
    return found


def _licence(root: Path, manifests: list[tuple[str, dict[str, Any]]]) -> tuple[str, str] | None:
    # the licence collector (SPDX licensing data) loads only when there is a licence to read
    for name, fields in manifests:
        value = _clean(fields.get("license"))
        if not value:
            continue
        from steward.collect.documents import parse_expression

        expression = parse_expression(value)
        if expression:
            return expression, name
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if not path.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            continue
        text = _read(path)
        if not text:
            continue
        from steward.collect.documents import identify_license_text

        spdx = identify_license_text(text)
        if spdx:
            return spdx, path.name
    return None


def _git_config(root: Path) -> Path | None:
    dot_git = root / ".git"
    if dot_git.is_dir():
        common = dot_git
    else:
        text = _read(dot_git)
        match = re.match(r"gitdir:\s*(.+)", text or "")
        if match is None:
            return None
        gitdir = (root / match.group(1).strip()).resolve()
        pointer = _read(gitdir / "commondir")
        common = (gitdir / pointer.strip()).resolve() if pointer else gitdir
    config = common / "config"
    return config if config.is_file() else None


_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")  # git@github.com:o/r.git


def web_url(remote: str) -> str | None:
    """The https:// web address of a git remote URL, without credentials; None if unknown."""
    remote = remote.strip()
    match = re.match(r"^(?:https?|ssh|git)://(?:[^@/]*@)?([^/:]+)(?::\d+)?/(.+)$", remote)
    if match is None:
        match = _SCP.match(remote)
    if match is None:
        return None
    host, path = match.group(1), match.group(2).strip("/").removesuffix(".git")
    if not host or not path or not re.fullmatch(r"[\w.~/-]+", path):
        return None
    return f"https://{host}/{path}"


def _remote(root: Path) -> str | None:
    config_path = _git_config(root)
    if config_path is None:
        return None
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(_read(config_path) or "")
    except configparser.Error:
        return None
    for section in parser.sections():
        if re.fullmatch(r'remote\s+"origin"', section.strip()):
            url = _clean(parser[section].get("url"))
            return web_url(url) if url else None
    return None


def prefill(root: Path) -> Prefill:
    """The answers the repository at ``root`` gives (name, licence, repository URL)."""
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    manifests = _manifests(root)
    for name, fields in manifests:
        project = _clean(fields.get("name"))
        if project:
            values["project_name"], sources["project_name"] = project, name
            break
    else:
        directory = _clean(root.resolve().name)
        if directory:
            values["project_name"], sources["project_name"] = directory, "directory name"
    licence = _licence(root, manifests)
    if licence is not None:
        values["license"], sources["license"] = licence
    remote = _remote(root)
    if remote is not None:
        values["repository_url"], sources["repository_url"] = remote, "git remote origin"
    return Prefill(values, sources)
