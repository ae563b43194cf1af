"""The probe registry and the helpers every probe family shares.

A probe reads ``Facts`` only and returns a ``ProbeOutcome``: pass / fail / not-applicable /
error / unknown with evidence. Probes never pass without evidence: a probe that needs forge
data and has none returns ``unknown`` (the requirement then needs an attestation); a probe
whose input could not be read (a ``Problem`` in its area) returns ``error`` unless what was
readable already fails. ``run_probe`` turns an unexpected exception into an ``error`` outcome,
so one broken probe never stops an assessment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from steward.collect.ci import ANALYSED_SYSTEMS
from steward.collect.facts import (
    COLLECTOR_FAILED,
    FORGE_UNREACHABLE,
    Commit,
    Facts,
    ForgeData,
    Problem,
    Source,
    Workflow,
)
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import Evidence, ProbeOutcome, ProbeStatus

ProbeFunction = Callable[[Facts], ProbeOutcome]
PROBES: dict[str, ProbeFunction] = {}
# every occurrence is evidence (issue: each at its own line); the cap only bounds a
# pathological tree: 63 probes x 200 stays far below the 25,000 results GitHub code scanning
# accepts in one SARIF run. The table shows the first ten and says how many more.
MAX_EVIDENCE = 200
DAY = 86_400


def probe(name: str) -> Callable[[ProbeFunction], ProbeFunction]:
    """Register ``fn`` as the implementation of probe ``name`` (once)."""

    def register(fn: ProbeFunction) -> ProbeFunction:
        if name in PROBES:
            raise ValueError(f"probe {name!r} registered twice")
        PROBES[name] = fn
        return fn

    return register


# the collector areas each probe family (module) reads
_FAMILY_AREAS = {
    "documentation": ("documents", "policy", "insights"),
    "dependencies": ("dependencies", "workflows", "dockerfiles"),
    "tree": ("scan",),
    "reporting": ("reporting", "policy", "insights"),
    "licensing": ("license",),
    "policy": ("policy", "insights"),
    "ci": ("workflows", "scan", "documents"),
    "workflows": ("workflows",),
    "pinning": ("workflows", "dockerfiles"),
    "history": ("git", "documents"),
    "releases": ("git", "documents"),
}


def _collector_failed(fn: ProbeFunction, facts: Facts) -> list[Problem]:
    """Problems of collectors that raised in an area the probe's family reads."""
    areas = _FAMILY_AREAS.get(fn.__module__.rpartition(".")[2], ())
    return [p for p in facts.problems if p.area in areas and COLLECTOR_FAILED in p.message]


def run_probe(name: str, facts: Facts) -> ProbeOutcome:
    """Run one probe; an exception inside it becomes an ``error`` outcome, and so does a
    verdict over facts whose collector raised (an empty result is no evidence either way)."""
    fn = PROBES.get(name)
    if fn is None:
        return ProbeOutcome(probe=name, status=ProbeStatus.ERROR, message="no such probe")
    failed_collectors = _collector_failed(fn, facts)
    if failed_collectors:
        return error(failed_collectors[0].message, failed_collectors).model_copy(
            update={"probe": name}
        )
    try:
        outcome = fn(facts)
    except Exception as exc:  # a probe bug must not abort the assessment
        return ProbeOutcome(
            probe=name,
            status=ProbeStatus.ERROR,
            message=f"internal error in probe: {type(exc).__name__}: {exc}",
        )
    return outcome.model_copy(update={"probe": name})


# ------------------------------------------------------------------------------ helpers


def unique(items: Iterable[Fact]) -> list[Fact]:
    """``items`` without repeats (the same thing seen at the same place), in order.

    A composite action used by five jobs, or a script two workflows call, yields the same
    finding several times; it is one piece of evidence.
    """
    return list(dict.fromkeys(items))


