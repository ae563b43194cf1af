"""Kinds the fifteenth blind round (held-out-15g: Apache and Eclipse projects not written in
Java) showed, judged through the probes. Self-written fixtures; each test failed before its
fix."""

from __future__ import annotations

from pathlib import Path

from tests.evaluate.probes.onrepo import judge, where


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  build:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567\n" + steps
    )


# -- installing the test runner is not running the tests


def test_installing_the_test_runner_package_is_no_test_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow(
            "pip3 install pytest pytest-xdist fixtures",  # 10: installs
            "pipx install pytest",  # 11
            "conda install pytest",  # 12
            "python -m pytest -x",  # 13: runs
            "uv run pytest",  # 14: runs
        ),
        "tests/test_a.py": "def test_a():\n    assert True\n",
    }
    ran = judge(tmp_path, files, "tests_run_in_ci")["tests_run_in_ci"]
    assert ran.status.value == "pass"
    assert where(ran) == [".github/workflows/ci.yml:13", ".github/workflows/ci.yml:14"]


# -- cmake --build --target NAME, where NAME is the project's add_executable: a build


HARDENING_CMAKE = (
    "add_executable(hardening_test)\n"  # 1
    "target_sources(hardening_test PRIVATE hardening_test.cpp)\n"
    "add_test(NAME hardening_test COMMAND hardening_test)\n"
    "add_library(sketch_tests_lib STATIC lib.cpp)\n"
)


def test_building_a_test_executable_target_is_no_test_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow(
            "cmake --build build --target hardening_test --config Debug",  # 10: builds
            "cmake --build build --target sketch_tests_lib",  # 11: builds a library
            "cd build && ./common/test/hardening_test",  # 12: runs the program
            "cmake --build build --target unit_tests",  # 13: not the tree's: by its name
        ),
        "CMakeLists.txt": "project(p CXX)\nadd_subdirectory(common/test)\n",
        "common/test/CMakeLists.txt": HARDENING_CMAKE,
        "common/test/hardening_test.cpp": "int main() { return 0; }\n",
    }
    ran = judge(tmp_path, files, "tests_run_in_ci")["tests_run_in_ci"]
    assert ran.status.value == "pass"
    assert ".github/workflows/ci.yml:10" not in where(ran)
    assert ".github/workflows/ci.yml:11" not in where(ran)
    assert ".github/workflows/ci.yml:13" in where(ran)


# -- a job container named by a property of object-valued matrix entries


MATRIX_CONTAINER = (
    "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n"
    "  gcc:\n"  # 6
    "    runs-on: ubuntu-latest\n"
    "    container:\n"
    "      image: ${{ matrix.config.image }}\n"  # 9
    "    strategy:\n"
    "      matrix:\n"
    "        config:\n"
    '        - { name: "GCC 9", image: "ubuntu:24.04", cc: gcc-9 }\n'
    '        - { name: "GCC 15", image: "ubuntu:25.10", cc: gcc-15 }\n'
    "    steps:\n"
    "      - run: make\n"
    "  clang:\n"  # 17
    "    runs-on: ubuntu-latest\n"
    "    container: ${{ matrix.config.image }}\n"  # 19: no entry names an image
    "    strategy:\n"
    "      matrix:\n"
    "        config:\n"
    "        - { name: clang, cc: clang }\n"
    "    steps:\n"
    "      - run: make\n"
)


def test_a_container_from_object_valued_matrix_entries_is_each_entrys_image(
    tmp_path: Path,
) -> None:
    files: dict[str, str | bytes] = {".github/workflows/ci.yml": MATRIX_CONTAINER}
    out = judge(tmp_path, files, "containers_pinned_by_digest", "dependencies_pinned")
    assert out["containers_pinned_by_digest"].status.value == "fail"
    assert where(out["containers_pinned_by_digest"]) == [".github/workflows/ci.yml:9"] * 2
    assert ".github/workflows/ci.yml:9" in where(out["dependencies_pinned"])
    assert ".github/workflows/ci.yml:19" not in where(out["dependencies_pinned"])


# -- a "<language> API" heading over a sentence on what the repository provides


BINDING_README = (
    "# Widget\n"  # 1
    "\n"
    "Widget moves data between hosts.\n"
    "\n"
    "-------------------------------\n"
    "\n"
    "# Python API\n"  # 7: says only what the repository is
    "\n"
    "This repository provides a Python binding of the [Widget core](https://example.org/core).\n"
    "\n"
    "-------------------------------\n"
    "\n"
    "## Usage\n"  # 13
    "\n"
    "```bash\npip install widget\n```\n"
    "\n"
    "## Rust API\n"  # 19: lists what the API offers
    "\n"
    "- `Widget::open(path)` opens a store\n"
    "- `Widget::close()` closes it\n"
)


def test_an_api_heading_over_a_one_line_description_is_no_section_on_use(
    tmp_path: Path,
) -> None:
    files: dict[str, str | bytes] = {"README.md": BINDING_README}
    docs = judge(tmp_path, files, "user_documentation_present")["user_documentation_present"]
    assert docs.status.value == "pass"
    assert "README.md:7" not in where(docs)
    assert "README.md:13" in where(docs)
    assert "README.md:19" in where(docs)


def test_an_api_heading_over_subsections_is_a_section_on_use(tmp_path: Path) -> None:
    readme = (
        "# slug\n\nMakes slugs.\n\n"  # 1
        "## API\n\n"  # 5
        "### slug(text)\n\nSlugifies text.\n"  # 7
    )
    docs = judge(tmp_path, {"README.md": readme}, "user_documentation_present")
    assert "README.md:5" in where(docs["user_documentation_present"])
