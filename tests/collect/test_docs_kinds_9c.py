"""Document kinds the ninth blind round (held-out-9c: two Apache Commons components and
Apache HttpComponents Core) showed, each on a small self-written fixture: the issue tracker
declared in build metadata (the Maven POM's issueManagement, a DOAP bug-database) and a
README sentence sending would-be contributors to a guide kept elsewhere; a Maven site
security page whose entries are titled by their CVE (``<subsection name="CVE-...">``, a list
item starting with the id)."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import (
    security_report_entries,
)
from steward.collect.facts import Finding
from steward.collect.metadata import ISSUES, project_links
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write

POM = """<?xml version="1.0"?>
<project>
  <!-- <issueManagement><url>https://old.example.org/bugs</url></issueManagement> -->
  <artifactId>widget</artifactId>
  <issueManagement>
    <system>Jira</system>
    <url>https://issues.example.org/jira/browse/WIDGET</url>
  </issueManagement>
</project>
"""
DOAP = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <Project rdf:about="https://widget.example.org/">
    <name>Widget</name>
    <bug-database rdf:resource="https://issues.example.org/jira/browse/WIDGET" />
  </Project>
</rdf:RDF>
"""


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_pom_issue_management_and_doap_bug_database_are_issue_links(tmp_path: Path) -> None:
    write(tmp_path, {"pom.xml": POM, "doap_Widget.rdf": DOAP})
    links = [(k.kind, k.label, k.path, k.line) for k in project_links(walk(tmp_path))]
    # the commented-out element is not read; the url's own line is given
    assert links == [
        (ISSUES, "issueManagement", "pom.xml", 7),
        (ISSUES, "bug-database", "doap_Widget.rdf", 4),
    ]
    docs = _docs(tmp_path, {"README.md": "# Widget\n\nA widget.\n"})
    assert _at(docs.bug_reporting) == ["pom.xml:7", "doap_Widget.rdf:4"]


def test_pom_without_issue_management_is_no_issue_link(tmp_path: Path) -> None:
    pom = "<project>\n  <url>https://widget.example.org/</url>\n</project>\n"
    docs = _docs(tmp_path, {"pom.xml": pom, "README.md": "# Widget\n\nA widget.\n"})
    assert docs.bug_reporting == ()


def test_invitation_to_contribute_with_a_link_is_a_linked_guide(tmp_path: Path) -> None:
    readme = (
        "Widget\n======\n\nA widget.\n\nContact\n-------\n\n"
        "- For general information visit the site at\n  https://widget.example.org/\n"
        "- If you want to contribute visit\n  https://widget.example.org/get-involved.html\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert _at(docs.contributing) == ["README.md:11"]


def test_licence_clause_and_unlinked_wishes_are_no_guide(tmp_path: Path) -> None:
    readme = (
        "# widget\n\nA widget.\n\n## License\n\nUnless you explicitly state otherwise, any "
        "contribution intentionally submitted for inclusion shall be dual licensed, see\n"
        "https://www.apache.org/licenses/LICENSE-2.0\n\nIf you want to contribute, great.\n\n"
        "You like it? Then [donate](https://www.example.org/foundation/contributing.html).\n"
    )
    docs = _docs(tmp_path, {"README.md": readme})
    assert docs.contributing == ()


def test_xdoc_security_page_entries_titled_by_their_cve(tmp_path: Path) -> None:
    page = (
        '<document>\n  <body>\n    <section name="Security Reports">\n'
        "      <p>This page lists all security vulnerabilities fixed in released versions.</p>\n"
        "      <p>Log4Shell (CVE-2021-44228) does not affect this component.</p>\n"
        "    </section>\n"
        '    <section name="Security Vulnerabilities">\n'
        '      <subsection name="CVE-2031-40001">\n        <ul>\n'
        "          <li>CVE-2031-40001: Uncontrolled resource consumption in Widget.</li>\n"
        "          <li>Versions Affected: Widget 2.0 before 2.4.</li>\n"
        "        </ul>\n      </subsection>\n"
        '      <subsection name="CVE-2030-1234 prior to 1.1">\n        <p>See above.</p>\n'
        "      </subsection>\n    </section>\n  </body>\n</document>\n"
    )
    found = security_report_entries("src/site/xdoc/security.xml", page)
    # each id at its own entry (the last occurrence); the mention in prose is no entry
    assert [(f.detail, f.source.line) for f in found] == [
        ("advisory CVE-2031-40001", 10),
        ("advisory CVE-2030-1234", 14),
    ]
