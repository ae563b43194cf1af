"""Bare `steward init`: steward.yml from what the checkout tells, questions only for the rest,
answers already written kept, five next actions; `steward assess` takes the scope's role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.collect.gitrepo import commit, init
from tests.documents.project import REPOSITORY, SCOPE_MANUFACTURER, make_project


def test_reads_the_checkout_and_lists_the_rest(cli, tmp_path: Path, shared_data: Path) -> None:
    root = make_project(tmp_path / "widget", shared_data)
    result = cli("init", "--dir", str(root), "--no-input")
    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load((root / "steward.yml").read_text())
    assert config == {
        "project": {
            "name": "widget",
            "repository": REPOSITORY,
            "license": "MIT",
            "manifests": ["pyproject.toml"],
        }
    }
    assert "read license: MIT (from LICENSE)" in result.stderr
    assert "CRA scope not decided" in result.stderr and "cra.scope.eu_market" in result.stderr
    steps = [line for line in result.stdout.splitlines() if line[:4].strip().rstrip(".").isdigit()]
    assert [s.split(".")[0].strip() for s in steps] == ["1", "2", "3", "4", "5"]
    assert steps[0].endswith("steward cra scope")
    # a second run has nothing to add and leaves the file alone
    again = cli("init", "--dir", str(root), "--no-input")
    assert again.exit_code == 0 and "already holds everything" in again.stderr
    assert yaml.safe_load((root / "steward.yml").read_text()) == config


def test_keeps_what_steward_yml_already_says(cli, tmp_path: Path, shared_data: Path) -> None:
    root = make_project(tmp_path / "widget", shared_data)
    text = "# ours\nproject:\n  name: Widget Pro\ncra:\n  scope:\n" + "".join(
        f"    {k}: {json.dumps(v)}\n" for k, v in SCOPE_MANUFACTURER.items()
    )
    (root / "steward.yml").write_text(text)
    result = cli("init", "--dir", str(root), "--no-input")
    assert result.exit_code == 0, result.stderr
    config = yaml.safe_load((root / "steward.yml").read_text())
    assert config["project"]["name"] == "Widget Pro"  # the answer beats what was read
    assert config["project"]["license"] == "MIT"
    assert config["cra"]["scope"] == SCOPE_MANUFACTURER
    assert "steward assess . --role manufacturer" in result.stdout
    assert "steward docs annex-vii" in result.stdout


def test_asks_only_what_it_could_not_read(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = init(tmp_path / "bare")  # no manifest, no licence, no remote
    commit(root, "initial", {"main.c": "int main(void) { return 0; }\n"})
    asked: list[str] = []
    replies = {"Project name": "tiny", "Public repository URL (https://...)": "",
               "Licence (SPDX expression, e.g. Apache-2.0)": "0BSD"}  # fmt: skip

    def prompt(text: str, **_: object) -> str:
        asked.append(text)
        return replies[text]

    monkeypatch.setattr("steward.cli.init_project.sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("steward.cli.init_project.typer.prompt", prompt)
    answers = iter([False])  # not on the EU market: out of scope, nothing more to ask
    monkeypatch.setattr("steward.cli.cra.ask_yes_no", lambda question: next(answers))
    result = cli("init", "--dir", str(root))
    assert result.exit_code == 0, result.stderr
    assert asked == list(replies)
    config = yaml.safe_load((root / "steward.yml").read_text())
    assert config == {"project": {"name": "tiny", "license": "0BSD"},
                      "cra": {"scope": {"eu_market": False}}}  # fmt: skip
    assert "not answered: project.repository" in result.stderr


def test_bad_input(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "steward.yml").write_text("cra:\n  scope:\n    category: toaster\n")
    for args, message in (
        (("init", "--dir", str(tmp_path / "none")), "none: not a directory"),
        (("init", "--dir", str(broken), "--no-input"), "steward.yml:3: cra.scope.category"),
        (("assess", str(broken)), "steward.yml:3: cra.scope.category: unknown category"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_init_help_and_security_still_work(cli) -> None:
    result = cli("init", "--help")
    assert result.exit_code == 0 and "security" in result.stdout and "--dir" in result.stdout
    assert cli("init", "security", "--help").exit_code == 0


def test_assess_takes_the_role_from_the_scope(cli, tmp_path: Path, shared_data: Path) -> None:
    root = make_project(tmp_path / "widget", shared_data, answers={"scope": SCOPE_MANUFACTURER})
    decided = cli("assess", str(root), "-f", "json", "--offline")
    assert json.loads(decided.stdout)["role"] == "manufacturer"
    forced = cli("assess", str(root), "-f", "json", "--offline", "--role", "project")
    assert json.loads(forced.stdout)["role"] == "project"
    (root / "steward.yml").unlink()
    plain = cli("assess", str(root), "-f", "json", "--offline")
    assert json.loads(plain.stdout)["role"] == "project"
