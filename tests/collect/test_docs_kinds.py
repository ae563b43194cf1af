"""Document kinds a second blind round on real repositories showed (each with a small
self-written fixture): headings after an HTML comment, a README that is a contribution guide,
Maven site sources, verification instructions on a download page, a threat-model section,
table-of-contents entries, advisories linked from a changelog, governance and contribution
guides kept in an umbrella project, protocol specifications."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_policy
from steward.collect.facts import Finding
from steward.collect.headings import headings
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write

LICENCE_HEADER = """\
<!---
 Licensed to the Example Foundation under one or more agreements.
 # not a heading: a line inside a comment
-->
"""


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_heading_right_after_a_licence_comment() -> None:
    text = LICENCE_HEADER + "Contributing to [Widget](https://w.example/)\n=====\n\nText.\n"
    assert headings(text, "README.md") == [(5, "Contributing to [Widget](https://w.example/)")]
    one_line = "<!-- badges -->\n## Usage\n\nRun it.\n"
    assert headings(one_line, "README.md") == [(2, "Usage")]


def test_readme_that_is_a_contribution_guide(tmp_path: Path) -> None:
    readme = LICENCE_HEADER + (
        "Contributing to [Widget](https://w.example/)\n"
        "======================\n\n"
        "You found a bug? Read on.\n\n"
        "Getting Started\n---------------\n\n+ Fork the repository.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme, "src/site/apt/usage.apt.vm": " Usage\n"})
    assert _at(docs.contributing) == ["README.md:5"]
    # "Getting Started" is for contributors; the user documentation is the Maven site
    assert "README.md:12" not in _at(docs.user_docs)
    assert any(f.source.path == "src/site/" for f in docs.user_docs)


def test_verification_sentence_over_lines_on_a_download_page(tmp_path: Path) -> None:
    page = (
        "<section>\n"
        '<p>It is essential that you <a href="https://example.org/verify.html">verify the\n'
        "integrity</a> of the downloaded file using the checksum (.sha512 file)\n"
        "or using the signature (.asc file) against the public KEYS.</p>\n"
        "</section>\n"
    )
    docs = _docs(tmp_path, {"README.md": "# w\n", "src/site/xdoc/download.xml.vm": page})
    assert _at(docs.release_verification) == ["src/site/xdoc/download.xml.vm:2"]
    # advice to contributors is not release verification
    other = _docs(
        tmp_path / "b",
        {"README.md": "# w\n", "docs/install.md": "Verify your setup by running the tests.\n"},
    )
    assert other.release_verification == ()


def test_threat_model_section_of_the_security_policy(tmp_path: Path) -> None:
    policy = (
        "# Security Policy\n\nReport to security@w.example.\n\n## Threat Model\n\n"
        "What is in scope is documented in <https://w.example/THREAT_MODEL.md>.\n"
    )
    docs = _docs(tmp_path, {"SECURITY.md": policy})
    assert _at(docs.threat_model) == ["SECURITY.md:5"]
    assert _docs(tmp_path / "b", {"SECURITY.md": "# Security\n\nMail us.\n"}).threat_model == ()


def test_table_of_contents_entries_are_not_the_section(tmp_path: Path) -> None:
    rst = (
        "Widget\n======\n\nContents\n--------\n\n* `Reporting bugs`_\n\n"
        "Reporting bugs\n--------------\n\nPlease report bugs in the issues tracker at "
        "https://github.com/o/widget/issues.\n"
    )
    docs = _docs(tmp_path, {"README.rst": rst})
    assert _at(docs.bug_reporting) == ["README.rst:9", "README.rst:12"]


def test_changelog_links_to_the_projects_own_advisories(tmp_path: Path) -> None:
    history = (
        "2.3.0 / 2026-06-15\n==================\n\n"
        "* Security fix for [GHSA-v422-hmwv-36x6](https://github.com/o/widget/security/"
        "advisories/GHSA-v422-hmwv-36x6)\n"
        "* deps: qs@6.14.1 (https://github.com/ljharb/qs/security/advisories/GHSA-6rw7-vpxm-498p)\n"
    )
    manifest = '{\n  "name": "widget",\n  "version": "2.3.0"\n}\n'
    docs = _docs(tmp_path, {"package.json": manifest, "HISTORY.md": history})
    assert _at(docs.advisories) == ["HISTORY.md:4"]  # not the dependency's advisory
    unnamed = _docs(tmp_path / "b", {"HISTORY.md": history})  # no manifest: whose is it?
    assert unnamed.advisories == ()


def test_governance_and_contribution_guide_kept_in_an_umbrella_project(tmp_path: Path) -> None:
    readme = (
        "# widget\n\n# Project details\n\nwidget is a sub-project of umbrella:\n"
        " * [Project governance](https://github.com/umbrella/project/blob/main/GOVERNANCE.md),\n"
        " * [Maintainers](https://github.com/umbrella/project/blob/main/MAINTAINERS),\n"
        " * and [Contributing guidelines](https://github.com/umbrella/project/blob/main/"
        "CONTRIBUTING.md)\n"
        "You like it? [donate](https://www.example.org/foundation/contributing.html).\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.governance) == ["README.md:6", "README.md:7"]
    assert _at(docs.contributing) == ["README.md:8"]
    # a guide in the tree is the evidence; a link is only the fallback
    local = _docs(tmp_path / "b", {"README.md": readme, "CONTRIBUTING.md": "# How to\n"})
    assert [f.source.path for f in local.contributing] == ["CONTRIBUTING.md"]


def test_protocol_specification_is_design_documentation(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path, {"README.md": "# w\n", "PROTOCOL.md": "# Protocol Specification\n\n## Frames\n"}
    )
    assert [f.source.path for f in docs.design] == ["PROTOCOL.md"]


def test_design_documents_by_name_and_api_level_is_not_api_docs(tmp_path: Path) -> None:
    readme = "# w\n\n## Requirements\n\n#### Minimum Android API level\n\n21\n\n## API\n\nCalls.\n"
    docs = _docs(
        tmp_path,
        {
            "README.md": readme,
            "WidgetDesignDocument.md": "# Widget Design Document\n",
            "doc/algorithm.txt": "1. Compression algorithm\n",
            "docs/design-opinions.md": "# CLI Design Opinions\n\nAdvice for your own CLI.\n",
        },
    )
    assert sorted(str(f.source.path) for f in docs.design) == [
        "WidgetDesignDocument.md",
        "doc/algorithm.txt",
    ]
    assert _at(docs.user_docs) == ["README.md:9"]  # "API", not "Minimum Android API level"


def test_more_permissive_licences_are_recognised() -> None:
    from steward.collect.documents import identify_license_text, is_osi_or_fsf

    zlib_style = (
        "Copyright notice:\n\n (C) 2024 A. Author\n\n  This software is provided 'as-is', "
        "without any express or implied\n  warranty.\n\n  Permission is granted to anyone to use "
        "this software for any purpose,\n  including commercial applications, and to alter it "
        "and redistribute it\n  freely, subject to the following restrictions:\n\n  1. The "
        "origin of this software must not be misrepresented; you must not\n     claim that you "
        "wrote the original software.\n"
    )
    mit_0 = (
        "MIT No Attribution\n\nPermission is hereby granted, free of charge, to any person "
        "obtaining a copy of this software, to deal in the Software without restriction, and "
        "to permit persons to whom the Software is furnished to do so.\n\nTHE SOFTWARE IS "
        'PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n'
    )
    postgres = (
        "Permission to use, copy, modify, and distribute this software and its documentation "
        "for any purpose, without fee, and without a written agreement is hereby granted.\n"
    )
    wtfpl = "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE\nVersion 2, December 2004\n"
    artistic = "The Artistic License 2.0\n\nCopyright (c) 2000-2006, The Perl Foundation.\n"
    for text, spdx in ((zlib_style, "Zlib"), (mit_0, "MIT-0"), (postgres, "PostgreSQL"),
                       (wtfpl, "WTFPL"), (artistic, "Artistic-2.0")):  # fmt: skip
        assert identify_license_text(text) == spdx
        assert is_osi_or_fsf(spdx)


def test_design_docs_directory_and_support_sentence_in_the_readme(tmp_path: Path) -> None:
    readme = (
        "# w\n\n## Current version is 5.x\n\nOnly one major version is supported at a time, and "
        "changes are not backported to older versions.\n\n## Requirements\n\n"
        "Only the latest Python versions are supported.\n"
    )
    docs = _docs(
        tmp_path, {"README.md": readme, "doc/design-docs/argument-matching.md": "# Matchers\n"}
    )
    assert [f.source.path for f in docs.design] == ["doc/design-docs/"]
    assert _at(docs.support_policy) == ["README.md:5"]  # not the runtime requirement (line 9)


def test_a_tracker_mentioned_is_not_how_to_report(tmp_path: Path) -> None:
    tracker = "https://github.com/o/w/issues"
    readme = f"# w\n\n## Need help?\n\n* Open a ticket in GitHub [issue tracker]({tracker})\n"
    contributing = (
        "# Contributing\n\n* At least one commit message ends with `Fixes #id` where `id` is an "
        f"[issue tracker]({tracker}) id.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme, ".github/CONTRIBUTING.md": contributing})
    assert _at(docs.bug_reporting) == ["README.md:5"]
    # with no sentence anywhere, the tracker link is the (weaker) evidence
    only_link = _docs(tmp_path / "b", {".github/CONTRIBUTING.md": contributing})
    assert _at(only_link.bug_reporting) == [".github/CONTRIBUTING.md:3"]


def test_design_proposals_are_design_documentation(tmp_path: Path) -> None:
    # held-out-7c (rust-lang/log): rfcs/0296-structured-logging.md is the design RFC of the
    # structured-logging API; siblings: proposals and KEP directories
    docs = _docs(tmp_path / "rfc", {
        "README.md": "# w\n", "rfcs/0296-structured-logging.md": "# Summary\n\nKey-values.\n",
    })  # fmt: skip
    assert [f.source.path for f in docs.design] == ["rfcs/"]
    docs = _docs(tmp_path / "kep", {"README.md": "# w\n", "keps/0001-sharding/README.md": "# x\n"})
    assert [f.source.path for f in docs.design] == ["keps/"]


def test_sections_measuring_the_build_are_not_build_instructions(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): "Compile time and code bloat" is a benchmark section of the
    # README; "Build status" (badges) and "Build times" are the same kind
    readme = (
        "# w\n\n## Compile time and code bloat\n\nA benchmark.\n\n## Build status\n\n"
        "badges\n\n## Building from source\n\nRun cmake.\n\n## Build times\n\nfast\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.build_instructions) == ["README.md:11"]


def test_a_tracker_address_as_a_link_target_only_is_not_how_to_report(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): "[continuously fuzzed](https://bugs.chromium.org/p/oss-fuzz/
    # issues/list?...)" in the feature list, OSS-Fuzz's tracker, was taken for how to report
    readme = (
        "# w\n\n- Reliability: [continuously fuzzed](https://bugs.chromium.org/p/oss-fuzz/"
        "issues/list?colspec=ID%20Type%20Component%20Status%20Proj%20Reported%20Owner%20Summary"
        "&q=proj%3Dw&can=1)\n- Also `fuzzed <https://bugs.chromium.org/p/oss-fuzz>`_\n"
    )
    assert _at(_docs(tmp_path / "a", {"README.md": readme}).bug_reporting) == []
    told = (
        readme + "\nBug tracker: https://bugs.example.org/w\n\n[Report bugs](https://x.example)\n"
    )
    found = _at(_docs(tmp_path / "b", {"README.md": told}).bug_reporting)
    assert found == ["README.md:6", "README.md:8"]


def test_disclose_it_at_the_form_is_the_report_not_the_disclosure_process(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): "To report a security issue, please disclose it at [security
    # advisory](https://github.com/o/w/security/advisories/new)." names the private report;
    # the disclosure process is "give us at least 90 days ... before public disclosure"
    policy = (
        "# Security Policy\n\nTo report a security issue, please disclose it at [security\n"
        "advisory](https://github.com/o/w/security/advisories/new).\n\n"
        "Please give us at least 90 days to work on a fix before public\ndisclosure.\n\n"
        "Fixes are announced as [security advisories](https://github.com/o/w/security/advisories).\n"
    )
    write(tmp_path, {"SECURITY.md": policy})
    tree = walk(tmp_path)
    found, _ = collect_policy(tree, None)
    assert [f.source.line for f in found.disclosure_terms] == [7, 9]


def test_a_tracker_link_is_not_needed_beside_an_issue_template(tmp_path: Path) -> None:
    # held-out-7c (fmtlib/fmt): .github/issue_template.md says how to report; the README's
    # "let me know ... by submitting an [issue](https://github.com/o/w/issues)" about projects
    # using the library was reported beside it
    readme = "# w\n\nUsing w? Tell us by submitting an [issue](https://github.com/o/w/issues).\n"
    template = "<!--\nPlease check that the problem reproduces on master.\n-->\n"
    docs = _docs(tmp_path / "a", {"README.md": readme, ".github/issue_template.md": template})
    assert [(f.source.path, f.source.line) for f in docs.bug_reporting] == [
        (".github/issue_template.md", None)
    ]
    docs = _docs(tmp_path / "b", {"README.md": readme})
    assert _at(docs.bug_reporting) == ["README.md:3"]  # without a template, the link is all


def test_a_readme_title_naming_the_project_is_no_section(tmp_path: Path) -> None:
    """A project called "build" (pypa/build, held-out-8a), "support-kit" or "design-tokens"
    has its name as the README's title: the title is no build, support or design section;
    the sections under it still count, and so does a guide's own section."""
    docs = _docs(
        tmp_path,
        {
            "README.md": (
                "# build\n\nA simple build frontend.\n\n## Installation\n\npip install build\n"
            ),
            "pyproject.toml": '[project]\nname = "build"\n',
            "other/README.md": "# support-kit\n\n## Architecture\n\nParts.\n",
        },
    )
    assert [(f.source.path, f.source.line) for f in docs.build_instructions] == [
        ("pyproject.toml", None)
    ]
    docs = _docs(
        tmp_path / "b",
        {
            "README.md": (
                "Design Tokens\n=============\n\nTokens for the web.\n\n"
                "## Building from source\n\nRun make.\n\n## Architecture\n\nThe parts.\n"
            ),
            "CONTRIBUTING.md": "# Contributing to design-tokens\n\n## Development setup\n\nRun.\n",
        },
    )
    assert {(f.source.path, f.source.line) for f in docs.build_instructions} == {
        ("README.md", 6),
        ("CONTRIBUTING.md", 3),
    }
    assert [(f.source.path, f.source.line) for f in docs.design] == [("README.md", 10)]


