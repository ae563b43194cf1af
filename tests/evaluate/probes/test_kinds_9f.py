"""Kinds the ninth blind round (held-out-9f: hobby and single-maintainer projects in Lua, Go
and JavaScript) showed, each on a small self-written fixture:

- ``dependencies_pinned`` passed on a lockfile alone ("build and CI dependencies are
  pinned" for a Go module with no CI, whose go.mod requires nothing): only what is read for
  pins counts as checked (CI workflows, Dockerfiles, the lines of requirements files); with
  none of them the probe is not applicable, and with only a CI it does not read, unknown;
- a Go package without a package comment whose every exported function and type is
  documented has its API reference on pkg.go.dev (likewise a Rust crate's public items with
  ``///`` on docs.rs): user documentation, a weaker sign read only when nothing stronger is
  found (a false level-1 fail of ``user_documentation_present`` before);
- a drop-in library (one Lua file, a header-only C library) has nothing to build: the README
  sentence telling to copy its file into a project is its build instruction (a false fail
  of ``build_instructions_documented`` before).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

GO_MOD = "module example.org/home\n\ngo 1.21\n"


def _judge(probe: str, root: Path) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" for e in out.evidence if e.line]


# ------------------------------------------------------------- dependencies_pinned


def test_a_lockfile_alone_is_no_pinned_build_dependency(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": GO_MOD, "home.go": "package home\n"})
    assert _judge("dependencies_pinned", tmp_path)[0] == "not-applicable"
    write(tmp_path, {"go.mod": GO_MOD + "\nrequire golang.org/x/sys v0.28.0\n",
                     "go.sum": "golang.org/x/sys v0.28.0 h1:abc=\n"})  # fmt: skip
    assert _judge("dependencies_pinned", tmp_path)[0] == "not-applicable"
    # lockfiles_present still judges them
    assert _judge("lockfiles_present", tmp_path)[0] == "pass"


def test_requirements_lines_are_still_checked_without_ci(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[project]\nname = "w"\n',
                     "docs/requirements.txt": "sphinx==8.1.0\n"})  # fmt: skip
    assert _judge("dependencies_pinned", tmp_path)[0] == "pass"
    write(tmp_path, {"docs/requirements.txt": "sphinx==8.1.0\nfuro>=2024\n"})
    assert _judge("dependencies_pinned", tmp_path) == ("fail", ["docs/requirements.txt:2"])


JENKINS = "pipeline { stages { stage('t') { steps { sh 'make' } } } }\n"


def test_only_a_ci_that_is_not_read_leaves_pins_unknown(tmp_path: Path) -> None:
    write(tmp_path, {"Cargo.toml": '[package]\nname = "w"\n', "Cargo.lock": "version = 3\n",
                     "src/lib.rs": "pub fn f() {}\n",
                     "Jenkinsfile": JENKINS})  # fmt: skip
    out = run_probe("dependencies_pinned", collect_facts(tmp_path))
    assert out.status.value == "unknown"
    assert "Jenkins" in out.message


def test_a_workflow_is_still_checked(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: go test ./...\n"
    )
    write(tmp_path, {"go.mod": GO_MOD, "home.go": "package home\n",
                     ".github/workflows/ci.yml": wf})  # fmt: skip
    assert _judge("dependencies_pinned", tmp_path)[0] == "pass"


# ------------------------------------------------- documented exported API (Go, Rust)

GO_API = """\
package home

// DisableCache turns the cache off.
var DisableCache bool

// Dir returns the home directory of the user running the program.
//
// It asks the operating system when $HOME is not set.
func Dir() (string, error) { return "", nil }

// Expand replaces a leading ~ in path by the home directory.
func Expand(path string) (string, error) { return path, nil }

func helper() {}
"""


def test_every_exported_go_function_documented_is_user_documentation(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": GO_MOD, "home.go": GO_API, "home_test.go": "package home\n",
                     "README.md": "# home\n\nFinds the home directory without cgo.\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path) == ("pass", ["home.go:6", "home.go:11"])


def test_an_undocumented_export_or_a_lone_one_is_no_documentation(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": GO_MOD, "README.md": "# home\n\nFinds it.\n",
                     "home.go": GO_API + "\nfunc Reset() {}\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path)[0] == "fail"
    write(tmp_path, {"home.go": "package home\n\n// Dir returns the home directory.\n"
                                "func Dir() string { return \"\" }\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path)[0] == "fail"
    # a directive or a one-word comment is no documentation
    write(tmp_path, {"home.go": "package home\n\n//go:noinline\nfunc Dir() {}\n\n// Expand.\n"
                                "func Expand() {}\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path)[0] == "fail"


def test_a_readme_section_is_still_the_evidence(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": GO_MOD, "home.go": GO_API,
                     "README.md": "# home\n\n## Usage\n\nCall Dir.\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path) == ("pass", ["README.md:3"])


def test_documented_public_rust_items_are_user_documentation(tmp_path: Path) -> None:
    lib = (
        "/// Reads the whole file into a string.\n#[inline]\npub fn read(p: &str) -> String "
        "{ String::new() }\n\n/// A buffer that grows on demand.\npub struct Buf;\n\nfn x() {}\n"
    )
    write(tmp_path, {"Cargo.toml": '[package]\nname = "rd"\n', "src/lib.rs": lib,
                     "README.md": "# rd\n\nReads.\n"})  # fmt: skip
    assert _judge("user_documentation_present", tmp_path) == (
        "pass", ["src/lib.rs:1", "src/lib.rs:5"],
    )  # fmt: skip
    write(tmp_path, {"src/lib.rs": lib + "pub enum Mode { A }\n"})
    assert _judge("user_documentation_present", tmp_path)[0] == "fail"


# --------------------------------------------------------- drop-in library build


@pytest.mark.parametrize(
    "sentence",
    [
        "The [tiny.lua](tiny.lua?raw=1) file should be dropped into an existing project\n"
        "and required by it:",
        "Just copy `tiny.lua` into your source tree.",
    ],
)
def test_copying_the_library_into_a_project_is_its_build(tmp_path: Path, sentence: str) -> None:
    readme = (
        f"# tiny\n\nA small library.\n\n## Usage\n{sentence}\n```lua\nt = require 'tiny'\n```\n"
    )
    write(tmp_path, {"tiny.lua": "return {}\n", "README.md": readme})
    assert _judge("build_instructions_documented", tmp_path) == ("pass", ["README.md:6"])


@pytest.mark.parametrize(
    "readme",
    [
        # names a file the tree does not have at its top
        "# tiny\n\nCopy `other.lua` into your project.\n",
        # copies something that is no source file of the library
        "# tiny\n\nCopy the example configuration into your project.\n",
        # inside a code block, not prose
        "# tiny\n\n```\ncopy tiny.lua into your project\n```\n",
        # names the file, but says nothing of copying it anywhere
        "# tiny\n\ntiny.lua is used by many projects.\n",
    ],
)
def test_other_sentences_are_no_build_instructions(tmp_path: Path, readme: str) -> None:
    write(tmp_path, {"tiny.lua": "return {}\n", "README.md": readme})
    assert _judge("build_instructions_documented", tmp_path)[0] == "fail"


def test_a_build_file_stays_the_evidence(tmp_path: Path) -> None:
    write(tmp_path, {"tiny.lua": "return {}\n", "Makefile": "all:\n\ttrue\n",
                     "README.md": "# tiny\n\nCopy tiny.lua into your project.\n"})  # fmt: skip
    out = run_probe("build_instructions_documented", collect_facts(tmp_path))
    assert [e.source for e in out.evidence] == ["Makefile"]
