"""Security policy and vulnerability reporting probes.

A policy whose content leaves something unsaid but links elsewhere ("see our security page")
defers to that page: what it does not say is ``unknown``, not ``fail``. A link to the
repository's own security pages on GitHub (the Security tab, the policy and advisories it
shows) when the policy read is the SECURITY.md that tab shows, or to a forge's
private-reporting form, is no such page: the tab shows the policy already read, and the form
is the reporting channel itself, which publishes no method or key (:func:`policy_referrals`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from steward.collect.facts import Facts, Source
from steward.collect.facts import Finding as Fact
from steward.collect.forgeurl import github_repository
from steward.collect.yamlpos import line_of
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    counted,
    error,
    failed,
    no_forge,
    passed,
    present,
    probe,
    src,
    unknown,
)
from steward.evaluate.probes.ownerdefaults import offline_hint, owner_default

#: a GitHub repository's security pages: the Security tab, its policy, its advisories and the
#: private-reporting form (``/security/advisories/new``)
_FORGE_SECURITY_PAGE = re.compile(
    r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/security"
    r"(/policy|/advisories(?:/new)?)?/?(?![\w/-])",
    re.I,
)


def _own_repository(facts: Facts) -> str | None:
    """``owner/repo`` (lower case) of the repository on GitHub, from the forge data or the
    origin remote; None when neither names a GitHub repository."""
    urls = (
        facts.forge.url if facts.forge is not None else None,
        facts.git.remote_url if facts.git is not None else None,
    )
    for url in urls:
        slug = github_repository(url) if url else None
        if slug is not None:
            return slug.lower()
    return None


def _tab_shows_the_policy(facts: Facts) -> bool:
    """Whether the policy read is a file GitHub shows on the Security tab (SECURITY.md in the
    root, ``.github/`` or ``docs/``); a README section is not (guzzle/guzzle's README
    section links ``/security/policy``, which shows the owner's default policy)."""
    return any(
        f.path is not None
        and f.line is None
        and posixpath.dirname(f.path) in ("", ".github", "docs")
        and posixpath.basename(f.path).upper().startswith("SECURITY")
        for f in facts.policy.files
    )


def _forge_own_page(link: Fact, own: str | None, shown: bool) -> bool:
    m = _FORGE_SECURITY_PAGE.search(link.detail)
    if m is None:
        return False
    if m.group(3) == "/advisories/new":
        return True
    return shown and f"{m.group(1)}/{m.group(2)}".lower() == own


def policy_referrals(facts: Facts) -> tuple[list[Fact], list[Fact]]:
    """The policy's links elsewhere (``SecurityPolicy.referrals``, ``contact_referrals``),
    less the repository's own forge security pages when they show the policy file read, and
    any forge's private-reporting form: those are the policy already read and the reporting
    channel, not a page that may say more."""
    own = _own_repository(facts)
    shown = own is not None and _tab_shows_the_policy(facts)
    p = facts.policy
    return (
        [f for f in p.referrals if not _forge_own_page(f, own, shown)],
        [f for f in p.contact_referrals if not _forge_own_page(f, own, shown)],
    )


def owner_default_policy(facts: Facts) -> tuple[str, list[Fact]] | None:
    """The owner's default policy (``ownerdefaults``), for a repository with no policy of
    its own (no policy file, no policy URL); None otherwise."""
    p = facts.policy
    if p.files or p.urls:
        return None
    return owner_default(facts, "security")


def owner_policy_unknown(facts: Facts, what: str) -> ProbeOutcome | None:
    """``unknown`` for a probe reading the policy's content when the only policy there may be
    is the owner's default one (found by the forge but not read, or not checkable offline)."""
    inherited = owner_default_policy(facts)
    if inherited is None:
        return None
    _kind, found = inherited
    return unknown(
        f"the security policy is the owner's default ({found[0].source.url}, not read): "
        f"attest {what}",
        found,
    )


@probe("security_policy_present")
def _security_policy_present(facts: Facts) -> ProbeOutcome:
    p = facts.policy
    found = [Fact(s, "security policy") for s in p.files] + list(p.urls)
    if found:
        return passed("security policy found", found)
    if facts.problems_in("policy"):
        return error("a security policy file could not be read", facts.problems_in("policy"))
    inherited = owner_default_policy(facts)
    if inherited is not None:
        return passed("the owner's default security policy applies", inherited[1])
    note = f" ({'; '.join(p.notes)})" if p.notes else ""
    hint = offline_hint(facts, "SECURITY.md")
    return failed(f"no SECURITY.md (root, .github/ or docs/, doc/) and no policy URL{note}{hint}")


def _policy_probe(facts: Facts, found: Sequence[Fact], what: str) -> ProbeOutcome:
    if found:
        return passed(f"the security policy states {what}", found)
    if not facts.policy.files and not facts.policy.urls:
        if facts.problems_in("policy"):
            return error("the security policy could not be read", facts.problems_in("policy"))
        return owner_policy_unknown(facts, what) or failed("no security policy")
    if not facts.policy.files:
        return unknown(
            f"the policy is only linked ({facts.policy.urls[0].detail}); cannot check {what}"
        )
    if policy_referrals(facts)[0]:
        return _deferred(facts, what)
    return failed(
        f"the security policy does not state {what}",
        [Fact(s, "checked") for s in facts.policy.files],
    )


def _deferred(facts: Facts, what: str) -> ProbeOutcome:
    """The policy defers to a page we cannot read offline: cannot tell."""
    referrals, contact_referrals = policy_referrals(facts)
    links = referrals or contact_referrals
    page = links[0].detail.removeprefix("link ")
    return unknown(
        f"the security policy defers to {page}; {what} may be stated there (attest it)", links
    )


@probe("security_policy_private_contact")
def _private_contact(facts: Facts) -> ProbeOutcome:
    p = facts.policy
    if not p.private_contacts and any(policy_referrals(facts)):
        return _deferred(facts, "a private reporting channel")
    if not p.private_contacts and p.public_links and p.files:
        return failed(
            "the security policy only has links, no e-mail address or private reporting link",
            p.public_links,
        )
    return _policy_probe(facts, p.private_contacts, "a private reporting channel")


@probe("security_policy_response_timeframe")
def _timeframe(facts: Facts) -> ProbeOutcome:
    return _policy_probe(facts, facts.policy.response_timeframes, "a response timeframe")


@probe("security_policy_supported_versions")
def _supported_versions(facts: Facts) -> ProbeOutcome:
    return _policy_probe(facts, facts.policy.supported_versions, "which versions are supported")


@probe("security_policy_disclosure_process")
def _disclosure(facts: Facts) -> ProbeOutcome:
    return _policy_probe(facts, facts.policy.disclosure_terms, "a disclosure process")


@probe("private_vulnerability_reporting_enabled")
def _pvr(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is None or forge.pvr_enabled is None:
        return no_forge(forge, "private vulnerability reporting")
    setting = Fact(
        src(forge.url + "/private-vulnerability-reporting"), f"enabled: {forge.pvr_enabled}"
    )
    if forge.pvr_enabled:
        return passed("private vulnerability reporting is enabled", [setting])
    return failed("private vulnerability reporting is disabled", [setting])


@probe("security_advisories_published")
def _advisories(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.advisories) + list(facts.policy.advisory_links)
    if facts.forge is not None and facts.forge.advisories:
        found += list(facts.forge.advisories)
    if found:
        return passed(
            f"{counted(len(found), 'published advisory', 'published advisories')} found", found
        )
    if facts.forge is None or facts.forge.advisories is None:
        return unknown("no advisories in the tree; forge advisories not available")
    return unknown("no published advisories: attest that no vulnerability has been fixed yet")


@probe("security_insights_present")
def _insights(facts: Facts) -> ProbeOutcome:
    si = facts.insights
    if si is None:
        return failed("no security-insights.yml")
    if si.model is None:
        return failed(
            f"security-insights.yml is not valid Security Insights 2.0: {si.error}",
            [Fact(si.source, si.error or "invalid")],
        )
    return passed("valid Security Insights file", [Fact(si.source, "schema 2.x valid")])


@probe("security_contacts_listed")
def _contacts(facts: Facts) -> ProbeOutcome:
    """Security contacts: the policy's private contacts (e-mail, also written out, reporting
    links, security.txt ``Contact:``) or the security champions in security-insights.yml."""
    found = list(facts.policy.private_contacts)
    si = facts.insights
    repository = si.raw.get("repository") if si is not None else None
    security = repository.get("security") if isinstance(repository, dict) else None
    champions = security.get("champions") if isinstance(security, dict) else None
    for champion in champions if isinstance(champions, list) and si is not None else []:
        if isinstance(champion, dict) and champion.get("name"):
            name = champion["name"]
            where = Source(path=si.source.path if si else None, line=line_of(name))
            contact = f" <{champion['email']}>" if champion.get("email") else ""
            found.append(Fact(where, f"security champion {name}{contact}"))
    if not found and any(policy_referrals(facts)):
        return _deferred(facts, "who the security contacts are")
    if not found and facts.policy.urls and not facts.policy.files:
        return unknown(
            f"the policy is only linked ({facts.policy.urls[0].detail}); cannot read its contacts"
        )
    if not found and not facts.problems_in("policy", "insights"):
        inherited = owner_policy_unknown(facts, "who the security contacts are")
        if inherited is not None:
            return inherited
    return present(facts, found, "security contacts", areas=("policy", "insights"))
