"""Kinds the fourteenth blind round's held-out-14a part (pypa/readme_renderer, rust-lang/glob)
showed, on a small self-written fixture: a guide's sentence that welcomes bug reports among
other kinds of contribution, wrapped over two lines, names no way to make one."""

from __future__ import annotations

from pathlib import Path

from steward.evaluate.model import ProbeStatus
from tests.collect.docsrepo import docs_of as _docs
from tests.evaluate.probes.factsbuilder import make_facts, run

WRAPPED_WELCOME = (
    "# Contributing\n\n"
    "Thanks for helping. Bug reports, patches, and new features\n"
    "are all welcome.\n\n"
    "## Setup\n\nInstall tox and run `tox -e py`.\n"
)


def test_wrapped_welcome_of_bug_reports_is_no_reporting_guide(tmp_path: Path) -> None:
    """readme_renderer's CONTRIBUTING.md: "Bug reports, fixes, and additions" / "are all
    welcome." is one sentence over two lines; judged whole it says that reports are wanted,
    not where or how (the line alone, cut before "welcome", read as a reporting guide)."""
    docs = _docs(tmp_path / "a", {"CONTRIBUTING.md": WRAPPED_WELCOME})
    assert docs.bug_reporting == ()
    assert run("bug_reporting_documented", make_facts(docs=docs)).status == ProbeStatus.FAIL


def test_wrapped_welcome_with_a_place_or_a_way_still_says_how(tmp_path: Path) -> None:
    """The same wrapped sentence naming a place, or a sentence beside it that says how,
    still tells how to report."""
    cases = (
        "Bug reports, patches, and new features\nare all welcome in the issue tracker.\n",
        "Bug reports, patches, and new features\nare all welcome: open an issue first.\n",
        "Bug reports are welcome. To report a bug, open an issue\nwith a small example.\n",
    )
    for n, text in enumerate(cases):
        docs = _docs(tmp_path / str(n), {"CONTRIBUTING.md": f"# Contributing\n\n{text}"})
        assert [f"{f.source.path}:{f.source.line}" for f in docs.bug_reporting][:1] == [
            "CONTRIBUTING.md:3"
        ], text
