"""Kinds found in the held-out-16f blind round (hobby and single-maintainer projects)."""

from __future__ import annotations

from steward.collect.facts import Source
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import make_facts, policy, run


def test_encryption_key_without_a_policy_says_there_is_no_policy() -> None:
    """Held-out-16f (a Lua module and an npm package with no security policy at all):
    ``report_encryption_key`` was not-applicable with "e-mail is not a reporting method the
    policy names", a message about a policy the repository does not have. Without a policy
    the message says so; with a policy that names no e-mail it keeps naming the policy."""
    out = run("report_encryption_key", make_facts())
    assert out.status == ProbeStatus.NOT_APPLICABLE
    assert "the policy names" not in out.message
    assert "no security policy" in out.message
    with_policy = make_facts(policy=policy(files=(Source(path="SECURITY.md"),)))
    out = run("report_encryption_key", with_policy)
    assert out.status == ProbeStatus.NOT_APPLICABLE
    assert out.message == "e-mail is not a reporting method the policy names"
