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


# ------------------------------------------------------------------ issue 15, items 9, 10


def test_init_refuses_control_characters_and_writes_nothing(cli, tmp_path: Path) -> None:
    base = [
        "init",
        "security",
        str(tmp_path),
        "--repository",
        "https://github.com/e/x",
        "--contact",
        "security@example.org",
        "--admin",
        "Alice <alice@example.org>",
    ]
    result = cli(*base, "--name", "Example\nContact: mailto:attacker@evil.example")
    assert result.exit_code == 2 and "project_name" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    answers = tmp_path / "answers.yml"
    answers.write_text('project_name: "Example\\rExpires: 2099-01-01T00:00:00Z"\n')
    result = cli(*base, "--answers", str(answers))
    assert result.exit_code == 2 and f"{answers}: project_name" in result.stderr
    assert list(tmp_path.iterdir()) == [answers]


def test_init_refuses_expires_beyond_a_year_and_says_how_to_sign(cli, tmp_path: Path) -> None:
    base = [
        "init",
        "security",
        str(tmp_path),
        "--name",
        "Example",
        "--repository",
        "https://github.com/e/x",
        "--contact",
        "security@example.org",
        "--admin",
        "Alice <alice@example.org>",
    ]
    late = cli(*base, "--expires-days", "400")
    assert late.exit_code == 2 and "RFC 9116" in late.stderr
    assert list(tmp_path.iterdir()) == []
    done = cli(*base, "--expires-days", "365")
    assert done.exit_code == 0, done.stderr
    assert "gpg --local-user KEY --clearsign" in done.stderr


def test_init_prefills_from_the_repository_and_lists_all_missing_answers(
    cli, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://ci:tok@github.com/example/archive.git\n'
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "example-archive"\nlicense = "MIT"\n'
    )
    missing = cli("init", "security", str(tmp_path))
    assert missing.exit_code == 2
    assert missing.stderr.count("--contact") == 1 and "--admin" in missing.stderr
    assert "--name" not in missing.stderr and "--repository" not in missing.stderr
    bare = cli("init", "security", str(tmp_path), "--no-prefill")
    assert all(o in bare.stderr for o in ("--name", "--repository", "--contact", "--admin"))
    done = cli(
        "init",
        "security",
        str(tmp_path),
        "--contact",
        "security@example.org",
        "--admin",
        "Alice <alice@example.org>",
    )
    assert done.exit_code == 0, done.stderr
    assert "project_name: example-archive (from pyproject.toml" in done.stderr
    insights = yaml.safe_load((tmp_path / "security-insights.yml").read_text())
    assert insights["repository"]["url"] == "https://github.com/example/archive"
    assert insights["repository"]["license"]["expression"] == "MIT"
    written = "".join(
        p.read_text() for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts
    )
    assert "tok@" not in written


def test_init_asks_every_missing_answer_before_validating(cli, tmp_path: Path, monkeypatch) -> None:
    import typer

    asked: list[str] = []
    replies = {
        "Project name": "Example",
        "Repository URL (https://...)": "https://github.com/e/x",
        "Security contact e-mail": "security@example.org",
        "Administrator 'Name <e-mail>'": "Alice <alice@example.org>",
    }

    def prompt(text: str, **_: object) -> str:
        asked.append(text)
        return replies[text]

    monkeypatch.setattr(typer, "prompt", prompt)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    result = cli("init", "security", str(tmp_path), "--no-prefill", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert asked == list(replies)
    assert "Contact: mailto:security@example.org" in result.stdout


def test_csaf_validate_accepts_the_optional_test_documents(cli, shared_data: Path) -> None:
    base = shared_data / "csaf-2.0" / "test" / "validator" / "data" / "optional"
    for name in (
        "oasis_csaf_tc-csaf_2_0-2021-6-2-19-12.json",
        "oasis_csaf_tc-csaf_2_0-2021-6-2-19-02.json",
    ):
        result = cli("csaf", "validate", str(base / name))
        assert result.exit_code == 0, (name, result.stdout)


def test_csaf_validate_reports_optional_tests_as_warnings(cli, shared_data: Path) -> None:
    base = shared_data / "csaf-2.0" / "test" / "validator" / "data" / "optional"
    md5 = base / "oasis_csaf_tc-csaf_2_0-2021-6-2-08-01.json"
    text = cli("csaf", "validate", str(md5), "--optional")
    assert text.exit_code == 0
    assert "warning: [6.2.8]" in text.stdout and "optional-test warning(s)" in text.stdout
    data = json.loads(cli("csaf", "validate", str(md5), "--optional", "-f", "json").stdout)
    assert data["valid"] is True and "6.2.20" in data["tests_run"]
    assert [w["test"] for w in data["warnings"]].count("6.2.8") == 1
    plain = json.loads(cli("csaf", "validate", str(md5), "-f", "json").stdout)
    assert plain["warnings"] == []
