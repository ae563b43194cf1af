"""Kinds the twelfth blind round's held-out-12c part (apache/commons-configuration,
apache/maven-enforcer, apache/iceberg-python) showed, each on a small self-written fixture:
an upload to a test package index is no release provenance; a documentation site built from
a directory of its own, and a README sentence saying where the documentation is, are user
documentation; the coding agents' guide (AGENTS.md) describes the architecture and the
dependency policy; a Maven site page's "Security Model" section is a threat model; a
CycloneDX VEX document in the tree is a machine-readable vulnerability list."""

from __future__ import annotations

from pathlib import Path

from steward.collect.headings import headings
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

LICENCE = {"LICENSE": "MIT License\n\nPermission is hereby granted, free of charge\n"}


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


def _publish(with_lines: str) -> str:
    return (
        "name: publish\non:\n  schedule:\n    - cron: '0 0 * * *'\npermissions: {}\njobs:\n"
        "  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n"
        "    steps:\n      - uses: pypa/gh-action-pypi-publish@"
        "dc37677b2e1c63e2034f94d8a5b11f265b73ba33 # v1.14.2\n" + with_lines
    )


NIGHTLY = _publish(
    "        with:\n          repository-url: https://test.pypi.org/legacy/\n"
    "          skip-existing: true\n"
)


def test_an_upload_to_the_test_index_is_no_release_provenance(tmp_path: Path) -> None:
    write(tmp_path, {**LICENCE, ".github/workflows/nightly.yml": NIGHTLY})
    status, evidence = _outcome(tmp_path, "release_provenance")
    assert status != "pass"
    assert not any(e.startswith(".github/workflows/nightly.yml") for e in evidence)


def test_an_upload_to_the_index_still_attests(tmp_path: Path) -> None:
    # the same step without a test index (and with the legacy input naming PyPI itself)
    write(tmp_path, {**LICENCE, ".github/workflows/release.yml": _publish(""),
                     ".github/workflows/other.yml": _publish(
                         "        with:\n          repository_url: https://upload.pypi.org/legacy/\n"
                     )})  # fmt: skip
    status, evidence = _outcome(tmp_path, "release_provenance")
    assert status == "pass"
    assert ".github/workflows/release.yml:12" in evidence
    assert ".github/workflows/other.yml:12" in evidence


README_DOCS_AT = (
    "# Widget\n\nWidget reads widget tables.\n\n"
    "The documentation is available at [https://widget.example.org/](https://widget.example.org/).\n"
    "\n## Get in Touch\n\n- [Community](https://example.org/community/)\n"
)


def test_a_sentence_saying_where_the_documentation_is(tmp_path: Path) -> None:
    write(tmp_path, {**LICENCE, "README.md": README_DOCS_AT})
    assert _outcome(tmp_path, "user_documentation_present") == ("pass", ["README.md:5"])


def test_no_documentation_sentence_for_a_repository_or_developers(tmp_path: Path) -> None:
    readme = (
        "# Widget\n\nThe code is on [GitHub](https://github.com/example/widget).\n"
        "Developer documentation is at https://dev.example.org/widget.\n"
        "Docs are on https://github.com/example/widget\n"
        "Other ports:\n- Java: Documentation link at: https://docs.example.com/java.util.zip\n"
    )
    write(tmp_path, {**LICENCE, "README.md": readme})
    assert _outcome(tmp_path, "user_documentation_present")[0] == "fail"


def test_a_site_build_in_a_directory_of_its_own(tmp_path: Path) -> None:
    files = {
        **LICENCE,
        "README.md": "# Widget\n\nWidget reads widget tables.\n",
        "mkdocs/mkdocs.yml": "site_name: Widget\n",
        "mkdocs/docs/index.md": "# Getting started with Widget\n",
    }
    write(tmp_path, files)
    assert _outcome(tmp_path, "user_documentation_present") == ("pass", ["mkdocs/mkdocs.yml"])


def test_a_site_build_of_an_example_or_test_is_not_the_projects(tmp_path: Path) -> None:
    files = {
        **LICENCE,
        "README.md": "# Widget\n\nWidget reads widget tables.\n",
        "examples/mkdocs.yml": "site_name: Example\n",
        "tests/book.toml": "[book]\ntitle = 'fixture'\n",
    }
    write(tmp_path, files)
    assert _outcome(tmp_path, "user_documentation_present")[0] == "fail"


