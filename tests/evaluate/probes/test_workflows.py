"""Token permissions and dangerous workflow probes."""

from __future__ import annotations

from steward.collect.facts import Source, Workflow
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import fact, make_facts, run

WF = ".github/workflows/ci.yml"


def _wf(**kw: object) -> Workflow:
    return Workflow(source=Source(path=WF), system="github", **kw)  # type: ignore[arg-type]


def test_every_job_with_permissions_is_least_privilege_with_write_warnings() -> None:
    wf = _wf(
        triggers=("push",),
        top_permissions="absent",
        job_writes=(fact(WF, 12, "job release: contents: write"),),
    )
    out = run("workflow_permissions_least_privilege", make_facts(workflows=(wf,)))
    assert out.status == ProbeStatus.PASS
    assert "repository default" not in out.message
    assert out.evidence[0].line == 12 and out.evidence[0].detail.startswith("warning: ")


def test_jobs_without_permissions_fail_at_their_lines() -> None:
    wf = _wf(
        triggers=("push",),
        top_permissions="absent",
        jobs_without_permissions=(fact(WF, 8, "job build"),),
    )
    out = run("workflow_permissions_least_privilege", make_facts(workflows=(wf,)))
    assert out.status == ProbeStatus.FAIL and out.evidence[0].line == 8
    write = _wf(
        triggers=("push",),
        top_permissions="write",
        top_permissions_line=4,
        top_permission_detail="contents: write",
    )
    out = run("workflow_permissions_least_privilege", make_facts(workflows=(write,)))
    assert out.status == ProbeStatus.FAIL and out.evidence[0].line == 4


def test_job_write_warnings_shown_when_another_workflow_fails() -> None:
    # held-out-6 (bbolt): stale.yaml grants write at the top level, and another workflow's
    # job-level actions write is still shown, after the failure, as a warning
    failing = _wf(
        triggers=("schedule",),
        top_permissions="write",
        top_permissions_line=6,
        top_permission_detail="issues: write",
    )
    approve = Workflow(
        source=Source(path=".github/workflows/approve.yml"),
        system="github",
        triggers=("pull_request_target",),
        top_permissions="read",
        job_writes=(fact(".github/workflows/approve.yml", 19, "job approve: actions: write"),),
    )
    out = run("workflow_permissions_least_privilege", make_facts(workflows=(failing, approve)))
    assert out.status == ProbeStatus.FAIL
    assert [(e.source, e.line) for e in out.evidence] == [
        (WF, 6),
        (".github/workflows/approve.yml", 19),
    ]
    assert out.evidence[1].detail.startswith("warning: ")


def test_reusable_workflow_takes_the_callers_permissions() -> None:
    wf = _wf(
        triggers=("workflow_call",),
        top_permissions="absent",
        jobs_without_permissions=(fact(WF, 5, "job test"),),
    )
    out = run("workflow_permissions_least_privilege", make_facts(workflows=(wf,)))
    assert out.status == ProbeStatus.PASS


def test_untrusted_checkout_fails_with_its_line() -> None:
    wf = _wf(
        triggers=("pull_request_target",),
        untrusted_checkouts=(fact(WF, 16, "job merge checks out refs/pull/.../merge"),),
    )
    out = run("no_dangerous_workflow_triggers", make_facts(workflows=(wf,)))
    assert out.status == ProbeStatus.FAIL and out.evidence[0].line == 16
