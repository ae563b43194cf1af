"""Kinds the fifteenth blind round (held-out-15e: Jakarta JSON Binding, Jakarta Servlet, Jakarta
CDI) showed, on small self-written fixtures.

- A specification directory named ``spec/`` whose figures keep their diagram editor's source
  beside the rendered image (``images/state-transition.drawio`` next to ``.png`` and ``.svg``)
  was taken for RSpec's tests: the ``.drawio`` file counted as test code, "automated tests:
  found" a false pass.
- A document named for a lifecycle (the specification's "Lifecycle of contextual instances"
  chapter, ``core/lifecycle.asciidoc``) was taken for a support policy by its name alone: a
  bean's, request's or component's lifecycle is not the releases' one. A lifecycle document
  that speaks of supported releases, and one named for the releases' lifecycle, still count.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

API = {
    "pom.xml": "<project><artifactId>widget-parent</artifactId></project>\n",
    "api/src/main/java/org/example/Widget.java": "public interface Widget {}\n",
}
DRAWIO = '<mxfile host="drawio"><diagram name="states"><mxGraphModel/></diagram></mxfile>\n'
SPEC = {
    "spec/README.md": "Widget Specification\n====================\n",
    "spec/pom.xml": "<project><artifactId>widget-spec</artifactId></project>\n",
    "spec/src/main/asciidoc/widget-spec.adoc": "= Widget Specification\n",
    "spec/src/main/asciidoc/images/states.png": b"\x89PNG\r\n\x1a\n",
    "spec/src/main/asciidoc/images/states.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}
BEAN_LIFECYCLE = """== Lifecycle of contextual instances

The container creates a bean instance when a contextual reference is first used and
destroys it when its context ends.
"""
RELEASE_LIFECYCLE = """= Release lifecycle

Each minor release is supported for twelve months; after that it is end of life and gets
no security fixes.
"""


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


def test_a_diagram_source_beside_its_figures_is_not_tests(tmp_path: Path) -> None:
    diagrams = {
        "spec/src/main/asciidoc/images/states.drawio": DRAWIO,
        "spec/src/main/asciidoc/images/flow.puml": "@startuml\nA -> B\n@enduml\n",
        "spec/src/main/asciidoc/images/model.excalidraw": '{"type": "excalidraw"}\n',
    }
    write(tmp_path, {**API, **SPEC, **diagrams})
    assert _outcome(tmp_path, "tests_present")[0] == "fail"


def test_a_spec_directory_with_code_beside_a_diagram_still_holds_tests(tmp_path: Path) -> None:
    write(tmp_path, {
        **API, "spec/states.drawio": DRAWIO,
        "spec/widget_spec.rb": "describe 'widget' do\n  it { expect(1).to eq 1 }\nend\n",
    })  # fmt: skip
    assert _outcome(tmp_path, "tests_present")[0] == "pass"


def test_a_bean_lifecycle_chapter_is_not_a_support_policy(tmp_path: Path) -> None:
    write(tmp_path, {
        **API, **SPEC,
        "spec/src/main/asciidoc/core/lifecycle.asciidoc": BEAN_LIFECYCLE,
        "spec/src/main/asciidoc/javaee/lifecycle_ee.asciidoc": BEAN_LIFECYCLE,
    })  # fmt: skip
    assert _outcome(tmp_path, "support_policy_documented")[0] == "fail"


def test_a_lifecycle_document_on_supported_releases_is_a_support_policy(tmp_path: Path) -> None:
    write(tmp_path, {**API, "docs/lifecycle.md": RELEASE_LIFECYCLE})
    assert _outcome(tmp_path, "support_policy_documented") == ("pass", ["docs/lifecycle.md"])


def test_a_document_named_for_the_release_lifecycle_is_a_support_policy(tmp_path: Path) -> None:
    write(tmp_path, {**API, "docs/release-lifecycle.md": "= Releases\n\nSee the table.\n"})
    outcome = _outcome(tmp_path, "support_policy_documented")
    assert outcome == ("pass", ["docs/release-lifecycle.md"])