def test_found_a_bug_section_and_new_issue_link(tmp_path: Path) -> None:
    """A contribution guide's "Found a bug?" section says how to report
    (python-jsonschema/jsonschema, held-out-8a); it comes before a later aside about the
    tracker. A link to the new-issue form alone is not taken (a link definition, a
    "tracking issue" template for contributors)."""
    guide = (
        "======================\nContributing to widget\n======================\n\n"
        "Found a bug?\n------------\n\n"
        "Search whether it has been reported on the Issues tab first.\n\n"
        "If not, please `file a new one <https://example.org/o/widget/issues/new>`_.\n\n"
        "Have a question?\n----------------\n\n"
        "Please do not use the issue tracker for questions.\n"
    )
    docs = _docs(tmp_path, {"CONTRIBUTING.rst": guide, "README.md": "# widget\n"})
    assert [(f.source.path, f.source.line) for f in docs.bug_reporting] == [
        ("CONTRIBUTING.rst", 5),
        ("CONTRIBUTING.rst", 15),
    ]
    # thanks for a bug someone found is no instruction
    docs = _docs(
        tmp_path / "b",
        {"README.md": "# widget\n\nThanks to Jane, who found a bug in the parser.\n"},
    )
    assert [f.source.line for f in docs.bug_reporting] == []
    docs = _docs(
        tmp_path / "c",
        {"README.md": "# widget\n\nIf you have found a bug, tell us on the list.\n"},
    )
    assert [f.source.line for f in docs.bug_reporting] == [3]
