"""Kinds the ninth blind round (held-out-9b: Rust crates) showed, each with a small
self-written fixture: a README section on the toolchain's minimum version taken for a support
policy of the project's releases."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from tests.collect.docsrepo import docs_of as _docs


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def _readme(heading: str, body: str) -> str:
    return f"# widget\n\nA small library.\n\n### {heading}\n\n{body}\n\n### License\n\nMIT.\n"


MSRV_BODY = (
    "This crate's minimum supported `rustc` version is `1.60.0`.\n\n"
    "The minimum Rust version can be increased in minor version updates: if widget 1.0\n"
    "requires Rust 1.20.0, widget 1.0.z for all z also requires Rust 1.20.0 or newer."
)


def test_a_toolchain_version_policy_is_no_support_policy(tmp_path: Path) -> None:
    for number, heading in enumerate(
        (
            "Minimum Rust version policy",
            "MSRV policy",
            "Python version support",
            "Node.js version policy",
            "Compiler version support",
        )
    ):
        docs = _docs(tmp_path / str(number), {"README.md": _readme(heading, MSRV_BODY)})
        assert docs.support_policy == (), heading


def test_a_toolchain_heading_that_says_what_releases_get_is_a_support_policy(
    tmp_path: Path,
) -> None:
    body = MSRV_BODY + "\n\nSecurity fixes are backported to the previous minor release."
    docs = _docs(tmp_path / "a", {"README.md": _readme("MSRV and version policy", body)})
    assert _at(docs.support_policy) == ["README.md:5"]
    # a heading on the project's own versions is taken as it is
    plain = _readme("Version policy", "We follow semantic versioning.")
    assert _at(_docs(tmp_path / "b", {"README.md": plain}).support_policy) == ["README.md:5"]
