"""Documentation kinds a seventh blind round showed (held-out-7b, tox-dev/filelock; small
self-written fixtures): Sphinx page titles written between an overline and an underline and
inset by a space; a documentation page whose title names the design ("Concepts and design");
threat-model sections (trust boundaries, what the library does not protect against) in the
documentation's pages, not only in the policy and README."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from steward.collect.headings import headings
from tests.collect.docsrepo import docs_of as _docs

CONCEPTS = """\
#####################
 Concepts and design
#####################

Why locks.

************************
 How file locking works
************************

Text.

**************************************
 Trust boundaries and ownership scope
**************************************

Every lock coordinates cooperating processes.

****************************************
 What this library doesn't protect against
****************************************

Remote machines.
"""


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]


def test_overlined_inset_rst_titles_are_headings() -> None:
    assert headings(CONCEPTS, "docs/concepts.rst") == [
        (2, "Concepts and design"),
        (8, "How file locking works"),
        (14, "Trust boundaries and ownership scope"),
        (20, "What this library doesn't protect against"),
    ]
    # an indented line under body text is still no heading
    assert headings("Para\n\n   indented\n   ========\n", "a.rst") == []


def test_design_page_and_threat_model_sections_in_the_docs(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"README.md": "# lib\n", "docs/concepts.rst": CONCEPTS,
                            "docs/index.rst": "Lib\n===\n\nWelcome.\n"})  # fmt: skip
    assert _at(docs.design) == ["docs/concepts.rst:2"]
    assert _at(docs.threat_model) == ["docs/concepts.rst:14", "docs/concepts.rst:20"]


def test_design_advice_and_plain_pages_are_not_design_documentation(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {
        "README.md": "# lib\n",
        "docs/opinions.md": "# CLI Design Opinions\n\nAdvice on designing CLIs.\n",
        "docs/usage.md": "# Usage\n\n## Security\n\nUse TLS.\n",
    })  # fmt: skip
    assert docs.design == () and docs.threat_model == ()
