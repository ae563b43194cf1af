"""steward.yml: one schema, errors that name the file and the line, nothing half-applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from steward.errors import InputError, UnsafeInputError
from steward.projectconfig import SECTIONS, load_project_config, parse_project_config

GOOD = """\
# answers for Steward
attestations:
  STW-VUL-06:
    status: met
    evidence: https://example.org/security-team
    by: alice
    date: 2026-11-01
  stw-gov-2: {status: not-applicable, evidence: mailing list only}

accept:
  - requirement: STW-BLD-02
    path: .github/workflows/release.yml
    reason: the release workflow pins our own action by tag
    owner: alice@example.org
    expires: 2027-03-31
  - probe: fuzzing_configured
    reason: no parser of untrusted input yet
    owner: bob
    expires: "2027-01-15"
"""


def test_a_valid_file() -> None:
    config = parse_project_config(GOOD, source=".github/steward.yml")
    assert SECTIONS == ("attestations", "accept", "project", "cra", "projects")
    assert set(config.attestations) == {"STW-VUL-06", "STW-GOV-02"}  # ids made canonical
    assert config.attestations["STW-VUL-06"].date == "2026-11-01"
    assert config.attestation_lines == {"STW-VUL-06": 3, "STW-GOV-02": 8}
    first, second = config.acceptances
    assert (first.requirement, first.probe, first.line) == ("STW-BLD-02", None, 11)
    assert first.where == ".github/steward.yml:11" and first.expires == dt.date(2027, 3, 31)
    assert (second.requirement, second.probe, second.line) == (None, "fuzzing_configured", 16)
    assert second.target == "probe fuzzing_configured" and second.covers_path(None)
    assert first.covers_path(".github/workflows/release.yml")
    assert not first.covers_path(".github/workflows/ci.yml") and not first.covers_path(None)
    assert not first.expired(dt.date(2027, 3, 31)) and first.expired(dt.date(2027, 4, 1))


def test_path_patterns_are_gitignore_style() -> None:
    config = parse_project_config(
        "accept:\n"
        "  - {requirement: STW-DEP-02, path: 'tests/**', reason: r, owner: o, "
        "expires: 2027-01-01}\n"
        "  - {requirement: STW-DEP-02, path: '*.gradle', reason: r, owner: o, "
        "expires: 2027-01-01}\n"
    )
    tests, gradle = config.acceptances
    assert tests.covers_path("tests/fixtures/a/build.gradle")
    assert not tests.covers_path("src/tests.py")
    assert gradle.covers_path("samples/x/build.gradle") and gradle.covers_path("build.gradle")


def test_empty_and_comment_only_files() -> None:
    assert parse_project_config("").acceptances == ()
    assert parse_project_config("# nothing yet\n").attestations == {}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("attestations:\n  STW-NOPE-01: {status: met}\n", 2,
         "unknown requirement id 'STW-NOPE-01'"),
        ("attestations:\n  STW-VUL-01: {status: met}\n  stw-vul-1: {status: met}\n", 3,
         "STW-VUL-01 is answered twice"),
        ("attestations:\n  STW-VUL-01:\n    status: maybe\n", 3,
         "attestations.STW-VUL-01.status: Input should be"),
        ("attestations:\n  STW-VUL-01: {status: met, evidnce: x}\n", 2,
         "attestations.STW-VUL-01: unknown field 'evidnce'"),
        ("attestations: [STW-VUL-01]\n", 1, "attestations: Input should be a valid dictionary"),
        ("accept:\n  - requirement: STW-XYZ-09\n    reason: r\n    owner: o\n"
         "    expires: 2027-01-01\n", 2, "accept[0]: unknown requirement id 'STW-XYZ-09'"),
        ("accept:\n  - {reason: r, owner: o, expires: 2027-01-01}\n"
         "  - probe: no_such_probe\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 2,
         "accept[0]: give exactly one of 'requirement' or 'probe'"),
        ("accept:\n  - {requirement: STW-VUL-01, reason: r, owner: o, expires: 2027-01-01}\n"
         "  - probe: no_such_probe\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", 3,
         "accept[1]: unknown probe 'no_such_probe'"),
        ("accept:\n  - requirement: STW-VUL-01\n    owner: o\n    expires: 2027-01-01\n", 2,
         "accept[0]: 'reason' is required"),
        ("accept:\n  - requirement: STW-VUL-01\n    reason: '  '\n    owner: o\n"
         "    expires: 2027-01-01\n", 3, "accept[0].reason:"),
        ("accept:\n  - requirement: STW-VUL-01\n    reason: r\n    owner: o\n"
         "    expires: next year\n", 5, "accept[0].expires: expected a date (YYYY-MM-DD)"),
        # a date-shaped value that is no date was PyYAML's bare ValueError: an internal error
        ("accept:\n  - requirement: STW-VUL-01\n    reason: r\n    owner: o\n"
         "    expires: 2027-13-01\n", 5, "accept[0].expires: expected a date (YYYY-MM-DD)"),
        ("accept:\n  - requirement: STW-VUL-01\n    path: ../elsewhere\n    reason: r\n"
         "    owner: o\n    expires: 2027-01-01\n", 3, "accept[0].path: Value error, must be"),
        ("accept:\n  requirement: STW-VUL-01\n", 1, "accept: Input should be a valid tuple"),
        ("attestations: {}\nacept: []\n", 2, "unknown section 'acept' (known: attestations, "
         "accept, project, cra, projects)"),
        ("- attestations\n", 1, "expected a mapping of sections"),
        ("attestations:\n  STW-VUL-01: {status: met\n", 3, "invalid YAML"),
    ],
)  # fmt: skip
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_project_config(text, source="steward.yml")
    error = caught.value
    assert (error.source, error.line) == ("steward.yml", line), str(error)
    assert message in error.message
    assert "\n" not in str(error)


def test_alias_bombs_are_refused_or_cheap() -> None:
    many = "a: &a [x]\nb: [" + ",".join(["*a"] * 10_001) + "]\n"
    with pytest.raises(UnsafeInputError, match="aliases"):
        parse_project_config(many)
    # few aliases that would expand to 9**9 items: lines are found without expanding them
    nested = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(9)
    )
    with pytest.raises(InputError, match="unknown section 'a'"):
        parse_project_config(nested)


def test_load_from_a_checkout(tmp_path: Path) -> None:
    assert load_project_config(tmp_path) is None
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "steward.yml").write_text(GOOD)
    config = load_project_config(tmp_path)
    assert config is not None and config.source == ".github/steward.yml"
    (tmp_path / "steward.yml").write_bytes(b"\x00\xff binary")
    with pytest.raises(InputError, match="binary content"):
        load_project_config(tmp_path)
