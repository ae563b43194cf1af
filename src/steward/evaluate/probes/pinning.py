"""Pinning probes: GitHub Actions by commit SHA, container images by digest.

Like OpenSSF Scorecard's Pinned-Dependencies, GitHub-owned actions (``actions/*``,
``github/*``) pinned by a tag count as unpinned: a tag can be moved. They are named as
GitHub-owned in the evidence, so a maintainer can weigh them. Local actions (``./...``) and
``docker://image@sha256:...`` are pinned; ``docker://image:tag`` is not.
"""

from __future__ import annotations

from steward.collect.facts import ActionRef, Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    counted,
    error,
    failed,
    github_workflows,
    not_applicable,
    passed,
    probe,
)


def describe_unpinned(ref: ActionRef) -> str:
    """Evidence text for an action reference that is not pinned: the reference as written,
    marked when GitHub owns the action (``actions/checkout@v4 (GitHub-owned)``)."""
    if ref.action.startswith("docker://"):
        return f"{ref.action} (no digest)"
    owned = " (GitHub-owned)" if ref.first_party else ""
    return f"{ref.action}@{ref.ref or '(no ref)'}{owned}"


def unpinned_actions(facts: Facts) -> list[ActionRef]:
    """Action references not pinned by SHA, each place once (a composite action used by
    several jobs is one reference)."""
    return list(dict.fromkeys(r for w in github_workflows(facts) for r in w.uses if not r.pinned))


@probe("actions_pinned_by_sha")
def _actions_pinned(facts: Facts) -> ProbeOutcome:
    workflows = github_workflows(facts)
    bad = unpinned_actions(facts)
    if bad:
        owned = sum(1 for r in bad if r.first_party)
        note = f" ({owned} of them GitHub-owned)" if owned else ""
        return failed(
            f"{counted(len(bad), 'action reference')} not pinned by full commit SHA{note}",
            [Fact(r.source, describe_unpinned(r)) for r in bad],
        )
    problems = [
        p for p in facts.problems_in("workflows") if (p.source.path or "").startswith(".github/")
    ]
    if problems:
        return error("some workflows could not be read or parsed", problems)
    if not workflows:
        return not_applicable("no GitHub Actions workflows")
    if not any(w.uses for w in workflows):
        return passed(
            "the workflows use no actions", [Fact(w.source, "checked") for w in workflows]
        )
    return passed(
        "every action is pinned by commit SHA (or local)",
        [Fact(r.source, f"{r.action}@{r.ref}" if r.ref else r.action) for w in workflows
         for r in w.uses],
    )  # fmt: skip


@probe("containers_pinned_by_digest")
def _containers(facts: Facts) -> ProbeOutcome:
    bad = [Fact(i.source, f"FROM {i.image}") for i in facts.images if not i.pinned]
    bad += [f for w in facts.workflows for f in w.unpinned_images]
    if bad:
        return failed("container images not pinned by digest", bad)
    if facts.problems_in("dockerfiles", "workflows"):
        return error(
            "some Dockerfiles/workflows could not be read",
            facts.problems_in("dockerfiles", "workflows"),
        )
    good = [Fact(i.source, f"FROM {i.image}") for i in facts.images]
    good += [f for w in facts.workflows for f in w.images]
    if not good:
        return not_applicable("no container images")
    return passed("container images pinned by digest", good)
