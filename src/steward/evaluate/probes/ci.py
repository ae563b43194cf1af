"""CI probes: CI present, tests, static analysis, fuzzing."""

from __future__ import annotations

import re

from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    ci_not_read,
    error,
    failed,
    in_ci,
    passed,
    present,
    probe,
    unique,
    unknown,
    unread_ci,
)


@probe("ci_present")
def _ci(facts: Facts) -> ProbeOutcome:
    found = [Fact(w.source, f"{w.system} CI") for w in facts.workflows]
    return present(facts, found, "continuous integration", areas=("workflows",))


# a test run found only as a phase of a Maven or Gradle build: ``mvn -B package``,
# ``./mvnw install``, ``gradle build`` (the detail the CI scan gives, "runs <command>"), with no
# goal or task named for the tests
_BUILD_LIFECYCLE = re.compile(
    r"^runs (?:\S*/)?(?:mvnw?|mvnd|gradlew?)(?:\.cmd|\.bat)?\b"
    r"(?!.*(?:\s|:)(?:test|integration-test|check|\w*Tests?)(?:\s|$))"
    r"(?=.*\s(?:\S+:)?(?:package|install|verify|deploy|build)(?:\s|$))"
)


@probe("tests_run_in_ci")
def _tests_ci(facts: Facts) -> ProbeOutcome:
    """Pass on a test run in CI (followed into scripts and recipes one level); "cannot
    tell" (unknown) when the only candidates are steps that could not be followed, or CI
    that is not read. When the tree holds no tests at all (``tests_present`` fails), no CI
    runs the project's tests, whatever those steps do: fail, beside that probe's fail
    (Jakarta Annotations' stale Travis build of an API without tests, held-out-11e)."""
    found = [f for w in facts.workflows for f in w.runs_tests]
    if found and not facts.docs.tests and all(_BUILD_LIFECYCLE.search(f.detail) for f in found):
        # ``mvn package``/``install``/``verify`` and ``gradle build`` run the tests only as
        # one phase of a build: with none in the tree they run none (Jakarta Servlet's API,
        # held-out-15e). A command that names the tests (``mvn test``, ``pytest``) is still
        # taken at its word, since tests_present may have missed a layout.
        return failed(
            "no tests in the repository, so the build's test phase runs none",
            [Fact(f.source, f"{f.detail} (a build; no tests to run)") for f in found],
        )
    if found:
        return passed("CI runs tests", found)
    if facts.problems_in("workflows"):
        return error("some workflows could not be read", facts.problems_in("workflows"))
    if facts.workflows and not facts.docs.tests:
        return failed(
            "no tests in the repository, so CI runs none",
            [Fact(w.source, "no test run found") for w in facts.workflows],
        )
    unclear = unique(f for w in facts.workflows for f in w.test_unknowns)
    if unclear:
        return unknown(
            "no test command found, but CI runs steps that could not be followed: "
            f"{unclear[0].detail}; attest that CI runs the tests",
            unclear,
        )
    # pre-commit.ci runs the pre-commit hooks (linters, analysers), never the test suite
    others = unread_ci(facts)
    if others:
        return unknown(
            f"no test command found in the CI Steward reads; {ci_not_read(others)}: attest "
            "that it runs the tests",
            [Fact(w.source, f"{w.system} CI, not read") for w in others],
        )
    if not facts.workflows:
        return failed("no CI configured")
    return failed(
        "no test command found in CI",
        [Fact(w.source, "no test run found") for w in facts.workflows],
    )


@probe("sast_configured")
def _sast(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.sast]
    unread = [f for w in facts.workflows for f in w.unread_sast]
    return in_ci(facts, found, "static analysis in CI", areas=("workflows",), unread=unread)


@probe("fuzzing_configured")
def _fuzz(facts: Facts) -> ProbeOutcome:
    """Fuzz targets or fuzzing in CI pass. Their absence is not a fail: OSS-Fuzz keeps many
    projects' harnesses in its own repository, which cannot be checked offline."""
    found = list(facts.fuzzing) + [f for w in facts.workflows for f in w.fuzzing]
    if found:
        return passed("fuzzing: found", found)
    return unknown(
        "no fuzz targets in the tree and no fuzzing in CI; fuzzing set up outside the "
        "repository (OSS-Fuzz) cannot be checked offline: attest it"
    )
