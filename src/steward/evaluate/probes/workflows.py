"""GitHub Actions workflow safety probes: token permissions, dangerous triggers, script
injection, secrets in reach of untrusted code."""

from __future__ import annotations

from steward.collect.facts import Facts, Source, Workflow
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome, ProbeStatus
from steward.evaluate.probes.base import (
    MAX_EVIDENCE,
    counted,
    evidence_of,
    github_workflows,
    probe,
    workflow_check,
)


def _called_only(w: Workflow) -> bool:
    """Only run as a reusable workflow: the caller's job sets the token's permissions."""
    return set(w.triggers) == {"workflow_call"}


def _permission_gaps(w: Workflow) -> list[Fact]:
    """Where a workflow's token gets more than read access without saying so."""
    if w.top_permissions == "write":
        where = Source(path=w.source.path, line=w.top_permissions_line)
        return [Fact(where, f"top-level {w.top_permission_detail}")]
    if w.top_permissions != "absent" or _called_only(w):
        return []
    return [
        Fact(
            j.source,
            f"{j.detail} declares no permissions and the workflow none at the top level "
            "(the token gets the repository default)",
        )
        for j in w.jobs_without_permissions
    ]


@probe("workflow_permissions_least_privilege")
def _permissions(facts: Facts) -> ProbeOutcome:
    """Least privilege: read-only (or no) top-level permissions, or, without a top-level
    block, a permissions block on every job. Job-level write permissions are allowed where a
    job needs them and shown as warnings (OSPS-AC-04, Scorecard Token-Permissions)."""
    out = workflow_check(
        facts,
        _permission_gaps,
        "every workflow limits the token: read-only top-level permissions or permissions on "
        "every job",
        "workflows where the token keeps the repository's default permissions",
    )
    if out.status not in (ProbeStatus.PASS, ProbeStatus.FAIL):
        return out
    warnings = [
        Fact(f.source, f"warning: {f.detail} (job-level write permission)")
        for w in github_workflows(facts)
        for f in w.job_writes
    ]
    if not warnings:
        return out
    # the failures first, then the warnings (shown whether or not the probe fails)
    evidence = (
        evidence_of(warnings) + out.evidence
        if out.status == ProbeStatus.PASS
        else (out.evidence + evidence_of(warnings))[:MAX_EVIDENCE]
    )
    return out.model_copy(
        update={
            "message": f"{out.message}; {counted(len(warnings), 'job-level write permission')}",
            "evidence": evidence,
        }
    )


@probe("no_dangerous_workflow_triggers")
def _dangerous(facts: Facts) -> ProbeOutcome:
    return workflow_check(
        facts,
        lambda w: w.untrusted_checkouts,
        "no privileged workflow checks out untrusted code",
        "privileged workflows check out untrusted pull-request code",
    )


@probe("no_script_injection")
def _injection(facts: Facts) -> ProbeOutcome:
    return workflow_check(
        facts,
        lambda w: w.script_injections,
        "no untrusted event data interpolated into scripts",
        "untrusted event data interpolated into scripts (script injection)",
    )


@probe("no_secrets_in_untrusted_workflows")
def _secrets_untrusted(facts: Facts) -> ProbeOutcome:
    return workflow_check(
        facts,
        lambda w: w.secrets_after_untrusted_checkout,
        "no secrets exposed to untrusted code",
        "secrets available to jobs that run untrusted pull-request code",
    )
