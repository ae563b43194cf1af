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
