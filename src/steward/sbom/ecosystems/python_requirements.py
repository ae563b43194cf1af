"""pip requirements files (``requirements.txt`` and friends).

Written by hand because pip has no public parser API and the ``requirements-parser``-style
libraries lose line numbers and options. Handles comments, line continuations, per-requirement
options (``--hash`` several times, ``--config-settings``…), environment markers (kept as a
property), extras, ``-r``/``--requirement`` includes (relative to the including file,
recursive, loop-safe; a missing include is a diagnostic), ``-c`` constraint files (read for
nothing but noted), editable and URL/VCS/path entries (reported as diagnostics-free skips
unless they name a package: ``name @ url`` and ``#egg=`` give a component with the URL).

Only an exact pin (``==1.2`` or ``===1.2``, no wildcard) gives a version. Any other
specifier (``>=2.20``, ``~=1.4``, ``==1.*``, several clauses) leaves the component unresolved:
no version, no version in the purl, the specifier in ``version_range`` (a bound is not the
version that gets installed; osv-scalibr reports the bound, we deliberately do not). Lines
with unexpanded ``${VARS}`` are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

from steward.errors import InputError
from steward.sbom.component import Diagnostic, ParseResult, Scope
from steward.sbom.ecosystems._common import (
    MAX_LINE_CHARS,
    component,
    diagnostic,
    prefixed_hashes,
    read_text,
)
from steward.sbom.ecosystems.base import LockfileParser
from steward.sbom.scanroot import is_outside

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# the specifier neither starts nor ends with whitespace, so there is one way to split the
# spaces around it (a lazy ``[^;]*?`` before ``\s*$`` retried the end at every character:
# quadratic on a long line of spaces)
_REQUIREMENT = re.compile(
    rf"^(?P<name>{_NAME})\s*(?:\[(?P<extras>[^\]]*)\])?\s*"
    r"(?P<spec>(?:[^;\s](?:[^;]*[^;\s])?)?)\s*(?:;\s*(?P<marker>.*))?$"
)
_COMPARATOR = re.compile(r"^(===|==|~=|>=|<=|!=|>|<)\s*(\S+)$")
# matches start only where a whitespace run starts (retried inside a long run: quadratic)
_OPTION_START = re.compile(r"(?<!\s)\s+(?=-{1,2}[A-Za-z])")
# "name [extras] @ url": the spaces before "@" are split one way only
_DIRECT_REFERENCE = re.compile(rf"^{_NAME}\s*(?:\[[^\]]*\]\s*)?@")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git\+|hg\+|svn\+|bzr\+|file:)", re.IGNORECASE)
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9._-]+)")
_ENV = re.compile(r"\$\{[^}]+\}")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s-]))(\S.*)$")
MAX_INCLUDE_DEPTH = 32


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join continuation lines; drop comments; keep the first physical line number."""
    out: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if not buffer:
            start = number
        # a comment starts at '#' preceded by whitespace or at the line start
        comment = re.search(r"(^|\s)#", line)
        if comment:
            line = line[: comment.start()]
        if line.endswith("\\"):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer).strip()
        buffer = []
        if joined:
            out.append((start, joined))
    if buffer:
        joined = " ".join(part.strip() for part in buffer).strip()
        if joined:
            out.append((start, joined))
    return out


def _split_options(line: str) -> tuple[str, list[str]]:
    parts = _OPTION_START.split(line, maxsplit=1)
    requirement = parts[0].strip()
    options = parts[1].split() if len(parts) > 1 else []
    return requirement, options


def _hashes(options: list[str]) -> list[str]:
    values = []
    for index, option in enumerate(options):
        if option.startswith("--hash="):
            values.append(option.split("=", 1)[1])
        elif option == "--hash" and index + 1 < len(options):
            values.append(options[index + 1])
    return values


def _version(spec: str) -> tuple[str, str | None] | None:
    """(version, comparator) per the corpus convention; None if the spec is malformed."""
    spec = spec.strip()
    if not spec:
        return "", None
    clauses = [c.strip() for c in spec.split(",") if c.strip()]
    parsed = []
    for clause in clauses:
        match = _COMPARATOR.match(clause)
        if match is None:
            return None
        parsed.append((match.group(1), match.group(2)))
    if len(parsed) != 1:
        return "", ","
    op, version = parsed[0]
    if op not in ("==", "===") or "*" in version:
        return "", op
    return version, op


