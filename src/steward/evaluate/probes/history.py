"""Probes over the git history: public VCS, activity, maintainers, signed commits, DCO/CLA.

When git could not read the repository (a ``Problem`` in area ``git``), every probe here
answers ``error`` with git's message, never ``fail``: a history we could not read says
nothing about the project.
"""

from __future__ import annotations

import re
import time

from steward.collect.facts import Commit, Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    DAY,
    NOT_A_CHECKOUT,
    error,
    failed,
    no_checkout,
    passed,
    probe,
    recent_commits,
    recent_window,
    shallow_clone,
    src,
    unknown,
)

RECENT_DAYS = 90
# automation and AI coding agents commit too, but they are not maintainers; agents are told
# by their exact author name or their e-mail, so a person called Claude or Jules still counts
AUTOMATION = re.compile(
    r"\[bot\]|-bot\b|\bbots?@|^bot\b|dependabot|renovate|github-actions|greenkeeper|"
    r"pre-commit-ci|mergify|allcontributors|imgbot|snyk-bot|codecov|web-flow|gitlab-bot|"
    r"noreply@anthropic\.com|\+copilot@users\.noreply|cursoragent@|@all-hands\.dev|"
    r"devin-ai|google-labs-jules|chatgpt-codex|sweep-ai|coderabbit|\(aider\)|swe-agent|"
    r"action@github\.com|noreply@github\.com$|^actions-user$|transifex|weblate|crowdin|"
    r"^(?:claude|copilot|devin|cursor agent|openhands|jules|codex|gemini(?: code assist)?|"
    r"github|root)$|"
    # service mailboxes no person reads: an organisation's infrastructure account (the ASF's
    # "The Apache Software Foundation <root-asf-gitbox-commits@apache.org>", which opened the
    # branch-protection pull requests of its repositories, held-out-15c), no-reply senders
    r"^(?:root|no-?reply|do-?not-?reply)(?:[-_.][^@\s]*)?@",
    re.I,
)
_GENERIC_NAMES = frozenset({"root", "user", "admin", "ubuntu", "unknown", "runner", "git"})
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$", re.I)


def is_automation(name: str, email: str) -> bool:
    """A bot or an AI coding agent (by author name or e-mail)."""
    return bool(AUTOMATION.search(name) or AUTOMATION.search(email))


def people(commits: list[Commit]) -> list[tuple[Commit, list[Commit]]]:
    """Group commits by person: one person may use several e-mails (the name is the same)
    or several spellings of the name (the e-mail is the same). Returns (first commit, all)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    def keys(c: Commit) -> list[str]:
        out = [f"email:{c.author_email.lower()}"]
        name = " ".join(c.author_name.lower().split())
        if (name and " " in name) or len(name) > 3:
            out.append(f"name:{name}")
        login = _NOREPLY.match(c.author_email)
        if login:
            out.append(f"name:{login.group(1).lower()}")
        return out

    for c in commits:
        ks = keys(c)
        for k in ks[1:]:
            union(ks[0], k)
    groups: dict[str, list[Commit]] = {}
    for c in commits:
        groups.setdefault(find(keys(c)[0]), []).append(c)
    return [(members[0], members) for members in groups.values()]


def _git_unreadable(facts: Facts, *areas: str) -> ProbeOutcome | None:
    problems = facts.problems_in("git", *areas)
    if problems:
        return error(f"git could not read the repository: {problems[0].message}", problems)
    return None


@probe("vcs_public")
def _vcs(facts: Facts) -> ProbeOutcome:
    git = facts.git
    if git is None or not git.commits:
        return _git_unreadable(facts) or no_checkout(facts) or failed("no git history")
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
        return _git_unreadable(facts) or no_checkout(facts) or failed("no git history")
    last = git.commits[0]
    age = ((facts.collected_at or time.time()) - last.timestamp) / DAY
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
    """At least two people: commit authors of the year up to the newest commit (bots and AI
    agents left out, one person under several e-mails counted once, ``.mailmap`` applied), or
    the people listed in MAINTAINERS/CODEOWNERS/security-insights.yml."""
    humans = [c for c in recent_commits(facts) if not is_automation(c.author_name, c.author_email)]
    authors = [
        Fact(src(commit=first.sha), f"author {first.author_name} ({len(all_)} commits)")
        for first, all_ in people(humans)
    ]
    if len(authors) >= 2:
        return passed(f"{len(authors)} people committed in {recent_window(facts)}", authors)
    listed = [f for f in facts.docs.maintainers if not is_automation(f.detail, f.detail)]
    if len(listed) >= 2:
        return passed(f"{len(listed)} maintainers listed", listed)
    unreadable = (_git_unreadable(facts) or no_checkout(facts)) if not authors else None
    if unreadable is not None:  # an unread or absent history says nothing about its authors
        return unreadable
    if cut := shallow_clone(facts, "a second committer of the last year"):
        return cut
    return failed(
        f"{len(authors)} person(s) committed in {recent_window(facts)}, "
        f"{len(listed)} listed maintainer(s)",
        [*authors, *listed],
    )


@probe("commits_signed")
def _commits_signed(facts: Facts) -> ProbeOutcome:
    if facts.git is None or not facts.git.commits:
        return _git_unreadable(facts) or no_checkout(facts) or failed("no git history")
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
    """An enforcement configured (a DCO/CLA app's file, a CI check), or sign-offs practised:
    at least nine in ten of the last year's non-merge commits by people carry
    Signed-off-by. Bots and AI agents are left out of the count, as for maintainers: a
    release bot's "Prepare release" commits or Dependabot's bumps are not contributions the
    agreement covers (Jakarta Annotations, held-out-11e: 9 of 9 people's commits signed
    off, 9 of 11 with the bot's two)."""
    found = list(facts.docs.contributor_agreement)
    found += [f for w in facts.workflows for f in w.contributor_checks]
    config = [
        f
        for f in found
        if (f.detail != "checked" and "configuration" in f.detail) or "uses" in f.detail
    ]
    commits = [
        c
        for c in recent_commits(facts)
        if c.parents < 2 and not is_automation(c.author_name, c.author_email)
    ][:100]
    signed = [c for c in commits if c.signed_off]
    if config:
        return passed("DCO/CLA enforcement configured", config)
    if not commits and (unreadable := _git_unreadable(facts)):
        return unreadable
    if commits and len(signed) >= 0.9 * len(commits):
        return passed(
            f"{len(signed)} of {len(commits)} recent commits by people carry Signed-off-by",
            [Fact(src(commit=c.sha), "Signed-off-by") for c in signed[:5]],
        )
    required = [f for f in found if f.detail.startswith("required: ")]
    if required:  # enforced, if at all, by a forge app the repository does not show
        return unknown(
            "the contribution guide requires a DCO/CLA/ECA, but its enforcement (a forge app "
            "or bot) is not visible in the repository: attest it",
            required,
        )
    if facts.git is None:
        return (
            unknown(f"no git history to check sign-offs ({NOT_A_CHECKOUT})")
            if not found
            else failed("DCO/CLA mentioned but not enforced", found)
        )
    detail = f"{len(signed)} of {len(commits)} recent commits by people carry Signed-off-by"
    if cut := shallow_clone(facts, f"sign-offs beyond the fetched history ({detail})"):
        return cut
    return failed(f"no DCO/CLA enforcement found; {detail}", found)
