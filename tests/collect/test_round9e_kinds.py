"""Kinds the ninth blind round (held-out-9e, Eclipse projects) showed, each with a small
self-written fixture: setuptools metadata links (``project_urls`` in ``setup.py`` and
``setup.cfg``; before, a "Bug Tracker" declared there was not seen: a false level-1 fail),
documentation links inside fenced code, a changelog kept in a documentation module, Azure
Pipelines definitions beside ``azure-pipelines.yml``, and fuzz tests a CI test run selects."""

from __future__ import annotations

from pathlib import Path

from steward.collect.ci import collect_workflows
from steward.collect.metadata import DOCUMENTATION, HOMEPAGE, ISSUES, project_links
from steward.collect.tree import walk
from tests.collect.docsrepo import docs_of as _docs
from tests.collect.gitrepo import write

SETUP_PY = """\
from setuptools import setup

setup(
    name="widget",
    url="https://example.org/widget",
    project_urls={
        "Documentation": "https://example.org/widget/docs",
        "Source Code": "https://example.org/widget/src",
        "Bug Tracker": "https://example.org/widget/issues",
    },
    install_requires=["click"],
)
"""

SETUP_CFG = """\
[options]
url = https://example.org/not-the-metadata

[metadata]
name = widget
home_page = https://example.org/widget
project_urls =
    Source = https://example.org/widget/src
    Issues = https://example.org/widget/issues
    Docs = https://example.org/widget/docs
"""


def test_setup_py_project_urls_at_their_lines(tmp_path: Path) -> None:
    write(tmp_path, {"setup.py": SETUP_PY})
    found = project_links(walk(tmp_path))
    links = {(link.kind, link.label, link.path, link.line) for link in found}
    assert links == {
        (HOMEPAGE, "url", "setup.py", 5),
        (DOCUMENTATION, "Documentation", "setup.py", 7),
        (ISSUES, "Bug Tracker", "setup.py", 9),
    }


def test_setup_cfg_project_urls_in_the_metadata_section(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": SETUP_CFG})
    links = {(link.kind, link.label, link.line) for link in project_links(walk(tmp_path))}
    assert links == {(HOMEPAGE, "url", 6), (ISSUES, "Issues", 9), (DOCUMENTATION, "Docs", 10)}


def test_setup_py_built_by_expressions_or_broken_is_skipped(tmp_path: Path) -> None:
    broken = "from setuptools import setup\nURLS = {}\nsetup(project_urls=URLS,\n"
    write(tmp_path, {"setup.py": broken})
    assert project_links(walk(tmp_path)) == []


def test_bug_tracker_in_setup_py_is_how_to_report_bugs(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"setup.py": SETUP_PY, "README.md": "# widget\n\nMakes widgets.\n"})
    assert [(f.source.path, f.source.line) for f in docs.bug_reporting] == [("setup.py", 9)]


README_WITH_EXTRAS = """\
# widget

Makes widgets.

## Installing

```bash
pip install ".[docs]"
```

Read the [documentation](https://example.org/widget/docs) to start.
"""


def test_documentation_link_in_a_code_block_is_not_one(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"README.md": README_WITH_EXTRAS})
    links = [f.source.line for f in docs.user_docs if "documentation link" in f.detail]
    assert links == [11]


CHANGES_TXT = """\
          CHANGES IN THE 1.4.0 RELEASE
          ----------------------------
The following bugs have been fixed in the 1.4.0 release.

12: Parser rejects folded headers

          CHANGES IN THE 1.3.0 RELEASE
          ----------------------------
7: Timeout ignored
"""


def test_changelog_in_a_documentation_module(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "README.md": "# widget\n",
            "doc/src/main/resources/docs/CHANGES.txt": CHANGES_TXT,
            # not the project's: a test fixture's and a vendored library's
            "core/src/test/resources/docs/CHANGES.txt": CHANGES_TXT,
            "vendor/lib/docs/NEWS.md": "# 0.1\n",
        },
    )
    assert [f.source.path for f in docs.changelog] == ["doc/src/main/resources/docs/CHANGES.txt"]
    assert {"1.4.0", "1.3.0"} <= docs.changelog_versions


def test_changelog_outside_documentation_directories_is_not_looked_for(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"README.md": "# widget\n", "tools/gen/CHANGES.txt": CHANGES_TXT})
    assert docs.changelog == ()


