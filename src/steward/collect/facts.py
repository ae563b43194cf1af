"""The fact types: immutable, typed observations about a project, each with its source.

A fact says what was seen and where (``Source``: a file path relative to the project root and
a 1-based line, a commit, or an API URL). Collectors produce facts; probes in
``steward.evaluate`` read them and nothing else, so a probe never touches the outside world.
Something a collector could not read becomes a ``Problem`` (never an exception), which the
probes that depend on it turn into an ``error`` outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `steward sbom` and `vulns` read the tree without pydantic
    from steward.insights import SecurityInsights
    from steward.projectconfig import Acceptance


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact was observed: a path (+ line) in the tree, a commit, or a URL."""

    path: str | None = None
    line: int | None = None
    commit: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        if self.path is not None:
            return self.path if self.line is None else f"{self.path}:{self.line}"
        if self.commit is not None:
            return f"commit {self.commit}"
        return self.url or "(project)"

    @property
    def location(self) -> str:
        """The file, commit or URL, without the line."""
        return self.path or (f"commit {self.commit}" if self.commit else None) or self.url or ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be collected: an unreadable, oversized or malformed input."""

    source: Source
    message: str
    area: str  # which probes it concerns: "workflows", "policy", "license", "git", "forge", ...


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation with its source: a match, a setting, a file (the unit of evidence)."""

    source: Source
    detail: str


