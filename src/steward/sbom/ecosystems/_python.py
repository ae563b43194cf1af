"""What Python lockfile parsers share: name normalisation, the project's direct dependencies.

Direct dependencies come from the manifest beside the lockfile (``pyproject.toml`` — PEP 621
``[project]``, ``[dependency-groups]`` and Poetry's ``[tool.poetry]`` tables — or ``Pipfile``);
without one, ``direct`` stays unknown (None) rather than guessed.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from steward.safeio import as_dict, as_list
from steward.sbom.purl import normalise_pypi_name
from steward.sbom.scanroot import is_outside

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

normalise = normalise_pypi_name


def _names(requirements: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(requirements, dict):
        return {normalise(str(k)) for k in requirements if str(k).lower() != "python"}
    for item in as_list(requirements) if not isinstance(requirements, dict) else []:
        if isinstance(item, str):
            match = _REQ_NAME.match(item)
            if match:
                names.add(normalise(match.group(1)))
    return names


def _toml(path: Path) -> dict[str, Any] | None:
    if not path.is_file() or is_outside(path):
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None


def direct_dependencies(lockfile: Path) -> set[str] | None:
    """Normalised names the project depends on directly, or None if no manifest tells."""
    pyproject = _toml(lockfile.parent / "pyproject.toml")
    if pyproject is not None:
        names: set[str] = set()
        project = as_dict(pyproject.get("project"))
        names |= _names(project.get("dependencies"))
        for extra in as_dict(project.get("optional-dependencies")).values():
            names |= _names(extra)
        for group in as_dict(pyproject.get("dependency-groups")).values():
            names |= _names([g for g in group if isinstance(g, str)])
        poetry = as_dict(as_dict(pyproject.get("tool")).get("poetry"))
        names |= _names(poetry.get("dependencies"))
        names |= _names(poetry.get("dev-dependencies"))
        for group in as_dict(poetry.get("group")).values():
            names |= _names(as_dict(group).get("dependencies"))
        uv = as_dict(as_dict(pyproject.get("tool")).get("uv"))
        names |= _names(uv.get("dev-dependencies"))
        return names
    pipfile = _toml(lockfile.parent / "Pipfile")
    if pipfile is not None:
        return _names(pipfile.get("packages")) | _names(pipfile.get("dev-packages"))
    return None


def name_lines(text: str, table: str) -> list[int | None]:
    """For each ``[[table]]`` block, in order, the line of its first ``name = …`` key."""
    headers = header_lines(text, table)
    names = _lines_of(text, re.finditer(r"^[ \t]*name[ \t]*=", text, re.MULTILINE))
    out: list[int | None] = []
    for i, header in enumerate(headers):
        at = bisect.bisect_right(names, header)
        end = headers[i + 1] if i + 1 < len(headers) else None
        found = names[at] if at < len(names) and (end is None or names[at] < end) else None
        out.append(found or header)
    return out


def header_lines(text: str, table: str) -> list[int]:
    """1-based lines of each ``[[table]]`` header, in document order."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", re.MULTILINE)
    return _lines_of(text, pattern.finditer(text))


def _lines_of(text: str, matches: Iterator[re.Match[str]]) -> list[int]:
    """1-based lines of matches in document order, counting newlines once (linear)."""
    lines = []
    line = 1
    last = 0
    for match in matches:
        line += text.count("\n", last, match.start())
        last = match.start()
        lines.append(line)
    return lines
