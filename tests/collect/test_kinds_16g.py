"""Kinds the sixteenth blind round (held-out-16g: the Cyclone DDS C++ binding, the SkyWalking Go
agent) showed, on small self-written fixtures.

- A README's link to another site's new-issue form with a template for something else (add
  your logo: ``issues/new?template=adopter_request.md``) was taken for where bugs are reported.
- The pages of a documentation folder named for the design (``docs/en/concepts-and-designs/``)
  were not design documentation unless their own titles said so.
- A make recipe line continued with a backslash whose next line is indented with spaces ended
  the recipe there, so the analyser the rest of the recipe runs was not seen.
- ``golangci-lint --version`` (is it installed?) was taken for a run of the analyser.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.facts import Workflow
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write


def _at(found: tuple[object, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in found]  # type: ignore[attr-defined]


ADOPTERS = (
    "# widget\n\nWidget has a growing list of [adopters][1] (if you are one of them, please add\n"
    "your [logo][2]).\n\n[1]: https://example.org/adopters/\n"
    "[2]: https://github.com/example-foundation/site/issues/new?template=adopter_request.md\n"
)


def test_an_issue_form_for_another_purpose_is_not_where_bugs_are_reported(
    tmp_path: Path,
) -> None:
    docs = _docs(tmp_path, {"README.md": ADOPTERS, "src/widget.c": "int w;\n"})
    assert docs.bug_reporting == ()


def test_an_issue_form_for_bug_reports_still_is(tmp_path: Path) -> None:
    readme = (
        ADOPTERS + "\nProblems: https://github.com/o/widget/issues/new?template=bug_report.md\n"
    )
    docs = _docs(tmp_path, {"README.md": readme, "src/widget.c": "int w;\n"})
    assert _at(docs.bug_reporting) == ["README.md:9"]


def test_pages_of_a_documentation_folder_named_for_the_design_are_design_pages(
    tmp_path: Path,
) -> None:
    body = "The agent rewrites each method at compile time and keeps the context.\n" * 3
    docs = _docs(tmp_path, {
        "README.md": "# widget\n\nAn agent.\n",
        "docs/en/concepts-and-designs/hybrid-compilation.md": f"# Hybrid Compilation\n\n{body}",
        "docs/en/concepts-and-designs/project-structure.md": f"# Project Structure\n\n{body}",
        "docs/en/setup/quick-start.md": f"# Quick Start\n\n{body}",
    })  # fmt: skip
    assert _at(docs.design) == [
        "docs/en/concepts-and-designs/hybrid-compilation.md:1",
        "docs/en/concepts-and-designs/project-structure.md:1",
    ]


def test_a_folder_named_for_something_else_holds_no_design_pages(tmp_path: Path) -> None:
    body = "Install the agent and build your program with it, then run it.\n" * 3
    docs = _docs(tmp_path, {
        "README.md": "# widget\n\nAn agent.\n",
        "docs/en/setup-and-usage/quick-start.md": f"# Quick Start\n\n{body}",
        "docs/en/designer-tools/palette.md": f"# Palette\n\n{body}",
    })  # fmt: skip
    assert docs.design == ()


MAKEFILE = (
    "GO = go\nGO_PATH = $$($(GO) env GOPATH)\nGO_LINT = $(GO_PATH)/bin/golangci-lint\n\n"
    ".PHONY: lint\nlint:\n"
    "\t@for dir in $$(find . -name go.mod -exec dirname {} \\; ); do \\\n"
    "  \t\tif [[ $$dir == ./test/* ]]; then \\\n"
    "\t\t\tcontinue; \\\n"
    "\t\tfi; \\\n"
    "\t\t(cd $$dir && $(GO_LINT) run ./...); \\\n"
    "\tdone\n"
    "\t$(GO_LINT) run ./...\n"
)


def _workflow(root: Path, makefile: str) -> Workflow:
    workflow = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make lint\n"
    files = {".github/workflows/ci.yml": workflow, "Makefile": makefile, "go.mod": "module w\n"}
    write(root, files)
    return collect_workflows(walk(root))[0][0]


def test_a_recipe_goes_on_after_a_continued_line_indented_with_spaces(tmp_path: Path) -> None:
    wf = _workflow(tmp_path, MAKEFILE)
    assert ("Makefile", 13) in {(f.source.path, f.source.line) for f in wf.sast}


def test_a_tool_asked_only_for_its_version_analyses_nothing(tmp_path: Path) -> None:
    makefile = "lint:\n\tgolangci-lint --version\n\tgolangci-lint run ./...\n"
    wf = _workflow(tmp_path, makefile)
    assert [(f.source.path, f.source.line) for f in wf.sast] == [("Makefile", 3)]
