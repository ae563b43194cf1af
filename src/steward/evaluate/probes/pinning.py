"""Pinning probes: GitHub Actions by commit SHA, container images by digest."""

from __future__ import annotations

from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome, ProbeStatus
from steward.evaluate.probes.base import (
    error,
    failed,
    github_workflows,
    not_applicable,
    passed,
    probe,
    workflow_check,
)


@probe("actions_pinned_by_sha")
def _actions_pinned(facts: Facts) -> ProbeOutcome:
    out = workflow_check(
        facts,
        lambda w: [
            Fact(r.source, f"{r.action}@{r.ref or '(no ref)'}")
            for r in w.uses
            if not r.pinned and not r.first_party
        ],
        "third-party actions are pinned by commit SHA",
        "third-party actions not pinned by full commit SHA",
    )
    first_party = [
        r for w in github_workflows(facts) for r in w.uses if not r.pinned and r.first_party
    ]
    if first_party and out.status == ProbeStatus.PASS:
        out = out.model_copy(
            update={"message": f"{out.message} ({len(first_party)} GitHub-owned actions use tags)"}
        )
    return out


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
