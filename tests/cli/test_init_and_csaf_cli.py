"""`steward init security` and `steward csaf validate` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def test_init_security_from_options(cli, tmp_path: Path) -> None:
    result = cli(
        "init",
        "security",
        str(tmp_path),
        "--name",
        "Example",
        "--repository",
        "https://github.com/example/ex",
        "--contact",
        "security@example.org",
        "--admin",
        "Alice White <alice@example.org>",
        "--license",
        "MIT",
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / ".well-known" / "security.txt").read_text().startswith("# Security")
    insights = yaml.safe_load((tmp_path / "security-insights.yml").read_text())
    assert insights["project"]["administrators"][0]["name"] == "Alice White"
    again = cli(
        "init",
        "security",
        str(tmp_path),
        "--name",
        "E",
        "--repository",
        "https://x.org/r",
        "--contact",
        "a@b.org",
        "--admin",
        "A <a@b.org>",
    )
    assert again.exit_code == 2
    assert "--force" in again.stderr


def test_init_security_from_answers_file(cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(
        "project_name: Example\nrepository_url: https://github.com/example/ex\n"
        "contacts: [security@example.org]\nadministrators: [{name: Alice}]\n"
    )
    out = tmp_path / "proj"
    out.mkdir()
    assert cli("init", "security", str(out), "--answers", str(answers)).exit_code == 0
    assert (out / "SECURITY.md").exists()


def test_init_security_bad_input(cli, tmp_path: Path) -> None:
    result = cli("init", "security", str(tmp_path), "--name", "X")
    assert result.exit_code == 2
    assert "missing answers" in result.stderr and "Traceback" not in result.stderr
    bad = tmp_path / "answers.yml"
    bad.write_text("project_name: [unclosed\n")
    result = cli("init", "security", str(tmp_path), "--answers", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_csaf_validate(cli, shared_data: Path) -> None:
    base = shared_data / "csaf-2.0"
    good = base / "examples" / "csaf" / "bsi-2022-0001.json"
    result = cli("csaf", "validate", str(good))
    assert result.exit_code == 0
    assert "valid CSAF 2.0" in result.stdout
    bad = (
        base
        / "test"
        / "validator"
        / "data"
        / "mandatory"
        / "oasis_csaf_tc-csaf_2_0-2021-6-1-06-01.json"
    )
    result = cli("csaf", "validate", str(bad), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["problems"][0]["test"] == "6.1.6"


def test_csaf_validate_not_json(cli, tmp_path: Path) -> None:
    junk = tmp_path / "x.json"
    junk.write_text("{nope")
    result = cli("csaf", "validate", str(junk))
    assert result.exit_code == 2
    assert str(junk) in result.stderr
