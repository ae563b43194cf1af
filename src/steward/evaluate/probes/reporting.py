"""Probes for the ORC vulnerability handling specification's checkable items
(orcwg/vulnerability-management-spec, sections "Vulnerability reporting policy" and
"Vulnerability publication"): a reporting method without an account (VRP-11), a key for
encrypted e-mail reports (VRP-12/13), a machine-readable list of resolved vulnerabilities
(PUB-02/03/06) and the policy in distributed source (VRP-17).

What cannot be established offline is ``unknown`` with the reason (a reporting form whose
sign-up rules cannot be read, a policy that defers to a page, a build backend whose sdist
rules are not modelled, advisories the forge was not asked about), never a guessed fail.
"""

from __future__ import annotations

import re

from steward.collect.documents import GITHUB_SECURITY_PAGE
from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import Evidence, ProbeOutcome, ProbeStatus
from steward.evaluate.probes.base import (
    counted,
    error,
    failed,
    not_applicable,
    outcome,
    passed,
    probe,
    src,
    unknown,
)
from steward.evaluate.probes.policy import owner_policy_unknown, policy_referrals

#: reporting through the forge: needs an account there (GitHub PVR, GitLab confidential issues)
_FORGE_REPORTING = re.compile(
    r"/security/advisories/new\b|security advisor(?:y|ies) tab|security tab|"
    r"private vulnerability report|confidential issue|draft (?:a )?security advisory",
    re.I,
)
#: bug-bounty platforms: a researcher account is needed to submit
_PLATFORM = re.compile(r"hackerone\.com|bugcrowd\.com|huntr\.(?:dev|com)|intigriti\.com|"
                       r"yeswehack\.com", re.I)  # fmt: skip


#: services whose every channel needs an account: a referral to them is no open question
_ACCOUNT_SERVICES = re.compile(
    r"discord(?:app)?\.(?:gg|com)|slack\.com|gitter\.im|matrix\.to|zulipchat\.com|"
    r"t\.me/|telegram\.(?:me|org)|(?:twitter|x)\.com/",
    re.I,
)


def _referrals(facts: Facts) -> tuple[list[Fact], list[Fact]]:
    """The policy's links elsewhere: (pages that may name a method, chat services that
    need an account)."""
    referrals, contact_referrals = policy_referrals(facts)
    links = list(dict.fromkeys(referrals + contact_referrals))
    closed = [f for f in links if _ACCOUNT_SERVICES.search(f.detail)]
    return [f for f in links if f not in closed], closed


def _kinds(facts: Facts) -> tuple[list[Fact], list[Fact], list[Fact], list[Fact]]:
    """The policy's reporting methods: (e-mail or phone, web forms, forge reporting,
    bug-bounty platforms)."""
    mail: list[Fact] = []
    forms: list[Fact] = []
    forge: list[Fact] = []
    platforms: list[Fact] = []
    named = set(facts.reporting.report_emails)
    for contact in facts.policy.private_contacts:
        detail = contact.detail
        value = detail.split(" ", 2)[-1] if detail.startswith("security.txt") else detail
        if detail.startswith("e-mail") or "mailto:" in value or "@" in value:
            if contact in named:
                mail.append(contact)
        elif "tel:" in value:
            mail.append(contact)
        elif _FORGE_REPORTING.search(detail) or GITHUB_SECURITY_PAGE.search(detail):
            forge.append(contact)
        elif _PLATFORM.search(detail):
            platforms.append(contact)
        elif re.search(r"https?://", value):
            forms.append(contact)
    return mail, forms, forge, platforms


@probe("reporting_without_account")
def _without_account(facts: Facts) -> ProbeOutcome:
    """ORC VRP-11: at least one reporting method needs no dedicated account."""
    p = facts.policy
    mail, forms, forge, platforms = _kinds(facts)
    if mail:
        return passed("reports can be sent by e-mail, no account needed", mail)
    if forms:
        return unknown(
            f"the policy names a reporting form ({forms[0].detail}); whether it needs an "
            "account cannot be checked offline (attest it)",
            forms,
        )
    links, chats = _referrals(facts)
    if links:
        return unknown(
            f"the security policy defers to {links[0].detail.removeprefix('link ')}; "
            "a method without an account may be named there (attest it)",
            links,
        )
    if not p.files and p.urls:
        return unknown(f"the policy is only linked ({p.urls[0].detail}); cannot read its methods")
    platforms += chats
    if forge or platforms:
        setting = []
        if facts.forge is not None and facts.forge.pvr_enabled is not None:
            url = facts.forge.url + "/private-vulnerability-reporting"
            setting = [Fact(src(url), f"enabled: {facts.forge.pvr_enabled}")]
        where = "the forge" if forge else "a bug-bounty platform"
        return failed(
            f"every reporting method named needs an account on {where}; add an e-mail address",
            [*forge, *platforms, *setting],
        )
    if not p.files:
        if facts.problems_in("policy"):
            return error("the security policy could not be read", facts.problems_in("policy"))
        inherited = owner_policy_unknown(facts, "a reporting method without an account")
        if inherited is not None:
            return inherited
        if facts.forge is not None and facts.forge.pvr_enabled:
            return failed(
                "no security policy; the only reporting method is the forge's private "
                "vulnerability reporting, which needs an account",
                [Fact(src(facts.forge.url + "/private-vulnerability-reporting"), "enabled")],
            )
        return failed("no security policy names a reporting method")
    if facts.forge is not None and facts.forge.pvr_enabled:
        return failed(
            "the policy names no e-mail address or form; the forge's private vulnerability "
            "reporting (enabled) needs an account",
            [Fact(s, "checked") for s in p.files],
        )
    if facts.forge is None:
        return unknown(
            "the security policy names no e-mail address, form or reporting link; how it "
            "means reports to arrive needs the forge's settings or an attestation",
            [Fact(s, "checked") for s in p.files],
        )
    return failed(
        "the security policy names no reporting method that needs no account",
        [Fact(s, "checked") for s in p.files],
    )


