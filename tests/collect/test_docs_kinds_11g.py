"""Document kinds the eleventh blind round (held-out-11g: a PyPA tool, a Rust crate and a
PHP library) showed, each on a small self-written fixture: a design section headed with the
adjective ("Architectural overview") in a documentation page; an API reference entry whose
method name holds a topic word (`Query::build`, in a README or a documentation page) is no
section on that topic."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from tests.collect.docsrepo import docs_of as _docs


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [
        f"{f.source.path}:{f.source.line}" if f.source.line else f.source.path or ""
        for f in findings
    ]


_README = "widget\n======\n\nUploads small files.\n"
_PARTS = (
    "Widget is a command-line tool for sending files to a server over HTTPS.\n"
    "Its arguments are parsed in widget/cli.py; the code for checking files is in\n"
    "widget/check.py and the code for sending them in widget/send.py. The file\n"
    "widget/package.py holds one class that hashes the files and reads their metadata.\n"
)


def test_architectural_overview_section_in_a_docs_page_is_design(tmp_path: Path) -> None:
    page = (
        "Contributing\n============\n\nWe are glad you help.\n\n"
        "Getting started\n---------------\n\nRun tox.\n\n"
        f"Architectural overview\n----------------------\n\n{_PARTS}\n"
        "Making a release\n----------------\n\nTag it.\n"
    )
    docs = _docs(tmp_path, {"README.rst": _README, "docs/contributing.rst": page})
    assert _at(docs.design) == ["docs/contributing.rst:11"]


def test_architectural_overview_in_the_readme_and_as_a_page_title(tmp_path: Path) -> None:
    readme = f"# widget\n\nUploads small files.\n\n## Architectural overview\n\n{_PARTS}"
    docs = _docs(tmp_path / "a", {"README.md": readme})
    assert _at(docs.design) == ["README.md:5"]
    page = f"Architectural design\n====================\n\n{_PARTS}"
    docs = _docs(tmp_path / "b", {"README.rst": _README, "docs/overview.rst": page})
    assert _at(docs.design) == ["docs/overview.rst:1"]


def test_the_adjective_alone_or_about_hardware_is_no_design(tmp_path: Path) -> None:
    page = (
        "Usage\n=====\n\nText.\n\nArchitectural\n-------------\n\n"
        f"{_PARTS}\nTarget architectural notes\n--------------------------\n\n{_PARTS}"
    )
    docs = _docs(tmp_path, {"README.rst": _README, "docs/usage.rst": page})
    assert docs.design == ()


def test_api_reference_entries_are_no_build_or_design_sections(tmp_path: Path) -> None:
    readme = (
        "# widget\n\nA message library.\n\n## Static API\n\n"
        "## `Widget\\Query::build`\n\n`public static function build(array $params): string`\n\n"
        "## `Widget\\Query::design` (deprecated)\n\nText.\n\n"
        "## `$stream->compile()`\n\nText.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme, "LICENSE": "MIT\n"})
    assert docs.build_instructions == ()
    assert docs.design == ()


def test_a_command_in_a_code_span_heading_still_names_the_build(tmp_path: Path) -> None:
    readme = "# widget\n\nA tool.\n\n## `make build`\n\nRun it in a checkout.\n"
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.build_instructions) == ["README.md:5"]


def test_api_entries_in_documentation_pages_are_no_design(tmp_path: Path) -> None:
    reference = (
        "API reference\n=============\n\n``internals()``\n---------------\n\n"
        f"{_PARTS}\n``Widget.close()``\n------------------\n\nText.\n"
    )
    docs = _docs(tmp_path / "a", {"README.rst": _README, "docs/reference.rst": reference})
    assert docs.design == ()
    page = f"``design()``\n============\n\n{_PARTS}"
    docs = _docs(tmp_path / "b", {"README.rst": _README, "docs/api.rst": page})
    assert docs.design == ()
