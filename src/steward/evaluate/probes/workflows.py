"""GitHub Actions workflow safety probes: token permissions, dangerous triggers, script
injection, secrets in reach of untrusted code."""

from __future__ import annotations

from steward.collect.facts import Facts, Workflow
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    probe,
    workflow_check,
)


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

    return workflow_check(
        facts,
        bad,
        "workflows declare read-only top-level permissions",
        "workflows without read-only top-level permissions",
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
