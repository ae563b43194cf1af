"""Conventions OpenSSF Scorecard recognises that the collector missed, found by comparing the
two family by family (bench/README.md, "Recognition compared with Scorecard"). Self-written
fixtures; each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.ci import collect_workflows, parse_dockerfile, parse_github_workflow
from steward.collect.commands import normalise, unpinned_install
from steward.collect.deps import collect_dependencies
from steward.collect.documents import collect_docs, collect_licenses, collect_policy
from steward.collect.run import collect_facts
from steward.collect.scan import binary_artifacts, fuzz_targets
from steward.collect.shell import commands
from steward.collect.tree import walk
from tests.collect.gitrepo import write

# ------------------------------------------------------------------ dependency update tools


@pytest.mark.parametrize(
    "path",
    [
        ".gitlab/renovate.json5",
        ".forgejo/renovate.json",
        ".scala-steward.conf",
        "scala-steward.conf",
        ".github/.scala-steward.conf",
        ".config/scala-steward.conf",
    ],
)
def test_update_tool_configuration_places(tmp_path: Path, path: str) -> None:
    text = (
        '{ extends: ["config:recommended"] }\n'
        if "renovate" in path
        else 'pullRequests.frequency = "7 days"\n'
    )
    write(tmp_path, {path: text, "README.md": "# widget\n"})
    found = collect_dependencies(walk(tmp_path)).update_tools
    assert [f.source.path for f in found] == [path]


def test_renovate_configuration_in_the_root_package_json(tmp_path: Path) -> None:
    package = (
        '{\n  "name": "widget",\n  "version": "1.0.0",\n'
        '  "renovate": {\n    "extends": ["config:recommended"]\n  }\n}\n'
    )
    nested = '{\n  "name": "inner",\n  "renovate": {"extends": ["config:base"]}\n}\n'
    write(tmp_path, {"package.json": package, "packages/inner/package.json": nested})
    found = collect_dependencies(walk(tmp_path)).update_tools
    # only the root package.json is read by Renovate
    assert [(f.source.path, f.source.line) for f in found] == [("package.json", 4)]


def test_package_json_without_renovate_is_no_update_tool(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "widget", "renovate": "no"}\n'})
    assert collect_dependencies(walk(tmp_path)).update_tools == ()


# ------------------------------------------------------------ fuzzing and property tests

PROPERTY_TESTS = {
    # Haskell: QuickCheck through Hspec, Hedgehog directly
    "test/Spec.hs": "module Main where\n\nimport Test.Hspec\nimport Test.Hspec.QuickCheck\n",
    "test/RoundTrip.hs": "module RoundTrip where\nimport qualified Hedgehog\n",
    # Erlang PropEr
    "test/prop_codec.erl": '-module(prop_codec).\n-include_lib("proper/include/proper.hrl").\n',
    # Elixir StreamData
    "test/codec_test.exs": "defmodule CodecTest do\n  use ExUnit.Case\n  use ExUnitProperties\n",
    # Gleam qcheck
    "test/codec_test.gleam": "import gleeunit\nimport qcheck\n",
    # C# and F# FsCheck
    "Widget.Tests/CodecTests.cs": "using System;\nusing FsCheck;\nusing FsCheck.Xunit;\n",
    "tests/Codec.fs": "module Codec\n\nopen Expecto\nopen FsCheck\n",
    # fast-check through its Jest runner package
    "test/codec.test.ts": 'import { test, fc } from "@fast-check/jest";\n',
    # jqwik
    "src/test/java/org/acme/CodecProperties.java": (
        "package org.acme;\n\nimport net.jqwik.api.*;\n"
    ),
}


def test_property_based_tests_of_every_language_scorecard_knows(tmp_path: Path) -> None:
    write(tmp_path, PROPERTY_TESTS)
    found = {(f.source.path, f.source.line) for f in fuzz_targets(walk(tmp_path))}
    assert found == {
        ("test/Spec.hs", 4),
        ("test/RoundTrip.hs", 2),
        ("test/prop_codec.erl", 2),
        ("test/codec_test.exs", 3),
        ("test/codec_test.gleam", 2),
        ("Widget.Tests/CodecTests.cs", 2),
        ("tests/Codec.fs", 4),
        ("test/codec.test.ts", 1),
        ("src/test/java/org/acme/CodecProperties.java", 3),
    }


def test_plain_unit_tests_are_not_property_tests(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "test/Spec.hs": "import Test.Hspec\nimport Test.HUnit\n",
            "test/codec_test.exs": "defmodule CodecTest do\n  use ExUnit.Case\n",
            "Widget.Tests/CodecTests.cs": "using Xunit;\n// FsCheck would go here\n",
            "test/codec.test.ts": 'import { test } from "@fast-check/poisoned";\n',
        },
    )
    assert fuzz_targets(walk(tmp_path)) == []


# ---------------------------------------------------------------------- static analysis

SONAR_AND_HADOLINT = """\
name: analysis
on: [push]
jobs:
  docker:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: hadolint/hadolint-action@v3.1.0
        with:
          dockerfile: Dockerfile
  java:
    runs-on: ubuntu-latest
    steps:
      - run: ./mvnw -B verify org.sonarsource.scanner.maven:sonar-maven-plugin:sonar
      - run: ./gradlew build sonar --info
      - run: mvn -B verify
