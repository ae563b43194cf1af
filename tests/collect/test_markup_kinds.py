"""Document kinds a sixth blind round showed, each with a small self-written fixture: the
other markup formats (a Ruby gem: README.rdoc, CONTRIBUTING.rdoc, History.rdoc, MIT-LICENSE,
licence and links in the gemspec; before, such a project had no README, no contribution guide
and no licence: five false level-1 fails), a changelog directory, adopters lists, and "bug
reports" named among ways to contribute."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import (
    collect_licenses,
)
from steward.collect.facts import Finding
from steward.collect.headings import headings
from steward.collect.metadata import DOCUMENTATION, HOMEPAGE, ISSUES, project_links
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write

README_RDOC = """\
= WIDGET -- a widget maker

home :: https://example.org/widget
bugs :: https://example.org/widget/issues

== Installation

  gem install widget

== Usage

Write a Widgetfile first.
"""

CONTRIBUTING_RDOC = """\
= Source Repository

Widget is hosted at example.org.

= Issues and Bug Reports

If you have found a bug in widget, please try the latest version before filing an issue.
"""

GEMSPEC = """\
Gem::Specification.new do |s|
  s.name = "widget"
  s.homepage = "https://example.org/widget"
  s.licenses = ["MIT"]

  s.metadata = {
    "bug_tracker_uri" => "https://example.org/widget/issues",
    "documentation_uri" => "https://docs.example.org/widget",
  }
end
"""

MIT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
"""


def _at(findings: tuple[Finding, ...]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_rdoc_and_textile_headings_at_their_lines() -> None:
    assert headings(README_RDOC, "README.rdoc") == [
        (1, "WIDGET -- a widget maker"),
        (6, "Installation"),
        (10, "Usage"),
    ]
    assert headings("h1. Widget\n\nText.\n\nh2. Usage\n", "README.textile") == [
        (1, "Widget"),
        (5, "Usage"),
    ]


def test_rdoc_documents_are_readme_guide_and_changelog(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "README.rdoc": README_RDOC,
            "CONTRIBUTING.rdoc": CONTRIBUTING_RDOC,
            "History.rdoc": "=== 1.0.0\n\n* First release.\n",
            "widget.gemspec": GEMSPEC,
        },
    )
    assert [f.source.path for f in docs.readme] == ["README.rdoc"]
    assert "CONTRIBUTING.rdoc" in [f.source.path for f in docs.contributing]
    assert "History.rdoc" in [f.source.path for f in docs.changelog]
    assert docs.changelog_versions == frozenset({"1.0.0"})
    assert "README.rdoc:10" in _at(docs.user_docs)  # the "Usage" section
    # the guide's section on reporting; the gemspec names the tracker
    assert "CONTRIBUTING.rdoc:5" in _at(docs.bug_reporting)
    assert "widget.gemspec:7" in _at(docs.bug_reporting)


def test_licence_named_after_the_licence_and_declared_in_the_gemspec(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "MIT-LICENSE": MIT,
            "widget.gemspec": GEMSPEC,
            "mitigation.md": "# Mitigations\n",
            "zlib.3": ".TH ZLIB 3\n",  # a manual page, not a licence
        },
    )
    licences, problems = collect_licenses(walk(tmp_path))
    assert problems == []
    found = {(lic.source.path, lic.source.line, lic.spdx, lic.how) for lic in licences}
    assert found == {
        ("MIT-LICENSE", None, "MIT", "text"),
        ("widget.gemspec", 4, "MIT", "manifest"),
    }


def test_gemspec_dual_licence_is_either(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"w.gemspec": "Gem::Specification.new do |spec|\n  spec.licenses = %w[MIT Ruby]\nend\n"},
    )
    (lic,) = collect_licenses(walk(tmp_path))[0]
    assert (lic.source.line, lic.spdx) == (2, "MIT OR Ruby")


def test_gemspec_links(tmp_path: Path) -> None:
    write(tmp_path, {"widget.gemspec": GEMSPEC})
    links = {(link.kind, link.label, link.line) for link in project_links(walk(tmp_path))}
    assert links == {
        (HOMEPAGE, "homepage", 3),
        (ISSUES, "bug_tracker_uri", 7),
        (DOCUMENTATION, "documentation_uri", 8),
    }


