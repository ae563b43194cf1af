"""Kinds the eleventh blind round's held-out-11d part (PHP libraries: ramsey/uuid,
thephpleague/csv, laminas/laminas-diactoros) showed, each on a small self-written repository
collected from its files and judged by the probe, with the evidence at the exact line:

- a security policy written from a template keeps the template's guidance in HTML comments,
  which the rendered page does not show: a comment's "list of currently maintained versions",
  its "disclosure template" reference or a hackerone.com link is not the project's policy;
- the template's Scope table ("| Version | In scope |") says which versions are supported;
- a SECURITY.md left out of the source archive (``export-ignore``) is still carried by its URL
  when the README, kept in the archive, links the policy's page;
- a job calling another repository's general CI workflow (not named for tests, analysis or a
  chore) beside an analyser's configuration (psalm.xml.dist) may run the analyser: static
  analysis is "cannot tell" there, not a fail.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import parse_policy_text, shown_text
from tests.evaluate.probes.onrepo import judge, where

# a policy filled in from the HackerOne policy-builder template: the guidance stays in comments
TEMPLATE_POLICY = """<!--
    This policy was created with the Example Policy Builder, after the Coordinated
    Vulnerability Disclosure Template of a working group.
-->

# Vulnerability Disclosure Policy

## Scope

<!--
    For software packages, this is often a list of currently maintained versions.
-->

Issues in the software kept in this repository are in scope.

| Version | In scope | Source code |
| ------- | -------- | ----------- |
| 2.x     | yes      | main        |
| 1.9     | yes      | 1.x         |

## How to Submit a Report

To submit a report, write to security@widget.example.

## Safe Harbor

Give us a reasonable time to fix the issue prior to any disclosure to the public.

<!--
    References

    [1] Builder. https://hackerone.com/policy-builder/
    [2] Working group. Early stage disclosure template: Version 1.1.
