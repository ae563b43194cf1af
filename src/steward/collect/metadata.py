"""Project links declared in package metadata, each at the line that declares it.

Where a project points users (documentation, issue tracker, homepage) is often declared in its
package metadata rather than in prose: ``[project.urls]`` in ``pyproject.toml`` (PEP 621 and
the well-known labels of the Python packaging "project URLs" specification), ``bugs`` and
``homepage`` in ``package.json``, ``documentation``/``homepage`` in ``Cargo.toml``,
``support.issues``/``support.docs`` in ``composer.json``, and the ``metadata`` URIs of a Ruby
``*.gemspec`` (``bug_tracker_uri``, ``documentation_uri``, ``homepage_uri``; RubyGems
specification reference) and its ``homepage``, the Maven POM's ``<issueManagement><url>``
(Maven POM reference) and a DOAP file's ``<bug-database rdf:resource=...>`` (the Apache
projects' ``doap_*.rdf``; DOAP vocabulary).

Values come from ``tomllib``/``json`` (a gemspec is Ruby code: its string literals are read
by a pattern, and a value built by an expression is skipped); the line is the line of the key
inside its own table or object (keys are unique there, so this is not a first-match search over
the file).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from steward.collect.tree import Tree

ISSUES = "issues"
DOCUMENTATION = "documentation"
HOMEPAGE = "homepage"
_LABELS = {  # normalised label (lower case, letters only) -> kind
    "issues": ISSUES, "issuetracker": ISSUES, "issuetracking": ISSUES, "bugtracker": ISSUES,
    "bugreports": ISSUES, "bugs": ISSUES, "tracker": ISSUES, "bugreport": ISSUES,
    "reportabug": ISSUES, "documentation": DOCUMENTATION, "docs": DOCUMENTATION,
    "doc": DOCUMENTATION, "manual": DOCUMENTATION, "userguide": DOCUMENTATION,
    "homepage": HOMEPAGE, "home": HOMEPAGE, "website": HOMEPAGE,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProjectLink:
    kind: str  # issues, documentation, homepage
    label: str
    url: str
    path: str
    line: int | None


_TOML_PART = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([^.\s"']+))\s*(?:\.|$)""")


def _toml_path(dotted: str) -> list[str]:
    """``env."3.14".commands`` -> ["env", "3.14", "commands"] (quoted parts may hold dots)."""
    return [a or b or c for a, b, c in _TOML_PART.findall(dotted)]


