"""Document kinds the ninth blind round (held-out-9a: Pallets, PyPA and PSF Python projects)
showed, each on a small self-written fixture: a "developer guide" that is the guide for the
library's users, not its contributors; a design section inside a documentation page; the
repository's forge page named as where bugs go."""

from __future__ import annotations

from pathlib import Path

from steward.collect.facts import Finding
from tests.collect.docsrepo import docs_of as _docs


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [
        f"{f.source.path}:{f.source.line}" if f.source.line else f.source.path or ""
        for f in findings
    ]


_README = "widget\n======\n\nTimes small functions.\n"


def test_developer_guide_for_library_users_is_no_contribution_guide(tmp_path: Path) -> None:
    users = (
        "Widget Developer Guide\n++++++++++++++++++++++\n\n.. toctree::\n\n   examples\n   api\n"
    )
    docs = _docs(tmp_path / "a", {"README.rst": _README, "doc/developer_guide.rst": users})
    assert docs.contributing == ()


def test_developer_guide_for_contributors_still_counts(tmp_path: Path) -> None:
    guide = (
        "Development guide\n=================\n\nClone the repository, install it with\n"
        "``pip install -e .`` and run the test suite before you open a pull request.\n"
    )
    hacking = "Hacking\n=======\n\nNotes.\n"
    docs = _docs(
        tmp_path,
        {"README.rst": _README, "docs/development-guide.md": guide, "docs/hacking.rst": hacking},
    )
    assert sorted(_at(docs.contributing)) == ["docs/development-guide.md", "docs/hacking.rst"]


def test_design_section_inside_a_documentation_page(tmp_path: Path) -> None:
    page = (
        "+++++++++++++\nRun a widget\n+++++++++++++\n\nInstall\n=======\n\npip install widget\n\n"
        "widget architecture\n===================\n\n"
        "* widget starts a first worker process only to calibrate the number of loops.\n"
        "* Then widget spawns twenty worker processes, one after the other.\n"
        "* Each worker runs the function once to warm up; that value is ignored.\n"
        "* Then each worker runs the function three times and sends the values back.\n\n"
        "Outliers\n========\n\nText.\n"
    )
    docs = _docs(tmp_path, {"README.rst": _README, "doc/run.rst": page})
    assert _at(docs.design) == ["doc/run.rst:10"]


def test_sections_that_do_not_describe_the_design(tmp_path: Path) -> None:
    page = (
        "Usage\n=====\n\nText.\n\nDesigning benchmarks\n--------------------\n\nAdvice.\n\n"
        "Architecture-specific options\n-----------------------------\n\nFlags.\n\n"
        "CPU architecture\n----------------\n\n"
        + "Widget runs on x86-64 and arm64 machines. " * 8
        + "\n"
    )
    docs = _docs(tmp_path, {"README.rst": _README, "doc/usage.rst": page})
    assert docs.design == ()


def test_forge_page_named_for_bugs_is_where_to_report(tmp_path: Path) -> None:
    readme = (
        "widget\n======\n\nQuick Links\n-----------\n\n"
        "* `widget documentation <https://widget.example.org/>`_\n"
        "* `widget homepage at GitHub\n  <https://github.com/example/widget>`_ (code, bugs)\n"
    )
    docs = _docs(tmp_path, {"README.rst": readme})
    assert _at(docs.bug_reporting) == ["README.rst:9"]


def test_forge_page_without_bugs_or_a_badge_says_nothing(tmp_path: Path) -> None:
    readme = (
        "# widget\n\n[![GitHub issues](https://img.shields.io/badge/issues-3-blue)]"
        "(https://github.com/example/widget)\n\nSource: https://github.com/example/widget\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert docs.bug_reporting == ()


def test_a_heading_over_one_question_describes_no_design(tmp_path: Path) -> None:
    page = (
        "Reviewing patches\n=================\n\nThink of these.\n\n"
        "Architecture\n------------\n\n* Is the change made in the right place?\n\n"
        "Intent\n------\n\n* What is proposed?\n"
    )
    docs = _docs(tmp_path, {"README.rst": _README, "docs/development/reviewing.rst": page})
    assert docs.design == ()


def test_a_link_to_one_issue_is_no_place_to_report(tmp_path: Path) -> None:
    readme = (
        "# widget\n\n## Known limits\n\nPlease refer to "
        "[issues/72#issuecomment-1](https://github.com/example/widget/issues/72#issuecomment-1).\n"
        "See the [bug list](https://github.com/example/widget/blob/main/BUGS.md) for bugs.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert docs.bug_reporting == ()
