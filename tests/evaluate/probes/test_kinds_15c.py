"""Kinds the fifteenth blind round (held-out-15c: Apache Commons Email, Apache Commons
Validator, Maven Resources Plugin) showed, on small self-written fixtures.

- ``multiple_maintainers`` counted an organisation's infrastructure account as a person:
  "The Apache Software Foundation <root-asf-gitbox-commits@apache.org>" authored the pull
  request that set up the branch-protection ruleset of Apache repositories, so a repository
  with one committer and that commit had "2 people". Service mailboxes (``root``,
  ``root-...``, ``noreply``, ``no-reply``, ``do-not-reply`` local parts) are automation now;
  people's GitHub no-reply addresses (``login@users.noreply.github.com``) are not.
"""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from steward.evaluate.probes.history import is_automation
from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run


def test_an_organisations_infrastructure_account_is_not_a_maintainer() -> None:
    commits = (
        commit("a" * 40, name="Alice Smith", email="alice@example.org"),
        commit(
            "b" * 40, name="The Example Foundation", email="root-example-gitbox-commits@example.org"
        ),
        commit("c" * 40, name="Release Service", email="no-reply@example.org"),
    )
    out = run("multiple_maintainers", make_facts(git=git(commits)))
    assert out.status == ProbeStatus.FAIL and "1 person" in out.message


def test_a_persons_noreply_address_is_still_a_person() -> None:
    assert not is_automation("Bob Jones", "12345+bob@users.noreply.github.com")
    assert not is_automation("Rootless Ruth", "ruth.root@example.org")
    assert is_automation("Ops", "noreply@example.org")
    assert is_automation("Ops", "do-not-reply@example.org")
    two = (
        commit("a" * 40, name="Alice Smith", email="alice@example.org"),
        commit("b" * 40, name="Bob Jones", email="12345+bob@users.noreply.github.com"),
    )
    assert run("multiple_maintainers", make_facts(git=git(two))).status == ProbeStatus.PASS
