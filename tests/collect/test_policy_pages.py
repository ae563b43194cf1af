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


DOCS_SITE_POLICY = """\
Security
========

## Supported Versions

| Version | Supported |
| ------- | --------- |
| 3.x     | yes       |

## Reporting a Vulnerability

If you believe you have found a security vulnerability, please follow the guidelines at
https://bugbounty.example.com/widget-open-source
"""

DOCS_TLS_FEATURES = """\
# Security

Widget verifies TLS certificates by default. Use `pinning()` to pin a public key.
"""


def test_a_documentation_site_page_is_the_policy_when_it_says_how_to_report(
    tmp_path: Path,
) -> None:
    # a MkDocs site whose security page holds the policy, no SECURITY file at the usual places
    _, policy = _policy(
        tmp_path / "a",
        {"docs/security/security.md": DOCS_SITE_POLICY, "docs/index.md": "# Widget\n"},
    )
    assert [s.path for s in policy.files] == ["docs/security/security.md"]
    assert any("bugbounty.example.com" in f.detail for f in policy.public_links)
    # a page on the library's security features, saying nothing on reporting, is not one
    _, features = _policy(tmp_path / "b", {"docs/guide/security.md": DOCS_TLS_FEATURES})
    assert features.files == () and features.urls == ()
    # a SECURITY.md where the forge shows it wins over the documentation page
    _, both = _policy(
        tmp_path / "c",
        {"SECURITY.md": SECURITY_MD, "website/docs/security-policy.md": DOCS_SITE_POLICY},
    )
    assert [s.path for s in both.files] == ["SECURITY.md"]
    # a page of an example or test tree is not the project's
    _, example = _policy(tmp_path / "d", {"docs/examples/security.md": DOCS_SITE_POLICY})
    assert example.files == ()


SECURITY_CONTACTS = """\
# Defined below are the security contacts for this repo.
#
# They agree to the [Embargo Policy](https://example.org/security-release/process.md).
#
# DO NOT REPORT SECURITY VULNERABILITIES DIRECTLY TO THESE NAMES, FOLLOW THE
# INSTRUCTIONS AT https://project.example.org/security/

alice
bob
"""


def test_security_contacts_file_links_the_policy_it_sends_reporters_to(tmp_path: Path) -> None:
    _, policy = _policy(tmp_path / "a", {"SECURITY_CONTACTS": SECURITY_CONTACTS})
    assert policy.files == ()  # the people listed are not a reporting channel
    assert [(f.source.path, f.source.line) for f in policy.urls] == [("SECURITY_CONTACTS", 6)]
    assert "https://project.example.org/security/" in policy.urls[0].detail
    # names alone send nobody anywhere
    _, names = _policy(tmp_path / "b", {"SECURITY_CONTACTS": "# contacts\nalice\n"})
    assert names.urls == ()
