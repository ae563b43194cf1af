"""Kinds the ninth blind round (held-out-9b: Rust crates) showed in the probes' evidence, each
with a small self-written fixture: a package that carries the security policy because the
list that could leave it out (Cargo's ``exclude``, ``.npmignore``) does not name it is shown
at that list, the line a maintainer checks, not at the manifest's first line."""

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


def test_a_cargo_exclude_list_that_leaves_the_policy_in_is_the_evidence(tmp_path: Path) -> None:
    cargo = (
        "[package]\n# exclude nothing the users need\nname = \"widget\"\nversion = \"0.1.0\"\n"
        "exclude = [\"/.*\", \"/ci\"]\n\n[dependencies]\n"
    )
    status, where = _locations(tmp_path / "a", {"SECURITY.md": POLICY, "Cargo.toml": cargo})
    assert status == "pass" and "Cargo.toml:5" in where and "Cargo.toml:1" not in where
    # the same list naming the policy leaves it out: a fail, at the same line
    status, where = _locations(
        tmp_path / "b",
        {"SECURITY.md": POLICY, "Cargo.toml": cargo.replace('"/ci"', '"/SECURITY.md"')},
    )
    assert status == "fail" and where == ["Cargo.toml:5"]
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


def test_an_npmignore_that_leaves_the_policy_in_is_the_evidence(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "SECURITY.md": POLICY,
        "package.json": '{\n  "name": "widget",\n  "version": "1.0.0"\n}\n',
        ".npmignore": "test/\n*.log\n",
    }
    status, where = _locations(tmp_path, files)
    assert status == "pass" and ".npmignore:1" in where and "package.json:1" not in where
