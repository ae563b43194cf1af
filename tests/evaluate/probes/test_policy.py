"""Security policy probes over hand-made facts."""

from __future__ import annotations

from steward.collect.facts import Source
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import fact, make_facts, policy, run


def test_policy_present_and_missing() -> None:
    facts = make_facts(policy=policy(files=(Source(path="SECURITY.md"),)))
    assert run("security_policy_present", facts).status == ProbeStatus.PASS
    assert run("security_policy_present", make_facts()).status == ProbeStatus.FAIL


def test_private_contact_needs_a_private_channel() -> None:
    files = (Source(path="SECURITY.md"),)
    with_mail = make_facts(
        policy=policy(files=files, private_contacts=(fact("SECURITY.md", 4, "e-mail a@b.org"),))
    )
    out = run("security_policy_private_contact", with_mail)
    assert out.status == ProbeStatus.PASS
    assert (out.evidence[0].source, out.evidence[0].line) == ("SECURITY.md", 4)
    links_only = make_facts(
        policy=policy(files=files, public_links=(fact("SECURITY.md", 2, "link https://x"),))
    )
    assert run("security_policy_private_contact", links_only).status == ProbeStatus.FAIL


def test_policy_only_linked_is_unknown() -> None:
    facts = make_facts(policy=policy(urls=(fact("security-insights.yml", None, "url"),)))
    assert run("security_policy_response_timeframe", facts).status == ProbeStatus.UNKNOWN


def test_policy_deferring_to_a_security_page_is_unknown_not_fail() -> None:
    files = (Source(path="SECURITY.md"),)
    referral = fact("SECURITY.md", 17, "link https://www.example.org/security/")
    facts = make_facts(policy=policy(files=files, public_links=(referral,), referrals=(referral,)))
    for name in ("security_policy_private_contact", "security_policy_response_timeframe"):
        out = run(name, facts)
        assert out.status == ProbeStatus.UNKNOWN and out.evidence[0].line == 17


def test_contact_behind_a_link_is_unknown_and_linked_advisories_are_published() -> None:
    files = (Source(path="SECURITY.md"),)
    person = fact("SECURITY.md", 13, "link https://github.com/maint")
    advisory = fact("SECURITY.md", 17, "advisory https://github.com/advisories/GHSA-1aaa-bbbb-cccc")
    facts = make_facts(
        policy=policy(files=files, public_links=(person, advisory), contact_referrals=(person,),
                      advisory_links=(advisory,))
    )  # fmt: skip
    for name in ("security_policy_private_contact", "security_contacts_listed"):
        out = run(name, facts)
        assert out.status == ProbeStatus.UNKNOWN and out.evidence[0].line == 13
    out = run("security_advisories_published", facts)
    assert out.status == ProbeStatus.PASS and out.evidence[0].line == 17
    # the timeframe is not deferred by a contact link: the policy does not state it
    assert run("security_policy_response_timeframe", facts).status == ProbeStatus.FAIL
