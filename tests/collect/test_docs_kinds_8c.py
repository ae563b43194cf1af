"""Document kinds the eighth blind round (held-out-8c: two Apache Commons components and
Apache APR) showed, each on a small self-written fixture: a changelog kept for the next,
unreleased version; design documents kept as HTML; README sections on building from source
that are not user documentation; the project's page of the vulnerabilities it fixed."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import (
    collect_insights,
    collect_policy,
    security_report_entries,
)
from steward.collect.facts import Finding
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings if f.source.line]


def test_changelog_heads_are_the_first_version_outside_links(tmp_path: Path) -> None:
    changes = (
        "                                   -*- coding: utf-8 -*-\n"
        "Changes for Widget 3.0.0\n\n"
        "  *) widget_json: new escaping helpers. [A. Person]\n\n"
        "Changes for Widget 2.4.x and later:\n\n"
        "  *) https://svn.example.org/widget/branches/2.4.x/CHANGES\n"
    )
    pointer = (
        "This project adheres to Semantic Versioning 2.0.0.\n"
        "See https://example.org/widget/5.1.0/notes for the notes.\n\n1.0.0: first\n"
    )
    docs = _docs(tmp_path, {"CHANGES": changes, "docs/CHANGELOG.md": pointer})
    # not the URL's 5.1.0, nor the SemVer version the preamble names
    assert docs.changelog_heads == frozenset({"3.0.0", "1.0.0"})
    assert "2.4" in docs.changelog_versions


def test_design_documents_kept_as_html(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "README": "Widget\n======\n\nA portable runtime.\n",
        "docs/WidgetDesign.html": "<HTML><HEAD><TITLE>Widget Design Document</TITLE></HEAD>\n",
        "docs/cache-design.html": "<html><title>Using the cache</title></html>\n",
        "docs/api/Widget.html": "<html><title>Class Widget</title></html>\n",
    }
    docs = _docs(tmp_path, files)
    assert [f.source.path for f in docs.design] == [
        "docs/WidgetDesign.html",
        "docs/cache-design.html",
    ]
    # an API page or a page with no design in its name is no design document
    plain = _docs(tmp_path / "b", {"docs/api/Widget.html": files["docs/api/Widget.html"]})
    assert plain.design == ()


def test_build_from_source_sections_are_not_user_documentation(tmp_path: Path) -> None:
    readme = (
        "Widget\n======\n\nA portable runtime.\n\n\n"
        "Using a Subversion Checkout on Unix\n===================================\n\n"  # 7
        "Run ./buildconf first.\n\n\n"
        "Configuring and Building Widget on Unix\n=======================================\n\n"  # 13
        "./configure && make\n\n\n"
        "Build and usage\n===============\n\n"  # 19
        "make; then call widget_init().\n\n\n"
        "Configuration\n=============\n\n"  # 25
        "Set WIDGET_HOME.\n"
    )
    docs = _docs(tmp_path, {"README": readme})
    assert _at(docs.user_docs) == ["README:19", "README:25"]
    assert _at(docs.build_instructions) == ["README:7", "README:13", "README:19"]


SECURITY_REPORTS = """\
<document>
  <properties><title>Widget Security Reports</title></properties>
  <body>
    <section name="Widget Security Vulnerabilities">
      <p>This page lists all security vulnerabilities fixed in released versions.</p>
      <subsection name="Fixed in Widget 2.4.0">
        <p><b>Important: Denial of Service</b> <a
        href="https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2024-11111">CVE-2024-11111</a></p>
        <p>This is similar to CVE-2012-2222<sup>[1]</sup>.</p>
        <ul><li>[1]: <a href="https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2012-2222">CVE-2012-2222</a></li></ul>
      </subsection>
      <subsection name="Fixed in Widget 1.4.1">
        <p><b>Moderate</b> <a
        href="https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2012-2222">CVE-2012-2222</a></p>
      </subsection>
    </section>
  </body>
</document>
"""


def test_the_projects_page_of_fixed_vulnerabilities(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"src/site/xdoc/security.xml": SECURITY_REPORTS}
    docs = _docs(tmp_path, files)
    # each CVE at its own entry; the earlier link to CVE-2012-2222 is a reference
    assert _at(docs.advisories) == [
        "src/site/xdoc/security.xml:8",
        "src/site/xdoc/security.xml:14",
    ]
    markdown = (
        "# Security advisories\n\n## Fixed in 2.1.3\n\n"
        "- [CVE-2025-12345](https://www.cve.org/CVERecord?id=CVE-2025-12345):"
        " affects 2.0 to 2.1.2\n"
    )
    assert _at(security_report_entries("docs/security.md", markdown)) == ["docs/security.md:5"]


def test_pages_that_report_no_fix_or_only_mention_cves(tmp_path: Path) -> None:
    none_yet = (
        "<section name='Security Vulnerabilities'><p>None.</p></section>\n"
        "<p>Report them privately.</p>\n"
    )
    mention = (
        "# Security\n\nLog4Shell ([CVE-2021-44228](https://nvd.nist.gov/vuln/detail/"
        "CVE-2021-44228)) was in the news; Widget does not use Log4j.\n"
    )
    docs = _docs(
        tmp_path,
        {"src/site/xdoc/security.xml": none_yet, "docs/security.md": mention},
    )
    assert docs.advisories == ()
    # a page of the same name outside the documentation sources is not the project's report
    elsewhere = _docs(tmp_path / "b", {"src/test/resources/security.xml": SECURITY_REPORTS})
    assert elsewhere.advisories == ()


def test_a_policy_linking_cve_records_on_cve_mitre_org(tmp_path: Path) -> None:
    policy_text = (
        "# Security Policy\n\nReport to security@widget.example.\n\n"
        "Past advisories: [CVE-2023-4242](https://cve.mitre.org/cgi-bin/cvename.cgi?"
        "name=CVE-2023-4242)\n"
    )
    write(tmp_path, {"SECURITY.md": policy_text})
    tree = walk(tmp_path)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    assert _at(policy.advisory_links) == ["SECURITY.md:5"]
