"""Kinds the sixteenth blind round's held-out-16d part (ramsey/collection,
doctrine/instantiator) showed, on small self-written fixtures: a directory that holds only a
placeholder file (``docs/.gitkeep`` kept so that git keeps the empty directory) was taken for
a documentation directory."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from steward.evaluate.model import ProbeStatus
from tests.collect.docsrepo import docs_of as _docs
from tests.evaluate.probes.factsbuilder import make_facts, run


def _paths(findings: tuple[Finding, ...]) -> list[str]:
    return [f.source.path or "" for f in findings]


README = "# widget\n\nA small library.\n\n## Licence\n\nMIT.\n"


def test_a_directory_of_placeholders_only_is_no_documentation(tmp_path: Path) -> None:
    """ramsey/collection's docs/ holds only docs/.gitkeep (the pds/skeleton layout keeps
    the directory): nothing in it documents anything, so it is no user documentation (it
    was reported as "documentation directory docs/"; there the README's Usage section
    passed the probe anyway, but a README without one passed on the empty directory)."""
    for placeholder in (".gitkeep", ".keep", ".gitignore", ".placeholder", ".nojekyll"):
        docs = _docs(
            tmp_path / placeholder.strip("."),
            {"README.md": README, f"docs/{placeholder}": "", f"design/{placeholder}": ""},
        )
        assert "docs/" not in _paths(docs.user_docs), placeholder
        assert "design/" not in _paths(docs.design), placeholder
        facts = make_facts(docs=docs)
        assert run("user_documentation_present", facts).status == ProbeStatus.FAIL, placeholder


def test_a_directory_with_a_page_beside_its_placeholder_is_documentation(
    tmp_path: Path,
) -> None:
    """The bound: a docs/ that holds a page as well as its placeholder is documentation,
    as before; so is a design/ directory with a document in it."""
    docs = _docs(
        tmp_path,
        {
            "README.md": README,
            "docs/.gitkeep": "",
            "docs/usage.md": "# Usage\n\nCall `widget.run()`.\n",
            "design/.gitkeep": "",
            "design/storage.md": "# Storage\n\nThe records are kept in pages.\n",
        },
    )
    assert "docs/" in _paths(docs.user_docs)
    assert "design/" in _paths(docs.design)


def test_placeholder_check_matches_the_directory_in_any_case(tmp_path: Path) -> None:
    """Issue-template and changelog directories are looked up in any case (``has_dir``):
    the content check finds their files under the name the tree spells them with."""
    docs = _docs(
        tmp_path,
        {
            "README.md": README,
            ".github/Issue_Template/bug.md": "---\nname: Bug\n---\nWhat happened?\n",
            "Changes/1.0.md": "# 1.0\n\n- first release\n",
        },
    )
    assert ".github/ISSUE_TEMPLATE/" in _paths(docs.bug_reporting)
    assert "changes/" in _paths(docs.changelog)