"""


def test_hadolint_and_sonar_build_goals_are_static_analysis() -> None:
    wf = parse_github_workflow(".github/workflows/analysis.yml", SONAR_AND_HADOLINT)
    assert [(f.source.line, f.detail.split()[1]) for f in wf.sast] == [
        (8, "hadolint/hadolint-action@v3.1.0"),
        (14, "mvnw"),
        (15, "gradlew"),
    ]


# ------------------------------------------------------------------- other CI systems


@pytest.mark.parametrize(
    ("path", "system"),
    [
        (".woodpecker/test.yaml", "Woodpecker"),
        (".packit.yaml", "Packit"),
        ("azure-pipelines.yaml", "Azure Pipelines"),
        (".buildkite/pipeline.yaml", "Buildkite"),
        (".builds/alpine.yml", "sourcehut builds"),
        (".gitea/workflows/ci.yaml", "Gitea Actions"),
    ],
)
def test_ci_systems_in_their_other_places(tmp_path: Path, path: str, system: str) -> None:
    write(tmp_path, {path: "jobs: {}\nsteps: []\n"})  # (Gitea runs GitHub workflows)
    workflows, problems = collect_workflows(walk(tmp_path))
    assert problems == []
    assert [w.system for w in workflows] == [system]


# ------------------------------------------------------------------------------ licences


def _licence_files(tmp_path: Path, files: dict[str, str | bytes]) -> list[tuple[str, str | None]]:
    write(tmp_path, files)
    licences, _ = collect_licenses(walk(tmp_path))
    return [(lic.source.path or "", lic.spdx) for lic in licences if lic.how != "manifest"]


def test_licence_named_by_its_spdx_identifier(tmp_path: Path) -> None:
    found = _licence_files(tmp_path, {"BSL-1.0-LICENSE": "Boost licence, paraphrased.\n"})
    assert found == [("BSL-1.0-LICENSE", "BSL-1.0")]


def test_copyright_file_counts_only_without_another_licence_file(tmp_path: Path) -> None:
    assert _licence_files(tmp_path / "a", {"COPYRIGHT": "Copyright 2024 Widget authors.\n"}) == [
        ("COPYRIGHT", None)
    ]
    both = {"COPYRIGHT.txt": "Copyright 2024 Widget authors.\n", "LICENSE-MIT": "MIT, short.\n"}
    assert [p for p, _ in _licence_files(tmp_path / "b", both)] == ["LICENSE-MIT"]


def test_third_party_licence_files_are_not_the_projects(tmp_path: Path) -> None:
    files = {
        "LICENSE-THIRD-PARTY": "jquery: MIT\n",
        "THIRD-PARTY-LICENSES.txt": "lodash: MIT\n",
        "LICENSE": "Widget licence, paraphrased.\n",
    }
    assert [p for p, _ in _licence_files(tmp_path, files)] == ["LICENSE"]


# ---------------------------------------------------------------------- binary artifacts

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def test_binaries_told_by_content_whatever_their_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "vendor/lib/libz.so.1.3.1": ELF,
            "prebuilt/addon.node": ELF,
            "tools/protoc.x86_64": ELF,
            "scripts/release.sh": "#!/bin/sh\necho release\n",
            "docs/notes.so.txt": "a text file\n",
        },
    )
    for name in ("tools/protoc.x86_64", "scripts/release.sh"):
        (tmp_path / name).chmod(0o755)
    found = [f.source.path for f in binary_artifacts(walk(tmp_path))]
    assert found == ["prebuilt/addon.node", "tools/protoc.x86_64", "vendor/lib/libz.so.1.3.1"]


SETUP_GRADLE = """\
name: build
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: gradle/actions/setup-gradle@{ref}
{extra}      - run: ./gradlew build
"""


@pytest.mark.parametrize(
    ("ref", "extra", "validated"),
    [
        ("v4", "", True),
        ("ac638b010cf58a27ee6c972d7336334ccaf61c96 # v4.4.1", "", True),
        ("v3", "", False),
        ("ac638b010cf58a27ee6c972d7336334ccaf61c96", "", False),  # version not shown
        ("v4", "        with:\n          validate-wrappers: false\n", False),
    ],
)
def test_setup_gradle_from_v4_validates_the_wrapper(
    tmp_path: Path, ref: str, extra: str, validated: bool
) -> None:
    write(
        tmp_path,
        {
            "gradle/wrapper/gradle-wrapper.jar": b"PK\x03\x04\x00\x00binary",
            ".github/workflows/build.yml": SETUP_GRADLE.format(ref=ref, extra=extra),
        },
    )
    facts = collect_facts(tmp_path)
    flagged = [f.source.path for f in facts.binary_artifacts]
    assert flagged == ([] if validated else ["gradle/wrapper/gradle-wrapper.jar"])


# ------------------------------------------------------------------- token permissions

TOP_PERMISSIONS = """\
name: publish
on: [push]
permissions:
  contents: read
{scope}: write
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: echo publish
"""


@pytest.mark.parametrize(
    ("scope", "level"),
    [("  id-token", "read"), ("  attestations", "read"), ("  pull-requests", "write")],
)
def test_top_level_scopes_that_write_nothing_in_the_repository(scope: str, level: str) -> None:
    wf = parse_github_workflow(".github/workflows/p.yml", TOP_PERMISSIONS.format(scope=scope))
    assert wf.top_permissions == level
    # a job's id-token write is still listed among the job-level writes (shown as a warning)
    assert [f.source.line for f in wf.job_writes] == [10]


# ------------------------------------------------------------------- script injection

INJECTION = """\
name: echo
on: [issue_comment]
jobs:
  echo:
    runs-on: ubuntu-latest
    steps:
      - run: echo '${{ toJSON(github) }}'
      - run: echo "${{ github.event.blocked_user.name }}"
      - run: echo "${{ toJSON(github.sha) }} ${{ github.event.issue.number }}"
