"""Kinds met in the held-out-11a blind round (pytest-dev/pluggy, hynek/structlog,
encode/httpx), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- a policy that sends reports to the repository's GitHub Security page names the forge's
#    private reporting; it does not defer to a policy stated elsewhere

SECURITY_PAGE_POLICY = "# Security\n\nPlease report any security vulnerabilities at {url}\n"
POLICY_PROBES = (
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
    "security_policy_disclosure_process",
    "security_policy_response_timeframe",
    "security_policy_supported_versions",
)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/widget/security.",
        "https://github.com/o/widget/security",
        "<https://github.com/o/widget/security/>",
        "[the Security tab](https://github.com/o/widget/security).",
    ],
)
def test_the_repositorys_github_security_page_is_private_reporting(
    tmp_path: Path, url: str
) -> None:
    files = {"SECURITY.md": SECURITY_PAGE_POLICY.format(url=url)}
    out = judge(tmp_path, files, *POLICY_PROBES)
    status = {name: o.status.value for name, o in out.items()}
    assert status == {
        "security_policy_private_contact": "pass",
        "security_contacts_listed": "pass",
        "reporting_without_account": "fail",  # GitHub's form needs an account
        "report_encryption_key": "not-applicable",  # no e-mail method
        "security_policy_disclosure_process": "fail",
        "security_policy_response_timeframe": "fail",
        "security_policy_supported_versions": "fail",
    }
    assert where(out["security_policy_private_contact"]) == ["SECURITY.md:3"]
    assert where(out["reporting_without_account"]) == ["SECURITY.md:3"]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/widget/security/policy",  # the policy page: a linked policy
        "https://github.com/o/widget/security/advisories",  # the published advisories
        "https://example.org/security",  # a page of the project's site
    ],
)
def test_other_security_pages_stay_pages_the_policy_defers_to(tmp_path: Path, url: str) -> None:
    files = {"SECURITY.md": SECURITY_PAGE_POLICY.format(url=url)}
    out = judge(tmp_path, files, "security_policy_private_contact")
    assert out["security_policy_private_contact"].status.value == "unknown"
