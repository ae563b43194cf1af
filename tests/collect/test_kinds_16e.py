"""Kinds the sixteenth blind round (held-out-16e: Jakarta Expression Language, Jakarta
Concurrency) showed, on small self-written fixtures.

- A README that builds its modules in sub-sections of a build section ("## Building" with
  "### API" and "### Specification") had "### API" taken for a section on use: the heading
  names the module built, the section on building holds it. A section on use beside the
  build section, a sub-heading of a build section that speaks of use ("Using the library as a
  DLL"), and a section that only the document's title holds still count.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from steward.collect.headings import enclosing_headings
from tests.collect.docsrepo import docs_of

BUILD_SUBSECTIONS = """# Widget Language

The Widget Language API and its reference implementation.

## Building

### API

The API can be built from the project root:

    cd api
    mvn clean package

### Specification

    cd spec
    mvn clean package

## Usage

Add the API jar to the class path and create a `WidgetProcessor`.
"""

SETEXT_BUILD = """Widget Language
===============

Building
--------

### API

    mvn -f api/pom.xml package
"""


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_a_build_sections_module_heading_is_not_a_section_on_use(tmp_path: Path) -> None:
    docs = docs_of(tmp_path, {"README.md": BUILD_SUBSECTIONS})
    assert "README.md:7" not in _at(docs.user_docs)  # "### API" under "## Building"
    assert "README.md:19" in _at(docs.user_docs)  # "## Usage" beside it


def test_a_build_sections_subheading_on_use_still_counts(tmp_path: Path) -> None:
    readme = (
        "# Widget\n\n## Building from source\n\n### Windows\n\n"
        "#### Using Widget as a Windows DLL\n\nDefine WIDGET_IMPORTS in your application.\n"
    )
    docs = docs_of(tmp_path, {"README.md": readme})
    assert "README.md:7" in _at(docs.user_docs)


def test_a_setext_build_sections_module_heading_is_not_a_section_on_use(tmp_path: Path) -> None:
    docs = docs_of(tmp_path, {"README.md": SETEXT_BUILD})
    assert "README.md:7" not in _at(docs.user_docs)


def test_a_section_on_use_under_a_title_naming_a_build_tool_still_counts(tmp_path: Path) -> None:
    readme = "# build\n\nA simple build frontend.\n\n## API\n\nCall `build.build()`.\n"
    docs = docs_of(tmp_path, {"README.md": readme})
    assert "README.md:5" in _at(docs.user_docs)


def test_enclosing_headings_are_read_by_level() -> None:
    assert enclosing_headings(BUILD_SUBSECTIONS, "README.md", 7) == [
        (5, "Building"),
        (1, "Widget Language"),
    ]
    assert enclosing_headings(BUILD_SUBSECTIONS, "README.md", 19) == [(1, "Widget Language")]
    setext = enclosing_headings(SETEXT_BUILD, "README.md", 7)
    assert setext == [(4, "Building"), (1, "Widget Language")]
    adoc = "= Widget\n\n== Building\n\n=== API\n"
    assert enclosing_headings(adoc, "guide.adoc", 5) == [(3, "Building"), (1, "Widget")]
    # reStructuredText gives no level this reads: nothing is said to enclose
    rst = "Widget\n======\n\nBuilding\n--------\n\nAPI\n~~~\n"
    assert enclosing_headings(rst, "README.rst", 7) == []