"""


def test_the_whole_github_context_and_blocked_user_names_are_untrusted() -> None:
    wf = parse_github_workflow(".github/workflows/echo.yml", INJECTION)
    assert [f.source.line for f in wf.script_injections] == [7, 8]


# ----------------------------------------------------------------- Dockerfile base images

DIGEST_ARG = """\
ARG BASE_DIGEST
ARG TAG=3.20
FROM alpine:${TAG}@sha256:${BASE_DIGEST} AS build
FROM alpine:${TAG}
"""


def test_a_digest_given_as_a_build_argument_pins_the_image() -> None:
    images = parse_dockerfile("Dockerfile", DIGEST_ARG)
    assert [(i.source.line, i.pinned) for i in images] == [(3, True), (4, False)]


# ------------------------------------------------------------------------------- SBOMs


def test_sbom_files_of_the_project_not_its_test_fixtures(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tests/data/sample.cdx.json": "{}\n",
            "examples/app/bom.json": "{}\n",
            "widget.spdx.rdf.xml": "<rdf/>\n",
            "sbom/widget.spdx.xml": "<spdx/>\n",
        },
    )
    docs = collect_docs(walk(tmp_path), None, collect_policy(walk(tmp_path), None)[0])
    assert sorted(f.source.path or "" for f in docs.sbom_files) == [
        "sbom/widget.spdx.xml",
        "widget.spdx.rdf.xml",
    ]


# -------------------------------------------------------------------- unpinned installs


@pytest.mark.parametrize(
    ("script", "unpinned"),
    [
        ("pip install .[test]", False),  # the project itself, like `pip install .`
        ("pip install ./plugins/extra[dev]", False),
        ("pip install requests[socks]", True),
        ("py -3.12 -m pip install tox", True),  # the Windows launcher
        ("py -3 -m pip install tox==4.23.2", False),
    ],
)
def test_local_installs_with_extras_and_the_windows_launcher(script: str, unpinned: bool) -> None:
    argv = normalise(commands(script)[0])
    assert (unpinned_install(argv) is not None) is unpinned


def test_a_licence_directory_counts_only_without_a_top_level_licence(tmp_path: Path) -> None:
    alone = {"license/LICENSE-APACHE.txt": "Apache, short.\n", "license/NOTICE-deps.txt": "x\n"}
    assert [p for p, _ in _licence_files(tmp_path / "a", alone)] == ["license/LICENSE-APACHE.txt"]
    beside = {"LICENSE.txt": "Widget licence.\n", "license/LICENSE.jquery.txt": "MIT, short.\n"}
    assert [p for p, _ in _licence_files(tmp_path / "b", beside)] == ["LICENSE.txt"]
