"""Maven pom.xml: the dependencies a POM declares, resolved within the file and its parent.

Resolved here, without a Maven repository: ``${property}`` references (``<properties>``,
``project.*`` / ``pom.*`` built-ins, the parent's properties; recursive and loop-safe),
versions from ``<dependencyManagement>``, and everything inherited from a parent POM found on
disk at ``<relativePath>`` (default ``../pom.xml``). Dependencies of active-by-default
profiles count; build-plugin dependencies do not. A version range takes its lower bound. Each
``groupId:artifactId`` is one component (the first declaration wins, as in Maven); a
dependency without a groupId is dropped. Scopes: ``test`` → dev; ``provided``/``system`` →
optional. XML is parsed with defusedxml (no DTDs or entities).

Cost is linear in the file size (bench/sbom_scaling.py, formats ``maven``/``maven-real``):
each property is resolved once (memoised, cycles and values over :data:`MAX_VALUE_CHARS`
read as undefined, so ``<a>${a}${a}</a>`` cannot grow by doubling), and the declaration
lines are found by ``str.find`` pairing of tags, not by regular expressions with lazy
``.*?`` or overlapping whitespace runs, which rescan to the end of the file from every unclosed
tag (quadratic) or backtrack cubically on whitespace inside an element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import parse_xml, read_bytes
from steward.sbom.component import Diagnostic, ParseResult, Scope
from steward.sbom.ecosystems._common import MAX_LOCKFILE_BYTES, LineIndex, component
from steward.sbom.ecosystems.base import LockfileParser
from steward.sbom.scanroot import check_inside, is_outside

# a property name holds no "$", "{" or "}": each match attempt stops at the next one
_PROP = re.compile(r"\$\{([^${}]+)\}")
MAX_PARENT_DEPTH = 10
#: an interpolated value longer than this reads as undefined (no coordinate is this long)
MAX_VALUE_CHARS = 4096


class _Properties:
    """Maven properties, each resolved once: ``${name}`` references substituted, a
    reference that is undefined, part of a cycle or expands past :data:`MAX_VALUE_CHARS`
    makes the value undefined (``None``). Resolution uses an explicit stack (a chain of
    thousands of properties is not a deep recursion)."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw
        self._done: dict[str, str | None] = {}

    def get(self, name: str) -> str | None:
        if name in self._done:
            return self._done[name]
        stack, visiting = [name], set()
        while stack:
            current = stack[-1]
            if current in self._done:
                stack.pop()
                continue
            raw = self.raw.get(current)
            if raw is None:
                self._done[current] = None
                stack.pop()
                continue
            pending = [r for r in _PROP.findall(raw) if r not in self._done]
            if not pending:
                self._done[current] = self._substitute(raw)
                visiting.discard(current)
                stack.pop()
            elif current in visiting or any(r in visiting for r in pending):
                self._done[current] = None  # a cycle
                visiting.discard(current)
                stack.pop()
            else:
                visiting.add(current)
                stack.extend(pending)
        return self._done[name]

    def _substitute(self, value: str) -> str | None:
        """``value`` with every reference replaced by its (already resolved) value."""
        parts: list[str] = []
        size, end = 0, 0
        for match in _PROP.finditer(value):
            resolved = self._done.get(match.group(1))
            if resolved is None:
                return None
            parts += (value[end : match.start()], resolved)
            size += match.start() - end + len(resolved)
            end = match.end()
            if size > MAX_VALUE_CHARS:
                return None
        parts.append(value[end:])
        return "".join(parts) if size + len(value) - end <= MAX_VALUE_CHARS else None

    def resolve(self, value: str) -> str:
        """``value`` with its references substituted; "" if one is undefined."""
        if "${" not in value:
            return value
        for name in _PROP.findall(value):
            self.get(name)
        return self._substitute(value) or ""


