"""Kinds met in the held-out-7f blind round (python-attrs/attrs, doctrine/lexer,
rust-lang/cc-rs), each on a small self-written repository collected from its files
(``collect_facts``) and judged by the probe, with the evidence at the exact file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluate.probes.onrepo import judge, where


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: CI\non: [push, pull_request]\npermissions: {}\njobs:\n  test:\n"
        "    runs-on: ubuntu-latest\n    steps:\n" + steps
    )


# -- test commands that only compile or list the tests (cc-rs: ``cargo test --no-run``)


@pytest.mark.parametrize(
    "command",
    [
        "cargo test --no-run --workspace --all-targets",
        "cargo nextest run --no-run",
        "pytest --collect-only -q",
        "python -m pytest --co",
        "ctest -N --test-dir build",
        "dotnet test --list-tests",
        "go test -list . ./...",
    ],
)
def test_a_compile_or_list_only_test_command_is_no_test_run(tmp_path: Path, command: str) -> None:
    out = judge(tmp_path, {".github/workflows/ci.yml": workflow(command)}, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == "fail"


@pytest.mark.parametrize(
    "command",
    ["cargo nextest run --workspace", "cargo test --doc", "ctest --output-on-failure",
     "mvn -N test", "go test ./..."],
)  # fmt: skip
def test_the_running_siblings_still_run_tests(tmp_path: Path, command: str) -> None:
    out = judge(
        tmp_path,
        {".github/workflows/ci.yml": workflow("cargo test --no-run", command)},
        "tests_run_in_ci",
    )
    assert out["tests_run_in_ci"].status.value == "pass"
    assert where(out["tests_run_in_ci"]) == [".github/workflows/ci.yml:9"]


# -- tox 4 selecting environments by factor or label (attrs: ``tox run -f lint``), and nox
#    selecting sessions by tag

TOX_INI = """[tox]
env_list = lint-{ruff,pre-commit}, py3{12,13}-tests

[testenv]
commands = pytest {posargs}

[testenv:lint-{ruff,pre-commit}]
commands =
    ruff: ruff check .
    pre-commit: prek run --all-files
"""

NOXFILE = """import nox


@nox.session(tags=["lint"])
def lint(session):
    session.run("ruff", "check", ".")


@nox.session(tags=["typing"])
def typing(session):
    session.run("mypy", "src")


@nox.session(tags=["tests"])
def tests(session):
    session.run("pytest")
"""


@pytest.mark.parametrize(
    ("command", "runs_tests"),
    [
        ("tox run -f lint", False),
        ("tox run -m docs typing", False),
        ("tox run --factors=lint", False),
        ("tox run -f tests", True),
        ("tox run -f py312", True),
        ("tox run", True),
        ("nox -t lint", False),
        ("nox --tags typing,docs", False),
        ("nox -t tests", True),
    ],
)
def test_a_tox_selection_by_factor_or_label_is_judged_by_its_words(
    tmp_path: Path, command: str, runs_tests: bool
) -> None:
    files = {"tox.ini": TOX_INI, ".github/workflows/ci.yml": workflow(command)}
    if command.startswith("nox"):  # nox runs nothing without its noxfile (held-out-12a)
        files["noxfile.py"] = NOXFILE
    out = judge(tmp_path, files, "tests_run_in_ci")
    assert out["tests_run_in_ci"].status.value == ("pass" if runs_tests else "fail")
    if runs_tests:
        assert ".github/workflows/ci.yml:8" in where(out["tests_run_in_ci"])


# -- a README "Contribution" section that only states the inbound licence (cc-rs)

INBOUND = (
    "Unless you explicitly state otherwise, any contribution intentionally submitted\n"
    "for inclusion in widget by you, as defined in the Apache-2.0 license, shall be\n"
    "dual licensed as above, without any additional terms or conditions.\n"
)


def test_a_contribution_section_that_only_states_the_inbound_licence_is_no_guide(
    tmp_path: Path,
) -> None:
    readme = "# widget\n\nA crate.\n\n## License\n\nMIT or Apache-2.0.\n\n### Contribution\n\n"
    out = judge(tmp_path, {"README.md": readme + INBOUND}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "fail"


def test_a_contribution_section_that_describes_the_process_is_a_guide(tmp_path: Path) -> None:
    readme = (
        "# widget\n\nA crate.\n\n### Contribution\n\n"
        "Open an issue first, then send a pull request with tests.\n\n" + INBOUND
    )
    out = judge(tmp_path, {"README.md": readme}, "contributing_guide_present")
    assert out["contributing_guide_present"].status.value == "pass"
    assert where(out["contributing_guide_present"]) == ["README.md:5"]


# -- a documentation page titled as a question on how the project works (attrs)


@pytest.mark.parametrize(
    "title", ["How Does It Work?", "How do widget classes work?", "Under the Hood"]
)
def test_a_how_does_it_work_page_is_design_documentation(tmp_path: Path, title: str) -> None:
    page = f"(how)=\n\n# {title}\n\n## Boilerplate\n\nThe decorator writes the methods.\n"
    files = {"README.md": "# widget\n", "docs/widget-tour.md": page}
    out = judge(tmp_path, files, "design_documented")
    assert out["design_documented"].status.value == "pass"
    assert where(out["design_documented"]) == ["docs/widget-tour.md:3"]


def test_a_how_to_page_is_no_design_documentation(tmp_path: Path) -> None:
    page = "# How do I install it?\n\npip install widget\n"
    files = {"README.md": "# widget\n", "docs/faq.md": page}
    out = judge(tmp_path, files, "design_documented")
    assert out["design_documented"].status.value == "fail"
