"""Probe kinds of the ninth blind round (held-out-9e): a repository whose only CI file is one
Steward does not count on (a Travis CI file left since travis-ci.org closed) cannot tell
whether what its build installs is pinned (the held-out-9f rule for CI that is not read), and
names the file; without any CI there is nothing to pin."""

from __future__ import annotations

from steward.collect.facts import Source, Workflow
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import make_facts, run

STALE = "Travis CI (unchanged since travis-ci.org closed in June 2021)"


def test_pinning_with_only_a_stale_ci_file_names_it() -> None:
    facts = make_facts(workflows=(Workflow(Source(path=".travis.yml"), STALE),))
    out = run("dependencies_pinned", facts)
    assert out.status is ProbeStatus.UNKNOWN
    assert ".travis.yml" in out.message and "does not read" in out.message
    assert [e.source for e in out.evidence] == [".travis.yml"]


def test_pinning_without_any_ci_says_so() -> None:
    out = run("dependencies_pinned", make_facts())
    assert out.status is ProbeStatus.NOT_APPLICABLE
    assert out.message == "no CI workflows, Dockerfiles or requirements files to check"
