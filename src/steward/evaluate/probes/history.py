"""Probes over the git history: public VCS, activity, maintainers, signed commits, DCO/CLA."""

from __future__ import annotations

import re
import time

from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    DAY,
    error,
    failed,
    passed,
    probe,
    recent_commits,
    src,
    unknown,
)

RECENT_DAYS = 90
_BOT = re.compile(r"\[bot\]|dependabot|renovate|github-actions|noreply@github\.com$", re.I)


@probe("vcs_public")
def _vcs(facts: Facts) -> ProbeOutcome:
    git = facts.git
    if git is None or not git.commits:
        if facts.problems_in("git"):
            return error("git history could not be read", facts.problems_in("git"))
        return failed("not a git repository with history")
    evidence = [
        Fact(src(commit=git.head), f"{len(git.commits)}{'+' if git.truncated else ''} commits")
    ]
    if facts.forge is not None and facts.forge.private is not None:
        if facts.forge.private:
            return failed(
                "the repository is private", [Fact(src(facts.forge.url), "private: true")]
            )
        evidence.append(Fact(src(facts.forge.url), "public repository"))
        return passed("public repository with history", evidence)
    if git.remote_url and git.remote_url.startswith("https://"):
        evidence.append(Fact(src(git.remote_url), "origin"))
    return passed(
        "version-controlled with history (visibility not checked without forge data)", evidence
    )


@probe("recent_activity")
def _recent(facts: Facts) -> ProbeOutcome:
    git = facts.git
    if git is None or not git.commits:
        if facts.problems_in("git"):
            return error("git history could not be read", facts.problems_in("git"))
        return failed("no git history")
    last = git.commits[0]
    age = (time.time() - last.timestamp) / DAY
    ev = [
        Fact(
            src(commit=last.sha),
            f"last commit {time.strftime('%Y-%m-%d', time.gmtime(last.timestamp))}",
        )
    ]
    if facts.forge is not None and facts.forge.archived:
        return failed("the repository is archived", [Fact(src(facts.forge.url), "archived: true")])
    if age <= RECENT_DAYS:
        return passed(f"last commit {age:.0f} days ago", ev)
    return failed(f"no commit in the last {RECENT_DAYS} days ({age:.0f} days ago)", ev)


@probe("multiple_maintainers")
def _maintainers(facts: Facts) -> ProbeOutcome:
    authors: dict[str, Fact] = {}
    for c in recent_commits(facts):
        email = c.author_email
        if _BOT.search(email) or _BOT.search(c.author_name):
            continue
        authors.setdefault(
            email,
            Fact(src(commit=c.sha), f"author {c.author_name}"),
        )
    if len(authors) >= 2:
        return passed(f"{len(authors)} people committed in the last year", list(authors.values()))
    listed = facts.docs.maintainers
    if len(listed) >= 2:
        return passed(f"{len(listed)} maintainers listed", listed)
    return failed(
        f"{len(authors)} committer(s) in the last year, {len(listed)} listed maintainer(s)",
        [*authors.values(), *listed],
    )


@probe("commits_signed")
def _commits_signed(facts: Facts) -> ProbeOutcome:
    if facts.git is None or not facts.git.commits:
        return (
            failed("no git history")
            if not facts.problems_in("git")
            else error("git unreadable", facts.problems_in("git"))
        )
    recent = facts.git.commits[:30]
    bad = [c for c in recent if c.signature == "B"]
    signed = [c for c in recent if c.signature != "N"]
    ev = [
        Fact(
            src(commit=c.sha),
            {
                "G": "good signature",
                "U": "good signature, unknown validity",
                "B": "BAD signature",
                "N": "unsigned",
            }.get(c.signature, "signed, not verified"),
        )
        for c in recent[:10]
    ]
    if bad:
        return failed(f"{len(bad)} recent commits have bad signatures", ev)
    if len(signed) >= 0.9 * len(recent):
        return passed(f"{len(signed)} of the {len(recent)} most recent commits are signed", ev)
    return failed(f"{len(signed)} of the {len(recent)} most recent commits are signed", ev)


@probe("contributor_agreement_enforced")
def _contributor_agreement(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.contributor_agreement)
    found += [f for w in facts.workflows for f in w.contributor_checks]
    config = [
        f
        for f in found
        if (f.detail != "checked" and "configuration" in f.detail) or "uses" in f.detail
    ]
    commits = [c for c in recent_commits(facts) if c.parents < 2][:100]
    signed = [c for c in commits if c.signed_off]
    if config:
        return passed("DCO/CLA enforcement configured", config)
    if commits and len(signed) >= 0.9 * len(commits):
        return passed(
            f"{len(signed)} of {len(commits)} recent commits carry Signed-off-by",
            [Fact(src(commit=c.sha), "Signed-off-by") for c in signed[:5]],
        )
    if facts.git is None:
        return (
            unknown("no git history to check sign-offs")
            if not found
            else failed("DCO/CLA mentioned but not enforced", found)
        )
    detail = f"{len(signed)} of {len(commits)} recent commits carry Signed-off-by"
    return failed(f"no DCO/CLA enforcement found; {detail}", found)
