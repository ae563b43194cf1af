"""Dependency hygiene probes: manifests, lockfiles, update tools, pinning, SBOM, SCA."""

from __future__ import annotations

import re

from steward.collect.ci import ANALYSED_SYSTEMS
from steward.collect.deps import is_dependency_file, pins_read
from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    ci_not_read,
    error,
    failed,
    in_ci,
    not_applicable,
    passed,
    present,
    probe,
    recent_commits,
    recent_window,
    src,
    unique,
    unknown,
    unread_ci,
)
from steward.evaluate.probes.pinning import describe_unpinned, unpinned_actions


@probe("dependency_manifest_present")
def _manifests(facts: Facts) -> ProbeOutcome:
    """A manifest of the project's dependencies; not applicable when the project has no source
    code of a language with a package manager (OSPS-QA-02.01: "when the package management
    system supports it"), e.g. a collection of shell scripts or documentation."""
    d = facts.dependencies
    if not d.manifests and d.no_package_ecosystem:
        return not_applicable(d.no_package_ecosystem)
    return present(facts, d.manifests, "dependency manifest")


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


# the update bots' commit identities on GitHub (Dependabot's security updates need no
# configuration file; Renovate can run from an organisation's shared configuration)
_UPDATE_BOTS = re.compile(
    r"^(?:dependabot|renovate)\[bot\]$|\+(?:dependabot|renovate)\[bot\]@", re.I
)


@probe("dependency_update_tool_configured")
def _update_tool(facts: Facts) -> ProbeOutcome:
    """An update tool's configuration (Dependabot, Renovate in any of its places, PyUp,
    Depfu, scala-steward...), a Renovate action in CI, or, without either, the update bots'
    own commits in the last year of history (Dependabot security updates run without a
    configuration file; Scorecard looks for Dependabot's commits too)."""
    found = list(facts.dependencies.update_tools)
    found += [
        Fact(r.source, f"uses {r.action}")
        for w in facts.workflows
        for r in w.uses
        if r.action.lower().startswith(("renovatebot/", "scala-steward-org/scala-steward-action"))
    ]
    if not found:
        bots = [
            c
            for c in recent_commits(facts)
            if _UPDATE_BOTS.search(c.author_name) or _UPDATE_BOTS.search(c.author_email)
        ]
        found = [
            Fact(src(commit=c.sha), f"commit by {c.author_name}: {c.subject[:80]}")
            for c in bots[:3]
        ]
    return present(facts, found, "dependency update tool")


@probe("dependencies_pinned")
def _deps_pinned(facts: Facts) -> ProbeOutcome:
    """Build and CI dependencies pinned (Scorecard Pinned-Dependencies): actions by SHA,
    images by digest, installs in CI steps, scripts and Dockerfiles by version or hash, and
    the lines of requirements files. Not applicable when there is none of these to check
    (no CI, no Dockerfile, no requirements file): a lockfile of the project's own
    dependencies is ``lockfiles_present``'s matter, not a build dependency checked here."""
    actions = unpinned_actions(facts)
    unpinned: list[Fact] = [
        Fact(r.source, f"action {describe_unpinned(r)} not pinned by commit SHA") for r in actions
    ]
    docker_uses = {r.source for r in actions}  # docker://image steps: listed once, as actions
    unpinned += [
        Fact(i.source, f"image {i.image} not pinned by digest")
        for i in facts.images
        if not i.pinned
    ]
    unpinned += [
        f
        for w in facts.workflows
        for f in (*w.unpinned_images, *w.unpinned_installs)
        if f.source not in docker_uses
    ]
    unpinned += [*facts.docker_installs, *facts.dependencies.unpinned]
    unpinned = unique(unpinned)
    if unpinned:
        return failed(f"{len(unpinned)} unpinned build/CI dependencies", unpinned)
    if facts.problems_in("workflows", "dockerfiles"):
        return error(
            "some CI files could not be read", facts.problems_in("workflows", "dockerfiles")
        )
    checked = [Fact(w.source, "checked") for w in facts.workflows if w.system in ANALYSED_SYSTEMS]
    checked += [Fact(i.source, f"image {i.image}") for i in facts.images]
    # requirement files whose lines are read for pins are checked; other lockfiles lock the
    # project's own dependencies (``lockfiles_present``), and a go.mod that requires nothing
    # locks nothing: with no CI, Dockerfile or requirements file there is nothing to pin
    checked += [
        f for f in facts.dependencies.lockfiles if f.source.path and pins_read(f.source.path)
    ]
    checked += [
        f
        for f in facts.dependencies.manifests
        if f.source.path and f.source.path.rpartition("/")[2] == "vendor.txt"
    ]
    if not checked and (unread := unread_ci(facts)):
        return unknown(
            f"no CI workflow, Dockerfile or requirements file Steward reads; {ci_not_read(unread)}:"
            " attest that what it installs is pinned",
            [Fact(w.source, f"{w.system} CI, not read") for w in unread],
        )
    if not checked:
        return not_applicable("no CI workflows, Dockerfiles or requirements files to check")
    return passed("build and CI dependencies are pinned", checked)