def test_changelog_directory_of_release_lines(tmp_path: Path) -> None:
    # held-out-6 (etcd's bbolt): CHANGELOG/CHANGELOG-1.5.md, one file per minor release line
    docs = _docs(
        tmp_path,
        {
            "CHANGELOG/CHANGELOG-1.4.md": "## v1.4.3(2025-08-19)\n\n- Fix a leak.\n",
            "CHANGELOG/CHANGELOG-1.5.md": "## v1.5.0(2026-06-21)\n\n- Go 1.25.\n",
            "README.md": "# Store\n",
        },
    )
    assert [f.source.path for f in docs.changelog] == [
        "CHANGELOG/CHANGELOG-1.5.md",
        "CHANGELOG/CHANGELOG-1.4.md",
    ]
    assert {"1.5.0", "1.4.3"} <= docs.changelog_versions


def test_adopters_list_is_not_user_documentation(tmp_path: Path) -> None:
    # held-out-6 (bbolt's README): "Other Projects Using Bolt", a list of projects in which
    # one is called "Wiki"; "Using buckets" is how to use it
    readme = (
        "# Store\n\n## Using buckets\n\nCreate one first.\n\n"
        "## Other Projects Using Store\n\n"
        "* [Wiki](https://github.com/someone/wiki) - A tiny wiki using Store.\n"
        "* [Docs](https://store.example.org/docs/) - the manual.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.user_docs) == ["README.md:3", "README.md:10"]


def test_bug_reports_listed_among_contributions_is_not_how_to_report(tmp_path: Path) -> None:
    # held-out-6 (pypa/packaging's CONTRIBUTING.rst)
    guide = (
        "Contributing\n============\n\nExamples of contributions include:\n\n"
        "* Code patches\n* Bug reports and patch reviews\n\n"
        "If you run into bugs, you can file them in our issue tracker.\n"
    )
    docs = _docs(tmp_path, {"CONTRIBUTING.rst": guide})
    assert _at(docs.bug_reporting) == ["CONTRIBUTING.rst:9"]  # not line 7


def test_readme_section_walking_through_the_parts_is_design_documentation(tmp_path: Path) -> None:
    # held-out-6 (bbolt): "Reading the Source" describes the entry points, the B+tree and the
    # two-phase commit; "Design goals" of a CLI style guide or "Using buckets" are not it
    readme = (
        "# Store\n\n## Using buckets\n\nText.\n\n## Reading the Source\n\n"
        "- `Open()` initialises the database and maps the file.\n\n"
        "## Architecture Overview\n\nThe parts.\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.design) == ["README.md:7", "README.md:11"]
    plain = _docs(tmp_path / "2", {"README.md": "# Store\n\n## Design goals of CLIs\n\nAdvice.\n"})
    assert plain.design == ()


def test_org_and_pod_readme_sections(tmp_path: Path) -> None:
    """Hobby-family siblings (held-out-7e): an Emacs project's README.org and a Perl
    distribution's README.pod have sections too (Org stars, POD ``=head1``); before, README.org
    was read as Markdown (its ``* Usage`` a list item) and README.pod was no README."""
    from steward.collect.run import collect_facts
    from steward.evaluate.probes import run_probe

    org = (
        "#+TITLE: widget\n\n* Installation\n\nmake install\n\n* Usage\n\n- run it\n\n"
        "* Contributing\n\nPull requests welcome.\n\n* License\n\nGPLv3\n"
    )
    pod = (
        "=head1 NAME\n\nWidget - a widget\n\n=head1 SYNOPSIS\n\n  widget FILE\n\n"
        "=head1 LICENSE\n\nThis is free software, licensed under the MIT License.\n"
    )
    assert headings(org, "README.org") == [
        (3, "Installation"), (7, "Usage"), (11, "Contributing"), (15, "License")
    ]  # fmt: skip
    assert headings(pod, "README.pod") == [(1, "NAME"), (5, "SYNOPSIS"), (9, "LICENSE")]
    for name, text, where in (
        ("README.org", org, {"contributing_guide_present": "README.org:11",
                             "license_osi_approved": "README.org:17"}),
        ("README.pod", pod, {"readme_present": "README.pod",
                             "license_osi_approved": "README.pod:11"}),
    ):  # fmt: skip
        root = tmp_path / name
        write(root, {name: text})
        facts = collect_facts(root)
        for probe_name, location in where.items():
            out = run_probe(probe_name, facts)
            assert out.status.value == "pass", (name, probe_name)
            found = [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]
            assert location in found, (name, probe_name, found)
