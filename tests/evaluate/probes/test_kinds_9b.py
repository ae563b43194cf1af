"""Kinds the ninth blind round (held-out-9b: Rust crates) showed in the probes' evidence, each
with a small self-written fixture: Cargo's ``include``/``exclude`` lists located in the
``[package]`` table, not at the first place the word occurs (a comment, the workspace's own
``exclude``), and a crate that carries the policy shown at its ``[package]`` header, saying
what its ``exclude`` list leaves in."""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

POLICY = "# Security policy\n\nReport vulnerabilities privately to security@widget.example.\n"


def _locations(root: Path, files: dict[str, str | bytes]) -> tuple[str, list[str]]:
    write(root, files)
    outcome = run_probe("policy_in_distributed_source", collect_facts(root))
    return outcome.status.value, [f"{e.path}:{e.line}" for e in outcome.evidence if e.line]


def test_a_crate_that_carries_the_policy_is_shown_at_its_package_header(tmp_path: Path) -> None:
    cargo = (
        "# [package] of the widget crate\n# exclude nothing the users need\n[package]\n"
        'name = "widget"\nversion = "0.1.0"\nexclude = ["/.*", "/ci"]\n\n[dependencies]\n'
    )
    write(tmp_path / "a", {"SECURITY.md": POLICY, "Cargo.toml": cargo})
    outcome = run_probe("policy_in_distributed_source", collect_facts(tmp_path / "a"))
    crate = [e for e in outcome.evidence if e.path == "Cargo.toml"]
    assert outcome.status.value == "pass" and [e.line for e in crate] == [3]
    assert "exclude ['/.*', '/ci'] leaves SECURITY.md in" in crate[0].detail
    # the same list naming the policy leaves it out: a fail, at the same line
    status, where = _locations(
        tmp_path / "b",
        {"SECURITY.md": POLICY, "Cargo.toml": cargo.replace('"/ci"', '"/SECURITY.md"')},
    )
    assert status == "fail" and where == ["Cargo.toml:6"]
    # without a list, the package itself is the evidence
    bare = '[package]\nname = "widget"\nversion = "0.1.0"\n'
    status, where = _locations(tmp_path / "c", {"SECURITY.md": POLICY, "Cargo.toml": bare})
    assert status == "pass" and "Cargo.toml:1" in where


def test_an_include_list_is_found_in_the_package_table(tmp_path: Path) -> None:
    cargo = (
        '# include only what users need\n[workspace]\nmembers = ["cli"]\nexclude = ["scratch"]\n\n'
        '[package]\nname = "widget"\nversion = "0.1.0"\ninclude = ["src/**"]\n'
    )
    status, where = _locations(tmp_path, {"SECURITY.md": POLICY, "Cargo.toml": cargo})
    assert status == "fail" and where == ["Cargo.toml:9"]