@probe("sbom_published")
def _sbom(facts: Facts) -> ProbeOutcome:
    found = list(facts.docs.sbom_files) + [f for w in facts.workflows for f in w.sbom]
    forge = facts.forge
    if forge is not None and forge.releases:
        found += [
            Fact(src(a.url), f"release asset {a.name}")
            for r in forge.releases
            for a in r.assets
            if re.search(r"sbom|\.spdx|\.cdx|bom\.(?:json|xml)", a.name, re.I)
        ]
    if found:
        return passed("SBOM produced or published", found)
    if forge is None or forge.releases is None:
        return unknown("no SBOM in the tree or CI; release assets not available without forge data")
    if unread := unread_ci(facts):
        return unknown(
            f"no SBOM in the tree, in the CI Steward reads or among release assets; "
            f"{ci_not_read(unread)}: attest whether it produces one",
            [Fact(w.source, f"{w.system} CI, not read") for w in unread],
        )
    return failed("no SBOM in the tree, in CI or among release assets")


@probe("sca_configured")
def _sca(facts: Facts) -> ProbeOutcome:
    """Dependency scanning in CI, or Dependabot or Renovate watching a language ecosystem (a
    configuration that only updates GitHub Actions or container images does not scan the
    project's own dependencies; Renovate with its vulnerability alerts disabled does not),
    or, without either, the update bots' commits of the last year updating a language
    manifest or lockfile (Dependabot security updates run without a configuration file)."""
    found = [f for w in facts.workflows for f in w.sca]
    found += [
        f
        for f in facts.dependencies.update_tools
        if f.detail.startswith("dependabot: ")
        and f.detail.split()[1] not in _NOT_LANGUAGE_ECOSYSTEMS
    ]
    found += [
        f
        for f in facts.dependencies.update_tools
        if f.detail.startswith("renovate: ")
        and _renovate_scans(f.detail.removeprefix("renovate: "))
    ]
    if not found and facts.problems_in("git-bots"):
        return error(
            "dependency vulnerability scanning: the update bots' commits could not be read",
            facts.problems_in("git-bots"),
        )
    if not found and (bots := _bots_updating_dependencies(facts)):
        return passed(
            f"dependency vulnerability scanning: update-bot commits of {recent_window(facts)} "
            "update language dependencies (Dependabot's security updates need no configuration "
            "file)",
            bots,
        )
    unread = [f for w in facts.workflows for f in w.unread_sca]
    return in_ci(
        facts, found, "dependency vulnerability scanning in CI", areas=("workflows",), unread=unread
    )


def _bots_updating_dependencies(facts: Facts) -> list[Fact]:
    """Update-bot commits of the last year that changed language manifests or lockfiles and
    nothing else: Dependabot's security updates (which need no configuration file, and come
    from GitHub's scanning of the dependency graph) or a bot watching the project's
    dependencies. A bot that bumped GitHub Actions, images or pre-commit hooks does not count,
    nor a squash-merged pull request of the bot's that others completed with other changes
    (a pre-commit group bump whose fixes touched ``pyproject.toml`` and the tests). Up to
    three, as evidence."""
    changed = dict(facts.git.bot_changes) if facts.git is not None else {}
    found: list[Fact] = []
    for c in recent_commits(facts):
        files = changed.get(c.sha, ())
        only_dependencies = bool(files) and all(is_dependency_file(p) for p in files)
        if only_dependencies and (
            _UPDATE_BOTS.search(c.author_name) or _UPDATE_BOTS.search(c.author_email)
        ):
            found.append(
                Fact(
                    src(commit=c.sha),
                    f"{c.author_name} updated {', '.join(files[:3])}: {c.subject[:80]}",
                )
            )
        if len(found) == 3:
            break
    return found


def _renovate_scans(managers: str) -> bool:
    if managers == "vulnerability alerts off":
        return False
    if managers == "all detected":
        return True
    return any(m.strip() not in _NOT_LANGUAGE_MANAGERS for m in managers.split(","))


# Renovate's managers of CI files, images and infrastructure (not a language's packages)
_NOT_LANGUAGE_MANAGERS = frozenset({"github-actions", "dockerfile", "docker-compose",
    "devcontainer", "helm-values", "helmv3", "helmfile", "kubernetes", "kustomize", "terraform",
    "terragrunt", "pre-commit", "git-submodules", "gitlabci", "gitlabci-include", "circleci",
    "droneci", "azure-pipelines", "buildkite", "woodpecker", "bitbucket-pipelines",
    "travis", "regex", "custom.regex", "ansible", "argocd", "fleet", "flux",
    "nvm", "asdf", "mise"})  # fmt: skip

_NOT_LANGUAGE_ECOSYSTEMS = frozenset({"github-actions", "docker", "devcontainers", "gitsubmodule",
                                      "docker-compose", "helm", "terraform",
                                      "pre-commit"})  # fmt: skip
