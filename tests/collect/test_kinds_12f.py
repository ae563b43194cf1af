"""Kinds the twelfth blind round's held-out-12f part (rxi/microui, mattn/go-shellwords,
sindresorhus/ora) showed, each on a small self-written fixture: a README sentence saying that
bug reports are welcome, which names no way to make one, and a drop-in C library whose build
is shown only by its example program's build script."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from steward.evaluate.model import ProbeStatus
from tests.collect.docsrepo import docs_of as _docs
from tests.evaluate.probes.factsbuilder import make_facts, run


def _lines(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]


WELCOME = (
    "# widget\n\nA tiny widget library.\n\n## Contributing\n"
    "The library is meant to stay small; pull requests adding features\n"
    "will likely not be merged. Bug reports are welcome.\n"
)


def test_bug_reports_said_welcome_are_no_reporting_guide(tmp_path: Path) -> None:
    """microui's README: "Bug reports are welcome." says that they are wanted, not where or
    how to make one: no reporting guide (fail), as "in the form of suggestions, bug reports"."""
    docs = _docs(tmp_path / "a", {"README.md": WELCOME})
    assert docs.bug_reporting == ()
    assert run("bug_reporting_documented", make_facts(docs=docs)).status == ProbeStatus.FAIL
    for sentence in ("We always welcome bug reports.", "Bug reports appreciated!"):
        docs = _docs(tmp_path / sentence[:5], {"README.md": f"# widget\n\n{sentence}\n"})
        assert docs.bug_reporting == (), sentence


def test_bug_reports_welcome_at_a_named_place_still_say_how(tmp_path: Path) -> None:
    """The same welcome with a place or a way on its line still tells how to report."""
    cases = {
        "Bug reports are welcome on [the tracker](https://forge.example.org/widget/issues).": 3,
        "Bug reports are welcome: open an issue with a small example.": 3,
        "Bug reports are welcome at bugs@widget.example.org.": 3,
    }
    for n, (sentence, line) in enumerate(cases.items()):
        docs = _docs(tmp_path / str(n), {"README.md": f"# widget\n\n{sentence}\n"})
        assert _lines(docs.bug_reporting)[:1] == [f"README.md:{line}"], sentence


BUILD_SH = (
    "#!/bin/bash\n\n"
    'CFLAGS="-I../src -Wall -std=c11"\n\n'
    "gcc main.c renderer.c ../src/widget.c $CFLAGS\n"
)
LIBRARY = {
    "README.md": "# widget\n\nA tiny widget library in C.\n\n## Usage\nSee the demo directory.\n",
    "src/widget.c": '#include "widget.h"\nint widget(void) { return 1; }\n',
    "src/widget.h": "int widget(void);\n",
    "demo/main.c": "int main(void) { return 0; }\n",
    "demo/renderer.c": "void render(void) {}\n",
}


def test_an_example_build_script_compiling_the_library_is_its_build(tmp_path: Path) -> None:
    """microui's demo/build.sh compiles ``../src/microui.c`` with the demo: how the library is
    built into a program, the only build the tree shows (its README has no drop-in sentence)."""
    docs = _docs(tmp_path, {**LIBRARY, "demo/build.sh": BUILD_SH})
    assert _lines(docs.build_instructions) == ["demo/build.sh:5"]
    out = run("build_instructions_documented", make_facts(docs=docs))
    assert out.status == ProbeStatus.PASS


def test_example_build_scripts_that_are_not_the_librarys_build(tmp_path: Path) -> None:
    """An example build compiling only its own files, a build script outside an example
    directory, or any build beside a root build file, is not taken for the library's."""
    own = "#!/bin/sh\ngcc main.c renderer.c -o demo\n"
    docs = _docs(tmp_path / "a", {**LIBRARY, "demo/build.sh": own})
    assert docs.build_instructions == ()
    assert run("build_instructions_documented", make_facts(docs=docs)).status == ProbeStatus.FAIL
    docs = _docs(tmp_path / "b", {**LIBRARY, "tools/gen/build.sh": BUILD_SH})
    assert docs.build_instructions == ()
    makefile = "all:\n\tcc -c src/widget.c\n"
    docs = _docs(tmp_path / "c", {**LIBRARY, "demo/build.sh": BUILD_SH, "Makefile": makefile})
    assert _lines(docs.build_instructions) == ["Makefile:None"]
