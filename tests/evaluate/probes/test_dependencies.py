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