# ------------------------------------------------------------------------------- files


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A regular file in the tree (symlinks are recorded separately and never followed)."""

    path: str  # POSIX path relative to the root
    size: int
    executable: bool


@dataclass(frozen=True, slots=True)
class SecurityPolicy:
    """What the security policy says (SECURITY.md and friends, or security-insights.yml)."""

    files: tuple[Source, ...]  # policy files found (empty files included, flagged in notes)
    urls: tuple[Finding, ...]  # policy URLs from security-insights.yml
    private_contacts: tuple[Finding, ...]  # e-mail addresses, private reporting links
    public_links: tuple[Finding, ...]  # other links (not private by themselves)
    response_timeframes: tuple[Finding, ...]
    supported_versions: tuple[Finding, ...]
    disclosure_terms: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    # links by which a short policy defers to a security page elsewhere ("follow the steps on
    # https://www.eclipse.org/security/"): what it does not say may be said there
    referrals: tuple[Finding, ...] = ()
    # links on a line that sends reporters to a person or page for the private address
    contact_referrals: tuple[Finding, ...] = ()
    advisory_links: tuple[Finding, ...] = ()  # published advisories the policy links (GHSA, CVE)


@dataclass(frozen=True, slots=True)
class License:
    """A licence found in the tree: file, SPDX expression (None when not recognised)."""

    source: Source
    spdx: str | None
    how: str  # "text" (matched the licence text), "spdx-header", "manifest", "readme"


@dataclass(frozen=True, slots=True)
class Docs:
    """Documentation found: one tuple of evidence per kind (empty = none found)."""

    readme: tuple[Finding, ...] = ()
    user_docs: tuple[Finding, ...] = ()
    contributing: tuple[Finding, ...] = ()
    bug_reporting: tuple[Finding, ...] = ()
    governance: tuple[Finding, ...] = ()
    codeowners: tuple[Finding, ...] = ()
    build_instructions: tuple[Finding, ...] = ()
    support_policy: tuple[Finding, ...] = ()
    dependency_policy: tuple[Finding, ...] = ()
    release_verification: tuple[Finding, ...] = ()
    changelog: tuple[Finding, ...] = ()
    threat_model: tuple[Finding, ...] = ()
    design: tuple[Finding, ...] = ()
    contributor_agreement: tuple[Finding, ...] = ()
    advisories: tuple[Finding, ...] = ()
    sbom_files: tuple[Finding, ...] = ()
    tests: tuple[Finding, ...] = ()
    fuzzing: tuple[Finding, ...] = ()
    maintainers: tuple[Finding, ...] = ()  # people listed in MAINTAINERS/CODEOWNERS/SI
    # version numbers the changelog files mention ("1.4.2"), to tell a maintained changelog
    # from one that stopped several releases ago
    changelog_versions: frozenset[str] = frozenset()
    # the first version each changelog file names: its newest entry ("Changes for APR 2.0.0"),
    # to tell a changelog kept for the next, unreleased version from one that stopped
    changelog_heads: frozenset[str] = frozenset()
    # a changelog file that names no version and links nowhere (no index of per-package
    # changelogs, no "see the releases page"): its notes stand alone, so with releases tagged
    # it names none of them (egulias/EmailValidator's notes of its v3 changes, held-out-12d)
    changelog_unversioned: bool = False


@dataclass(frozen=True, slots=True)
class Dependencies:
    """Dependency hygiene: manifests, lockfiles, update tools, unpinned installs."""

    manifests: tuple[Finding, ...]  # declared dependencies (any ecosystem)
    lockfiles: tuple[Finding, ...]
    unlocked_manifests: tuple[Finding, ...]  # manifests without a lockfile beside them
    update_tools: tuple[Finding, ...]
    unpinned: tuple[Finding, ...]  # requirements lines / installs that are not pinned
    # why no manifest is expected, when the project holds no source code of a language that
    # has a package manager (shell scripts and documentation only); empty otherwise
    no_package_ecosystem: str = ""


@dataclass(frozen=True, slots=True)
class ActionRef:
    """One ``uses:`` reference in a workflow."""

    source: Source
    action: str  # owner/repo[/path], ./local, docker://image
    ref: str | None
    pinned: bool
    first_party: bool  # owned by GitHub (actions/*, github/*) or local


@dataclass(frozen=True, slots=True)
class Workflow:
    """A CI workflow (GitHub Actions, GitLab CI, other CI) and what it does."""

    source: Source
    system: str  # "github", "gitlab", or the other CI's name
    triggers: tuple[str, ...] = ()
    top_permissions: str | None = None  # "absent", "read", "write", "none"
    top_permission_detail: str = ""
    top_permissions_line: int | None = None  # the top-level permissions key (or its write entry)
    job_writes: tuple[Finding, ...] = ()  # job-level write permissions (allowed where needed)
    uses: tuple[ActionRef, ...] = ()
    images: tuple[Finding, ...] = ()  # container images with pinned flag in detail
    unpinned_images: tuple[Finding, ...] = ()
    untrusted_checkouts: tuple[Finding, ...] = ()
    script_injections: tuple[Finding, ...] = ()
    secrets: tuple[Finding, ...] = ()
    secrets_after_untrusted_checkout: tuple[Finding, ...] = ()
    runs_tests: tuple[Finding, ...] = ()
    sast: tuple[Finding, ...] = ()
    sca: tuple[Finding, ...] = ()
    sbom: tuple[Finding, ...] = ()
    fuzzing: tuple[Finding, ...] = ()
    provenance: tuple[Finding, ...] = ()
    signing: tuple[Finding, ...] = ()
    contributor_checks: tuple[Finding, ...] = ()
    unpinned_installs: tuple[Finding, ...] = ()
    # steps whose effect on testing could not be followed (a missing script, a remote
    # reusable workflow, a script called by a script): "cannot tell", never "no tests"
    test_unknowns: tuple[Finding, ...] = ()
    jobs_without_permissions: tuple[Finding, ...] = ()  # jobs with no permissions block
    # analysers and dependency scanners named by a CI file that is not read (``unreadci``)
    unread_sast: tuple[Finding, ...] = ()
    unread_sca: tuple[Finding, ...] = ()
    inherited_triggers: tuple[str, ...] = ()  # triggers of local workflows calling this one


@dataclass(frozen=True, slots=True)
class ContainerImage:
    """A base image in a Dockerfile/Containerfile."""

    source: Source
    image: str
    pinned: bool


# --------------------------------------------------------------------------------- git


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    timestamp: int  # committer date, Unix seconds
    author_name: str
    author_email: str
    signature: str  # git's %G?: G good, B bad, U/X/Y/R/E signed but not fully verified, N none
    parents: int
    signed_off: bool
    reviewed: bool  # Reviewed-by / Approved-by / Acked-by trailer
    subject: str


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    annotated: bool
    signed: bool
    verified: bool | None  # None: signed, but not verified (no key or no gpg)
    timestamp: int | None
    commit: str | None
    # in HEAD's history (None: not known); a release cut on a maintenance branch is not, and
    # the changelog of the tree at HEAD is not expected to name it
    merged: bool | None = None


@dataclass(frozen=True, slots=True)
class GitFacts:
    """Local history: commits (most recent first, up to a cap), tags, HEAD."""

    head: str | None
    branch: str | None
    commits: tuple[Commit, ...]
    truncated: bool  # more history exists beyond the commits read
    tags: tuple[Tag, ...]
    remote_url: str | None = None
    # the files each recent commit of an update bot (Dependabot, Renovate) changed, by SHA:
    # what it updates (a lockfile, a workflow) says which ecosystems it watches
    bot_changes: tuple[tuple[str, tuple[str, ...]], ...] = ()


# ------------------------------------------------------------------------------- forge


@dataclass(frozen=True, slots=True)
class ReleaseAsset:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class ForgeRelease:
    tag: str
    url: str
    body: str
    assets: tuple[ReleaseAsset, ...]
    published_at: str | None = None


# the message of a Problem left by a collector that raised (``collect.run``): the probes
# reading that area answer ``error``, never a verdict from the collector's empty result
COLLECTOR_FAILED = "could not be collected (internal error)"
FORGE_UNREACHABLE = "forge API unreachable; forge facts skipped"


@dataclass(frozen=True, slots=True)
class BranchSettings:
    """Protection of one branch as the repository's settings file declares it (ASF
    ``.asf.yaml`` ``github.protected_branches``, which ASF infrastructure applies to GitHub;
    the Settings app's ``.github/settings.yml`` ``branches[].protection``). ``None``: the file
    does not say."""

    branch: str
    source: Source  # the branch's entry
    required_approvals: int | None = None
    approvals_source: Source | None = None
    required_checks: tuple[str, ...] | None = None
    checks_source: Source | None = None


@dataclass(frozen=True, slots=True)
class ForgeData:
    """Settings and history read from the forge's API. ``None`` fields were not readable
    (no token, insufficient rights): probes treat them as unknown, never as a pass."""

    forge: str  # "github" or "gitlab"
    url: str  # repository API URL (evidence)
    default_branch: str | None = None
    private: bool | None = None
    archived: bool | None = None
    owner_is_org: bool | None = None
    force_push_blocked: bool | None = None
    deletion_blocked: bool | None = None
    required_approvals: int | None = None
    required_status_checks: tuple[str, ...] | None = None
    protection_source: str | None = None  # URL of the protection/ruleset data
    pvr_enabled: bool | None = None
    releases: tuple[ForgeRelease, ...] | None = None
    advisories: tuple[Finding, ...] | None = None
    mfa_required: bool | None = None
    default_permission: str | None = None
    reviewed_changes: int | None = None  # recent merged changes with an approval
    total_changes: int | None = None  # recent merged changes looked at
    # the owner's default community health files (its ``.github`` repository, which GitHub
    # uses for repositories without their own SECURITY, CONTRIBUTING, GOVERNANCE, issue
    # templates...): (path, URL) of each entry of its root, .github/ and docs/; None: not read
    owner_defaults: tuple[tuple[str, str], ...] | None = None
    notes: tuple[str, ...] = field(default=())
    # False: the API could not be reached at all (network, DNS, TLS), so nothing above is
    # known; probes say so instead of blaming the token
    reachable: bool = True


@dataclass(frozen=True, slots=True)
class Insights:
    """A security-insights.yml: the validated model when valid, else the raw mapping."""

    source: Source
    model: SecurityInsights | None  # None when the file does not validate
    raw: dict[str, object]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Attestation:
    """A project's own answer to a requirement (``steward.yml`` or security-insights.yml)."""

    requirement_id: str
    status: str  # "met", "not-met", "not-applicable"
    evidence: str
    source: Source
    by: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Whether one way the source is distributed carries the security policy file
    (``collect/reporting.py``): ``included`` True/False, or None when it cannot be told."""

    channel: str  # "source archive (git archive)", "Python sdist (hatchling)", "npm package", ...
    included: bool | None
    reason: str
    evidence: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class Reporting:
    """Facts for the ORC vulnerability handling probes (``collect/reporting.py``)."""

    encryption: tuple[Finding, ...] = ()  # OpenPGP/age keys for reports, each where it is said
    report_emails: tuple[Finding, ...] = ()  # the policy's e-mail contacts named for reports
    machine_advisories: tuple[Finding, ...] = ()  # OSV/CSAF documents, GHSA, SI advisory URLs
    text_advisories: tuple[Finding, ...] = ()  # advisories only a person can read
    channels: tuple[Channel, ...] = ()  # how the source is distributed, with the policy or not


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything collected about one project revision; the probes' only input."""

    root: str
    project_name: str
    file_count: int
    policy: SecurityPolicy
    insights: Insights | None
    licenses: tuple[License, ...]
    docs: Docs
    dependencies: Dependencies
    workflows: tuple[Workflow, ...]
    images: tuple[ContainerImage, ...]
    binary_artifacts: tuple[Finding, ...]
    secrets: tuple[Finding, ...]
    fuzzing: tuple[Finding, ...]
    git: GitFacts | None
    forge: ForgeData | None
    attestations: tuple[Attestation, ...]
    problems: tuple[Problem, ...]
    symlinks_outside: tuple[str, ...] = ()
    acceptances: tuple[Acceptance, ...] = ()  # steward.yml ``accept:`` entries
    docker_installs: tuple[Finding, ...] = ()  # unpinned installs in Dockerfile RUN lines
    collected_at: int = 0  # Unix seconds the facts describe ("now" for recency; 0: unknown)
    reporting: Reporting = field(default_factory=Reporting)  # the ORC reporting facts
    # branch protection declared in the tree (.asf.yaml, .github/settings.yml)
    branch_settings: tuple[BranchSettings, ...] = ()

    def problems_in(self, *areas: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.area in areas)
