"""Kinds the eighth blind round's held-out-8g part (Eclipse Paho in Go and Rust, Apache Log4cxx
in C++) showed, each on a small self-written fixture: a documentation site kept under the Maven
layout's src/site with Doxygen heading ids; a security section of a documentation page whose
link is a Markdown reference; the site's community page telling users to raise an issue; a
download page template (download.md.in); ``.asf.yaml`` rulesets; fuzz targets shown at their
entry point, not at a helper include or a CMake check program; bindgen's generated layout
tests; a threat model and a vulnerability feed linked from AGENTS.md."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steward.collect import collect_facts
from steward.collect.documents import (
    collect_docs,
    collect_insights,
    collect_policy,
    inline_references,
    is_generated,
)
from steward.collect.facts import Docs, Finding, SecurityPolicy
from steward.collect.headings import headings
from steward.collect.reporting import advisories, linked_feeds, policy_channels
from steward.collect.scan import fuzz_targets
from steward.collect.settings import DEFAULT_BRANCH, collect_branch_settings
from steward.collect.tree import Tree, walk
from tests.collect.gitrepo import write

LICENCE_HEADER = "<!--\n Licensed to the Widget project.\n-->\n"


def _tree(root: Path, files: dict[str, str | bytes]) -> Tree:
    write(root, files)
    return walk(root)


def _docs(tree: Tree) -> tuple[Docs, SecurityPolicy]:
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy), policy


def _at(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [f"{f.source.path}:{f.source.line}" for f in findings]


def test_heading_attribute_blocks_are_not_part_of_the_title() -> None:
    text = (
        "Change Log {#changelog}\n===\n\n## Release 2.1.0 - 2026-01-02 {#rel_2_1_0}\n\n"
        "## Install {: .wide }\n\n## Options {#opts .lead data-x=1}\n\n## Sets {a, b}\n"
    )
    assert headings(text, "page.md") == [
        (1, "Change Log"),
        (4, "Release 2.1.0 - 2026-01-02"),
        (6, "Install"),
        (8, "Options"),
        (10, "Sets {a, b}"),  # braces that are not an attribute block stay
    ]


def test_a_site_under_src_site_gives_changelog_design_and_bug_reporting(tmp_path: Path) -> None:
    community = (
        "Community {#community}\n===\n" + LICENCE_HEADER + "\n# Getting help {#support}\n\n"
        "Search the [change log] and [JIRA] first.\n"
        "If you found a problem in the code, feel free to raise an issue in [Issues].\n\n"
        "[JIRA]: https://issues.example.org/jira/browse/WIDGET\n"
        "[Issues]: https://github.com/example/widget/issues\n"
    )
    tree = _tree(
        tmp_path,
        {
            "README.md": "Widget\n======\n\nA logging library.\n",
            "src/site/markdown/change-report.md": (
                "Change Log {#changelog}\n===\n\n## Release 2.1.0 {#rel_2_1_0}\n\n* fix\n"
            ),
            "src/site/markdown/library-design.md": (
                "Library Design Notes {#design}\n===\n\nPimpl.\n"
            ),
            "src/site/markdown/community.md": community,
            "src/site/markdown/colours.md": "Colours {#colours}\n===\n\nRed.\n",
        },
    )
    docs, _ = _docs(tree)
    assert _at(docs.changelog) == ["src/site/markdown/change-report.md:1"]
    assert _at(docs.design) == ["src/site/markdown/library-design.md:1"]
    # the support page names the tracker: its JIRA reference definition (line 12), the line the
    # corpus accepts for Apache Commons' [jira] definitions too
    assert _at(docs.bug_reporting) == ["src/site/markdown/community.md:12"]


def test_a_policy_section_of_a_docs_page_with_a_reference_link(tmp_path: Path) -> None:
    community = (
        "Community\n===\n\n# Getting help\n\nAsk on the list.\n\n"
        "# Reporting a security issue {#security}\n\n"
        "Refer to the [official security page] for how to report security issues.\n\n"
        "# Releases\n\nSee the downloads.\n\n"
        "[official security page]: https://widget.example.org/security.html\n"
    )
    tree = _tree(
        tmp_path,
        {
            "README.md": "Widget\n======\n\nA library.\n",
            "src/site/markdown/community.md": community,
            # a TLS page's "Security" section says nothing about reporting: not a policy
            "src/site/markdown/tls.md": "TLS\n===\n\n## Security\n\nUse TLS 1.3.\n",
        },
    )
    _, policy = _docs(tree)
    assert [f"{s.path}:{s.line}" for s in policy.files] == ["src/site/markdown/community.md:8"]
    # the section defers to the page its reference link names, at the line that uses it
    assert [(f.source.line, f.detail) for f in policy.referrals] == [
        (10, "link https://widget.example.org/security.html")
    ]
    archive = policy_channels(tree, policy)[0]
    assert archive.included is True
    assert _at(list(archive.evidence)) == ["src/site/markdown/community.md:8"]


def test_no_policy_from_a_docs_page_that_does_not_say_how_to_report(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {"docs/guide.md": "Guide\n=====\n\n## Security\n\nThe server drops privileges.\n"},
    )
    _, policy = _docs(tree)
    assert policy.files == ()


def test_inline_references_keep_lines_and_unknown_labels() -> None:
    text = "a [One] and [two][Second] and [missing]\n\n[one]: https://a.example\n[second]: <https://b.example>\n"
    body = text.split("\n")[0]
    assert inline_references(text, body) == (
        "a [One](https://a.example) and [two](https://b.example) and [missing]"
    )


def test_download_page_template_gives_release_verification(tmp_path: Path) -> None:
    page = (
        "Download\n===\n\n"
        "| Widget ${VERSION} | [source](${URL}.tar.gz) | [sig](${URL}.tar.gz.asc) |\n\n"
        "It is essential that you verify the integrity of the downloaded files using the PGP "
        "or SHA512 signatures.\n"
    )
    tree = _tree(
        tmp_path,
        {
            "README.md": "Widget\n======\n\nA library.\n",
            "src/site/markdown/download.md.in": page,
            "src/site/markdown/install.sh.in": "verify the signatures of the downloaded archive\n",
        },
    )
    docs, _ = _docs(tree)
    assert _at(docs.release_verification) == ["src/site/markdown/download.md.in:6"]


def test_asf_yaml_rulesets_protect_the_default_branch_only_when_they_restrict(
    tmp_path: Path,
) -> None:
    asf = (
        "github:\n  rulesets:\n"
        "    - name: Default branch\n      type: branch\n"
        "      branches:\n        includes: ['~DEFAULT_BRANCH', 'rel/*', 'stable']\n"
        "      restrict_deletion: true\n      restrict_force_push: true\n"
        "    - name: Docs\n      type: branch\n"
        "      branches:\n        includes: ['docs']\n      restrict_deletion: true\n"
    )
    found, problems = collect_branch_settings(_tree(tmp_path, {".asf.yaml": asf}))
    assert problems == []
    # rel/* is a pattern, and the docs ruleset leaves force pushes allowed
    assert [(s.branch, s.source.line) for s in found] == [(DEFAULT_BRANCH, 3), ("stable", 3)]


def test_fuzz_targets_at_their_entry_point_and_not_cmake_checks(tmp_path: Path) -> None:
    harness = (
        "/* licence */\n#include <fuzzer/FuzzedDataProvider.h>\n\n"
        'extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {\n'
        "  FuzzedDataProvider p(data, size);\n  return 0;\n}\n"
    )
    helper_only = "#include <fuzzer/FuzzedDataProvider.h>\nvoid feed(FuzzedDataProvider&);\n"
    tree = _tree(
        tmp_path,
        {
            "src/fuzzers/LayoutFuzzer.cpp": harness,
            "src/fuzzers/helpers.cpp": helper_only,
            "src/cmake/LibFuzzerTest.cpp": harness,
        },
    )
    assert _at(fuzz_targets(tree)) == [
        "src/fuzzers/LayoutFuzzer.cpp:4",
        "src/fuzzers/helpers.cpp:1",
    ]


def test_generated_bindings_are_not_the_projects_tests(tmp_path: Path) -> None:
    bindings = (
        "/* automatically generated by rust-bindgen 0.68.1 */\n\npub struct W;\n"
        "#[test]\nfn bindgen_test_layout_W() {}\n"
    )
    tree = _tree(
        tmp_path,
        {
            "Cargo.toml": '[package]\nname = "widget"\n',
            "bindings/bindings_a.rs": bindings,
            "src/lib.rs": "pub fn f() {}\n\n#[cfg(test)]\nmod tests {}\n",
        },
    )
    docs, _ = _docs(tree)
    assert "src/lib.rs:3" in _at(docs.tests)
    assert not [f for f in docs.tests if (f.source.path or "").startswith("bindings/")]
    assert is_generated("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage w\n")
    assert not is_generated("// Tokens are generated later by the lexer.\nfn lex() {}\n")


def test_threat_model_and_vulnerability_feed_linked_from_agents_md(tmp_path: Path) -> None:
    agents = (
        "# Vulnerability research agent\n\n## Before reporting anything\n\n"
        "### Step 1: Read the security model\n\n"
        "Read https://widget.example.org/threat-model.html first.\n\n"
        "### Step 2: Check previously disclosed vulnerabilities\n\n"
        "Read the Vulnerability Disclosure Report: https://widget.example.org/cyclonedx/vdr.xml\n"
    )
    tree = _tree(
        tmp_path,
        {
            "README.md": "Widget\n======\n\nSee https://widget.example.org/news.xml for news.\n",
            "AGENTS.md": agents,
        },
    )
    docs, policy = _docs(tree)
    assert _at(docs.threat_model) == ["AGENTS.md:5"]
    machine, _ = advisories(tree, policy, None)
    assert _at(machine) == ["AGENTS.md:11"]
    # a CSAF provider's metadata is a feed too; an RSS feed of news is not
    csaf = _tree(
        tmp_path / "b",
        {"README.md": "CSAF: https://w.example/.well-known/csaf/provider-metadata.json\n"},
    )
    _, csaf_policy = _docs(csaf)
    assert _at(linked_feeds(csaf, csaf_policy)) == ["README.md:1"]


@pytest.mark.parametrize("unit", ["{a=", "[a][b", "https://x/vdr.xml", "# Security {#s "])
def test_long_lines_in_docs_pages_and_agents_md_stay_linear(tmp_path: Path, unit: str) -> None:
    line = unit * (60_000 // len(unit))
    page = f"# Reporting a security issue {line}\n\nReport security issues {line}\n[a]: https://x\n"
    write(tmp_path, {"src/site/markdown/community.md": page, "AGENTS.md": f"# {line}\n{line}\n"})
    started = time.process_time()
    collect_facts(tmp_path)
    assert time.process_time() - started < 10  # seconds
