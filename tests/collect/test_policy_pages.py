"""A security policy that links the project's own documentation page, whose source is in the
tree, and a key named at a link (a sixth blind round: a PyPA library whose SECURITY.md points
to its docs site, built from docs/security.rst, which names the address, a response time and
where the key fingerprints are). Self-written fixtures."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_insights, collect_policy
from steward.collect.facts import SecurityPolicy
from steward.collect.reporting import encryption_keys
from steward.collect.tree import Tree, walk
from tests.collect.gitrepo import write

SECURITY_MD = """\
Security Policy
===============

To report a security issue, please follow the [security reporting guidelines]\
(https://widget.example.org/en/latest/security/), do not report them in the public tracker.
"""

DOCS_SECURITY = """\
Security
========

Please report your issue to ``security@widget.example.org``. Messages may be optionally
encrypted with GPG using key fingerprints available at the `Widget Security
page <https://keys.example.org/widget/>`_.

You should receive an acknowledgment within 48 hours.
"""

PYPROJECT = """\
[project]
name = "widget"

[project.urls]
Documentation = "https://widget.example.org/"
"""


def _policy(root: Path, files: dict[str, str | bytes]) -> tuple[Tree, SecurityPolicy]:
    write(root, files)
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return tree, policy


def test_link_to_the_projects_own_docs_page_is_not_a_referral(tmp_path: Path) -> None:
    _, policy = _policy(
        tmp_path,
        {
            "SECURITY.md": SECURITY_MD,
            "docs/security.rst": DOCS_SECURITY,
            "pyproject.toml": PYPROJECT,
        },
    )
    assert {s.path for s in policy.files} == {"SECURITY.md", "docs/security.rst"}
    # the linked page is docs/security.rst, read already: nothing is deferred to it
    assert not [f for f in policy.referrals if "widget.example.org" in f.detail]
    assert any("security@widget.example.org" in f.detail for f in policy.private_contacts)


def test_link_to_another_site_is_still_a_referral(tmp_path: Path) -> None:
    # same page name, but not the project's documentation site
    other = SECURITY_MD.replace("widget.example.org", "foundation.example.net")
    _, policy = _policy(
        tmp_path,
        {"SECURITY.md": other, "docs/security.rst": DOCS_SECURITY, "pyproject.toml": PYPROJECT},
    )
    assert [f for f in policy.referrals if "foundation.example.net" in f.detail]


def test_key_named_at_a_link_over_two_lines(tmp_path: Path) -> None:
    tree, policy = _policy(
        tmp_path,
        {
            "SECURITY.md": SECURITY_MD,
            "docs/security.rst": DOCS_SECURITY,
            "pyproject.toml": PYPROJECT,
        },
    )
    found = encryption_keys(tree, policy, None)
    assert [(f.source.path, f.source.line) for f in found] == [
        ("docs/security.rst", 6)
    ]  # the link's line
    assert "https://keys.example.org/widget/" in found[0].detail


def test_encryption_tool_link_is_not_a_key(tmp_path: Path) -> None:
    text = "Report to sec@example.org. You may encrypt with [GPG](https://gnupg.org/).\n"
    tree, policy = _policy(tmp_path, {"SECURITY.md": text})
    assert encryption_keys(tree, policy, None) == []
