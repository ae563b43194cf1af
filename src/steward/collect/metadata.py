"""Project links declared in package metadata, each at the line that declares it.

Where a project points users (documentation, issue tracker, homepage) is often declared in its
package metadata rather than in prose: ``[project.urls]`` in ``pyproject.toml`` (PEP 621 and
the well-known labels of the Python packaging "project URLs" specification), ``bugs`` and
``homepage`` in ``package.json``, ``documentation``/``homepage`` in ``Cargo.toml``,
``support.issues``/``support.docs`` in ``composer.json``, the ``metadata`` URIs of a Ruby
``*.gemspec`` (``bug_tracker_uri``, ``documentation_uri``, ``homepage_uri``; RubyGems
specification reference) and its ``homepage``, and setuptools' ``project_urls`` and ``url``
in ``setup.cfg`` (``[metadata]``, "Label = URL" lines) or in the ``setup(...)`` call of
``setup.py`` (setuptools keywords reference; held-out-9e, cyclonedds-python's "Bug Tracker"),
the ``<issueManagement>`` URL of a Maven ``pom.xml`` (POM reference; XML comments left
out) and a DOAP file's ``<bug-database rdf:resource=...>`` (the Apache projects'
``doap_*.rdf``; DOAP vocabulary).

Values come from ``tomllib``/``json``/``configparser`` (a gemspec is Ruby code: its string
literals are read by a pattern, and a value built by an expression is skipped; ``setup.py`` is
Python, parsed with ``ast`` and never run: only literal strings count); the line is the line of
the key inside its own table or object (keys are unique there, so this is not a first-match
search over the file).
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from steward.collect.tree import Tree, not_the_projects

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


_MANIFESTS = ("pyproject.toml", "Cargo.toml", "package.json", "composer.json")
# R's DESCRIPTION (Debian control format): "BugReports: <url>" (Writing R Extensions, 1.1.1)
_DCF_BUGREPORTS = re.compile(r"^BugReports:[ \t]*(\S+)", re.M)


def project_links(tree: Tree) -> list[ProjectLink]:
    """Links declared in the root package metadata files, and the issue trackers that the
    packages one directory down declare (a C library's ``python/pyproject.toml`` and
    ``r/DESCRIPTION`` bindings: held-out-11h, arrow-nanoarrow). Those are the project's own
    packages; directories of tests, examples, fixtures or vendored code are left out."""
    links: list[ProjectLink] = []
    for path in _MANIFESTS:
        links += _manifest_links(tree, path)
    links += _description_links(tree, "DESCRIPTION")
    links += _setuptools_links(tree)
    links += _maven_links(tree)
    for path in sorted(p for p in tree.in_dir("") if p.endswith(".gemspec")):
        text = tree.read(path, limit=512 * 1024).text or ""
        for m in _GEMSPEC_URI.finditer(text):
            key = m.group(1) or m.group(2)
            if kind := _GEMSPEC_KINDS.get(key):
                line = text.count("\n", 0, m.start()) + 1
                links.append(ProjectLink(kind, key, m.group(3), path, line))
    links += _xml_issue_links(tree)
    return links + _nested_issue_links(tree)


def _nested_issue_links(tree: Tree) -> list[ProjectLink]:
    """Issue trackers declared by the packages in the root's subdirectories (bindings of a
    library in other languages), not by tests, examples, fixtures or vendored copies."""
    links: list[ProjectLink] = []
    nested = sorted(
        p
        for name in (*_MANIFESTS, "DESCRIPTION")
        for p in tree.named(name)
        if p.count("/") == 1 and not not_the_projects(p)
    )
    for path in nested:
        found = (
            _description_links(tree, path)
            if path.endswith("/DESCRIPTION")
            else _manifest_links(tree, path)
        )
        links += [link for link in found if link.kind == ISSUES]
    return links


def _description_links(tree: Tree, path: str) -> list[ProjectLink]:
    """The ``BugReports`` URL of an R package's ``DESCRIPTION`` (with a ``Package:`` field,
    so that another file of that name is not read as one)."""
    if path not in tree.files:
        return []
    text = tree.read(path, limit=256 * 1024).text or ""
    m = _DCF_BUGREPORTS.search(text)
    if m is None or not re.search(r"^Package:", text, re.M):
        return []
    line = text.count("\n", 0, m.start()) + 1
    return [ProjectLink(ISSUES, "BugReports", m.group(1), path, line)]


def _manifest_links(tree: Tree, path: str) -> list[ProjectLink]:
    """Links of one package manifest (by its base name: pyproject.toml, Cargo.toml,
    package.json or composer.json)."""
    links: list[ProjectLink] = []
    name = path.rpartition("/")[2]
    if path not in tree.files:
        return links
    text = tree.read(path, limit=512 * 1024).text or ""
    try:
        data = tomllib.loads(text) if path.endswith(".toml") else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError, RecursionError):
        return links
    if not isinstance(data, dict):
        return links
    if name == "pyproject.toml":
        urls = _table(_table(data, "project"), "urls")
        for label, url in urls.items():
            kind = _LABELS.get(re.sub(r"[^a-z]", "", str(label).lower()))
            if kind and isinstance(url, str):
                line = line_in_table(text, "project.urls", str(label))
                links.append(ProjectLink(kind, str(label), url, path, line))
    elif name == "Cargo.toml":
        package = _table(data, "package")
        for key in ("documentation", "homepage"):
            if isinstance(package.get(key), str):
                line = line_in_table(text, "package", key)
                links.append(ProjectLink(_LABELS[key], key, package[key], path, line))
    elif name == "package.json":
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
                    ProjectLink(kind, f"support.{key}", support[key], path, _json_line(text, key))
                )
    return links


def _blank_comments(text: str) -> str:
    """``text`` with XML comments replaced by spaces (newlines kept, so lines stay right)."""
    return _XML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _xml_issue_links(tree: Tree) -> list[ProjectLink]:
    """The issue tracker of root DOAP files (``<bug-database rdf:resource="...">``, the Apache
    projects' ``doap_*.rdf``), at its line, XML comments left out. Read by pattern: only this
    element is needed, and a pattern keeps its line, which the standard library's XML parsers
    do not report."""
    out: list[ProjectLink] = []
    for path in sorted(p for p in tree.in_dir("") if _DOAP_NAME.search(p)):
        text = _blank_comments(tree.read(path, limit=512 * 1024).text or "")
        for m in _DOAP_BUGS.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(ProjectLink(ISSUES, "bug-database", m.group(1), path, line))
            break
    return out


_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DOAP_NAME = re.compile(r"(?:^|/)(?:doap[^/]*\.rdf|[^/]*\.doap)$", re.I)
_DOAP_BUGS = re.compile(r"""<(?:doap:)?bug-database\s+rdf:resource\s*=\s*["']([^"']+)["']""")


_GEMSPEC_KINDS = {"bug_tracker_uri": ISSUES, "documentation_uri": DOCUMENTATION,
                  "homepage_uri": HOMEPAGE, "homepage": HOMEPAGE}  # fmt: skip
# "bug_tracker_uri" => "https://...", metadata["documentation_uri"] = "...", s.homepage = "..."
_GEMSPEC_URI = re.compile(
    r"""(?:["'](\w+_uri)["']\s*(?:=>|\]\s*=)|\.(homepage)\s*=)"""
    r"""\s*["'](https?://[^"'\s]+)["']"""
)


def _labelled(label: str, url: str, path: str, line: int | None) -> ProjectLink | None:
    kind = _LABELS.get(re.sub(r"[^a-z]", "", label.lower()))
    return ProjectLink(kind, label, url, path, line) if kind else None


def _setuptools_links(tree: Tree) -> list[ProjectLink]:
    """``project_urls`` and ``url`` (the homepage) of setuptools metadata in the root
    ``setup.cfg`` and ``setup.py``."""
    links: list[ProjectLink] = []
    if "setup.cfg" in tree.files:
        text = tree.read("setup.cfg", limit=512 * 1024).text or ""
        links += _setup_cfg_links(text)
    if "setup.py" in tree.files:
        text = tree.read("setup.py", limit=512 * 1024).text or ""
        links += _setup_py_links(text)
    return links


def _setup_cfg_links(text: str) -> list[ProjectLink]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return []
    if not parser.has_section("metadata"):
        return []
    lines = _section_lines(text, "metadata")
    links: list[ProjectLink] = []
    home = (
        parser.get("metadata", "home_page", fallback="").strip()
        or parser.get("metadata", "url", fallback="").strip()
    )
    if home:
        line = next((i for i, raw in lines if re.match(r"(?:url|home_page)\s*[=:]", raw)), None)
        links.append(ProjectLink(HOMEPAGE, "url", home, "setup.cfg", line))
    start = next((i for i, raw in lines if re.match(r"project_urls\s*[=:]", raw)), 0)
    for entry in parser.get("metadata", "project_urls", fallback="").splitlines():
        label, sep, value = entry.partition("=")
        if not sep or not value.strip():
            continue
        line = next(
            (i for i, raw in lines
             if i > start and raw[:1] in (" ", "\t") and raw.strip().startswith(label.strip())),
            None,
        )  # fmt: skip
        if link := _labelled(label.strip(), value.strip(), "setup.cfg", line):
            links.append(link)
    return links


def _section_lines(text: str, section: str) -> list[tuple[int, str]]:
    """(1-based line, text) of the lines of INI section ``[section]``."""
    out: list[tuple[int, str]] = []
    inside = False
    for i, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("["):
            inside = raw.split("]", 1)[0].strip("[ ").lower() == section
            continue
        if inside:
            out.append((i, raw))
    return out


def _setup_py_links(text: str) -> list[ProjectLink]:
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    links: list[ProjectLink] = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if name != "setup":
            continue
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg == "url"
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                links.append(ProjectLink(HOMEPAGE, "url", value.value, "setup.py", value.lineno))
            elif keyword.arg == "project_urls" and isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values, strict=True):
                    label = key.value if isinstance(key, ast.Constant) else None
                    url = item.value if isinstance(item, ast.Constant) else None
                    if not (isinstance(label, str) and isinstance(url, str) and key is not None):
                        continue
                    if link := _labelled(label, url, "setup.py", key.lineno):
                        links.append(link)
    return links


_ISSUE_MANAGEMENT = re.compile(r"<issueManagement>(.*?)</issueManagement>", re.S)
_POM_URL = re.compile(r"<url>\s*(https?://[^<\s]+)\s*</url>")


def _maven_links(tree: Tree) -> list[ProjectLink]:
    """The issue tracker the root ``pom.xml`` declares (``<issueManagement><url>``), at the
    line of its ``<url>``; a URL built from a property (``${...}``) is skipped. Failing
    that, the POMs of the modules one level down (``api/pom.xml``), the first that declares
    one: a repository of sibling modules has no aggregator to declare it, and an aggregator
    that declares none leaves it to the module it publishes (Jakarta Interceptors' root POM
    names no tracker, its published ``api/pom.xml`` does; held-out-13d)."""
    root = ["pom.xml"] if "pom.xml" in tree.files else []
    for pom in root + tree.module_files("pom.xml"):
        # a commented-out element (an old tracker) is not the declaration
        text = _blank_comments(tree.read(pom, limit=1024 * 1024).text or "")
        block = _ISSUE_MANAGEMENT.search(text)
        url = _POM_URL.search(text, block.start(1), block.end(1)) if block else None
        if url is not None:
            line = text.count("\n", 0, url.start()) + 1
            return [ProjectLink(ISSUES, "issueManagement", url.group(1), pom, line)]
    return []
