"""Kinds the eleventh blind round (held-out-11b: serde-rs/json, crossbeam-rs/crossbeam,
rust-lang/libc) showed, each with a small self-written fixture: a test command a CI script
keeps in a variable, a job container given by a matrix variable no entry sets, scripts that
virtual-machine actions run, a README sentence saying where the design is described, the end
of a release series said outright, and a changelog judged against the releases in HEAD's
history."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.documents import (
    design_links,
)
from steward.collect.facts import Docs, Finding, Source, Workflow
from steward.collect.git import collect_git
from steward.collect.tree import walk
from steward.evaluate.model import ProbeStatus
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import commit, git, init, write
from tests.evaluate.probes.factsbuilder import make_facts, run

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def _workflows(root: Path, files: dict[str, str | bytes]) -> list[Workflow]:
    write(root, files)
    workflows, _ = collect_workflows(walk(root))
    return workflows


def _lines(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]


WORKFLOW = (
    "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    f"      - uses: actions/checkout@{SHA}\n      - run: ./ci/run.sh ${{{{ matrix.target }}}}\n"
)


def test_a_test_command_kept_in_a_script_variable_is_a_test_run(tmp_path: Path) -> None:
    """libc's ci/run.sh: ``cmd="cargo test --target $target"``, extended in a case branch,
    then run as ``$cmd --no-default-features``; the unquoted variable is split into words."""
    script = (
        '#!/usr/bin/env sh\nset -eux\ntarget="$1"\n'
        'cmd="cargo test --target $target"\n'
        'case "$target" in\n  *wasm*) cmd="$cmd --exclude bench" ;;\nesac\n'
        "$cmd --no-default-features -- --skip style\n"
    )
    (wf,) = _workflows(tmp_path / "a", {".github/workflows/ci.yml": WORKFLOW, "ci/run.sh": script})
    assert _lines(wf.runs_tests) == ["ci/run.sh:8"]
    assert "cargo test" in wf.runs_tests[0].detail
    # a variable the script does not set is left as written: nothing to call a test
    other = "#!/bin/sh\n$RUNNER --no-default-features\n"
    (wf,) = _workflows(tmp_path / "b", {".github/workflows/ci.yml": WORKFLOW, "ci/run.sh": other})
    assert wf.runs_tests == ()
    # the variable holds a build, not a test run
    build = '#!/bin/sh\ncmd="cargo build --release"\n$cmd\n'
    (wf,) = _workflows(tmp_path / "c", {".github/workflows/ci.yml": WORKFLOW, "ci/run.sh": build})
    assert wf.runs_tests == ()


def test_a_container_from_a_matrix_variable_no_entry_sets_is_no_image(tmp_path: Path) -> None:
    """crossbeam's test job: ``container: ${{ matrix.container && fromJSON(...) || '' }}``
    while the one matrix entry with a container is commented out: the job runs on the
    runner, there is no image to pin. A matrix that lists images gives each of them."""
    workflow = (
        "on: [push]\njobs:\n  test:\n    strategy:\n      matrix:\n        include:\n"
        "          - os: ubuntu-latest\n          # - container: debian:13-slim\n"
        "    runs-on: ${{ matrix.os }}\n"
        '    container: ${{ matrix.container && fromJSON(format(\'{{"image":"{0}"}}\','
        " matrix.container)) || '' }}\n"
        f"    steps:\n      - uses: actions/checkout@{SHA}\n"
        "  images:\n    strategy:\n      matrix:\n"
        f"        image: ['alpine:3.20', 'debian@sha256:{'a' * 64}']\n"
        "    runs-on: ubuntu-latest\n    container: ${{ matrix.image }}\n"
        "    steps:\n      - run: make\n"
        "  computed:\n    strategy:\n      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}\n"
        "    runs-on: ubuntu-latest\n    container: ${{ matrix.image }}\n"
        "    steps:\n      - run: make\n"
    )
    (wf,) = _workflows(tmp_path, {".github/workflows/ci.yml": workflow})
    details = [f.detail for f in wf.images]
    assert "container image alpine:3.20" in details
    assert f"container image debian@sha256:{'a' * 64}" in details
    # a matrix computed elsewhere cannot be read: the expression is kept as it is written
    assert "container image ${{ matrix.image }}" in details
    assert not any("matrix.container" in d for d in details)
    unpinned = [f.detail for f in wf.unpinned_images]
    assert unpinned == ["container image alpine:3.20", "container image ${{ matrix.image }}"]


def test_scripts_that_virtual_machine_actions_run_are_read(tmp_path: Path) -> None:
    """libc's FreeBSD/Solaris jobs: vmactions/*-vm runs ``prepare`` (a script that installs
    Rust with ``curl ... | sh``) and ``run`` (the test script) inside the machine."""
    workflow = (
        "on: [push]\njobs:\n  bsd:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - uses: actions/checkout@{SHA}\n"
        f"      - uses: vmactions/freebsd-vm@{SHA}\n        with:\n"
        "          prepare: ./ci/bsd-prepare.sh x86_64-unknown-freebsd\n"
        "          run: |\n            set -ex\n            cargo test --workspace\n"
    )
    prepare = "#!/bin/sh\nset -eux\ncurl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y\n"
    (wf,) = _workflows(
        tmp_path, {".github/workflows/ci.yml": workflow, "ci/bsd-prepare.sh": prepare}
    )
    assert _lines(wf.unpinned_installs) == ["ci/bsd-prepare.sh:3"]
    assert _lines(wf.runs_tests) == [".github/workflows/ci.yml:12"]


def test_a_readme_sentence_that_says_where_the_design_is_described(tmp_path: Path) -> None:
    libc = (
        "# widget\n\nRaw bindings.\n\nMore detailed information about the design of this "
        "library can be found in its\n[associated RFC][rfc].\n\n[rfc]: https://example.org/1.md\n"
    )
    assert _lines(tuple(design_links("README.md", libc))) == ["README.md:6"]
    crossbeam = (
        "# widget\n\n## Contributing\n\nAnother good place to visit is "
        "[merged RFCs](https://example.org/rfcs).\nThey contain elaborate descriptions and "
        "rationale for features we've introduced to widget.\n"
    )
    assert _lines(tuple(design_links("README.md", crossbeam))) == ["README.md:5"]
    # a link whose sentence says nothing of the design, or names another project's design
    plain = (
        "# widget\n\nSee the [changelog](CHANGELOG.md). It lists the changes.\n\n"
        "This crate follows the design of serde. See [the docs](https://docs.rs/widget).\n"
        "Found a bug? [Open an issue](https://example.org/issues). It helps us.\n"
    )
    assert design_links("README.md", plain) == []
    docs = _docs(tmp_path, {"README.md": libc})
    assert _lines(docs.design) == ["README.md:6"]


def test_the_end_of_a_release_series_said_outright_is_a_support_policy(tmp_path: Path) -> None:
    readme = (
        "# widget\n\nBindings.\n\n## Roadmap\n\nTwo branches are active: `main` for the coming "
        "1.0 and `widget-0.3` for the\npublished version.\n\n"
        "We will stop making new v0.3 releases once v1.0 is released.\n\n"
        "## Rust version support\n\nThe minimum supported Rust toolchain is 1.65.\n"
    )
    docs = _docs(tmp_path / "a", {"README.md": readme})
    assert _lines(docs.support_policy) == ["README.md:10"]
    # stopping releases without naming a series is no statement about a series
    vague = "# widget\n\nBindings.\n\nWe may stop making new releases at some point.\n"
    assert _docs(tmp_path / "b", {"README.md": vague}).support_policy == ()


def test_the_changelog_is_judged_against_the_releases_in_heads_history(tmp_path: Path) -> None:
    """libc: main's CHANGELOG.md names 0.2.164 and older; 0.2.189 was released from the
    libc-0.2 branch, whose own changelog names it. The tree at HEAD keeps up with the
    releases of its history, so its changelog is maintained."""
    root = init(tmp_path / "repo")
    commit(
        root, "one", {"CHANGELOG.md": "# Changelog\n\n## 0.2.1\n\n## 0.2.0\n"}, when=1_700_000_000
    )
    git(root, "tag", "0.2.0")
    commit(root, "two", {"src.txt": "a"}, when=1_700_100_000)
    git(root, "tag", "0.2.1")
    git(root, "checkout", "-q", "-b", "widget-0.2")
    for n, when in ((2, 1_700_200_000), (3, 1_700_300_000)):
        commit(root, f"release 0.2.{n}", {"CHANGELOG.md": f"## 0.2.{n}\n"}, when=when)
        git(root, "tag", f"0.2.{n}")
    git(root, "checkout", "-q", "main")
    commit(root, "main moves on", {"src.txt": "b"}, when=1_700_400_000)
    facts, _ = collect_git(root)
    assert facts is not None
    merged = {t.name: t.merged for t in facts.tags}
    assert merged == {"0.2.0": True, "0.2.1": True, "0.2.2": False, "0.2.3": False}
    changelog = Finding(Source(path="CHANGELOG.md"), "changelog")
    docs = Docs(changelog=(changelog,), changelog_versions=frozenset({"0.2.1", "0.2.0"}))
    out = run("changelog_present", make_facts(docs=docs, git=facts))
    assert out.status == ProbeStatus.PASS
    # when git cannot say which tags are in HEAD's history, the newest releases are asked
    unknown = dataclasses.replace(
        facts, tags=tuple(dataclasses.replace(t, merged=None) for t in facts.tags)
    )
    out = run("changelog_present", make_facts(docs=docs, git=unknown))
    assert out.status == ProbeStatus.FAIL and "0.2.3, 0.2.2" in out.message


def test_bug_reports_named_among_welcome_contributions_are_no_reporting_guide(
    tmp_path: Path,
) -> None:
    """crossbeam's README: "welcomes contribution from everyone in the form of suggestions, bug
    reports, pull requests, and feedback" says bug reports are welcome; the list below it
    ("Found a bug or have a feature request? Submit an issue!") says how."""
    readme = (
        "# widget\n\n## Contributing\n\n"
        "Widget welcomes contribution from everyone in the form of suggestions, bug reports, "
        "pull requests, and feedback.\n\n"
        "* Found a bug or have a feature request?\n"
        "  [Submit an issue](https://github.com/example/widget/issues/new)!\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert "README.md:5" not in _lines(docs.bug_reporting)
    assert _lines(docs.bug_reporting)[:1] == ["README.md:8"]  # "Submit an issue"
