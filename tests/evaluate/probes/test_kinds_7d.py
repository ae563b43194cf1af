"""Kinds met in the held-out-7d blind round (Lua, .NET and Swift projects), each on a small
self-written repository collected from its files (``collect_facts``) and judged by the probe,
with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def judge(root: Path, files: dict[str, str | bytes], *probes: str) -> dict[str, ProbeOutcome]:
    root.mkdir(parents=True, exist_ok=True)
    write(root, files)
    facts = collect_facts(root)
    return {name: run_probe(name, facts) for name in probes}


def where(outcome: ProbeOutcome) -> list[str]:
    return [f"{e.source}:{e.line}" for e in outcome.evidence if e.line is not None]


# -- a README that sends reports to the forge's security-policy page (the organisation's
#    default SECURITY.md is shown there; none is in the tree)

POLICY_PROBES = (
    "security_policy_present",
    "security_policy_private_contact",
    "security_contacts_listed",
    "reporting_without_account",
    "report_encryption_key",
    "policy_in_distributed_source",
    "security_policy_response_timeframe",
)


@pytest.mark.parametrize(
    "link",
    [
        "https://github.com/acme/widget?tab=security-ov-file",
        "https://github.com/acme/widget/security/policy",
        "https://github.com/acme/.github/blob/main/SECURITY.md",
        "https://gitlab.com/acme/widget/-/blob/main/SECURITY.md",
    ],
)
def test_a_readme_link_to_the_forge_policy_page_is_a_linked_policy(
    tmp_path: Path, link: str
) -> None:
    readme = (
        "# Widget\n\nA library.\n\n"
        f"- **Security** issues should be reported via the process in [Security]({link})\n"
    )
    out = judge(tmp_path, {"README.md": readme}, *POLICY_PROBES)
    assert out["security_policy_present"].status.value == "pass"
    assert where(out["security_policy_present"]) == ["README.md:5"]
    # what the policy says cannot be read offline: unknown, never a (level-1) fail
    for name in POLICY_PROBES[1:6]:
        if name != "policy_in_distributed_source":
            assert out[name].status.value == "unknown", (name, out[name].message)
    assert out["security_policy_response_timeframe"].status.value == "unknown"
    assert out["policy_in_distributed_source"].status.value == "pass"
    assert where(out["policy_in_distributed_source"]) == ["README.md:5"]


def test_links_that_are_not_the_policy_page_are_not_a_policy(tmp_path: Path) -> None:
    readme = (
        "# Widget\n\nSee [issues](https://github.com/acme/widget/issues) and the\n"
        "[security overview](https://github.com/acme/widget/security/advisories).\n"
        "Our [SECURITY notes](https://github.com/acme/widget/wiki/Security).\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "security_policy_present")
    assert out["security_policy_present"].status.value == "fail"


# -- "static" in a reusable workflow's job or file name: static linking is not static analysis

REMOTE = """\
on: pull_request
permissions:
  contents: read
jobs:
  static-linux:
    name: Static Linux Swift SDK
    uses: acme/ci/.github/workflows/static_sdk.yml@0123456789abcdef0123456789abcdef01234567
  static-build:
    name: Static binaries
    uses: acme/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567
  docs:
    name: Static site
    uses: acme/ci/.github/workflows/pages.yml@0123456789abcdef0123456789abcdef01234567
"""


def test_static_linking_jobs_are_not_static_analysis(tmp_path: Path) -> None:
    out = judge(tmp_path, {".github/workflows/pr.yml": REMOTE}, "sast_configured")
    assert out["sast_configured"].status.value == "fail", where(out["sast_configured"])


def test_a_static_analysis_job_still_is(tmp_path: Path) -> None:
    workflow = REMOTE + (
        "  static:\n    name: Static\n"
        "    uses: acme/ci/.github/workflows/static.yml@0123456789abcdef0123456789abcdef01234567\n"
        "  analysis:\n    name: Static analysis\n"
        "    uses: acme/ci/.github/workflows/lint.yml@0123456789abcdef0123456789abcdef01234567\n"
    )
    out = judge(tmp_path, {".github/workflows/pr.yml": workflow}, "sast_configured")
    assert out["sast_configured"].status.value == "pass"
    assert where(out["sast_configured"]) == [
        ".github/workflows/pr.yml:16",
        ".github/workflows/pr.yml:19",
    ]


# -- design proposals inside a documentation catalogue (DocC), any depth and case


@pytest.mark.parametrize(
    "path",
    [
        "Sources/Widget/Docs.docc/Proposals/WDG-0001-metadata.md",
        "docs/Evolution/0002-async-api.md",
        "Documentation/ADRs/0003-storage.md",
        "doc/api/rfcs/0004-errors.rst",
    ],
)
def test_design_proposals_in_a_documentation_tree_are_design_documents(
    tmp_path: Path, path: str
) -> None:
    proposal = "# Metadata\n\n## Motivation\n\n## Detailed design\n\nThe handler gets...\n"
    out = judge(tmp_path, {"README.md": "# w\n", path: proposal}, "design_documented")
    assert out["design_documented"].status.value == "pass"
    assert [e.source for e in out["design_documented"].evidence] == [path]


def test_proposal_like_names_outside_documentation_are_not(tmp_path: Path) -> None:
    files = {
        "README.md": "# w\n",
        "Sources/Widget/Proposals/Proposal.swift.md": "# generated\n",
        "tests/fixtures/rfcs/0001.md": "# a fixture\n",
    }
    out = judge(tmp_path, files, "design_documented")
    assert out["design_documented"].status.value == "fail"