def evidence_of(items: Iterable[Fact]) -> tuple[Evidence, ...]:
    """Evidence for facts, without repeats, capped at ``MAX_EVIDENCE``."""
    return tuple(Evidence.from_fact(f) for f in unique(items)[:MAX_EVIDENCE])


def problem_evidence(items: Iterable[Problem]) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_problem(p) for p in list(items)[:MAX_EVIDENCE])


def outcome(status: ProbeStatus, message: str, evidence: Sequence[Evidence] = ()) -> ProbeOutcome:
    return ProbeOutcome(probe="", status=status, message=message, evidence=tuple(evidence))


def passed(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return outcome(ProbeStatus.PASS, message, evidence_of(evidence))


def failed(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return outcome(ProbeStatus.FAIL, message, evidence_of(evidence))


def not_applicable(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return outcome(ProbeStatus.NOT_APPLICABLE, message, evidence_of(evidence))


def unknown(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return outcome(ProbeStatus.UNKNOWN, message, evidence_of(evidence))


def error(message: str, problems: Iterable[Problem]) -> ProbeOutcome:
    return outcome(ProbeStatus.ERROR, message, problem_evidence(problems))


def present(
    facts: Facts, found: Sequence[Fact], what: str, *, areas: tuple[str, ...] = ()
) -> ProbeOutcome:
    """Pass when ``found`` has evidence; error if its inputs were unreadable; else fail."""
    if found:
        return passed(f"{what}: found", found)
    problems = facts.problems_in(*areas) if areas else ()
    if problems:
        return error(f"{what}: could not read all inputs", problems)
    return failed(f"{what}: not found")


# the CI systems whose configuration Steward reads (steps, commands, hooks)
ANALYSED_CI = frozenset({*ANALYSED_SYSTEMS, "pre-commit.ci"})


def unread_ci(facts: Facts) -> list[Workflow]:
    """The repository's CI configurations that Steward does not read (Jenkins, Buildkite,
    Drone...): what they run cannot be told."""
    return [w for w in facts.workflows if w.system not in ANALYSED_CI]


def ci_not_read(unread: Sequence[Workflow]) -> str:
    """ "CI configured in Jenkins (Jenkinsfile), which Steward does not read" for
    ``unread`` (see ``unread_ci``)."""
    # one system's several files under one name: "Jenkins (etc/jenkins/a, etc/jenkins/b)"
    paths: dict[str, list[str]] = {}
    for w in unread:
        files = paths.setdefault(w.system, [])
        if w.source.path and w.source.path not in files:
            files.append(w.source.path)
    named = ", ".join(f"{system} ({', '.join(files)})" if files else system
                      for system, files in paths.items())  # fmt: skip
    verb = "does" if len(paths) == 1 else "do"
    return f"CI configured in {named}, which Steward {verb} not read"


def in_ci(
    facts: Facts,
    found: Sequence[Fact],
    what: str,
    *,
    areas: tuple[str, ...],
    unread: Sequence[Fact] = (),
) -> ProbeOutcome:
    """Like ``present`` for something CI runs, but when the repository's only CI is one whose
    configuration is not read (Jenkins, Bitbucket Pipelines, ...), its absence is unknown:
    that CI may run it (never a guessed fail). So is it when a CI file that is not read names
    it (``unread``: an analyser named in a file Steward does not interpret), even beside CI
    that is read: that file may be stale or may still run. Beside CI that is read, a CI file
    that is not read and names nothing leaves the absence a fail (``tests_run_in_ci`` is
    stricter: a test suite is often run only there)."""
    out = present(facts, found, what, areas=areas)
    if out.status != ProbeStatus.FAIL or not facts.workflows:
        return out
    if unread:
        return unknown(
            f"{what}: not found in the CI that is read, but CI that Steward does not read "
            f"names it or may run it ({unread[0].detail}); attest whether it runs",
            list(unread),
        )
    if any(w.system in ANALYSED_CI for w in facts.workflows):
        return out
    not_read = unread_ci(facts)
    return unknown(
        f"{what}: not found; {ci_not_read(not_read)}: attest whether it runs it",
        [Fact(w.source, f"{w.system} CI, not read") for w in not_read],
    )


def no_forge(forge: ForgeData | None = None, what: str = "") -> ProbeOutcome:
    """Unknown for want of forge data, saying why: no forge facts at all, the API could not
    be reached, the repository could not be read, or ``what`` is not readable with this
    token."""
    if forge is None:
        return unknown("needs forge data (run with a forge token, or attest)")
    if not forge.reachable:
        return unknown(FORGE_UNREACHABLE)
    if forge.default_branch is None:
        return unknown(f"the repository could not be read through the {forge.forge} API")
    return unknown(f"{what or 'this setting'} not readable with this token; attest it")


def src(url: str | None = None, commit: str | None = None) -> Source:
    """A non-file source: an API URL or a commit."""
    return Source(url=url, commit=commit)


def github_workflows(facts: Facts) -> list[Workflow]:
    return [w for w in facts.workflows if w.system == "github"]


def workflow_check(
    facts: Facts, bad: Callable[[Workflow], Sequence[Fact]], ok: str, ko: str
) -> ProbeOutcome:
    """Common shape of the GitHub workflow probes."""
    workflows = github_workflows(facts)
    problems = [
        p for p in facts.problems_in("workflows") if (p.source.path or "").startswith(".github/")
    ]
    hits = [f for w in workflows for f in bad(w)]
    if hits:
        return failed(ko, hits)
    if problems:
        return error("some workflows could not be read or parsed", problems)
    if not workflows:
        return not_applicable("no GitHub Actions workflows")
    return passed(ok, [Fact(w.source, "checked") for w in workflows])


NOT_A_CHECKOUT = (
    "not a git checkout: its history and tags are not available (assess a clone, or give a git URL)"
)


def no_checkout(facts: Facts) -> ProbeOutcome | None:
    """``unknown`` when the assessed directory is not a git checkout at all (an exported
    source tree, an unpacked release): what needs the history or the tags cannot be told
    there, neither passed nor failed (issue 9, item 15). None for a checkout, or when git
    failed on one (the probes then report ``error``)."""
    if facts.git is None and not facts.problems_in("git", "git-tags"):
        return unknown(NOT_A_CHECKOUT)
    return None


def shallow_clone(facts: Facts, what: str) -> ProbeOutcome | None:
    """``unknown`` in a shallow clone, for a probe about to fail (or find nothing) for lack of
    ``what`` (authors, release tags, sign-offs): the history was cut at the fetched depth
    (actions/checkout's default is one commit and no tags), which says nothing of the project.
    None in a full clone."""
    if facts.git is not None and facts.git.shallow:
        return unknown(f"{what}: not in this shallow clone ({SHALLOW_HINT})")
    return None


SHALLOW_HINT = "clone with full history, e.g. actions/checkout with fetch-depth: 0"


def recent_commits(facts: Facts, days: int = 365) -> list[Commit]:
    """Commits of the year (``days``) up to the newest commit, not up to today: an inactive
    project is judged on its last year of work (``recent_activity`` judges the age)."""
    if facts.git is None or not facts.git.commits:
        return []
    newest = facts.git.commits[0].timestamp
    return [c for c in facts.git.commits if c.timestamp >= newest - days * DAY]


def recent_window(facts: Facts) -> str:
    """``recent_commits``' window as a message names it: "the year up to the newest commit
    (2014-04-06)". "The last year" would claim commits of this year on a project idle for
    years (held-out-15f: "1 person(s) committed in the last year" on a module last changed
    in 2014)."""
    if facts.git is None or not facts.git.commits:
        return "the year up to the newest commit"
    newest = time.strftime("%Y-%m-%d", time.gmtime(facts.git.commits[0].timestamp))
    return f"the year up to the newest commit ({newest})"
