"""Dependency hygiene probes."""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import dependencies, fact, make_facts, run


def test_manifests_and_lockfiles() -> None:
    locked = make_facts(
        dependencies=dependencies(
            manifests=(fact("pyproject.toml", None, "manifest pyproject.toml"),),
            lockfiles=(fact("uv.lock", None, "lockfile uv.lock"),),
        )
    )
    assert run("dependency_manifest_present", locked).status == ProbeStatus.PASS
    assert run("lockfiles_present", locked).status == ProbeStatus.PASS
    unlocked = make_facts(
        dependencies=dependencies(
            manifests=(fact("package.json"),), unlocked_manifests=(fact("package.json"),)
        )
    )
    assert run("lockfiles_present", unlocked).status == ProbeStatus.FAIL
    assert run("lockfiles_present", make_facts()).status == ProbeStatus.NOT_APPLICABLE


def test_no_manifest_is_not_applicable_only_without_packaged_source_code() -> None:
    reason = "no source code in a language with a package manager (shell scripts ...)"
    shell = make_facts(dependencies=dependencies(no_package_ecosystem=reason))
    out = run("dependency_manifest_present", shell)
    assert out.status == ProbeStatus.NOT_APPLICABLE and "package manager" in out.message
    assert run("dependency_manifest_present", make_facts()).status == ProbeStatus.FAIL
    # a manifest found wins over the reason (it cannot be both; the manifest is evidence)
    both = make_facts(
        dependencies=dependencies(manifests=(fact("cpanfile"),), no_package_ecosystem=reason)
    )
    assert run("dependency_manifest_present", both).status == ProbeStatus.PASS
