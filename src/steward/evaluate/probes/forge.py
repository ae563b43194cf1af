"""Forge setting probes (branch protection, reviews, status checks, 2FA, default permission)."""

from __future__ import annotations

from steward.collect.facts import BranchSettings, Facts, ForgeData
from steward.collect.facts import Finding as Fact
from steward.collect.settings import DEFAULT_BRANCH
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    counted,
    failed,
    no_forge,
    passed,
    probe,
    recent_commits,
    src,
    unknown,
)


def _forge_value(facts: Facts, attr: str) -> tuple[ForgeData | None, object]:
    forge = facts.forge
    if forge is None:
        return None, None
    return forge, getattr(forge, attr)


def declared_settings(facts: Facts) -> BranchSettings | None:
    """The default branch's protection as the tree's settings file declares it (``.asf.yaml``,
    ``.github/settings.yml``): the checked-out branch when known, else main or master, else
    a ruleset on ``~DEFAULT_BRANCH``."""
    by_name = {s.branch: s for s in facts.branch_settings}
    names = [facts.git.branch] if facts.git is not None and facts.git.branch else []
    names += [n for n in ("main", "master") if facts.forge is None or not names]
    if facts.forge is not None and facts.forge.default_branch:
        names.insert(0, facts.forge.default_branch)
    names.append(DEFAULT_BRANCH)  # a ruleset on the default branch, whatever its name
    return next((by_name[n] for n in names if n in by_name), None)


@probe("branch_protection_enabled")
def _branch_protection(facts: Facts) -> ProbeOutcome:
    """Force pushes and deletion of the default branch blocked, from the forge; without forge
    data, a protection declared in the tree's settings file that a service applies to the forge
    (ASF ``.asf.yaml``; a GitHub protection rule blocks both unless allowed) passes."""
    forge = facts.forge
    if forge is None or forge.force_push_blocked is None or forge.deletion_blocked is None:
        if forge is not None and (
            forge.force_push_blocked is False or forge.deletion_blocked is False
        ):
            pass
        elif (declared := declared_settings(facts)) is not None:
            ev = [Fact(declared.source, f"{declared.branch}: protected branch")]
            return passed(
                f"{declared.branch} is protected by {declared.source.path} (applied to the "
                "forge by its service; not verified against the forge without a token)",
                ev,
            )
        else:
            return no_forge(forge, "branch protection")
    assert forge is not None
    ev = [
        Fact(
            src(forge.protection_source or forge.url),
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
        declared = declared_settings(facts)
        if declared is not None and declared.required_approvals is not None:
            ev = [
                Fact(
                    declared.approvals_source or declared.source,
                    f"required approving reviews: {declared.required_approvals}",
                )
            ]
            if declared.required_approvals >= 1:
                return passed(
                    f"{counted(declared.required_approvals, 'approving review')} required on "
                    f"{declared.branch} by {declared.source.path}",
                    ev,
                )
            return failed(f"{declared.source.path} requires no approving review", ev)
        return no_forge(forge, "review settings")
    ev = [Fact(src(forge.protection_source or forge.url), f"required approving reviews: {value}")]
    if isinstance(value, int) and value >= 1:
        return passed(f"{counted(value, 'approving review')} required", ev)
    return failed("merging does not require an approving review", ev)


@probe("status_checks_required")
def _checks_required(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "required_status_checks")
    if forge is None or value is None:
        declared = declared_settings(facts)
        if declared is not None and declared.required_checks:
            ev = [
                Fact(
                    declared.checks_source or declared.source,
                    f"required checks: {', '.join(declared.required_checks)}",
                )
            ]
            return passed(
                f"{counted(len(declared.required_checks), 'required status check')} on "
                f"{declared.branch} by {declared.source.path}",
                ev,
            )
        return no_forge(forge, "status check settings")
    checks = tuple(value) if isinstance(value, tuple) else ()
    ev = [
        Fact(
            src(forge.protection_source or forge.url),
            f"required checks: {', '.join(checks) or 'none'}",
        )
    ]
    if checks:
        return passed(counted(len(checks), "required status check"), ev)
    return failed("no status checks required before merging", ev)


@probe("code_review_practised")
def _review_practised(facts: Facts) -> ProbeOutcome:
    forge = facts.forge
    if forge is not None and forge.total_changes is not None and forge.reviewed_changes is not None:
        total, reviewed = forge.total_changes, forge.reviewed_changes
        ev = [
            Fact(
                src(forge.url),
                f"{reviewed} of {total} recent merged changes approved by another person",
            )
        ]
        if total == 0:
            return unknown("no recently merged changes to look at")
        if reviewed >= 0.8 * total:
            return passed(f"{reviewed} of {total} recent changes were reviewed", ev)
        return failed(f"only {reviewed} of {total} recent changes were reviewed", ev)
    commits = [c for c in recent_commits(facts) if c.parents < 2][:50]
    reviewed_commits = [c for c in commits if c.reviewed]
    if commits and len(reviewed_commits) >= 0.8 * len(commits):
        return passed(
            f"{len(reviewed_commits)} of {len(commits)} recent commits carry Reviewed-by/Acked-by",
            [Fact(src(commit=c.sha), "Reviewed-by") for c in reviewed_commits[:5]],
        )
    return no_forge(forge, "reviews of merged changes")


@probe("mfa_required")
def _mfa(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "mfa_required")
    if forge is None or value is None:
        return no_forge(forge, "the organisation's 2FA setting (visible to owners only)")
    ev = [Fact(src(forge.url), f"two-factor requirement: {value}")]
    return (
        passed("the organisation requires 2FA", ev)
        if value
        else failed("the organisation does not require 2FA", ev)
    )


@probe("default_permissions_minimal")
def _default_permissions(facts: Facts) -> ProbeOutcome:
    forge, value = _forge_value(facts, "default_permission")
    if forge is None or value is None:
        return no_forge(forge, "the organisation's default permission (visible to owners only)")
    ev = [Fact(src(forge.url), f"default repository permission: {value}")]
    if value in ("none", "read"):
        return passed(f"default permission is {value}", ev)
    return failed(f"default permission is {value}", ev)
