"""Kinds the sixteenth blind round's held-out-16b part (dtolnay/quote, rust-lang/cfg-if:
Rust crates) showed, on small self-written fixtures:

- a README heading that names the compiler only as where the library's output goes or its
  input comes from ("Returning tokens to the compiler", a procedural-macro helper's README)
  is about using the library, not building the project: it is no build section, while
  "Compiling", "Supported compilers" and "Passing flags to the compiler" still are.
"""

from __future__ import annotations

from pathlib import Path

from tests.collect.docsrepo import docs_of as _docs


def _where(findings: tuple[object, ...] | list[object]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]  # type: ignore[attr-defined]


def test_heading_naming_the_compiler_as_recipient_is_no_build_section(tmp_path: Path) -> None:
    """quote's "Returning tokens to the compiler": a procedural macro hands the tokens the
    library made back to the compiler (its text names main.rs and build.rs as places to use
    it); the build is Cargo.toml's, not that section."""
    readme = (
        "widget\n======\n\nA token library.\n\n"
        "## Returning tokens to the compiler\n\n"
        "Convert the output with `tokens.into()`; it works in main.rs and build.rs too.\n\n"
        "## Messages from the compiler\n\nSpans point at the caller.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme, "Cargo.toml": "[package]\n"})
    found = _where(docs.build_instructions)
    assert "README.md:6" not in found
    assert "README.md:10" not in found
    assert any(f.source.path == "Cargo.toml" for f in docs.build_instructions)


def test_headings_on_compiling_or_compiler_settings_are_still_build_sections(
    tmp_path: Path,
) -> None:
    """Compiling the project, the compilers that build it and the flags passed to the
    compiler are build instructions."""
    readme = (
        "widget\n======\n\nA C library.\n\n"
        "## Compiling\n\nRun `make`.\n\n"
        "## Supported compilers\n\nGCC 9 or newer.\n\n"
        "## Passing flags to the compiler\n\nSet CFLAGS before `make`.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme})
    found = _where(docs.build_instructions)
    assert "README.md:6" in found
    assert "README.md:10" in found
    assert "README.md:14" in found
