"""``pyproject.toml`` without a lockfile: the dependencies the project *declares*.

A Python project with no lockfile still says what it needs: PEP 621 ``[project]
dependencies`` (runtime) and ``optional-dependencies`` (scope optional, the extra in the
``extras`` property), PEP 735 ``[dependency-groups]`` (dev), Poetry's
``[tool.poetry.dependencies]`` (runtime; ``optional = true`` entries optional) and its
``dev-dependencies`` and ``[tool.poetry.group.*.dependencies]`` (dev).

These are declarations, not what gets installed: only an exact pin (PEP 508 ``==1.2`` or
``===1.2`` without a wildcard; Poetry's bare ``1.2.3``, which means exactly that version)
gives a version. Any other constraint (``>=2.20``, ``^1.4``, ``~=1.4``, several clauses, none
at all) leaves the component unresolved: no version and no version in its purl, the
constraint in ``version_range`` (written as ``steward:unresolved-version-range``). The
format records no dependency graph, so the SBOM claims no completeness: the inventory is
``incomplete`` and each component's own dependencies ``unknown`` (CycloneDX compositions),
while the project's direct dependencies are known exactly (they are this list). Every
component carries ``steward:declared-in`` = ``pyproject.toml`` to say where it was declared.

When a Python lockfile lies beside it (``poetry.lock``, ``uv.lock``, ``pdm.lock``,
``pylock.toml``, ``Pipfile.lock``, ``requirements*.txt``) the lockfile's resolved versions
are the inventory and this file adds nothing (the lockfile parsers already read it for the
direct dependencies). Git, path and URL dependencies (a ``name @ URL`` requirement, Poetry's
``git``/``path``/``url`` tables) are listed without a version, with the URL where there is
one. A requirement that does not parse is a diagnostic naming the line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import as_dict, as_list
from steward.sbom.component import Component, ParseResult, Scope
from steward.sbom.ecosystems._common import component, diagnostic, read_text
from steward.sbom.ecosystems.base import LockfileParser

#: Python lockfiles that make the declared list redundant (their parsers read this file)
LOCK_NAMES = ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "Pipfile.lock")
LOCK_PATTERNS = (re.compile(r"^pylock\..+\.toml$"), re.compile(r"requirements.*\.txt$"))
_POETRY_EXACT = re.compile(r"^=?=?\s*\d[\w.!+-]*$")


def _dotted(key: str) -> str:
    """``a . b`` → ``a.b`` (by splitting: ``re.sub(r"\\s*\\.\\s*")`` was retried from
    inside every run of spaces, quadratic on a long header line)."""
    return ".".join(part.strip() for part in key.split("."))


def _has_lockfile(directory: Path) -> bool:
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return False
    return any(n in LOCK_NAMES or any(p.search(n) for p in LOCK_PATTERNS) for n in names)


class _Lines:
    """Line numbers of declarations in the TOML text (the parsed TOML has none)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            m = re.match(r"^\s*\[([^\[\]]*)\]", line)
            if m:
                key = _dotted(m.group(1).strip()).replace('"', "").replace("'", "")
                self.headers.setdefault(key, number)

    def _after(self, table: str) -> int:
        return self.headers.get(table, 1)

    def string(self, table: str, value: str) -> int | None:
        """The line of the string literal ``value`` at or after ``[table]``."""
        start = self._after(table)
        for quoted in (f'"{value}"', f"'{value}'"):
            for number in range(start, len(self.lines) + 1):
                if quoted in self.lines[number - 1]:
                    return number
        return self._after(table) if table in self.headers else None

    def key(self, table: str, name: str) -> int | None:
        """The line of ``name = ...`` in ``[table]`` (or of ``[table.name]``)."""
        if f"{table}.{name}" in self.headers:
            return self.headers[f"{table}.{name}"]
        start = self._after(table)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
        for number in range(start, len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None


def _pinned(specifier: Any) -> str:
    """The version of an exact PEP 440 pin in ``specifier`` (a ``SpecifierSet``), else ''."""
    specs = list(specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return str(specs[0].version)
    return ""


class PyprojectDeclaredParser(LockfileParser):
    name = "pyproject-declared"
    ecosystem = "PyPI"
    filenames = ("pyproject.toml",)

    def parse(self, path: Path) -> ParseResult:
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        if _has_lockfile(path.parent):
            # the lockfile beside it is the inventory; adding nothing keeps its claims intact
            result.records_graph = True
            result.root_known = True
            return result
        text = read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", source=path) from None
        lines = _Lines(text)
        project = as_dict(data.get("project"))
        poetry = as_dict(as_dict(data.get("tool")).get("poetry"))
        result.project_name = _text(project.get("name")) or _text(poetry.get("name"))
        dynamic = "version" in [str(x) for x in as_list(project.get("dynamic"))]
        version = None if dynamic else _text(project.get("version"))
        result.project_version = version or _text(poetry.get("version"))
        result.project_source = str(path)
        found: list[Component] = []
        for entry in as_list(project.get("dependencies")):
            self._pep508(path, lines, "project", entry, Scope.RUNTIME, None, found, result)
        for extra, entries in as_dict(project.get("optional-dependencies")).items():
            table = "project.optional-dependencies"
            for entry in as_list(entries):
                self._pep508(path, lines, table, entry, Scope.OPTIONAL, str(extra), found, result)
        for group, entries in as_dict(data.get("dependency-groups")).items():
            for entry in as_list(entries):
                if isinstance(entry, str):  # {include-group = ...} adds nothing new
                    self._pep508(path, lines, "dependency-groups", entry, Scope.DEV,
                                 str(group), found, result)  # fmt: skip
        tables: list[tuple[str, object, Scope, str | None]] = [
            ("tool.poetry.dependencies", poetry.get("dependencies"), Scope.RUNTIME, None),
            ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"), Scope.DEV, "dev"),
        ]
        for group_name, group_spec in as_dict(poetry.get("group")).items():
            entries = as_dict(group_spec).get("dependencies")
            table = f"tool.poetry.group.{group_name}.dependencies"
            tables.append((table, entries, Scope.DEV, str(group_name)))
        for table, declared, scope, in_group in tables:
            for name, spec in as_dict(declared).items():
                if str(name).lower() == "python":
                    continue
                self._poetry(path, lines, table, str(name), spec, scope, in_group, found)
        merged: dict[str, Component] = {}
        for comp in found:  # one package declared in several places: its widest scope
            known = merged.get(comp.ref)
            if known is None:
                merged[comp.ref] = comp
            elif comp.scope is Scope.RUNTIME or (
                comp.scope is Scope.OPTIONAL and known.scope is Scope.DEV
            ):
                comp.groups = tuple(dict.fromkeys(known.groups + comp.groups))
                merged[comp.ref] = comp
            else:
                known.groups = tuple(dict.fromkeys(known.groups + comp.groups))
        result.components = list(merged.values())
        result.root_dependencies = [c.ref for c in result.components]
        result.root_known = True
        return result

    def _make(
        self,
        path: Path,
        line: int | None,
        name: str,
        version: str,
        rng: str | None,
        scope: Scope,
        group: str | None,
        properties: dict[str, str],
        **extra: Any,
    ) -> Component:
        properties = {**properties, "steward:declared-in": path.name}
        direct_reference = bool(extra.get("download_url") or extra.get("vcs_url"))
        direct_reference = direct_reference or "path" in properties
        if rng is not None:
            properties["specifier"] = rng
        return component(
            self.ecosystem,
            name,
            version,
            path=path,
            line=line,
            direct=True,
            scope=scope,
            groups=(group,) if group else (),
            properties=properties,
            version_range=None if version or direct_reference else (rng or "*"),
            **extra,
        )

    def _pep508(
        self,
        path: Path,
        lines: _Lines,
        table: str,
        entry: object,
        scope: Scope,
        group: str | None,
        found: list[Component],
        result: ParseResult,
    ) -> None:
        from packaging.requirements import InvalidRequirement, Requirement

        line = lines.string(table, entry) if isinstance(entry, str) else None
        if not isinstance(entry, str):
            result.diagnostics.append(diagnostic(path, f"[{table}]: not a string: {entry!r}"))
            return
        try:
            requirement = Requirement(entry)
        except InvalidRequirement as exc:
            result.diagnostics.append(diagnostic(path, f"not a requirement: {exc}", line))
            return
        properties: dict[str, str] = {}
        if requirement.marker is not None:
            properties["marker"] = str(requirement.marker)
        if requirement.extras:
            properties["extras"] = ",".join(sorted(requirement.extras))
        if requirement.url:
            found.append(self._make(path, line, requirement.name, "", None, scope, group,
                                    properties, download_url=requirement.url))  # fmt: skip
            return
        specifier = str(requirement.specifier)
        version = _pinned(requirement.specifier)
        found.append(self._make(path, line, requirement.name, version, specifier or None, scope,
                                group, properties))  # fmt: skip

    def _poetry(
        self,
        path: Path,
        lines: _Lines,
        table: str,
        name: str,
        spec: object,
        scope: Scope,
        group: str | None,
        found: list[Component],
    ) -> None:
        line = lines.key(table, name)
        specs = spec if isinstance(spec, list) else [spec]  # several constraints by marker
        constraints: list[str] = []
        properties: dict[str, str] = {}
        url: dict[str, str] = {}
        optional = False
        for item in specs:
            if isinstance(item, str):
                constraints.append(item.strip())
                continue
            table_spec = as_dict(item)
            if isinstance(table_spec.get("version"), str):
                constraints.append(str(table_spec["version"]).strip())
            optional = optional or table_spec.get("optional") is True
            for key in ("git", "url", "path"):
                if isinstance(table_spec.get(key), str):
                    url[key] = str(table_spec[key])
            if isinstance(table_spec.get("markers"), str):
                properties["marker"] = str(table_spec["markers"])
            extras = [str(e) for e in as_list(table_spec.get("extras"))]
            if extras:
                properties["extras"] = ",".join(sorted(extras))
        if optional and scope is Scope.RUNTIME:
            scope = Scope.OPTIONAL
        rng = " || ".join(dict.fromkeys(c for c in constraints if c)) or None
        version = ""
        if len(constraints) == 1 and _POETRY_EXACT.match(constraints[0]):
            version = constraints[0].lstrip("= ")
        extra: dict[str, str] = {}
        if "git" in url:
            extra["vcs_url"] = url["git"]
        elif "url" in url:
            extra["download_url"] = url["url"]
        elif "path" in url:
            properties["path"] = url["path"]
        found.append(self._make(path, line, name, version, rng, scope, group, properties,
                                **extra))  # fmt: skip


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


PARSERS = (PyprojectDeclaredParser(),)
