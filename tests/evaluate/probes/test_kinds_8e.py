"""Kinds met in the held-out-8e blind round (Eclipse projects: a C client library with CMake,
Travis and AppVeyor, a Java/Maven library, a C API over a Rust crate), each on a small
self-written repository collected from its files (``collect_facts``) and judged by the
probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect.cmaketargets import custom_targets
from steward.collect.readmeuse import code_examples, doc_badges
from tests.evaluate.probes.onrepo import judge, where


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  build:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567\n" + steps
    )


# -- user documentation shown by a documentation badge or API code examples in the README,
#    with no "Usage" heading, docs directory or link named "Documentation"

BINDING_README = (
    "# Jsonbind\n"  # 1
    "\n"
    "[![Build](https://ci.example.org/badge.svg)](https://ci.example.org/jsonbind)\n"  # 3
    "[![Javadocs](https://www.javadoc.io/badge/org.example/jsonbind.svg)]"
    "(https://www.javadoc.io/doc/org.example/jsonbind)\n"  # 4
    "\n"
    "Jsonbind maps Java objects to JSON documents.\n"  # 6
    "\n"
    "```java\n"  # 8
    "Binder binder = Binder.create();\n"
    "String json = binder.toJson(order);\n"
    "```\n"  # 11
    "\n"
    "Options change the mapping:\n"  # 13
    "\n"
    "```java\n"  # 15
    "Binder pretty = Binder.create(new Options().withIndent(2));\n"
    "```\n"
    "\n"
    "## Licences\n"  # 19
    "- EPL-2.0\n"
)


def test_documentation_badge_and_code_examples_document_use(tmp_path: Path) -> None:
    out = judge(tmp_path, {"README.md": BINDING_README}, "user_documentation_present")
    docs = out["user_documentation_present"]
    assert docs.status.value == "pass", docs.message
    # the API reference badge is a documentation link of its own (held-out-8f), so the code
    # examples, weaker signs, are not needed beside it
    assert where(docs) == ["README.md:4"]
    # without the badge, the code examples document use, each block at its own line
    without_badge = "\n".join(
        line for line in BINDING_README.split("\n") if "javadoc.io" not in line
    )
    out = judge(tmp_path / "b", {"README.md": without_badge}, "user_documentation_present")
    docs = out["user_documentation_present"]
    assert docs.status.value == "pass", docs.message
    assert where(docs) == ["README.md:7", "README.md:14"]


def test_shell_snippets_and_build_badges_are_not_user_documentation(tmp_path: Path) -> None:
    readme = (
        "# Tool\n"
        "\n"
        "[![Build](https://ci.example.org/badge.svg)](https://ci.example.org/tool)\n"
        "\n"
        "```sh\n"
        "make && make install\n"
        "```\n"
        "\n"
        "```xml\n"
        "<dependency><artifactId>tool</artifactId></dependency>\n"
        "```\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    assert out["user_documentation_present"].status.value == "fail"


def test_weaker_signs_only_when_nothing_stronger(tmp_path: Path) -> None:
    readme = BINDING_README + "\n## Usage\n\nCall `Binder.create()`.\n"  # line 22
    out = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    # the Usage section and the API reference badge (a documentation link, held-out-8f); the
    # code examples at lines 8 and 15 are weaker signs, not listed beside them
    assert sorted(where(out["user_documentation_present"])) == ["README.md:22", "README.md:4"]


def test_a_code_block_inside_a_longer_fence_is_not_counted() -> None:
    text = "````md\n```python\nimport x\n```\n````\n\n```rust\nlet x = 1;\n```\n"
    assert [f.source.line for f in code_examples("README.md", text)] == [7]


@pytest.mark.parametrize(
    ("line", "counted"),
    [
        ("[![docs.rs](https://docs.rs/foo/badge.svg)](https://docs.rs/foo)", True),
        ("[![Documentation Status](https://rtd.example/b.svg)](https://foo.readthedocs.io/)", True),
        ('<a href="https://pkg.go.dev/example.org/foo"><img src="x.svg" alt="Go"></a>', True),
        (
            "[![Crates.io](https://img.shields.io/crates/v/foo.svg)](https://crates.io/crates/foo)",
            False,
        ),
        ("[![CI](https://docs.rs/foo/badge.svg)](https://docs.rs/foo/badge.svg)", False),
        ("see [serde](https://docs.rs/serde) for the format", False),
    ],
)
def test_documentation_badges(line: str, counted: bool) -> None:
    assert bool(doc_badges("README.md", line)) is counted


def test_badges_in_html_comments_are_not_read(tmp_path: Path) -> None:
    readme = (
        "# Lib\n<!--\n[![Javadocs](https://www.javadoc.io/badge/a/b.svg)]"
        "(https://www.javadoc.io/doc/a/b)\n-->\nA library.\n"
    )
    out = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    assert out["user_documentation_present"].status.value == "fail"


# -- Conan's test_package (a consumer test of the package) is not the project's manifest


def test_conan_test_package_is_not_the_projects_manifest(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "CMakeLists.txt": "project(mqttc C)\nadd_library(mqttc src/client.c)\n",
        "src/client.c": "int client(void) { return 0; }\n",
        "test_package/conanfile.py": (
            "from conans import ConanFile, CMake\n\n"
            "class TestPackageConan(ConanFile):\n    settings = 'os'\n"
        ),
        "test_package/CMakeLists.txt": "project(test_package C)\n",
    }
    out = judge(tmp_path, files, "dependency_manifest_present", "lockfiles_present")
    assert out["dependency_manifest_present"].status.value == "fail"
    assert out["lockfiles_present"].status.value == "not-applicable"


def test_a_root_conan_recipe_is_still_a_manifest(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "conanfile.txt": "[requires]\nzlib/1.3.1\n",
        "test_package/conanfile.py": "from conans import ConanFile\n",
    }
    out = judge(tmp_path, files, "dependency_manifest_present")
    assert out["dependency_manifest_present"].status.value == "pass"
    assert [str(e.source) for e in out["dependency_manifest_present"].evidence] == ["conanfile.txt"]


# -- cmake --build --target NAME: CMake's own `test` runs ctest; the project's own target runs
#    what its add_custom_target says (a target without a command only builds)

TESTS_CMAKE = (
    "add_custom_target(tests)\n"  # 1: builds the test programs only
    "foreach(t unit_a unit_b)\n"
    "  add_executable(${t} ${t}.c)\n"
    "  add_dependencies(tests ${t})\n"
    "  add_test(NAME ${t} COMMAND ${t})\n"
    "endforeach()\n"
    "add_custom_target(check\n"  # 7: runs them
    "  COMMAND ${CMAKE_CTEST_COMMAND} --output-on-failure  # after a build\n"
    "  DEPENDS tests)\n"
    "add_custom_target(run_unit_tests $<TARGET_FILE:unit_tests> WORKING_DIRECTORY x)\n"
)


def test_cmake_custom_targets_are_read() -> None:
    defined = custom_targets([("tests/CMakeLists.txt", TESTS_CMAKE)], "check")
    assert [(t.line, t.commands) for t in defined] == [
        (7, (("${CMAKE_CTEST_COMMAND}", "--output-on-failure"),))
    ]
    assert custom_targets([("tests/CMakeLists.txt", TESTS_CMAKE)], "tests")[0].commands == ()
    run = custom_targets([("x.cmake", TESTS_CMAKE)], "run_unit_tests")[0]
    assert run.commands == (("$<TARGET_FILE:unit_tests>",),)


def test_building_a_test_target_is_not_running_the_tests(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow(
            "cmake --build build --target tests",  # 10: builds
            "cmake --build build --target check",  # 11: custom target running ctest
            "cmake --build build --target test",  # 12: CMake's own test target
            "cmake --build build --target run_unit_tests",  # 13: runs a test program
        ),
        "CMakeLists.txt": "project(p C)\nadd_subdirectory(tests)\n",
        "tests/CMakeLists.txt": TESTS_CMAKE,
    }
    out = judge(tmp_path, files, "tests_run_in_ci")
    ran = out["tests_run_in_ci"]
    assert ran.status.value == "pass"
    assert where(ran) == [
        ".github/workflows/ci.yml:11",
        ".github/workflows/ci.yml:12",
        ".github/workflows/ci.yml:13",
    ]


def test_only_building_test_programs_is_no_test_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow("cmake --build build --target tests"),
        "tests/CMakeLists.txt": TESTS_CMAKE,
        "tests/unit_a.c": "int main(void) { return 0; }\n",
    }
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "fail"


def test_a_target_the_tree_does_not_define_is_judged_by_its_name(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow("cmake --build build --target unit_tests"),
        "CMakeLists.txt": "project(p C)\n",
    }
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:10"]


# -- an analyser named only in a CI file that is not read (Travis CI): unknown, not a
#    guessed fail, beside GitHub workflows that run none

# Travis CI is read since the second crash hunt; Jenkins' Groovy is not
JENKINS_WITH_ANALYSERS = (
    "pipeline {\n"  # 1
    "  agent any\n"
    "  stages {\n"
    "    stage('build') { steps { sh './build.sh' } }\n"  # 4
    "    stage('analyse') { steps { sh 'cppcheck --enable=all src' } }\n"  # 5
    "    stage('audit') { steps { sh 'cargo audit' } }\n"  # 6
    "  }\n"
    "}\n"
)


def test_analysers_named_by_an_unread_ci_file_are_unknown(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow("make", "make check"),
        "Jenkinsfile": JENKINS_WITH_ANALYSERS,
        "Makefile": "all:\n\tcc -c src/a.c\ncheck:\n\t./run-tests\n",
    }
    out = judge(tmp_path, files, "sast_configured", "sca_configured")
    sast, sca = out["sast_configured"], out["sca_configured"]
    assert sast.status.value == "unknown", sast.message
    assert where(sast) == ["Jenkinsfile:5"]
    assert sca.status.value == "unknown"
    assert where(sca) == ["Jenkinsfile:6"]


def test_an_unread_ci_file_naming_no_analyser_changes_nothing(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow("make"),
        ".travis.yml": "language: c\nscript:\n- make\n# - cppcheck src\n",
    }
    out = judge(tmp_path, files, "sast_configured", "sca_configured")
    assert out["sast_configured"].status.value == "fail"
    assert out["sca_configured"].status.value == "fail"


def test_an_analyser_in_the_ci_that_is_read_still_passes(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow("cppcheck --error-exitcode=1 src"),
        "Jenkinsfile": JENKINS_WITH_ANALYSERS,
    }
    out = judge(tmp_path, files, "sast_configured")
    assert out["sast_configured"].status.value == "pass"
    assert where(out["sast_configured"]) == [".github/workflows/ci.yml:10"]