def _spans(text: str, open_tag: str, close_tag: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``open_tag`` … first following ``close_tag``, left to right.

    The same spans as ``re.finditer(open + ".*?" + close, re.S)``, in one pass: once no
    closing tag follows, no later opening tag can be closed either."""
    pos = 0
    while (start := text.find(open_tag, pos)) >= 0:
        end = text.find(close_tag, start + len(open_tag))
        if end < 0:
            return
        pos = end + len(close_tag)
        yield start, pos


def _field(body: str, name: str) -> str | None:
    """The text of the first ``<name>`` element in ``body`` (None if absent or not plain)."""
    for start, end in _spans(body, f"<{name}>", f"</{name}>"):
        value = body[start + len(name) + 2 : end - len(name) - 3]
        return None if "<" in value else value.strip()
    return None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Any, name: str) -> Any:
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _text(element: Any, name: str) -> str:
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


@dataclass
class _Pom:
    path: Path
    root: Any
    text: str
    properties: dict[str, str] = field(default_factory=dict)
    managed: dict[str, str] = field(default_factory=dict)


def _lower_bound(version: str) -> str:
    if version[:1] in "[(":
        return version[1:].split(",")[0].strip().rstrip("])")
    return version


class PomParser(LockfileParser):
    name = "maven-pom"
    ecosystem = "Maven"
    filenames = ("pom.xml",)
    patterns = ("*.pom",)

    def _load(self, path: Path) -> _Pom:
        check_inside(path)
        data = read_bytes(path, max_bytes=MAX_LOCKFILE_BYTES)
        root = parse_xml(data, source=path)
        if _local(root.tag) != "project":
            raise InputError(f"not a Maven POM (root element <{_local(root.tag)}>)", source=path)
        return _Pom(path, root, data.decode("utf-8", "replace"))

    def parse(self, path: Path) -> ParseResult:
        pom = self._load(path)
        chain = [pom]
        current = pom
        result = ParseResult(path=str(path), parser=self.name, ecosystem=self.ecosystem)
        for _ in range(MAX_PARENT_DEPTH):
            parent_el = _child(current.root, "parent")
            if parent_el is None:
                break
            relative = _text(parent_el, "relativePath") or "../pom.xml"
            try:
                candidate = (current.path.parent / relative).resolve()
            except (OSError, RuntimeError):  # a symlink loop
                break
            if is_outside(candidate):
                if candidate.exists():
                    tag = "<relativePath" if "<relativePath" in current.text else "<parent"
                    line = current.text.count("\n", 0, max(current.text.find(tag), 0))
                    result.diagnostics.append(
                        Diagnostic(
                            str(current.path),
                            f"parent POM {relative!r} is outside the scanned directory; not read",
                            line + 1,
                        )
                    )
                break
            if candidate.is_dir():
                candidate = candidate / "pom.xml"
            if not candidate.is_file() or any(p.path.resolve() == candidate for p in chain):
                break
            try:
                parent = self._load(candidate)
            except InputError as exc:
                result.diagnostics.append(Diagnostic(str(path), f"parent POM unreadable: {exc}"))
                break
            expected = (_text(parent_el, "groupId"), _text(parent_el, "artifactId"))
            if expected != (_text(parent.root, "groupId"), _text(parent.root, "artifactId")):
                break  # not the declared parent
            chain.append(parent)
            current = parent
        properties = self._properties(chain)
        managed: dict[str, str] = {}
        for member in reversed(chain):  # the child's management overrides its parents'
            for dep in _children(
                _child(_child(member.root, "dependencyManagement"), "dependencies"), "dependency"
            ):
                group = properties.resolve(_text(dep, "groupId"))
                artifact = properties.resolve(_text(dep, "artifactId"))
                if _text(dep, "scope") == "import":
                    continue
                managed[f"{group}:{artifact}"] = properties.resolve(_text(dep, "version"))
        group_id = properties.get("project.groupId") or ""
        artifact_id = properties.get("project.artifactId") or ""
        result.project_name = f"{group_id}:{artifact_id}".strip(":") or None
        result.project_version = properties.get("project.version") or None
        seen: set[str] = set()
        for member in chain:
            lines = self._declaration_lines(member, properties)
            blocks = _children(_child(member.root, "dependencies"), "dependency")
            for profile in _children(_child(member.root, "profiles"), "profile"):
                if _text(_child(profile, "activation"), "activeByDefault") == "true":
                    blocks += _children(_child(profile, "dependencies"), "dependency")
            for dep in blocks:
                group = properties.resolve(_text(dep, "groupId"))
                artifact = properties.resolve(_text(dep, "artifactId"))
                if not group or not artifact:
                    continue
                key = f"{group}:{artifact}"
                if key in seen:
                    continue
                seen.add(key)
                version = properties.resolve(_text(dep, "version")) or managed.get(key, "")
                scope_name = _text(dep, "scope") or "compile"
                scope = {
                    "test": Scope.DEV,
                    "provided": Scope.OPTIONAL,
                    "system": Scope.OPTIONAL,
                }.get(scope_name, Scope.RUNTIME)
                comp = component(
                    self.ecosystem,
                    key,
                    _lower_bound(version),
                    path=member.path,
                    line=lines.get(key),
                    scope=scope,
                    direct=member is pom,
                    groups=(scope_name,) if scope_name not in ("compile", "runtime") else (),
                )
                if _text(dep, "classifier"):
                    comp.properties["classifier"] = _text(dep, "classifier")
                if _text(dep, "type"):
                    comp.properties["type"] = _text(dep, "type")
                if _text(dep, "optional") == "true":
                    comp.scope = Scope.OPTIONAL
                result.components.append(comp)
        result.root_dependencies = [c.ref for c in result.components if c.direct]
        return result

    def _properties(self, chain: list[_Pom]) -> _Properties:
        properties: dict[str, str] = {}
        for member in reversed(chain):  # parents first, the child overrides
            root = member.root
            props = _child(root, "properties")
            for element in list(props) if props is not None else []:
                properties[_local(element.tag)] = (element.text or "").strip()
            parent_el = _child(root, "parent")
            group = _text(root, "groupId") or _text(parent_el, "groupId")
            version = _text(root, "version") or _text(parent_el, "version")
            for prefix in ("project.", "pom.", ""):
                if group:
                    properties[f"{prefix}groupId"] = group
                if version:
                    properties[f"{prefix}version"] = version
                if _text(root, "artifactId"):
                    properties[f"{prefix}artifactId"] = _text(root, "artifactId")
            if parent_el is not None:
                properties["project.parent.version"] = _text(parent_el, "version")
                properties["project.parent.groupId"] = _text(parent_el, "groupId")
        return _Properties(properties)

    def _declaration_lines(self, pom: _Pom, properties: _Properties) -> dict[str, int]:
        """groupId:artifactId → line of its <dependency>, outside plugin declarations."""
        text = pom.text
        index = LineIndex(text)
        pieces: list[str] = []
        end = 0
        for start, stop in _spans(text, "<plugin>", "</plugin>"):  # blanked, offsets kept
            pieces += (text[end:start], " " * (stop - start))
            end = stop
        masked = "".join([*pieces, text[end:]])
        lines: dict[str, int] = {}
        ambiguous: set[str] = set()
        for start, stop in _spans(masked, "<dependency>", "</dependency>"):
            body = masked[start + len("<dependency>") : stop - len("</dependency>")]
            own: list[str] = []  # the dependency's own fields, not its exclusions'
            cut = 0
            for ex_start, ex_stop in _spans(body, "<exclusions>", "</exclusions>"):
                own.append(body[cut:ex_start])
                cut = ex_stop
            body = "".join([*own, body[cut:]])
            group, artifact = _field(body, "groupId"), _field(body, "artifactId")
            if not group or not artifact:
                continue
            key = f"{properties.resolve(group)}:{properties.resolve(artifact)}"
            if key in lines and "${" in body:
                ambiguous.add(key)
            lines.setdefault(key, index.line(start))
        return {k: v for k, v in lines.items() if k not in ambiguous}


PARSERS = (PomParser(),)