def line_in_table(text: str, table: str, key: str) -> int | None:
    """Line of ``key = ...`` inside the TOML table ``[table]`` (1-based; None if absent), in
    any spelling TOML allows: ``[table]`` then ``key =``, a parent table with the rest as a
    dotted key (``[tool.hatch]`` then ``build.targets.sdist.include =``, as pyproject-fmt
    writes it), or the whole dotted path at the top level."""
    path = [*_toml_path(table), *_toml_path(key)]
    current: list[str] = []  # the table the line is in ([] before any header)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            current = _toml_path(line.split("#", 1)[0].strip().strip("[]"))
            continue
        n = len(current)
        if n >= len(path) or path[:n] != current:
            continue
        rest = r"\s*\.\s*".join(rf"""["']?{re.escape(part)}["']?""" for part in path[n:])
        if re.match(rf"^{rest}\s*=", line):
            return lineno
    return None


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _json_line(text: str, key: str) -> int | None:
    m = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def project_links(tree: Tree) -> list[ProjectLink]:
    """Links declared in the root package metadata files."""
    links: list[ProjectLink] = []
    for path in ("pyproject.toml", "Cargo.toml", "package.json", "composer.json"):
        if path not in tree.files:
            continue
        text = tree.read(path, limit=512 * 1024).text or ""
        try:
            data = tomllib.loads(text) if path.endswith(".toml") else json.loads(text)
        except (ValueError, tomllib.TOMLDecodeError, RecursionError):
            continue
        if not isinstance(data, dict):
            continue
        if path == "pyproject.toml":
            urls = _table(_table(data, "project"), "urls")
            for label, url in urls.items():
                kind = _LABELS.get(re.sub(r"[^a-z]", "", str(label).lower()))
                if kind and isinstance(url, str):
                    line = line_in_table(text, "project.urls", str(label))
                    links.append(ProjectLink(kind, str(label), url, path, line))
        elif path == "Cargo.toml":
            package = _table(data, "package")
            for key in ("documentation", "homepage"):
                if isinstance(package.get(key), str):
                    line = line_in_table(text, "package", key)
                    links.append(ProjectLink(_LABELS[key], key, package[key], path, line))
        elif path == "package.json":
            bugs = data.get("bugs")
            url = bugs.get("url") or bugs.get("email") if isinstance(bugs, dict) else bugs
            if isinstance(url, str) and url:
                links.append(ProjectLink(ISSUES, "bugs", url, path, _json_line(text, "bugs")))
            if isinstance(data.get("homepage"), str):
                line = _json_line(text, "homepage")
                links.append(ProjectLink(HOMEPAGE, "homepage", data["homepage"], path, line))
        else:
            support = _table(data, "support")
            for key, kind in (("issues", ISSUES), ("docs", DOCUMENTATION)):
                if isinstance(support.get(key), str):
                    links.append(
                        ProjectLink(
                            kind, f"support.{key}", support[key], path, _json_line(text, key)
                        )
                    )
    for path in sorted(p for p in tree.in_dir("") if p.endswith(".gemspec")):
        text = tree.read(path, limit=512 * 1024).text or ""
        for m in _GEMSPEC_URI.finditer(text):
            key = m.group(1) or m.group(2)
            if kind := _GEMSPEC_KINDS.get(key):
                line = text.count("\n", 0, m.start()) + 1
                links.append(ProjectLink(kind, key, m.group(3), path, line))
    links += _xml_issue_links(tree)
    return links


def _blank_comments(text: str) -> str:
    """``text`` with XML comments replaced by spaces (newlines kept, so lines stay right)."""
    return _XML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _xml_issue_links(tree: Tree) -> list[ProjectLink]:
    """The issue tracker of the root ``pom.xml`` (``<issueManagement><url>``, at the line of
    the url) and of root DOAP files (``<bug-database rdf:resource="...">``). Read by pattern
    over the text with comments blanked: only these two elements are needed, and a pattern
    keeps their line numbers, which an XML parser of the standard library does not report."""
    out: list[ProjectLink] = []
    if "pom.xml" in tree.files:
        text = _blank_comments(tree.read("pom.xml", limit=512 * 1024).text or "")
        block = _POM_ISSUES.search(text)
        url = _XML_URL.search(block.group(1)) if block else None
        if block and url:
            line = text.count("\n", 0, block.start(1) + url.start()) + 1
            out.append(ProjectLink(ISSUES, "issueManagement", url.group(1), "pom.xml", line))
    for path in sorted(p for p in tree.in_dir("") if _DOAP_NAME.search(p)):
        text = _blank_comments(tree.read(path, limit=512 * 1024).text or "")
        for m in _DOAP_BUGS.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(ProjectLink(ISSUES, "bug-database", m.group(1), path, line))
            break
    return out


_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_POM_ISSUES = re.compile(r"<issueManagement>(.*?)</issueManagement>", re.S)
_XML_URL = re.compile(r"<url>\s*([^<\s]+)\s*</url>")
_DOAP_NAME = re.compile(r"(?:^|/)(?:doap[^/]*\.rdf|[^/]*\.doap)$", re.I)
_DOAP_BUGS = re.compile(r"""<(?:doap:)?bug-database\s+rdf:resource\s*=\s*["']([^"']+)["']""")


_GEMSPEC_KINDS = {"bug_tracker_uri": ISSUES, "documentation_uri": DOCUMENTATION,
                  "homepage_uri": HOMEPAGE, "homepage": HOMEPAGE}  # fmt: skip
# "bug_tracker_uri" => "https://...", metadata["documentation_uri"] = "...", s.homepage = "..."
_GEMSPEC_URI = re.compile(
    r"""(?:["'](\w+_uri)["']\s*(?:=>|\]\s*=)|\.(homepage)\s*=)"""
    r"""\s*["'](https?://[^"'\s]+)["']"""
)
