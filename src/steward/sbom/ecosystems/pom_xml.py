"""Maven pom.xml: the dependencies a POM declares, resolved within the file and its parent.

Resolved here, without a Maven repository: ``${property}`` references (``<properties>``,
``project.*`` / ``pom.*`` built-ins, the parent's properties; recursive and loop-safe),
versions from ``<dependencyManagement>``, and everything inherited from a parent POM found on
disk at ``<relativePath>`` (default ``../pom.xml``). Dependencies of active-by-default
profiles count; build-plugin dependencies do not. A version range takes its lower bound. Each
``groupId:artifactId`` is one component (the first declaration wins, as in Maven); a
dependency without a groupId is dropped. Scopes: ``test`` → dev; ``provided``/``system`` →
optional. XML is parsed with defusedxml (no DTDs or entities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.safeio import parse_xml, read_bytes
from steward.sbom.component import Diagnostic, ParseResult, Scope
from steward.sbom.ecosystems._common import MAX_LOCKFILE_BYTES, LineIndex, component
from steward.sbom.ecosystems.base import LockfileParser
from steward.sbom.scanroot import check_inside, is_outside

_PROP = re.compile(r"\$\{([^}]+)\}")
_DEP_BLOCK = re.compile(r"<dependency>(.*?)</dependency>", re.DOTALL)
_PLUGIN_BLOCK = re.compile(r"<plugin>.*?</plugin>", re.DOTALL)
MAX_PARENT_DEPTH = 10


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
                group = self._resolve(_text(dep, "groupId"), properties)
                artifact = self._resolve(_text(dep, "artifactId"), properties)
                if _text(dep, "scope") == "import":
                    continue
                managed[f"{group}:{artifact}"] = self._resolve(_text(dep, "version"), properties)
        group_id = properties.get("project.groupId", "")
        artifact_id = properties.get("project.artifactId", "")
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
                group = self._resolve(_text(dep, "groupId"), properties)
                artifact = self._resolve(_text(dep, "artifactId"), properties)
                if not group or not artifact:
                    continue
                key = f"{group}:{artifact}"
                if key in seen:
                    continue
                seen.add(key)
                version = self._resolve(_text(dep, "version"), properties) or managed.get(key, "")
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

    def _properties(self, chain: list[_Pom]) -> dict[str, str]:
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
        return properties

    @staticmethod
    def _resolve(value: str, properties: dict[str, str]) -> str:
        for _ in range(10):  # nested references, bounded against loops
            if "${" not in value:
                return value
            replaced = _PROP.sub(lambda m: properties.get(m.group(1), m.group(0)), value)
            if replaced == value:
                return ""  # an undefined property: the value is unknown
            value = replaced
        return ""

    def _declaration_lines(self, pom: _Pom, properties: dict[str, str]) -> dict[str, int]:
        """groupId:artifactId → line of its <dependency>, outside plugin declarations."""
        index = LineIndex(pom.text)
        masked = _PLUGIN_BLOCK.sub(lambda m: " " * len(m.group(0)), pom.text)
        lines: dict[str, int] = {}
        ambiguous: set[str] = set()
        for match in _DEP_BLOCK.finditer(masked):
            body = match.group(1)
            group = re.search(r"<groupId>\s*([^<]*?)\s*</groupId>", body)
            artifact = re.search(r"<artifactId>\s*([^<]*?)\s*</artifactId>", body)
            if not group or not artifact:
                continue
            group_id = self._resolve(group.group(1), properties)
            key = f"{group_id}:{self._resolve(artifact.group(1), properties)}"
            if key in lines and "${" in body:
                ambiguous.add(key)
            lines.setdefault(key, index.line(match.start()))
        return {k: v for k, v in lines.items() if k not in ambiguous}


PARSERS = (PomParser(),)
