"""Kinds met in the held-out-8b blind round (dtolnay/thiserror, rust-random/getrandom,
tokio-rs/bytes), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where

# -- link reference definitions at the end of a README are not prose of its last section

INBOUND = (
    "Unless you explicitly state otherwise, any contribution intentionally submitted\n"
    "for inclusion in the work by you, as defined in the Apache-2.0 license, shall be\n"
    "dual licensed as above, without any additional terms or conditions.\n"
)
BADGES = (
    "\n[//]: # (badges)\n\n"
    "[CI]: https://github.com/o/widget/actions?query=branch:main\n"
    "[Build Status]: https://github.com/o/widget/actions/workflows/tests.yml/badge.svg\n"
    "[#12]: https://github.com/o/widget/pull/12\n"
    "[upstream]: https://github.com/o/other/issues/3\n"
)


def test_link_definitions_after_an_inbound_licence_clause_make_no_guide(tmp_path: Path) -> None:
    readme = "# widget\n\nA crate.\n\n## License\n\nMIT or Apache-2.0.\n\n### Contribution\n\n"
    out = judge(tmp_path, {"README.md": readme + INBOUND + BADGES}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "fail"


def test_rest_link_targets_after_an_inbound_licence_clause_make_no_guide(tmp_path: Path) -> None:
    readme = (
        "widget\n======\n\nA crate.\n\nContribution\n------------\n\n" + INBOUND + "\n"
        ".. _tests: https://github.com/o/widget/actions/workflows/tests.yml\n"
        ".. |ci| image:: https://github.com/o/widget/actions/workflows/tests.yml/badge.svg\n"
    )
    out = judge(tmp_path, {"README.rst": readme}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "fail"


def test_a_process_in_the_section_still_makes_a_guide_beside_definitions(tmp_path: Path) -> None:
    readme = (
        "# widget\n\n### Contribution\n\nOpen an issue, then send a pull request.\n\n"
        + INBOUND
        + BADGES
    )
    out = judge(tmp_path, {"README.md": readme}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "pass"
    assert where(out["contributing_guide_present"]) == ["README.md:3"]


# -- a period asked of the reporter ("at least 90 days ... before public exposure") is an
#    embargo, not a time to respond


@pytest.mark.parametrize(
    "sentence",
    [
        "Please give us at least 90 days to work on a fix before public exposure.",
        "Please allow a minimum of 30 days for a patch before disclosure.",
        "Give us no less than 60 days to fix the issue before you disclose it.",
    ],
)
def test_a_floor_before_disclosure_is_no_response_timeframe(tmp_path: Path, sentence: str) -> None:
    policy = (
        "# Security Policy\n\n## Reporting a Vulnerability\n\nPlease report it privately at "
        "[security advisory](https://github.com/o/widget/security/advisories/new).\n\n"
        f"{sentence}\n"
    )
    out = judge(tmp_path, {"SECURITY.md": policy}, "security_policy_response_timeframe")
    assert out["security_policy_response_timeframe"].status.value == "fail"


@pytest.mark.parametrize(
    "sentence",
    [
        "We will acknowledge your report within 3 business days.",
        "Please allow up to 14 days for a fix.",
        "We aim to release a fix within 30 days.",
    ],
)
def test_a_commitment_is_still_a_response_timeframe(tmp_path: Path, sentence: str) -> None:
    policy = f"# Security Policy\n\nE-mail security@widget.example.\n\n{sentence}\n"
    out = judge(tmp_path, {"SECURITY.md": policy}, "security_policy_response_timeframe")
    assert out["security_policy_response_timeframe"].status.value == "pass"
    assert where(out["security_policy_response_timeframe"]) == ["SECURITY.md:5"]


# -- a manifest whose dependencies all live in the repository has nothing to lock

CRATE = '[package]\nname = "widget"\nversion = "0.1.0"\n\n[dependencies]\ncfg-if = "1"\n'
HARNESS = (
    '[package]\nname = "widget_harness"\nversion = "0.1.0"\npublish = false\n\n[workspace]\n\n'
    '[dependencies]\nwidget = { path = ".." }\n\n[dev-dependencies]\nwidget = { path = ".." }\n'
)


def test_a_harness_crate_with_path_dependencies_needs_no_lockfile(tmp_path: Path) -> None:
    files = {
        "Cargo.toml": CRATE,
        "Cargo.lock": "version = 4\n",
        "src/lib.rs": "",
        "harness/Cargo.toml": HARNESS,
        "harness/src/lib.rs": "",
        "nodeps/Cargo.toml": '[package]\nname = "nodeps"\nversion = "0.1.0"\n\n[workspace]\n',
        "site/package.json": '{"name": "site", "dependencies": {"widget": "file:.."}}',
    }
    out = judge(tmp_path, files, "lockfiles_present", "dependency_manifest_present")
    assert out["lockfiles_present"].status.value == "pass"
    assert out["dependency_manifest_present"].status.value == "pass"


@pytest.mark.parametrize(
    ("table", "spec"),
    [
        ("dependencies", 'serde = "1"'),
        ("dev-dependencies", 'widget = { path = "..", version = "0.1" }\nrand = "0.9"'),
        ("target.'cfg(unix)'.dependencies", 'libc = { version = "0.2" }'),
        ("build-dependencies", 'cc = { git = "https://github.com/o/cc", path = "cc" }'),
        ("dependencies", "serde = { workspace = true }"),
    ],
)
def test_a_crate_with_a_registry_or_git_dependency_still_needs_one(
    tmp_path: Path, table: str, spec: str
) -> None:
    harness = f'[package]\nname = "h"\nversion = "0.1.0"\n\n[workspace]\n\n[{table}]\n{spec}\n'
    files = {"Cargo.toml": CRATE, "Cargo.lock": "version = 4\n", "harness/Cargo.toml": harness}
    out = judge(tmp_path, files, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"
    assert [e.source for e in out["lockfiles_present"].evidence] == ["harness/Cargo.toml"]


def test_a_package_json_with_a_registry_dependency_still_needs_a_lockfile(
    tmp_path: Path,
) -> None:
    manifest = '{"name": "site", "dependencies": {"widget": "file:..", "left-pad": "^1.3.0"}}'
    out = judge(tmp_path, {"package.json": manifest}, "lockfiles_present")
    assert out["lockfiles_present"].status.value == "fail"


# -- a badge image's link definition and a section on building the docs are no user docs


def test_a_badge_image_definition_is_no_documentation_link(tmp_path: Path) -> None:
    readme = (
        "# widget\n\n[![Documentation]][docs.rs]\n\nA crate.\n\n"
        "[docs.rs]: https://docs.rs/widget\n"
        "[Documentation]: https://docs.rs/widget/badge.svg\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    assert out["user_documentation_present"].status.value == "pass"
    assert where(out["user_documentation_present"]) == ["README.md:3"]


@pytest.mark.parametrize(
    "heading",
    ["Building documentation", "Generating the API docs", "Contributing to the docs",
     "Build docs locally"],
)  # fmt: skip
def test_a_section_on_producing_the_docs_is_no_user_documentation(
    tmp_path: Path, heading: str
) -> None:
    readme = (
        f"# widget\n\nA crate.\n\n## {heading}\n\nRun `cargo +nightly doc`.\n\n"
        "## Usage\n\nAdd it to Cargo.toml.\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    assert where(out["user_documentation_present"]) == ["README.md:9"]
