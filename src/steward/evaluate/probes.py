"""The probe registry: one function per probe of ``catalog/data/probes.yaml``.

A probe reads ``Facts`` only and returns a ``ProbeOutcome``: pass / fail / not-applicable /
error / unknown with evidence. Probes never pass without evidence: a probe that needs forge
data and has none returns ``unknown`` (the requirement then needs an attestation); a probe
whose input could not be read (a ``Problem`` in its area) returns ``error`` unless what was
readable already fails. ``run_probe`` turns an unexpected exception into an ``error`` outcome,
so one broken probe never stops an assessment.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence

from steward.collect.documents import is_osi_or_fsf
from steward.collect.facts import Commit, Facts, ForgeData, Problem, Source, Tag, Workflow
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import Evidence, ProbeOutcome, ProbeStatus

ProbeFunction = Callable[[Facts], ProbeOutcome]
PROBES: dict[str, ProbeFunction] = {}
MAX_EVIDENCE = 20
DAY = 86_400
RECENT_DAYS = 90
VERSION_TAG = re.compile(r"^(?:[A-Za-z][\w.-]*[-_/])?v?\d+(?:\.\d+)+(?:[-+.]?[\w.]+)?$")
_BOT = re.compile(r"\[bot\]|dependabot|renovate|github-actions|noreply@github\.com$", re.I)


def probe(name: str) -> Callable[[ProbeFunction], ProbeFunction]:
    def register(fn: ProbeFunction) -> ProbeFunction:
        if name in PROBES:
            raise ValueError(f"probe {name!r} registered twice")
        PROBES[name] = fn
        return fn

    return register


def run_probe(name: str, facts: Facts) -> ProbeOutcome:
    """Run one probe; an exception inside it becomes an ``error`` outcome."""
    fn = PROBES.get(name)
    if fn is None:
        return ProbeOutcome(probe=name, status=ProbeStatus.ERROR, message="no such probe")
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


def _ev(items: Iterable[Fact]) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_fact(f) for f in list(items)[:MAX_EVIDENCE])


def _pev(items: Iterable[Problem]) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_problem(p) for p in list(items)[:MAX_EVIDENCE])


def _out(status: ProbeStatus, message: str, evidence: Sequence[Evidence] = ()) -> ProbeOutcome:
    return ProbeOutcome(probe="", status=status, message=message, evidence=tuple(evidence))


def passed(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return _out(ProbeStatus.PASS, message, _ev(evidence))


def failed(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return _out(ProbeStatus.FAIL, message, _ev(evidence))


def not_applicable(message: str, evidence: Iterable[Fact] = ()) -> ProbeOutcome:
    return _out(ProbeStatus.NOT_APPLICABLE, message, _ev(evidence))


def unknown(message: str) -> ProbeOutcome:
    return _out(ProbeStatus.UNKNOWN, message)


def error(message: str, problems: Iterable[Problem]) -> ProbeOutcome:
    return _out(ProbeStatus.ERROR, message, _pev(problems))


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


def _no_forge() -> ProbeOutcome:
    return unknown("needs forge data (run with a forge token, or attest)")


def _github_workflows(facts: Facts) -> list[Workflow]:
    return [w for w in facts.workflows if w.system == "github"]


def _workflow_check(
    facts: Facts, bad: Callable[[Workflow], Sequence[Fact]], ok: str, ko: str
) -> ProbeOutcome:
    """Common shape of the GitHub workflow probes."""
    workflows = _github_workflows(facts)
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


def _recent_commits(facts: Facts, days: int = 365) -> list[Commit]:
    if facts.git is None or not facts.git.commits:
        return []
    newest = facts.git.commits[0].timestamp
    return [c for c in facts.git.commits if c.timestamp >= newest - days * DAY]


# -------------------------------------------------------------------- security policy


@probe("security_policy_present")
def _security_policy_present(facts: Facts) -> ProbeOutcome:
    p = facts.policy
    found = [Fact(s, "security policy") for s in p.files] + list(p.urls)
    if found:
        return passed("security policy found", found)
    if facts.problems_in("policy"):
        return error("a security policy file could not be read", facts.problems_in("policy"))
    note = f" ({'; '.join(p.notes)})" if p.notes else ""
    return failed(f"no SECURITY.md (root, .github/ or docs/) and no policy URL{note}")


def _policy_probe(facts: Facts, found: Sequence[Fact], what: str) -> ProbeOutcome:
    if found:
        return passed(f"the security policy states {what}", found)
    if not facts.policy.files and not facts.policy.urls:
        if facts.problems_in("policy"):
            return error("the security policy could not be read", facts.problems_in("policy"))
        return failed("no security policy")
    if not facts.policy.files:
        return unknown(
            f"the policy is only linked ({facts.policy.urls[0].detail}); cannot check {what}"
        )
    return failed(
        f"the security policy does not state {what}",
        [Fact(s, "checked") for s in facts.policy.files],
    )


@probe("security_policy_private_contact")
def _private_contact(facts: Facts) -> ProbeOutcome:
    p = facts.policy
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
        return _no_forge()
    src = Fact(
        _src(forge.url + "/private-vulnerability-reporting"), f"enabled: {forge.pvr_enabled}"
    )
    if forge.pvr_enabled:
        return passed("private vulnerability reporting is enabled", [src])
    return failed("private vulnerability reporting is disabled", [src])


@probe("security_advisories_published")
def _advisories(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.advisories)
    if facts.forge is not None and facts.forge.advisories:
        found += list(facts.forge.advisories)
    if found:
        return passed(f"{len(found)} published advisories found", found)
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
    found = list(facts.policy.private_contacts)
    si = facts.insights
    if si is not None:
        for section in ("champions",):
            team = (
                (si.raw.get("repository") or {})
                if isinstance(si.raw.get("repository"), dict)
                else {}
            )
            sec = team.get("security") if isinstance(team, dict) else None
            if isinstance(sec, dict) and sec.get(section):
                found.append(Fact(si.source, f"repository.security.{section}"))
    return present(facts, found, "security contacts", areas=("policy", "insights"))


# ------------------------------------------------------------------------ documentation


def _doc_probe(name: str, attr: str, what: str) -> None:
    def fn(facts: Facts) -> ProbeOutcome:
        return present(facts, getattr(facts.docs, attr), what)

    probe(name)(fn)


for _name, _attr, _what in (
    ("readme_present", "readme", "README"),
    ("user_documentation_present", "user_docs", "user documentation"),
    ("contributing_guide_present", "contributing", "contribution guide"),
    ("bug_reporting_documented", "bug_reporting", "how to report bugs"),
    ("governance_documented", "governance", "governance documentation"),
    ("codeowners_present", "codeowners", "CODEOWNERS"),
    ("build_instructions_documented", "build_instructions", "build instructions"),
    ("support_policy_documented", "support_policy", "support policy"),
    ("dependency_policy_documented", "dependency_policy", "dependency policy"),
    (
        "release_verification_documented",
        "release_verification",
        "release verification instructions",
    ),
    ("changelog_present", "changelog", "changelog"),
    ("threat_model_present", "threat_model", "threat model or security assessment"),
    ("design_documented", "design", "design documentation"),
    ("tests_present", "tests", "automated tests"),
):
    _doc_probe(_name, _attr, _what)


# ------------------------------------------------------------------------------ licence


@probe("license_file_present")
def _license_file(facts: Facts) -> ProbeOutcome:
    files = [lic for lic in facts.licenses if lic.how != "manifest"]
    if files:
        return passed(
            "licence file found",
            [Fact(lic.source, lic.spdx or "unrecognised text") for lic in files],
        )
    if facts.problems_in("license"):
        return error("the licence file could not be read", facts.problems_in("license"))
    declared = [Fact(lic.source, f"declared {lic.spdx}") for lic in facts.licenses]
    return failed("no LICENSE/COPYING file at the top of the tree", declared)


@probe("license_osi_approved")
def _license_osi(facts: Facts) -> ProbeOutcome:
    if not facts.licenses:
        if facts.problems_in("license"):
            return error("the licence file could not be read", facts.problems_in("license"))
        return failed("no licence found")
    recognised = [lic for lic in facts.licenses if lic.spdx]
    if not recognised:
        return unknown("the licence text was not recognised; attest its SPDX identifier")
    bad = [lic for lic in recognised if not is_osi_or_fsf(lic.spdx or "")]
    if bad:
        return failed(
            "licence not OSI-approved or FSF-free",
            [Fact(lic.source, lic.spdx or "") for lic in bad],
        )
    return passed(
        "OSI-approved licence", [Fact(lic.source, f"{lic.spdx} ({lic.how})") for lic in recognised]
    )


@probe("contributor_agreement_enforced")
def _contributor_agreement(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.contributor_agreement)
    found += [f for w in facts.workflows for f in w.contributor_checks]
    config = [
        f
        for f in found
        if (f.detail != "checked" and "configuration" in f.detail) or "uses" in f.detail
    ]
    commits = [c for c in _recent_commits(facts) if c.parents < 2][:100]
    signed = [c for c in commits if c.signed_off]
    if config:
        return passed("DCO/CLA enforcement configured", config)
    if commits and len(signed) >= 0.9 * len(commits):
        return passed(
            f"{len(signed)} of {len(commits)} recent commits carry Signed-off-by",
            [Fact(_src(commit=c.sha), "Signed-off-by") for c in signed[:5]],
        )
    if facts.git is None:
        return (
            unknown("no git history to check sign-offs")
            if not found
            else failed("DCO/CLA mentioned but not enforced", found)
        )
    detail = f"{len(signed)} of {len(commits)} recent commits carry Signed-off-by"
    return failed(f"no DCO/CLA enforcement found; {detail}", found)


# -------------------------------------------------------------------------- dependencies


@probe("dependency_manifest_present")
def _manifests(facts: Facts) -> ProbeOutcome:
    return present(facts, facts.dependencies.manifests, "dependency manifest")


@probe("lockfiles_present")
def _lockfiles(facts: Facts) -> ProbeOutcome:
    d = facts.dependencies
    if d.unlocked_manifests:
        return failed(
            f"{len(d.unlocked_manifests)} manifests without a lockfile", d.unlocked_manifests
        )
    if not d.manifests:
        return not_applicable("no dependency manifests")
    return passed("every manifest has a lockfile", d.lockfiles)


@probe("dependency_update_tool_configured")
def _update_tool(facts: Facts) -> ProbeOutcome:
    found = list(facts.dependencies.update_tools)
    found += [
        Fact(r.source, f"uses {r.action}")
        for w in facts.workflows
        for r in w.uses
        if r.action.lower().startswith("renovatebot/")
    ]
    return present(facts, found, "dependency update tool")


@probe("dependencies_pinned")
def _deps_pinned(facts: Facts) -> ProbeOutcome:
    unpinned: list[Fact] = [
        Fact(r.source, f"{r.action}@{r.ref or '(no ref)'} not pinned by SHA")
        for w in facts.workflows
        for r in w.uses
        if not r.pinned and not r.first_party
    ]
    unpinned += [
        Fact(i.source, f"image {i.image} not pinned by digest")
        for i in facts.images
        if not i.pinned
    ]
    unpinned += [f for w in facts.workflows for f in (*w.unpinned_images, *w.unpinned_installs)]
    unpinned += list(facts.dependencies.unpinned)
    if unpinned:
        return failed(f"{len(unpinned)} unpinned build/CI dependencies", unpinned)
    if facts.problems_in("workflows", "dockerfiles"):
        return error(
            "some CI files could not be read", facts.problems_in("workflows", "dockerfiles")
        )
    checked = [
        Fact(w.source, "checked") for w in facts.workflows if w.system in ("github", "gitlab")
    ]
    checked += [Fact(i.source, f"image {i.image}") for i in facts.images]
    checked += list(facts.dependencies.lockfiles)
    if not checked:
        return not_applicable("no CI workflows, Dockerfiles or requirements files to check")
    return passed("build and CI dependencies are pinned", checked)


@probe("sbom_published")
def _sbom(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.sbom_files) + [f for w in facts.workflows for f in w.sbom]
    forge = facts.forge
    if forge is not None and forge.releases:
        found += [
            Fact(_src(a.url), f"release asset {a.name}")
            for r in forge.releases
            for a in r.assets
            if re.search(r"sbom|\.spdx|\.cdx|bom\.(?:json|xml)", a.name, re.I)
        ]
    if found:
        return passed("SBOM produced or published", found)
    if forge is None or forge.releases is None:
        return unknown("no SBOM in the tree or CI; release assets not available without forge data")
    return failed("no SBOM in the tree, in CI or among release assets")


@probe("sca_configured")
def _sca(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.sca]
    found += [f for f in facts.dependencies.update_tools if "dependabot" in (f.source.path or "")]
    return present(facts, found, "dependency vulnerability scanning in CI", areas=("workflows",))


# ------------------------------------------------------------------------------ CI/build


@probe("ci_present")
def _ci(facts: Facts) -> ProbeOutcome:
    found = [Fact(w.source, f"{w.system} CI") for w in facts.workflows]
    return present(facts, found, "continuous integration", areas=("workflows",))


@probe("tests_run_in_ci")
def _tests_ci(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.runs_tests]
    if found:
        return passed("CI runs tests", found)
    if facts.problems_in("workflows"):
        return error("some workflows could not be read", facts.problems_in("workflows"))
    others = [w for w in facts.workflows if w.system not in ("github", "gitlab")]
    if others:
        return unknown(f"CI ({others[0].system}) not analysed; attest that it runs the tests")
    if not facts.workflows:
        return failed("no CI configured")
    return failed("no test command found in CI")


@probe("sast_configured")
def _sast(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.sast]
    return present(facts, found, "static analysis in CI", areas=("workflows",))


@probe("fuzzing_configured")
def _fuzz(facts: Facts) -> ProbeOutcome:
    found = list(facts.fuzzing) + [f for w in facts.workflows for f in w.fuzzing]
    return present(facts, found, "fuzzing")


@probe("actions_pinned_by_sha")
def _actions_pinned(facts: Facts) -> ProbeOutcome:
    out = _workflow_check(
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
        r for w in _github_workflows(facts) for r in w.uses if not r.pinned and r.first_party
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


@probe("workflow_permissions_least_privilege")
def _permissions(facts: Facts) -> ProbeOutcome:
    def bad(w: Workflow) -> list[Fact]:
        if w.top_permissions == "absent":
            return [
                Fact(w.source, "no top-level permissions (the token gets the repository default)")
            ]
        if w.top_permissions == "write":
            return [Fact(w.source, f"top-level {w.top_permission_detail}")]
        return []

    return _workflow_check(
        facts,
        bad,
        "workflows declare read-only top-level permissions",
        "workflows without read-only top-level permissions",
    )


@probe("no_dangerous_workflow_triggers")
def _dangerous(facts: Facts) -> ProbeOutcome:
    return _workflow_check(
        facts,
        lambda w: w.untrusted_checkouts,
        "no privileged workflow checks out untrusted code",
        "privileged workflows check out untrusted pull-request code",
    )


@probe("no_script_injection")
def _injection(facts: Facts) -> ProbeOutcome:
    return _workflow_check(
        facts,
        lambda w: w.script_injections,
        "no untrusted event data interpolated into scripts",
        "untrusted event data interpolated into scripts (script injection)",
    )


@probe("no_secrets_in_untrusted_workflows")
def _secrets_untrusted(facts: Facts) -> ProbeOutcome:
    return _workflow_check(
        facts,
        lambda w: w.secrets_after_untrusted_checkout,
        "no secrets exposed to untrusted code",
        "secrets available to jobs that run untrusted pull-request code",
    )


@probe("no_secrets_in_tree")
def _secrets_tree(facts: Facts) -> ProbeOutcome:
    if facts.secrets:
        return failed(f"{len(facts.secrets)} committed secrets or credential files", facts.secrets)
    return passed(
        f"no recognisable secrets in {facts.file_count} files (keys, tokens, credential files)"
    )


@probe("no_binary_artifacts")
def _binaries(facts: Facts) -> ProbeOutcome:
    if facts.binary_artifacts:
        return failed(
            f"{len(facts.binary_artifacts)} binary artifacts in the tree", facts.binary_artifacts
        )
    return passed(f"no binary artifacts in {facts.file_count} files")


# ------------------------------------------------------------------ source control, releases


def _src(url: str | None = None, commit: str | None = None) -> Source:
    return Source(url=url, commit=commit)


@probe("vcs_public")
def _vcs(facts: Facts) -> ProbeOutcome:
    git = facts.git
    if git is None or not git.commits:
        if facts.problems_in("git"):
            return error("git history could not be read", facts.problems_in("git"))
        return failed("not a git repository with history")
    evidence = [
        Fact(_src(commit=git.head), f"{len(git.commits)}{'+' if git.truncated else ''} commits")
    ]
    if facts.forge is not None and facts.forge.private is not None:
        if facts.forge.private:
            return failed(
                "the repository is private", [Fact(_src(facts.forge.url), "private: true")]
            )
        evidence.append(Fact(_src(facts.forge.url), "public repository"))
        return passed("public repository with history", evidence)
    if git.remote_url and git.remote_url.startswith("https://"):
        evidence.append(Fact(_src(git.remote_url), "origin"))
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
            _src(commit=last.sha),
            f"last commit {time.strftime('%Y-%m-%d', time.gmtime(last.timestamp))}",
        )
    ]
    if facts.forge is not None and facts.forge.archived:
        return failed("the repository is archived", [Fact(_src(facts.forge.url), "archived: true")])
    if age <= RECENT_DAYS:
        return passed(f"last commit {age:.0f} days ago", ev)
    return failed(f"no commit in the last {RECENT_DAYS} days ({age:.0f} days ago)", ev)


@probe("multiple_maintainers")
def _maintainers(facts: Facts) -> ProbeOutcome:
    authors: dict[str, Fact] = {}
    for c in _recent_commits(facts):
        email = c.author_email
        if _BOT.search(email) or _BOT.search(c.author_name):
            continue
        authors.setdefault(
            email,
            Fact(_src(commit=c.sha), f"author {c.author_name}"),
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


def _version_tags(facts: Facts) -> list[Tag]:
    if facts.git is None:
        return []
    return [t for t in facts.git.tags if VERSION_TAG.match(t.name)]


@probe("releases_tagged")
def _tagged(facts: Facts) -> ProbeOutcome:
    if facts.git is None:
        return (
            error("no git repository", facts.problems_in("git"))
            if facts.problems_in("git")
            else failed("no git repository")
        )
    tags = _version_tags(facts)
    if tags:
        return passed(
            f"{len(tags)} version tags",
            [Fact(_src(commit=t.commit), f"tag {t.name}") for t in tags[:10]],
        )
    forge = facts.forge
    if forge is not None and forge.releases is not None and not forge.releases:
        return not_applicable("no releases yet")
    if facts.git.tags:
        return failed(
            "tags exist but none looks like a version",
            [Fact(_src(commit=t.commit), f"tag {t.name}") for t in facts.git.tags[:5]],
        )
    return failed("no version tags")


@probe("release_tags_signed")
def _tags_signed(facts: Facts) -> ProbeOutcome:
    tags = _version_tags(facts)[:10]
    if not tags:
        return not_applicable("no version tags")
    ev = [
        Fact(
            _src(commit=t.commit),
            f"tag {t.name}: "
            + (
                "verified signature"
                if t.verified
                else "BAD signature"
                if t.verified is False
                else "signed, not verified"
                if t.signed
                else "unsigned"
            ),
        )
        for t in tags
    ]
    if any(t.verified is False for t in tags):
        return failed("a release tag has a bad signature", ev)
    unsigned = [t for t in tags if not t.signed]
    if unsigned:
        return failed(f"{len(unsigned)} of the {len(tags)} newest version tags are not signed", ev)
    if all(t.verified for t in tags):
        return passed("the newest version tags carry verified signatures", ev)
    return passed(
        "the newest version tags are signed (not all verified: signer keys unavailable)", ev
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
            _src(commit=c.sha),
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


@probe("release_notes_present")
def _release_notes(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is not None and forge.releases:
        empty = [r for r in forge.releases[:5] if len(r.body.strip()) < 10]
        ev = [
            Fact(_src(r.url), f"release {r.tag}: {len(r.body)} characters of notes")
            for r in forge.releases[:5]
        ]
        if not empty:
            return passed("recent releases have release notes", ev)
        if not facts.docs.changelog:
            return failed(
                f"{len(empty)} recent releases have no notes and there is no changelog", ev
            )
    tags = _version_tags(facts)
    if not tags and (forge is None or not forge.releases):
        return (
            not_applicable("no releases yet")
            if forge is not None or facts.git is not None
            else unknown("no release information")
        )
    if facts.docs.changelog and tags:
        latest = str(getattr(tags[0], "name", ""))
        version = re.sub(r"^.*?(\d)", r"\1", latest, count=1)
        return passed(
            f"changelog maintained (latest tag {latest}, version {version})", facts.docs.changelog
        )
    if facts.docs.changelog:
        return passed("changelog maintained", facts.docs.changelog)
    if forge is None:
        return unknown("no changelog in the tree; release notes on the forge not available")
    return failed("no changelog and no release notes")


_SIGNATURE_ASSET = re.compile(
    r"\.(?:asc|sig|minisig|sigstore(?:\.json)?|pem|intoto\.jsonl|bundle)$|sha\d+sums?\.(?:asc|"
    r"sig)$",
    re.I,
)
_PROVENANCE_ASSET = re.compile(r"\.intoto\.jsonl$|provenance|\.att(?:estation)?\.json$", re.I)


@probe("release_artifacts_signed")
def _artifacts_signed(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is None or forge.releases is None:
        return _no_forge()
    with_assets = [r for r in forge.releases if r.assets][:5]
    if not with_assets:
        return not_applicable("no release with assets")
    unsigned = [
        r for r in with_assets if not any(_SIGNATURE_ASSET.search(a.name) for a in r.assets)
    ]
    ev = [
        Fact(_src(r.url), f"release {r.tag}: " + ", ".join(a.name for a in r.assets)[:200])
        for r in with_assets
    ]
    if unsigned:
        return failed(
            f"{len(unsigned)} of {len(with_assets)} recent releases have no signatures", ev
        )
    return passed("recent releases carry signatures", ev)


@probe("release_provenance")
def _provenance(facts: Facts) -> ProbeOutcome:
    found = [f for w in facts.workflows for f in w.provenance]
    forge = facts.forge
    if forge is not None and forge.releases:
        found += [
            Fact(_src(a.url), f"provenance asset {a.name}")
            for r in forge.releases
            for a in r.assets
            if _PROVENANCE_ASSET.search(a.name)
        ]
    if found:
        return passed("build provenance generated or published", found)
    if forge is None or forge.releases is None:
        return unknown(
            "no provenance generation in CI; release assets not available without forge data"
        )
    if not any(r.assets for r in forge.releases):
        return not_applicable("no release assets")
    return failed("no build provenance in CI or among release assets")


# ----------------------------------------------------------------------------- forge


def _forge_value(facts: Facts, attr: str) -> tuple[ForgeData | None, object]:
    forge = facts.forge
    if forge is None:
        return None, None
    return forge, getattr(forge, attr)


@probe("branch_protection_enabled")
def _branch_protection(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is None or forge.force_push_blocked is None or forge.deletion_blocked is None:
        if forge is not None and (
            forge.force_push_blocked is False or forge.deletion_blocked is False
        ):
            pass
        else:
            return (
                _no_forge()
                if forge is None
                else unknown("branch protection not readable with this token")
            )
    assert forge is not None
    ev = [
        Fact(
            _src(forge.protection_source or forge.url),
            f"{forge.default_branch}: force pushes blocked={forge.force_push_blocked}, "
            f"deletion blocked={forge.deletion_blocked}",
        )
    ]
    if forge.force_push_blocked and forge.deletion_blocked:
        return passed(f"{forge.default_branch} is protected against force pushes and deletion", ev)
    return failed(f"{forge.default_branch} is not protected against force pushes and deletion", ev)


@probe("code_review_required")
def _review_required(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "required_approvals")
    if forge is None or value is None:
        return (
            _no_forge()
            if forge is None
            else unknown("review settings not readable with this token")
        )
    ev = [Fact(_src(forge.protection_source or forge.url), f"required approving reviews: {value}")]
    if isinstance(value, int) and value >= 1:
        return passed(f"{value} approving review(s) required", ev)
    return failed("merging does not require an approving review", ev)


@probe("status_checks_required")
def _checks_required(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "required_status_checks")
    if forge is None or value is None:
        return (
            _no_forge()
            if forge is None
            else unknown("status check settings not readable with this token")
        )
    checks = tuple(value) if isinstance(value, tuple) else ()
    ev = [
        Fact(
            _src(forge.protection_source or forge.url),
            f"required checks: {', '.join(checks) or 'none'}",
        )
    ]
    if checks:
        return passed(f"{len(checks)} required status checks", ev)
    return failed("no status checks required before merging", ev)


@probe("code_review_practised")
def _review_practised(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is not None and forge.total_changes is not None and forge.reviewed_changes is not None:
        total, reviewed = forge.total_changes, forge.reviewed_changes
        ev = [
            Fact(
                _src(forge.url),
                f"{reviewed} of {total} recent merged changes approved by another person",
            )
        ]
        if total == 0:
            return unknown("no recently merged changes to look at")
        if reviewed >= 0.8 * total:
            return passed(f"{reviewed} of {total} recent changes were reviewed", ev)
        return failed(f"only {reviewed} of {total} recent changes were reviewed", ev)
    commits = [c for c in _recent_commits(facts) if c.parents < 2][:50]
    reviewed_commits = [c for c in commits if c.reviewed]
    if commits and len(reviewed_commits) >= 0.8 * len(commits):
        return passed(
            f"{len(reviewed_commits)} of {len(commits)} recent commits carry Reviewed-by/Acked-by",
            [Fact(_src(commit=c.sha), "Reviewed-by") for c in reviewed_commits[:5]],
        )
    return _no_forge()


@probe("mfa_required")
def _mfa(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "mfa_required")
    if forge is None or value is None:
        return (
            _no_forge()
            if forge is None
            else unknown("the organisation's 2FA setting is visible to owners only")
        )
    ev = [Fact(_src(forge.url), f"two-factor requirement: {value}")]
    return (
        passed("the organisation requires 2FA", ev)
        if value
        else failed("the organisation does not require 2FA", ev)
    )


@probe("default_permissions_minimal")
def _default_permissions(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "default_permission")
    if forge is None or value is None:
        return (
            _no_forge()
            if forge is None
            else unknown("the organisation's default permission is visible to owners only")
        )
    ev = [Fact(_src(forge.url), f"default repository permission: {value}")]
    if value in ("none", "read"):
        return passed(f"default permission is {value}", ev)
    return failed(f"default permission is {value}", ev)
