"""Kinds the fourteenth blind round (held-out-14b: Apache Commons DbUtils, Jakarta WebSocket)
showed, on small self-written fixtures.

- A Maven module in a directory named ``spec/`` (a Jakarta specification module, declared by
  the root POM's ``<modules>``) was left out of the dependency manifests, as if it were
  RSpec's test directory; a ``spec/`` the root POM does not declare (or declares only in a
  comment), and a declared module in a test directory by another name (``api/tests``), stay
  left out.
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from tests.collect.gitrepo import write

ROOT_POM = """<project>
  <artifactId>widget-parent</artifactId>
  <packaging>pom</packaging>
  <modules>
    <module>api</module>
    <module>spec</module>
    <!-- <module>specs</module> -->
  </modules>
</project>
"""
API_POM = """<project>
  <artifactId>widget-api</artifactId>
  <modules>
    <module>client</module>
    <module>tests</module>
  </modules>
</project>
"""
LEAF_POM = "<project>\n  <artifactId>widget-{0}</artifactId>\n</project>\n"
SOURCE = {"api/client/src/main/java/org/example/Widget.java": "public interface Widget {}\n"}


def _manifests(root: Path) -> list[str]:
    return sorted(f.source.path or "" for f in collect_facts(root).dependencies.manifests)


def test_a_declared_spec_module_is_a_manifest_of_the_project(tmp_path: Path) -> None:
    write(tmp_path, {
        "pom.xml": ROOT_POM, "api/pom.xml": API_POM, **SOURCE,
        "api/client/pom.xml": LEAF_POM.format("client"),
        "api/tests/pom.xml": LEAF_POM.format("tests"),
        "spec/pom.xml": LEAF_POM.format("spec"),
        "spec/src/main/asciidoc/widget-spec.adoc": "= Widget Specification\n",
        "specs/pom.xml": LEAF_POM.format("specs"),
    })  # fmt: skip
    assert _manifests(tmp_path) == [
        "api/client/pom.xml", "api/pom.xml", "pom.xml", "spec/pom.xml",
    ]  # fmt: skip


def test_an_undeclared_spec_directory_stays_left_out(tmp_path: Path) -> None:
    root = ROOT_POM.replace("    <module>spec</module>\n", "")
    write(tmp_path, {
        "pom.xml": root, "api/pom.xml": API_POM, **SOURCE,
        "api/client/pom.xml": LEAF_POM.format("client"),
        "spec/pom.xml": LEAF_POM.format("spec"),
        "spec/fixtures/Gemfile": "source 'https://rubygems.org'\ngem 'rake'\n",
    })  # fmt: skip
    assert _manifests(tmp_path) == ["api/client/pom.xml", "api/pom.xml", "pom.xml"]
