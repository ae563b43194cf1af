"""Kinds the twelfth blind round (held-out-12b: seanmonstar/httparse, rust-lang/futures-rs,
RustCrypto/hashes) showed, on small self-written fixtures: a virtual Cargo workspace whose
crates each keep the project's documents in their own directories.

- Licence files beside each member package and none at the root are the project's licence
  files (``license_file_present`` was a false level-1 fail).
- Changelogs beside each member package are the project's changelog (``changelog_present``
  failed and ``release_notes_present`` was unknown).
- A security policy kept only at the root of a virtual workspace goes into none of the
  crates cargo publishes from the member directories (``policy_in_distributed_source``
  passed on the git archive alone); a workspace with a root package is judged by that crate.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.collect.tree import walk
from steward.collect.workspaces import cargo_virtual_workspace, workspace_members
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

MIT = (
    "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"
    'of this software and associated documentation files (the "Software"), to deal\n'
    "in the Software without restriction, including without limitation the rights\n"
    "to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
    "copies of the Software, and to permit persons to whom the Software is\n"
    "furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all\n"
    "copies or substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n'
    "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
    "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n"
)
POLICY = (
    "# Security Policy\n\n## Reporting a Vulnerability\n\nPlease report it privately at "
    "https://github.com/example/digests/security/advisories/new.\n"
)


def _crate(name: str, extra: str = "") -> str:
    return (
        f'[package]\nname = "{name}"\nversion = "0.2.0"\nlicense = "MIT"\n'
        f'readme = "README.md"\n{extra}'
    )


def _workspace(root: Path, extra: dict[str, str] | None = None) -> None:
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["alpha", "beta", "testing/harness"]\n',
        "README.md": "# Digests\n\nHash functions.\n",
        "SECURITY.md": POLICY,
        "alpha/Cargo.toml": _crate("alpha"),
        "alpha/LICENSE-MIT": MIT,
        "alpha/README.md": "# alpha\n\nThe alpha hash.\n",
        "alpha/CHANGELOG.md": "# Changelog\n\n## 0.2.0 (2026-01-02)\n- First release.\n",
        "alpha/src/lib.rs": "//! The alpha hash.\npub fn alpha() {}\n",
        "beta/Cargo.toml": _crate("beta"),
        "beta/LICENSE-MIT": MIT,
        "beta/README.md": "# beta\n\nThe beta hash.\n",
        "beta/CHANGELOG.md": "# Changelog\n\n## 0.2.0 (2026-01-02)\n- First release.\n",
        "beta/src/lib.rs": "//! The beta hash.\npub fn beta() {}\n",
        # a test crate is a member too, but not one of the project's packages
        "testing/harness/Cargo.toml": _crate("harness", "publish = false\n"),
        "testing/harness/LICENSE-MIT": MIT,
        "testing/harness/src/lib.rs": "pub fn harness() {}\n",
    }
    write(root, {**files, **(extra or {})})


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


def test_workspace_members_are_read_from_the_root_manifests(tmp_path: Path) -> None:
    _workspace(tmp_path)
    write(tmp_path, {
        "package.json": '{"private": true, "workspaces": ["packages/*"]}\n',
        "packages/web/package.json": '{"name": "web"}\n',
        "packages/notes.txt": "not a package\n",
    })  # fmt: skip
    tree = walk(tmp_path)
    # testing/ is a test directory: its crate is not one of the project's packages
    assert workspace_members(tree) == ["alpha", "beta", "packages/web"]
    assert cargo_virtual_workspace(tree)


def test_licence_files_beside_each_member_are_the_projects(tmp_path: Path) -> None:
    _workspace(tmp_path)
    status, evidence = _outcome(tmp_path, "license_file_present")
    assert status == "pass"
    assert evidence == ["alpha/LICENSE-MIT", "beta/LICENSE-MIT"]
    assert _outcome(tmp_path, "license_osi_approved")[0] == "pass"


def test_a_root_licence_is_still_the_only_one_read(tmp_path: Path) -> None:
    _workspace(tmp_path, {"LICENSE": MIT})
    assert _outcome(tmp_path, "license_file_present") == ("pass", ["LICENSE"])


def test_no_licence_file_anywhere_still_fails(tmp_path: Path) -> None:
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["alpha"]\n',
        "alpha/Cargo.toml": _crate("alpha"),
        "alpha/src/lib.rs": "pub fn alpha() {}\n",
        # a licence file of a directory that is no member is not the project's
        "scratch/LICENSE": MIT,
    })  # fmt: skip
    assert _outcome(tmp_path, "license_file_present")[0] == "fail"


def test_changelogs_beside_each_member_are_the_projects_changelog(tmp_path: Path) -> None:
    _workspace(tmp_path)
    status, evidence = _outcome(tmp_path, "changelog_present")
    assert status == "pass"
    assert evidence == ["alpha/CHANGELOG.md", "beta/CHANGELOG.md"]


def test_a_root_policy_goes_into_no_crate_of_a_virtual_workspace(tmp_path: Path) -> None:
    _workspace(tmp_path)
    status, evidence = _outcome(tmp_path, "policy_in_distributed_source")
    assert status == "fail"
    # each published member crate, at its [package] table; the unpublished harness left out
    assert evidence == ["alpha/Cargo.toml:1", "beta/Cargo.toml:1"]


def test_a_member_carrying_or_pointing_to_the_policy_passes(tmp_path: Path) -> None:
    _workspace(tmp_path, {
        "alpha/SECURITY.md": POLICY,
        "beta/README.md": "# beta\n\nSecurity: see https://github.com/example/digests/security\n",
    })  # fmt: skip
    assert _outcome(tmp_path, "policy_in_distributed_source")[0] == "pass"


def test_a_member_excluding_its_policy_leaves_it_out(tmp_path: Path) -> None:
    _workspace(tmp_path, {
        "alpha/Cargo.toml": _crate("alpha", 'exclude = ["SECURITY.md"]\n'),
        "alpha/SECURITY.md": POLICY,
        "beta/SECURITY.md": POLICY,
    })  # fmt: skip
    status, evidence = _outcome(tmp_path, "policy_in_distributed_source")
    assert (status, evidence) == ("fail", ["alpha/Cargo.toml:1"])


def test_a_workspace_with_a_root_package_is_judged_by_its_crate(tmp_path: Path) -> None:
    _workspace(tmp_path, {
        "Cargo.toml": '[package]\nname = "digests"\nversion = "1.0.0"\nlicense = "MIT"\n\n'
        '[workspace]\nmembers = ["alpha", "beta"]\n',
        "src/lib.rs": "pub fn digests() {}\n",
    })  # fmt: skip
    assert _outcome(tmp_path, "policy_in_distributed_source")[0] == "pass"