class RequirementsParser(LockfileParser):
    name = "pip-requirements"
    ecosystem = "PyPI"
    filenames = ("requirements.txt",)
    patterns = ("*requirements*.txt",)

    def matches(self, path: PurePath) -> bool:
        """By name, or any ``.txt`` file in a ``requirements/`` directory (pip-tools'
        ``requirements/base.txt``, ``requirements/dev.txt``)."""
        return super().matches(path) or (
            path.suffix == ".txt" and path.parent.name == "requirements"
        )

    def parse(self, path: Path) -> ParseResult:
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        self._parse_file(path, result, seen={path.resolve()}, depth=0, top=True)
        return result

    def _parse_file(
        self, path: Path, result: ParseResult, *, seen: set[Path], depth: int, top: bool
    ) -> None:
        try:
            text = read_text(path, max_line=MAX_LINE_CHARS)
        except InputError as exc:
            if top:
                raise
            result.diagnostics.append(Diagnostic(str(path), exc.message))
            return
        for number, line in _logical_lines(text):
            self._line(path, number, line, result, seen, depth)

    def _line(
        self, path: Path, number: int, line: str, result: ParseResult, seen: set[Path], depth: int
    ) -> None:
        include = _INCLUDE.match(line)
        if include:
            self._include(path, number, include.group(1).strip(), result, seen, depth)
            return
        if line.startswith(("-c", "--constraint")):
            return  # constraints narrow versions; they add no packages
        if line.startswith(("-e", "--editable")):
            target = re.sub(r"^(-e|--editable)[=\s]*", "", line).strip()
            egg = _EGG.search(target)
            if egg:
                result.components.append(
                    component(
                        self.ecosystem,
                        egg.group(1),
                        "",
                        path=path,
                        line=number,
                        direct=True,
                        vcs_url=target,
                        properties={"editable": "true"},
                    )
                )
            return
        if line.startswith("-"):
            return  # global options (--index-url, --hash-only lines…) or a malformed option
        requirement, options = _split_options(line)
        if _ENV.search(requirement):
            return
        if (
            _URL.match(requirement)
            or requirement.startswith((".", "/"))
            or requirement.endswith((".whl", ".zip", ".tar.gz"))
        ):
            egg = _EGG.search(requirement)
            if egg:
                result.components.append(
                    component(
                        self.ecosystem,
                        egg.group(1),
                        "",
                        path=path,
                        line=number,
                        direct=True,
                        download_url=requirement,
                    )
                )
            return
        if " @ " in requirement or _DIRECT_REFERENCE.match(requirement):
            return  # a direct reference: not a registry package version (scalibr skips it too)
        match = _REQUIREMENT.match(requirement)
        parsed = _version(match.group("spec")) if match else None
        if match is None or parsed is None:
            result.diagnostics.append(
                diagnostic(path, f"not a requirement: {requirement!r}", number)
            )
            return
        version, comparator = parsed
        properties: dict[str, str] = {}
        if match.group("marker"):
            properties["marker"] = match.group("marker").strip()
        unresolved = bool(comparator) and not version
        if comparator:
            properties["specifier"] = match.group("spec").strip()
        if match.group("extras"):
            properties["extras"] = ",".join(
                e.strip() for e in match.group("extras").split(",") if e.strip()
            )
        result.components.append(
            component(
                self.ecosystem,
                match.group("name"),
                version,
                path=path,
                line=number,
                direct=True,
                scope=Scope.RUNTIME,
                hashes=prefixed_hashes(_hashes(options)),
                properties=properties,
                version_range=match.group("spec").strip() if unresolved else None,
            )
        )

    def _include(
        self, path: Path, number: int, target: str, result: ParseResult, seen: set[Path], depth: int
    ) -> None:
        if not target:
            result.diagnostics.append(diagnostic(path, "-r without a file name", number))
            return
        try:
            included = (path.parent / target).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            result.diagnostics.append(
                diagnostic(path, f"included file {target!r} cannot be resolved", number)
            )
            return
        if is_outside(included):
            result.diagnostics.append(
                diagnostic(
                    path, f"include {target!r} is outside the scanned directory; not read", number
                )
            )
            return
        if included in seen:
            return  # an include loop: every file is read once
        if depth >= MAX_INCLUDE_DEPTH:
            result.diagnostics.append(
                diagnostic(path, f"includes nested deeper than {MAX_INCLUDE_DEPTH}", number)
            )
            return
        if not included.is_file():
            result.diagnostics.append(
                diagnostic(path, f"included file {target!r} not found", number)
            )
            return
        seen.add(included)
        self._parse_file(included, result, seen=seen, depth=depth + 1, top=False)


PARSERS = (RequirementsParser(),)