_WORDS = " ".join(["the catalog module loads tables and the io module reads files"] * 4)
AGENTS = (
    "# Agent Guide for widget\n\n"
    "## Architecture\n\n"
    f"{_WORDS}\n\n"
    "## Coding Conventions\n\n"
    "### Dependencies\n\n"
    "- Large libraries must be optional extras, not core dependencies.\n\n"
    "## Installing dependencies\n\nRun make install.\n"
)


def test_the_agents_guide_describes_the_architecture_and_the_dependency_policy(
    tmp_path: Path,
) -> None:
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n", "AGENTS.md": AGENTS})
    assert _outcome(tmp_path, "design_documented") == ("pass", ["AGENTS.md:3"])
    # the "Installing dependencies" set-up step is no policy
    assert _outcome(tmp_path, "dependency_policy_documented") == ("pass", ["AGENTS.md:9"])


def test_a_short_architecture_heading_of_the_agents_guide_describes_nothing(
    tmp_path: Path,
) -> None:
    agents = "# Agent Guide\n\n## Architecture\n\nSee the code.\n"
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n", "AGENTS.md": agents})
    assert _outcome(tmp_path, "design_documented")[0] == "fail"


def test_the_contribution_guides_third_party_libraries_section(tmp_path: Path) -> None:
    contributing = (
        "# Contributing\n\n## Third party libraries\n\n"
        "Be hesitant adding third party packages; big libraries should be optional.\n"
    )
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n", "CONTRIBUTING.md": contributing})
    assert _outcome(tmp_path, "dependency_policy_documented") == (
        "pass",
        ["CONTRIBUTING.md:3"],
    )


SECURITY_XDOC = """<?xml version="1.0"?>
<document>
  <body>
    <section name="Widget Security">
      <p>Report vulnerabilities privately.</p>
      <subsection name="Security Model">
        <p>Untrusted configuration files must not trigger code execution.</p>
      </subsection>
      <subsection name='CVE-2024-0001, prior to 1.2'>
        <p>Fixed in 1.2.</p>
      </subsection>
    </section>
  </body>
</document>
"""


def test_xdoc_sections_are_headings() -> None:
    assert headings(SECURITY_XDOC, "src/site/xdoc/security.xml") == [
        (4, "Widget Security"),
        (6, "Security Model"),
        (9, "CVE-2024-0001, prior to 1.2"),
    ]


def test_a_maven_site_security_model_section_is_a_threat_model(tmp_path: Path) -> None:
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n",
                     "src/site/xdoc/security.xml": SECURITY_XDOC})  # fmt: skip
    assert _outcome(tmp_path, "threat_model_present") == (
        "pass",
        ["src/site/xdoc/security.xml:6"],
    )


VEX_XML = """<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata>
    <component type="library"><name>widget</name></component>
  </metadata>
  <vulnerabilities>
    <vulnerability>
      <id>CVE-2025-0001</id>
      <analysis><state>exploitable</state></analysis>
    </vulnerability>
  </vulnerabilities>
</bom>
"""
VEX_JSON = """{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "vulnerabilities": [
    {"id": "CVE-2025-0002", "analysis": {"state": "not_affected"}}
  ]
}
"""
SBOM_XML = """<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <components><component type="library"><name>dep</name></component></components>
</bom>
"""


def test_a_cyclonedx_vex_in_the_tree_is_a_machine_readable_list(tmp_path: Path) -> None:
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n",
                     "src/conf/security/VEX.cyclonedx.xml": VEX_XML,
                     "security/vex.json": VEX_JSON})  # fmt: skip
    status, evidence = _outcome(tmp_path, "vulnerability_list_machine_readable")
    assert status == "pass"
    assert evidence == ["security/vex.json:4", "src/conf/security/VEX.cyclonedx.xml:6"]


def test_a_cyclonedx_sbom_or_a_test_vex_lists_no_vulnerabilities(tmp_path: Path) -> None:
    write(tmp_path, {**LICENCE, "README.md": "# Widget\n",
                     "security/bom.cyclonedx.xml": SBOM_XML,
                     "src/test/resources/vex/VEX.xml": VEX_XML})  # fmt: skip
    assert _outcome(tmp_path, "vulnerability_list_machine_readable")[0] != "pass"
