"""Document kinds the tenth blind round (held-out-10b: Apache Commons Collections and Jakarta
XML Binding) showed, on a small self-written fixture: a security page entry that cites the CVE
ids of other products' reports of the same flaw under "Related links" is located at its
heading, not at the citing lines."""

from __future__ import annotations

from steward.collect.documents import security_report_entries

PAGE = """<document>
  <body>
    <section name="Widget Security Vulnerabilities">
      <p>This page lists the vulnerabilities fixed in released versions.</p>
      <subsection name="Fixed in Widget 2.4">
        <p><b>High: code execution while reading untrusted frames</b></p>
        <p>Affects: 2.0 - 2.3</p>
        <p>Related links:</p>
        <ol>
          <li>Report for Gadget Server: <a href="https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2031-1111">CVE-2031-1111</a></li>
          <li>Report for Other Suite: <a href="https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2031-2222">CVE-2031-2222</a></li>
        </ol>
      </subsection>
      <subsection name="Fixed in Widget 1.9">
        <p><b>Low: denial of service</b> <a href="https://example.org/x">CVE-2030-3333</a></p>
      </subsection>
    </section>
  </body>
</document>
"""


def test_cves_cited_under_related_links_are_located_at_the_entry() -> None:
    found = security_report_entries("src/site/xdoc/security.xml", PAGE)
    assert [(f.source.line, f.detail) for f in found] == [
        (5, "advisory CVE-2031-1111, CVE-2031-2222"),
        (15, "advisory CVE-2030-3333"),
    ]


def test_markdown_references_list_is_located_at_its_heading() -> None:
    page = (
        "# Security advisories\n\n## Fixed in 3.1.0\n\nAffects 3.0.x.\n\nReferences\n\n"
        "- [CVE-2032-4444](https://www.cve.org/CVERecord?id=CVE-2032-4444)\n"
        "\n## Fixed in 2.0.1\n\n- [CVE-2031-5555](https://www.cve.org/CVERecord?id=CVE-2031-5555)\n"
    )
    found = security_report_entries("docs/security.md", page)
    # the cited id at its entry's heading (line 3); an id listed as the entry at its own line
    assert [(f.source.line, f.detail) for f in found] == [
        (3, "advisory CVE-2032-4444"),
        (13, "advisory CVE-2031-5555"),
    ]