AZURE_MAIN = """\
trigger: ['*']
pr: ['*']
jobs:
- job: Test
  steps:
  - template: /.azure/templates/test.yml
"""
AZURE_RELEASE = """\
trigger:
  tags:
    include: ['*']
pr: none
jobs:
- job: Wheels
  steps:
  - template: /.azure/templates/wheel.yml
"""
AZURE_TEST_TEMPLATE = "steps:\n- bash: |\n    python -m pytest tests\n"
AZURE_WHEEL_TEMPLATE = "steps:\n- bash: |\n    pip install --user twine\n"


def test_azure_pipeline_definitions_beside_the_root_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "azure-pipelines.yml": AZURE_MAIN,
            ".azure/publish-release.yml": AZURE_RELEASE,
            ".azure/templates/test.yml": AZURE_TEST_TEMPLATE,
            ".azure/templates/wheel.yml": AZURE_WHEEL_TEMPLATE,
            ".azure/notes.yml": "owners: [a, b]\n",
        },
    )
    workflows, problems = collect_workflows(walk(tmp_path))
    assert problems == []
    flows = {w.source.path: w for w in workflows}
    # the templates are read through the pipelines that use them, not as pipelines
    assert sorted(p or "" for p in flows) == [".azure/publish-release.yml", "azure-pipelines.yml"]
    release = flows[".azure/publish-release.yml"]
    assert [(f.source.path, f.source.line) for f in release.unpinned_installs] == [
        (".azure/templates/wheel.yml", 3)
    ]
    assert [(f.source.path, f.source.line) for f in flows["azure-pipelines.yml"].runs_tests] == [
        (".azure/templates/test.yml", 3)
    ]


def test_a_ci_test_run_selecting_the_fuzz_tests_is_fuzzing(tmp_path: Path) -> None:
    steps = (
        "steps:\n"
        "- bash: |\n    python -m pytest tests -k fuzzy --fuzzing num_types=100\n"
        "- bash: |\n    ctest -L fuzz --output-on-failure\n"
        "- bash: |\n    python -m pytest tests -m 'not fuzzing'\n"
        '- bash: |\n    python -m pytest tests -k "not fuzz"\n'
    )
    write(
        tmp_path,
        {
            "azure-pipelines.yml": "trigger: ['*']\njobs:\n- job: T\n  "
            + steps.replace("\n", "\n  ")
        },
    )
    workflows, _ = collect_workflows(walk(tmp_path))
    (flow,) = workflows
    assert [f.source.line for f in flow.fuzzing] == [6, 8]
    assert len(flow.runs_tests) == 4


DOC_POM = """\
<project>
  <artifactId>widget-doc</artifactId>
  <packaging>pom</packaging>
</project>
"""
AGGREGATOR_POM = """\
<project>
  <artifactId>widget-parent</artifactId>
  <packaging>pom</packaging>
  <modules><module>core</module></modules>
</project>
"""


def test_maven_on_a_pom_without_modules_runs_no_tests(tmp_path: Path) -> None:
    workflow = """\
on: push
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - run: mvn -B clean install -f doc/pom.xml
      - run: mvn -B verify
      - run: mvn -B --file=doc install
"""
    write(
        tmp_path,
        {
            ".github/workflows/site.yml": workflow,
            "doc/pom.xml": DOC_POM,
            "pom.xml": AGGREGATOR_POM,
            "core/pom.xml": "<project><artifactId>core</artifactId></project>\n",
        },
    )
    workflows, _ = collect_workflows(walk(tmp_path))
    (flow,) = workflows
    # the aggregator's verify runs core's tests; the doc POM has none to run
    assert [f.source.line for f in flow.runs_tests] == [7]


POM_WITH_TRACKER = """\
<project>
  <url>https://example.org/widget</url>
  <issueManagement>
    <system>GitHub</system>
    <url>https://example.org/widget/issues</url>
  </issueManagement>
</project>
"""


def test_maven_issue_management_is_the_issue_tracker(tmp_path: Path) -> None:
    write(tmp_path, {"pom.xml": POM_WITH_TRACKER})
    links = [(link.kind, link.url, link.line) for link in project_links(walk(tmp_path))]
    assert links == [(ISSUES, "https://example.org/widget/issues", 5)]
    property_only = POM_WITH_TRACKER.replace("https://example.org/widget/issues", "${issues.url}")
    write(tmp_path / "p", {"pom.xml": property_only})
    assert project_links(walk(tmp_path / "p")) == []
