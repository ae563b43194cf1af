"""Kinds the ninth blind round (held-out-9d: PHP libraries) showed, each on a small
self-written fixture:

- design documentation kept outside the repository and linked from the README by a text
  that names it (the documentation site's "Architecture" page, a post "explaining how the
  implementation works") is design documentation (``design_documented`` failed before); a
  link naming a platform ("ARM architecture"), an image's alt text, a link in an HTML
  comment or a reference definition is not;
- a directory of test inputs is named every way (``test_files/``, ``test-assets/``,
  ``test-vectors/``): a file there named like a test is a fixture, not the tests' evidence,
  as under ``testdata/`` (the same names as the secrets' and manifests' rule,
  ``tests/collect/test_scan_fixtures.py``).
"""

from __future__ import annotations

import time
from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def _design(root: Path, readme: str) -> tuple[str, list[tuple[str | None, int | None]]]:
    write(root, {"README.md": readme, "src/Router.php": "<?php\n"})
    out = run_probe("design_documented", collect_facts(root))
    return out.status.value, [(e.path, e.line) for e in out.evidence]


def test_a_linked_architecture_page_is_design_documentation(tmp_path: Path) -> None:
    readme = (
        "# Storage\n\nA storage library.\n\n## Getting Started\n\n"
        "* **[What is new](https://storage.example.org/docs/new/)**: changes in v3\n"
        "* **[Architecture](https://storage.example.org/docs/architecture/)**: the internal"
        " architecture\n"
    )
    assert _design(tmp_path, readme) == ("pass", [("README.md", 8)])


def test_a_post_on_how_the_implementation_works_wrapping_a_line(tmp_path: Path) -> None:
    readme = (
        "Router - fast routing\n=====================\n\n"
        "A fast router. [Article explaining how the\nimplementation works and why it is"
        " fast.][post]\n\nUsage\n-----\n\nCall it.\n\n[post]: https://blog.example.org/routing\n"
    )
    assert _design(tmp_path, readme) == ("pass", [("README.md", 4)])


def test_platform_images_comments_and_definitions_are_not_design_links(tmp_path: Path) -> None:
    readme = (
        "# Tool\n\nRuns on the [ARM architecture](https://arm.example/) and all\n"
        "[supported architectures](https://example.org/platforms).\n\n"
        "![Architecture](docs/arch.png)\n\n<!-- [Design notes](https://example.org/d) -->\n\n"
        "[architecture]: https://example.org/architecture\n"
    )
    assert _design(tmp_path, readme) == ("fail", [])


def test_design_links_stay_linear_on_hostile_readmes() -> None:
    # unclosed "[a](" repeated made a first version backtrack for about 20 s; many matching
    # links each counted their line from the start of the text
    from steward.collect.documents import design_links

    # CPU time, not wall time: a loaded machine (parallel test workers) must not fail it
    started = time.process_time()
    assert design_links("README.md", "[a](" * 200_000) == []
    found = design_links("README.md", "[Architecture](x)\n" * 50_000)
    assert len(found) == 50_000 and found[-1].source.line == 50_000
    assert time.process_time() - started < 5


def test_files_named_like_tests_in_test_input_directories_are_fixtures(tmp_path: Path) -> None:
    write(tmp_path, {
        "src/Router.php": "<?php\n",
        "tests/test_files/RouterTest.php": "<?php // an input the tests copy\n",
        "tests/test-assets/sample_test.go": "package sample\n",
        "tests/RouterTest.php": "<?php final class RouterTest {}\n",
    })  # fmt: skip
    out = run_probe("tests_present", collect_facts(tmp_path))
    shown = [e.source for e in out.evidence]
    assert (out.status.value, shown) == ("pass", ["tests/RouterTest.php"])