@probe("report_encryption_key")
def _encryption(facts: Facts) -> ProbeOutcome:
    """ORC VRP-12/13: where e-mail is a reporting method, an OpenPGP key or age recipient is
    published for it."""
    keys = list(facts.reporting.encryption)
    mail, forms, _, _ = _kinds(facts)
    if keys:
        return passed(f"a key for encrypted reports is published ({keys[0].detail})", keys)
    p = facts.policy
    links, _ = _referrals(facts)
    if not mail:
        if links or forms or (p.urls and not p.files):
            return unknown(
                "the reporting methods are on a page that cannot be read offline "
                "(e-mail and a key may be named there)",
                links or forms,
            )
        inherited = owner_policy_unknown(facts, "whether reports go by e-mail, with a key")
        return inherited or not_applicable("e-mail is not a reporting method the policy names")
    if links:
        return unknown(
            f"the security policy defers to {links[0].detail.removeprefix('link ')}; "
            "a key may be published there (attest it)",
            [*mail, *links],
        )
    return failed(
        "reports go by e-mail but no OpenPGP key or age recipient is published (security.txt "
        "Encryption, a key block or key link in the policy, or a key file)",
        mail,
    )


@probe("vulnerability_list_machine_readable")
def _machine_readable(facts: Facts) -> ProbeOutcome:
    """ORC PUB-02/03/06: the list of resolved vulnerabilities is published machine-readably
    (OSV or CSAF in the repository, the forge's advisory database, a Security Insights URL)."""
    found = list(facts.reporting.machine_advisories)
    found += [  # the project's own GitHub advisories its changelog links (collect.documents)
        Fact(a.source, f"GitHub repository advisory {a.detail.removeprefix('advisory ')}")
        for a in facts.docs.advisories
        if a.detail.startswith("advisory GHSA-") and a.source.line is not None
    ]
    found = list(dict.fromkeys(found))
    forge = facts.forge
    if forge is not None and forge.advisories:
        found += [
            Fact(a.source, f"forge advisory (JSON from the {forge.forge} API): {a.detail}")
            for a in forge.advisories
        ]
    if found:
        return passed(
            counted(
                len(found),
                "machine-readable advisory or advisory feed",
                "machine-readable advisories or advisory feeds",
            ),
            found,
        )
    text = list(facts.reporting.text_advisories)
    if forge is None or forge.advisories is None:
        if text:
            return unknown(
                "advisories are published as text; the forge's advisories (machine-readable) "
                "were not read (run with a forge token, or attest the OSV/CSAF feed)",
                text,
            )
        return unknown(
            "no OSV or CSAF advisories in the tree; the forge's advisories were not read "
            "(run with a forge token, or attest)"
        )
    if text:
        return failed(
            "advisories are published only as text: no OSV or CSAF documents, no forge advisories",
            text,
        )
    return unknown(
        "no advisories published anywhere: attest that no vulnerability has been resolved yet",
        [Fact(src(forge.url + "/security-advisories"), "none")],
    )


@probe("policy_in_distributed_source")
def _distributed(facts: Facts) -> ProbeOutcome:
    """ORC VRP-17: every way the source is distributed (git archive, sdist, npm package,
    crate) carries the security policy or its URL."""
    channels = facts.reporting.channels
    if not channels:
        if facts.problems_in("policy"):
            return error("the security policy could not be read", facts.problems_in("policy"))
        return failed("no security policy file or policy URL in the source to distribute")
    evidence = [Evidence.from_fact(e) for c in channels for e in c.evidence]
    out = [c for c in channels if c.included is False]
    if out:
        lines = "; ".join(f"{c.channel}: {c.reason}" for c in out)
        return outcome(
            ProbeStatus.FAIL,
            f"the policy is left out of {lines}",
            [Evidence.from_fact(e) for c in out for e in c.evidence],
        )
    open_ = [c for c in channels if c.included is None]
    if open_:
        lines = "; ".join(f"{c.channel}: {c.reason}" for c in open_)
        return outcome(ProbeStatus.UNKNOWN, f"cannot tell for {lines}", evidence)
    names = ", ".join(c.channel for c in channels)
    return outcome(ProbeStatus.PASS, f"the policy goes into {names}", evidence)
