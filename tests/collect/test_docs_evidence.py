"""Documentation facts: headings at their exact lines, user documentation, contribution
guides, issue reporting, and security contacts in their many real forms."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_docs, collect_insights, collect_policy
from steward.collect.facts import Docs, SecurityPolicy
from steward.collect.headings import headings
from steward.collect.tree import walk
from tests.collect.gitrepo import write

README = """\
<h1 align="center">widget</h1>


Widget parses things.

```sh
# not a heading: a shell comment in a code block
widget --help
```



## Configuration

Set `WIDGET_HOME`.

Examples
--------

See below.
"""


def test_headings_at_their_own_lines() -> None:
    assert headings(README, "README.md") == [(1, "widget"), (13, "Configuration"), (17, "Examples")]
    rst = "Title\n=====\n\nIntro.\n\n\nUsage\n-----\n\ntext\n"
    assert headings(rst, "README.rst") == [(1, "Title"), (7, "Usage")]


def _docs(root: Path, files: dict[str, str | bytes]) -> tuple[Docs, SecurityPolicy]:
    write(root, files)
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy), policy


def test_user_docs_beyond_usage_headings(tmp_path: Path) -> None:
    docs, _ = _docs(
        tmp_path,
        {
            "README.md": README,
            "pyproject.toml": '[project]\nname = "w"\n\n[project.urls]\n'
            'Homepage = "https://w.example"\nDocumentation = "https://w.readthedocs.io"\n'
            'Issues = "https://github.com/o/w/issues"\n',
        },
    )
    where = {(f.source.path, f.source.line) for f in docs.user_docs}
    assert {("README.md", 13), ("README.md", 17), ("pyproject.toml", 6)} <= where
    assert ("pyproject.toml", 7) in {(f.source.path, f.source.line) for f in docs.bug_reporting}


def test_contributing_section_in_readme_or_docs(tmp_path: Path) -> None:
    docs, _ = _docs(
        tmp_path,
        {
            "README.md": "# x\n\n## Contributing\n\nPull requests welcome.\n",
            "docs/development/contributing.rst": "Contributing\n============\n",
        },
    )
    where = {(f.source.path, f.source.line) for f in docs.contributing}
    assert ("README.md", 3) in where and ("docs/development/contributing.rst", None) in where


def test_issue_link_in_readme(tmp_path: Path) -> None:
    docs, _ = _docs(
        tmp_path, {"README.md": "# x\n\nQuestions: https://github.com/o/x/issues/new\n"}
    )
    assert [(f.source.path, f.source.line) for f in docs.bug_reporting] == [("README.md", 3)]


def test_private_channels_in_their_real_forms(tmp_path: Path) -> None:
    _, policy = _docs(
        tmp_path,
        {
            "SECURITY.md": "# Security\n\nWrite to security at example dot org.\n\n"
            "Or use https://github.com/o/r/security/advisories/new\n",
            ".well-known/security.txt": "Contact: mailto:psirt@example.org\n"
            "Policy: https://example.org/security\n",
            "security-insights.yml": "header:\n  schema-version: 2.0.0\nproject:\n"
            "  vulnerability-reporting:\n    contact:\n      email: sec@example.org\n",
        },
    )
    where = {(f.source.path, f.source.line) for f in policy.private_contacts}
    assert where == {
        ("SECURITY.md", 3),
        ("SECURITY.md", 5),
        (".well-known/security.txt", 1),
        ("security-insights.yml", 6),
    }


def test_short_policy_that_defers_to_a_security_page(tmp_path: Path) -> None:
    _, policy = _docs(
        tmp_path,
        {
            "SECURITY.md": "<!-- Licensed to the foundation ... -->\n# Security Policy\n\n"
            "Please follow the steps on [our page](https://www.example.org/security/).\n"
        },
    )
    assert policy.private_contacts == ()
    assert [(f.source.line, f.detail) for f in policy.referrals] == [
        (4, "link https://www.example.org/security/")
    ]


def test_readme_section_is_the_policy_when_there_is_no_security_md(tmp_path: Path) -> None:
    readme = (
        "# tool\n\n## Usage\n\nRun it.\n\n### Vulnerability reporting\n\n"
        "For reporting a security vulnerability, please\n[contact Jane](https://jane.example/about/).\n"
        "\n### Translations\n\nNone yet.\n"
    )
    _, policy = _docs(tmp_path, {"README.md": readme})
    assert [(s.path, s.line) for s in policy.files] == [("README.md", 7)]
    assert [(f.source.line, f.detail) for f in policy.referrals] == [
        (10, "link https://jane.example/about/")
    ]


def test_support_policy_from_a_version_table_not_from_jdk_lts(tmp_path: Path) -> None:
    table = (
        "# lib\n\n## Version Guidance\n\n| Version | Status |\n|---|---|\n"
        "| 6.x | EOL (2023-10-31) |\n| 7.x | Latest |\n"
    )
    docs, _ = _docs(tmp_path / "a", {"README.md": table})
    assert {f.source.line for f in docs.support_policy} == {3, 7}
    jdk = "# lib\n\nTested on the JDK LTS releases: 8, 11, 17.\n\n## Supported Versions\n\n"
    jdk += "Python 3.10+.\n"
    docs, _ = _docs(tmp_path / "b", {"README.md": jdk})
    assert docs.support_policy == ()


def test_build_instructions_are_not_installation_sections(tmp_path: Path) -> None:
    docs, _ = _docs(
        tmp_path, {"README.md": "# x\n\n## Installation\n\npip install x\n\n## Building\n\nmake\n"}
    )
    assert [f.source.line for f in docs.build_instructions] == [7]


def test_release_verification_needs_a_release_not_commit_signing(tmp_path: Path) -> None:
    docs, _ = _docs(
        tmp_path / "a",
        {"SECURITY.md": "# S\n\nSign your commits with a GPG key "
         "(https://docs.github.com/commit-signature-verification).\n"},
    )  # fmt: skip
    assert docs.release_verification == ()
    docs, _ = _docs(
        tmp_path / "b",
        {"README.md": "# x\n\nVerify the signature of a release: `gpg --verify x.tar.gz.asc`.\n"},
    )
    assert [f.source.line for f in docs.release_verification] == [3]


def test_contributor_agreement_required_or_optional(tmp_path: Path) -> None:
    required = "# Contributing\n\n## Legal\n\nContributions must comply with the policy.\n\n"
    required += "1. Sign the Eclipse ECA.\n"
    docs, _ = _docs(tmp_path / "a", {"CONTRIBUTING.md": required})
    assert [(f.source.line, f.detail[:9]) for f in docs.contributor_agreement] == [(7, "required:")]
    optional = "<!-- Licensed under one or more\ncontributor license agreements. -->\n# C\n\n"
    optional += "+ Sign the CLA if you can.\n  Small patches do not require a CLA.\n"
    docs, _ = _docs(tmp_path / "b", {"CONTRIBUTING.md": optional})
    assert [(f.source.line, f.detail[:4]) for f in docs.contributor_agreement] == [(5, "+ Si")]


def test_tests_named_test_js_and_type_tests(tmp_path: Path) -> None:
    docs, _ = _docs(tmp_path, {"test.js": "x", "index.test-d.ts": "y", "index.js": "z"})
    assert {f.source.path for f in docs.tests} == {"test.js", "index.test-d.ts"}


def test_documentation_links_by_their_text(tmp_path: Path) -> None:
    readme = (
        '# app\n\n<p><a href="https://docs.app.example">Docs</a></p>\n\n'
        "Compare with [git grep](https://git-scm.com/docs/git-grep).\n"
    )
    docs, _ = _docs(tmp_path, {"README.md": readme})
    assert [(f.source.line) for f in docs.user_docs] == [3]


def test_issue_tracker_link_only_when_no_sentence_says_how_to_report(tmp_path: Path) -> None:
    docs, _ = _docs(tmp_path / "a", {
        "CONTRIBUTING.md": "# C\n\nLink PRs ([docs](https://docs.github.com/en/issues/x)).\n\n"
        "See [this issue](https://github.com/o/r/issues/12).\n\n"
        "Questions go to https://github.com/o/r/issues/new/choose\n",
    })  # fmt: skip
    assert [f.source.line for f in docs.bug_reporting] == [7]


def test_long_policy_pointing_to_a_person_and_its_advisories(tmp_path: Path) -> None:
    policy = "# Security Policy\n\n* [Supported Versions](#supported-versions)\n\n"
    policy += "## Supported Versions\n\n| Version | Supported |\n|---|---|\n| 4.x | yes |\n\n"
    policy += "## Reporting\n\nPlease send an email to [@maint](https://github.com/maint) (see "
    policy += "address in profile).\n\n## History\n\n"
    policy += "".join(f"| 2024 | [Bug {i}](https://github.com/advisories/GHSA-{i}aaa-bbbb-cccc) |\n"
                      for i in range(5))  # fmt: skip
    policy += "\n" * 10 + "Thanks.\n" * 12
    _, found = _docs(tmp_path, {"SECURITY.md": policy})
    assert found.referrals == () and found.private_contacts == ()
    assert [f.source.line for f in found.contact_referrals] == [13]
    assert [f.source.line for f in found.advisory_links] == [17, 18, 19]
    assert [f.source.line for f in found.supported_versions] == [5, 7]


def test_guide_in_github_dir_is_one_piece_of_evidence(tmp_path: Path) -> None:
    # .github/CONTRIBUTING.md is the guide and also matches the documentation-page pattern;
    # it was listed twice
    docs, _ = _docs(tmp_path, {".github/CONTRIBUTING.md": "How to contribute\n"})
    assert [f.source.path for f in docs.contributing] == [".github/CONTRIBUTING.md"]
