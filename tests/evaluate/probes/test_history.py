"""Git history probes."""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run


def test_maintainers_are_counted_from_history() -> None:
    two = git((commit("a" * 40), commit("b" * 40, name="Bob", email="bob@example.org")))
    assert run("multiple_maintainers", make_facts(git=two)).status == ProbeStatus.PASS
    one = git((commit("a" * 40),))
    assert run("multiple_maintainers", make_facts(git=one)).status == ProbeStatus.FAIL


def test_commits_signed() -> None:
    signed = git(tuple(commit(f"{i:040x}", signature="G") for i in range(5)))
    assert run("commits_signed", make_facts(git=signed)).status == ProbeStatus.PASS
    unsigned = git(tuple(commit(f"{i:040x}") for i in range(5)))
    assert run("commits_signed", make_facts(git=unsigned)).status == ProbeStatus.FAIL
