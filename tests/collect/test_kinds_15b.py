"""Kinds the fifteenth blind round's held-out-15b part (dtolnay/syn, rust-lang/regex,
bitflags/bitflags: Rust crates) showed, on small self-written fixtures:

- a README section headed "Hacking" that only says where the code lives is no contribution
  guide: the name alone does not make it one, its text must speak to contributors, as for a
  "Development" section (pytest-dev/pluggy's rule, held-out-11a);
- nor is it build instructions unless its text says how to build;
- a usage section's heading that names compiling ("Usage: Avoid compiling the same regex in a
  loop") is about using the library, not building it;
- a link whose text names the project's internals ("blog on regex internals") points to
  design documentation, as "internal architecture" does.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_docs, collect_insights, collect_policy, design_links
from steward.collect.facts import Docs
from steward.collect.tree import walk
from steward.evaluate.model import ProbeStatus
from tests.collect.gitrepo import write
from tests.evaluate.probes.factsbuilder import make_facts, run


def _docs(root: Path, files: dict[str, str | bytes]) -> Docs:
    write(root, files)
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy)


def _where(findings: tuple[object, ...] | list[object]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


ORIENTATION_ONLY = (
    "widget\n======\n\nA widget library.\n\n"
    "### Usage\n\nAdd `widget` to your `Cargo.toml`.\n\n"
    "### Hacking\n\n"
    "The `widget` crate is a thin wrapper around the `widget-core` crate.\n"
    "If you are looking to work on the internals, look in `widget-core`.\n\n"
    "### License\n\nMIT.\n"
)


def test_hacking_section_that_only_orients_is_no_contribution_guide(tmp_path: Path) -> None:
    """rust-lang/regex's README "Hacking": where the internals live, nothing on how changes
    come in; a heading word alone does not make a contribution guide."""
    docs = _docs(tmp_path / "a", {"README.md": ORIENTATION_ONLY, "Cargo.toml": "[package]\n"})
    assert docs.contributing == ()
    assert run("contributing_guide_present", make_facts(docs=docs)).status == ProbeStatus.FAIL


def test_hacking_section_that_speaks_to_contributors_is_a_guide(tmp_path: Path) -> None:
    """The same heading over text for contributors (pull requests, the test suite) is one."""
    readme = ORIENTATION_ONLY.replace(
        "look in `widget-core`.\n", "look in `widget-core`.\nSend a pull request with a test.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme, "Cargo.toml": "[package]\n"})
    assert _where(docs.contributing) == ["README.md:10"]


def test_hacking_section_without_build_steps_is_no_build_instructions(tmp_path: Path) -> None:
    """regex's "Hacking" names no build step: the build is Cargo.toml's, not the section."""
    docs = _docs(tmp_path / "a", {"README.md": ORIENTATION_ONLY, "Cargo.toml": "[package]\n"})
    assert "README.md:10" not in _where(docs.build_instructions)
    assert "Cargo.toml:1" in _where(docs.build_instructions) or any(
        f.source.path == "Cargo.toml" for f in docs.build_instructions
    )


def test_hacking_section_with_build_steps_is_build_instructions(tmp_path: Path) -> None:
    """A "Hacking" section that says how to build (a command) is build instructions."""
    readme = ORIENTATION_ONLY.replace(
        "look in `widget-core`.\n", "look in `widget-core`.\nBuild it with `cargo build`.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme, "Cargo.toml": "[package]\n"})
    assert "README.md:10" in _where(docs.build_instructions)


def test_usage_heading_naming_compiling_is_no_build_section(tmp_path: Path) -> None:
    """regex's "Usage: Avoid compiling the same regex in a loop" is about using the library
    (compiling a pattern at run time); "Compiling" and "Building from source" still are
    build sections."""
    readme = (
        "widget\n======\n\nA widget library.\n\n"
        "### Usage: avoid compiling the same pattern in a loop\n\nCache it.\n\n"
        "### Compiling\n\nRun `make`.\n\n"
        "### Example: building from source\n\nRun `make install`.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme})
    found = _where(docs.build_instructions)
    assert "README.md:6" not in found
    assert "README.md:10" in found
    assert "README.md:14" in found


def test_link_naming_the_projects_internals_is_a_design_link() -> None:
    """regex's README: "My [blog on regex internals](...) goes into more depth." names the
    design kept elsewhere, as "internal architecture" does; a link to an API item named
    internals is no design document."""
    text = (
        "# widget\n\n### Hacking\n\n"
        "My [blog on widget internals](https://example.org/widget-internals/)\n"
        "goes into more depth.\n\n"
        "See [`internals` module API](https://docs.rs/widget/internals).\n"
    )
    assert _where(design_links("README.md", text)) == ["README.md:5"]
