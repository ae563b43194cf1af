"""go.mod (Go modules), with go.sum for modules whose go.mod does not list every dependency.

``require`` blocks and lines (``// indirect`` marks transitive), ``replace`` (versioned or
not; a module replaced by a local directory keeps its module path, has no version, since its
code is that directory's and no published version, and names the directory in the
``replaced_by_path`` property), ``exclude`` and
``retract`` ignored for the component list. A synthetic ``stdlib`` component carries the Go
version (``toolchain`` if given, else ``go``, which is only the minimum language version; the
``steward:stdlib-version-from`` property says which), so Go standard-library advisories
match; pre-releases keep their pre-release part (``go 1.24rc1`` is ``1.24.0-rc.1``). Before
Go 1.17 the go.mod of a module lists only direct dependencies; then the modules in the
go.sum beside it (``<name>.sum`` for a fixture named ``<name>.mod``) are added as transitive.
go.sum's ``h1:`` hashes are hashes of a module tree, not of an artifact, so they are kept as
a property rather than a CycloneDX hash.
"""

from __future__ import annotations

import re
from pathlib import Path

from steward.errors import InputError
from steward.sbom.component import ParseResult
from steward.sbom.ecosystems._common import MAX_LINE_CHARS, component, read_text
from steward.sbom.ecosystems.base import LockfileParser

_DIRECTIVE = re.compile(
    r"^(module|go|toolchain|require|replace|exclude|retract|godebug|tool|ignore)\b\s*(.*)$"
)
_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)")
#: a ``replace`` target that is a directory (go.mod reference: it begins with ./ or ../, or is
#: absolute), not a module path
_LOCAL_PATH = re.compile(r"^(?:\.{1,2}(?:[/\\]|$)|/|[A-Za-z]:[/\\])")
#: property of the ``stdlib`` component: which directive its version came from
STDLIB_VERSION_FROM = "steward:stdlib-version-from"

#: (module, version or None, replacement, replacement version or None, line)
Replace = tuple[str, str | None, str, str | None, int]


def _strip_comment(line: str) -> tuple[str, str]:
    code, sep, comment = line.partition("//")
    return code.strip(), comment.strip() if sep else ""


def _go_version(value: str) -> str:
    """``go1.24rc2`` / ``1.24rc1`` → ``1.24.0-rc.2`` / ``1.24.0-rc.1`` (the SemVer form the Go
    vulnerability database uses); releases keep their spelling (``1.17``, ``1.23.6``) and a
    custom toolchain suffix is dropped (``go1.23.6-xyz`` → ``1.23.6``)."""
    value = value.strip().removeprefix("go")
    match = re.match(r"^(\d+(?:\.\d+){0,2})(?:(alpha|beta|rc)(\d+))?", value)
    if match is None:
        return value
    number, kind, serial = match.groups()
    if kind is None:
        return number
    parts = [*number.split("."), "0", "0"][:3]
    return f"{'.'.join(parts)}-{kind}.{serial}"


