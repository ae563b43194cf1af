"""Counts in probe messages agree with their nouns ("1 manifest without a lockfile", not "1
manifests"; "1 person committed", not "1 person(s)"), as two blind-round helpers (held-out-15f,
-15h) read them."""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from steward.evaluate.probes.base import counted
from tests.collect.gitrepo import write


def test_counted_agrees_in_number() -> None:
    assert counted(1, "manifest") == "1 manifest"
    assert counted(0, "manifest") == "0 manifests"
    assert counted(2, "person", "people") == "2 people"
    assert counted(1, "published advisory", "published advisories") == "1 published advisory"


def test_one_unlocked_manifest_is_named_in_the_singular(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "w", "dependencies": {"left-pad": "^1.3.0"}}\n'})
    out = run_probe("lockfiles_present", collect_facts(tmp_path))
    assert out.status.value == "fail"
    assert out.message.startswith("1 manifest without a lockfile")


def test_one_binary_artifact_is_named_in_the_singular(tmp_path: Path) -> None:
    write(tmp_path, {"lib/widget.jar": b"PK\x03\x04\x00\x00binary\x00\x01\x02"})
    out = run_probe("no_binary_artifacts", collect_facts(tmp_path))
    assert (out.status.value, out.message) == ("fail", "1 binary artifact in the tree")