-->
"""

POLICY_PROBES = (
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "security_policy_disclosure_process",
    "security_policy_supported_versions",
    "support_policy_documented",
)


def test_template_guidance_in_html_comments_is_not_the_policy(tmp_path: Path) -> None:
    out = judge(tmp_path, {"README.md": "# Widget\n\nA library.\n",
                           "SECURITY.md": TEMPLATE_POLICY}, *POLICY_PROBES)  # fmt: skip
    for name in POLICY_PROBES:
        assert out[name].status.value == "pass", (name, out[name].message)
    # the address only, not the commented-out hackerone.com reference (line 32)
    assert where(out["security_policy_private_contact"]) == ["SECURITY.md:23"]
    assert where(out["security_contacts_listed"]) == ["SECURITY.md:23"]
    assert where(out["reporting_without_account"]) == ["SECURITY.md:23"]
    # the title and the safe-harbour sentence, not the comments (lines 2-3, 33)
    assert where(out["security_policy_disclosure_process"]) == ["SECURITY.md:6", "SECURITY.md:27"]
    # the Scope table's header, not the comment's "currently maintained versions" (line 11)
    assert where(out["security_policy_supported_versions"]) == ["SECURITY.md:16"]
    assert where(out["support_policy_documented"]) == ["SECURITY.md:16"]


def test_a_policy_that_is_all_template_comments_says_nothing(tmp_path: Path) -> None:
    policy = (
        "# Security Policy\n\n<!--\n  Supported versions: list the maintained versions here.\n"
        "  Contact: security@widget.example; we reply within 48 hours.\n-->\n"
    )
    out = judge(tmp_path, {"SECURITY.md": policy}, *POLICY_PROBES)
    assert out["security_policy_private_contact"].status.value == "fail"
    assert out["security_policy_supported_versions"].status.value == "fail"


def test_comments_are_blanked_only_where_the_format_hides_them() -> None:
    text = "Title\n<!-- security@widget.example -->\nEnd\n"
    # Markdown hides the comment (its line is kept, empty); plain text shows it
    assert shown_text("SECURITY.md", text) == "Title\n\nEnd\n"
    assert shown_text("SECURITY.txt", text) == text
    assert parse_policy_text("SECURITY", shown_text("SECURITY", text))["private"]


def test_a_scope_table_needs_a_version_column() -> None:
    found = parse_policy_text("SECURITY.md", "| Area | In scope |\n| --- | --- |\n| API | yes |\n")
    assert found["versions"] == []
    found = parse_policy_text("SECURITY.md", "Intro\n\n| Versions | Maintained |\n|--|--|\n")
    assert [f.source.line for f in found["versions"]] == [3]


ATTRIBUTES = "/SECURITY.md export-ignore\n/tests/ export-ignore\n"


def _readme(link: str) -> str:
    return (
        "# Widget\n\nA library.\n\n## Coordinated Disclosure\n\n"
        f"Please read [SECURITY.md][] before reporting a vulnerability.\n\n[security.md]: {link}\n"
    )


def test_an_export_ignored_policy_is_carried_by_the_readme_link(tmp_path: Path) -> None:
    files = {
        ".gitattributes": ATTRIBUTES,
        "SECURITY.md": "# Security\n\nReport to security@widget.example.\n",
        "README.md": _readme("https://github.com/acme/widget/blob/main/SECURITY.md"),
    }
    out = judge(tmp_path, files, "policy_in_distributed_source")["policy_in_distributed_source"]
    assert out.status.value == "pass", out.message
    assert where(out) == ["README.md:9"]


def test_a_relative_or_hidden_link_does_not_carry_the_policy(tmp_path: Path) -> None:
    # a relative link is dead in an archive without the file; a commented-out one is not shown
    for readme in (
        _readme("SECURITY.md"),
        "# Widget\n\n<!-- [policy](https://github.com/acme/widget/blob/main/SECURITY.md) -->\n",
    ):
        files = {
            ".gitattributes": ATTRIBUTES,
            "SECURITY.md": "# Security\n\nReport to security@widget.example.\n",
            "README.md": readme,
        }
        out = judge(tmp_path, files, "policy_in_distributed_source")
        result = out["policy_in_distributed_source"]
        assert result.status.value == "fail", (readme, result.message)
        assert where(result) == [".gitattributes:1"]


def test_a_readme_left_out_too_does_not_carry_it(tmp_path: Path) -> None:
    files = {
        ".gitattributes": ATTRIBUTES + "/README.md export-ignore\n",
        "SECURITY.md": "# Security\n\nReport to security@widget.example.\n",
        "README.md": _readme("https://github.com/acme/widget/blob/main/SECURITY.md"),
    }
    out = judge(tmp_path, files, "policy_in_distributed_source")["policy_in_distributed_source"]
    assert out.status.value == "fail", out.message


# -- a job calling another repository's general CI workflow, beside an analyser's configuration

CALLER = """name: CI
on:
  pull_request:
  push:
jobs:
  ci:
    uses: acme/workflows/.github/workflows/continuous-integration.yml@1.x
"""


def test_a_remote_ci_workflow_beside_an_analyser_config_cannot_tell(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": CALLER, "psalm.xml.dist": "<psalm/>\n"}
    out = judge(tmp_path, files, "sast_configured")["sast_configured"]
    # it may run Psalm, but it is not read: unknown with the calling line, never a guessed fail
    assert out.status.value == "unknown", out.message
    assert "psalm.xml.dist" in out.message
    assert where(out) == [".github/workflows/ci.yml:7"]


def test_without_an_analyser_config_the_absence_stays_a_fail(tmp_path: Path) -> None:
    out = judge(tmp_path, {".github/workflows/ci.yml": CALLER}, "sast_configured")
    assert out["sast_configured"].status.value == "fail"


def test_a_chore_workflow_does_not_make_it_unknown(tmp_path: Path) -> None:
    chore = CALLER.replace("continuous-integration.yml", "stale.yml").replace("ci:", "stale:")
    files = {".github/workflows/stale.yml": chore, "phpstan.neon.dist": "parameters:\n"}
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == "fail"


def test_a_remote_workflow_named_for_analysis_still_passes(tmp_path: Path) -> None:
    named = CALLER.replace("continuous-integration.yml", "static-analysis.yml")
    files = {".github/workflows/ci.yml": named, "psalm.xml.dist": "<psalm/>\n"}
    out = judge(tmp_path, files, "sast_configured")["sast_configured"]
    assert out.status.value == "pass"
    assert where(out) == [".github/workflows/ci.yml:7"]
