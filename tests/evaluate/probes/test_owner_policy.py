"""The owner's default security policy (SECURITY.md in the owner's ``.github`` repository),
which GitHub shows for a repository without one and OpenSSF Scorecard's Security-Policy check
reads: found by the forge it passes (its content probes unknown); offline the tree is judged as
it is (a repository without a policy fails, as the labelled corpus and a reader of the files
say), and on GitHub the failure says that the owner's default was not read. Self-written
facts; these tests failed before the fallback was modelled."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from steward.collect.facts import ForgeData
from steward.collect.forge import collect_forge
from steward.evaluate.probes import run_probe
from tests.collect.test_forge import recorded
from tests.evaluate.probes.factsbuilder import fact, git, make_facts, policy

POLICY_PROBES = (
    "security_policy_present",
    "security_policy_private_contact",
    "security_policy_response_timeframe",
    "security_policy_supported_versions",
    "security_policy_disclosure_process",
    "security_contacts_listed",
    "reporting_without_account",
)
OWNER_POLICY = "https://github.com/acme/.github/blob/main/SECURITY.md"


def _on(remote: str | None) -> dict[str, object]:
    return {"git": dataclasses.replace(git(), remote_url=remote)}


@pytest.mark.parametrize("probe", POLICY_PROBES)
def test_offline_on_github_without_a_policy_fails_and_says_why(probe: str) -> None:
    outcome = run_probe(probe, make_facts(**_on("https://github.com/acme/widget.git")))
    assert outcome.status.value == "fail"
    if probe == "security_policy_present":
        assert ".github repository" in outcome.message and "forge token" in outcome.message


@pytest.mark.parametrize("probe", POLICY_PROBES)
def test_elsewhere_without_a_policy_still_fails(probe: str) -> None:
    outcome = run_probe(probe, make_facts(**_on("https://gitlab.com/acme/widget.git")))
    assert outcome.status.value == "fail" and ".github repository" not in outcome.message


def test_encryption_key_question_without_a_policy() -> None:
    facts = make_facts(**_on("git@github.com:acme/widget.git"))
    assert run_probe("report_encryption_key", facts).status.value == "not-applicable"
    gitlab = make_facts(**_on("git@gitlab.com:acme/widget.git"))
    assert run_probe("report_encryption_key", gitlab).status.value == "not-applicable"


def test_the_owners_policy_found_by_the_forge_passes_and_its_content_is_unknown() -> None:
    forge = ForgeData(
        forge="github", url="https://api.github.com/repos/acme/widget",
        owner_defaults=(("SECURITY.md", OWNER_POLICY), ("profile", "")),
    )  # fmt: skip
    facts = make_facts(forge=forge)
    present = run_probe("security_policy_present", facts)
    assert present.status.value == "pass"
    assert [e.url for e in present.evidence] == [OWNER_POLICY]
    contact = run_probe("security_policy_private_contact", facts)
    assert contact.status.value == "unknown" and OWNER_POLICY in contact.message


def test_the_forge_saying_the_owner_has_none_fails() -> None:
    forge = ForgeData(
        forge="github",
        url="https://api.github.com/repos/acme/widget",
        owner_defaults=(("CONTRIBUTING.md", "https://github.com/acme/.github/x"),),
    )
    facts = make_facts(forge=forge, **_on("https://github.com/acme/widget"))
    assert run_probe("security_policy_present", facts).status.value == "fail"


def test_a_policy_in_the_tree_is_not_replaced_by_the_owners() -> None:
    facts = make_facts(
        policy=policy(files=(fact("SECURITY.md").source,)),
        **_on("https://github.com/acme/widget"),
    )
    assert run_probe("security_policy_present", facts).status.value == "pass"
    assert run_probe("security_policy_response_timeframe", facts).status.value == "fail"


def test_forge_lists_the_owners_default_files() -> None:
    listing = OWNER_POLICY.rsplit("/", 1)[0]
    overrides = {
        "/repos/acme/.github/contents": (
            200,
            [{"name": "README.md", "html_url": f"{listing}/README.md"}, {"name": "profile"}],
        ),
        "/repos/acme/.github/contents/.github": (
            200,
            [{"name": "SECURITY.md", "html_url": f"{listing}/.github/SECURITY.md"}],
        ),
    }
    handler = recorded("github", overrides)
    data = collect_forge(
        "https://github.com/acme/widget", token="t", transport=httpx.MockTransport(handler)
    )
    assert data.owner_defaults == (
        ("README.md", f"{listing}/README.md"),
        ("profile", ""),
        (".github/SECURITY.md", f"{listing}/.github/SECURITY.md"),
    )
    present = run_probe("security_policy_present", make_facts(forge=data))
    assert present.status.value == "pass"
    # no .github repository at all: listed as having none (one request, not three)
    none = recorded("github")
    data = collect_forge(
        "https://github.com/acme/widget", token="t", transport=httpx.MockTransport(none)
    )
    assert data.owner_defaults == ()
    assert sum(p.startswith("/repos/acme/.github/") for p in none.seen) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("probe", "path"),
    [
        ("contributing_guide_present", "contributing.md"),
        ("governance_documented", "GOVERNANCE.md"),
        ("bug_reporting_documented", ".github/ISSUE_TEMPLATE"),
    ],
)
def test_other_default_community_files(probe: str, path: str) -> None:
    offline = run_probe(probe, make_facts(**_on("git@github.com:acme/widget.git")))
    assert offline.status.value == "fail" and ".github repository" in offline.message
    elsewhere = run_probe(probe, make_facts(**_on("https://gitlab.com/acme/w")))
    assert elsewhere.status.value == "fail" and ".github repository" not in elsewhere.message
    url = f"https://github.com/acme/.github/blob/main/{path}"
    forge = ForgeData(
        forge="github", url="https://api.github.com/repos/acme/widget",
        owner_defaults=((path, url),),
    )  # fmt: skip
    found = run_probe(probe, make_facts(forge=forge))
    assert found.status.value == "pass" and [e.url for e in found.evidence] == [url]
    other = dataclasses.replace(forge, owner_defaults=(("README.md", "x"),))
    assert run_probe(probe, make_facts(forge=other)).status.value == "fail"