class GoModParser(LockfileParser):
    name = "go-mod"
    ecosystem = "Go"
    filenames = ("go.mod",)

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path, max_line=MAX_LINE_CHARS)
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        requires: list[tuple[str, str, int, bool]] = []
        replaces: list[tuple[str, str | None, str, str | None, int]] = []
        go_version: str | None = None
        toolchain: str | None = None
        go_line = toolchain_line = None
        block: str | None = None
        saw_directive = False
        for number, raw in enumerate(text.splitlines(), start=1):
            code, comment = _strip_comment(raw)
            if not code:
                continue
            if block is not None:
                if code == ")":
                    block = None
                    continue
                self._entry(block, code, comment, number, requires, replaces, path)
                continue
            match = _DIRECTIVE.match(code)
            if match is None:
                raise InputError(f"not a go.mod directive: {code[:60]!r}", source=path, line=number)
            saw_directive = True
            directive, rest = match.group(1), match.group(2).strip()
            if rest == "(":
                block = directive
                continue
            if directive == "module":
                result.project_name = rest.strip('"')
            elif directive == "go":
                go_version, go_line = _go_version(rest), number
            elif directive == "toolchain":
                toolchain, toolchain_line = _go_version(rest), number
            elif directive in ("require", "replace"):
                self._entry(directive, rest, comment, number, requires, replaces, path)
        if block is not None:
            raise InputError(f"unterminated {block} block", source=path)
        if not saw_directive and text.strip():
            raise InputError("no go.mod directives", source=path)
        module_go = go_version
        self._emit(path, requires, replaces, result)
        if module_go and self._before_117(module_go):
            self._from_go_sum(path, result)
        stdlib = toolchain or go_version
        if stdlib:
            comp = component(
                self.ecosystem,
                "stdlib",
                stdlib,
                path=path,
                line=toolchain_line if toolchain else go_line,
                direct=True,
            )
            # the go directive is the minimum language version, not the toolchain in use
            comp.properties[STDLIB_VERSION_FROM] = "toolchain" if toolchain else "go"
            result.components.append(comp)
        result.root_dependencies = [c.ref for c in result.components if c.direct]
        return result

    @staticmethod
    def _before_117(version: str) -> bool:
        parts = [int(p) for p in re.findall(r"\d+", version)[:2]]
        return len(parts) == 2 and (parts[0], parts[1]) < (1, 17)

    @staticmethod
    def _entry(
        directive: str,
        code: str,
        comment: str,
        number: int,
        requires: list[tuple[str, str, int, bool]],
        replaces: list[Replace],
        path: Path,
    ) -> None:
        if directive == "require":
            parts = code.split()
            if len(parts) != 2:
                raise InputError(f"malformed require: {code!r}", source=path, line=number)
            requires.append(
                (parts[0].strip('"'), parts[1], number, "indirect" in comment.split(";")[0])
            )
        elif directive == "replace":
            left, arrow, right = code.partition("=>")
            if not arrow:
                raise InputError(f"malformed replace: {code!r}", source=path, line=number)
            lparts, rparts = left.split(), right.split()
            if not lparts or not rparts:
                raise InputError(f"malformed replace: {code!r}", source=path, line=number)
            replaces.append(
                (
                    lparts[0],
                    lparts[1] if len(lparts) > 1 else None,
                    rparts[0],
                    rparts[1] if len(rparts) > 1 else None,
                    number,
                )
            )

    def _emit(
        self,
        path: Path,
        requires: list[tuple[str, str, int, bool]],
        replaces: list[Replace],
        result: ParseResult,
    ) -> None:
        seen: set[tuple[str, str]] = set()
        for module, version, line, indirect in requires:
            name, new_version, local = module, version, ""
            for old, old_version, target, target_version, replace_line in replaces:
                if old == module and (old_version is None or old_version == version):
                    name, new_version, line = target, target_version or "", replace_line
                    break
            if _LOCAL_PATH.match(name):
                # built from a directory (often a sibling module of the same repository):
                # still the module, but its code is no published version of it
                name, new_version, local = module, "", name
            clean = new_version.removeprefix("v") if new_version else ""
            if (name, clean) in seen:
                continue
            seen.add((name, clean))
            comp = component(self.ecosystem, name, clean, path=path, line=line, direct=not indirect)
            if local:
                comp.properties["replaced_by_path"] = local
            elif name != module:
                comp.properties["replaces"] = f"{module} {version}"
            result.components.append(comp)

    def _from_go_sum(self, path: Path, result: ParseResult) -> None:
        candidates = [path.with_name("go.sum")]
        if path.suffix == ".mod" and path.name != "go.mod":
            candidates.insert(0, path.with_suffix(".sum"))
        go_sum = next((c for c in candidates if c.is_file()), None)
        if go_sum is None:
            return
        known = {(c.name, c.version) for c in result.components}
        for number, line in enumerate(read_text(go_sum).splitlines(), start=1):
            parts = line.split()
            if len(parts) != 3 or parts[1].endswith("/go.mod"):
                continue
            name, version, h1 = parts[0], parts[1].removeprefix("v"), parts[2]
            if (name, version) in known:
                continue
            known.add((name, version))
            comp = component(self.ecosystem, name, version, path=go_sum, line=number, direct=False)
            comp.properties["go.sum"] = h1
            result.components.append(comp)


PARSERS = (GoModParser(),)
