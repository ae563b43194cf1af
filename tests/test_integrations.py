"""The GitHub Action and pre-commit hooks run commands that exist, with options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent


def test_action_runs_a_real_assessment(cli, good_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = next(s["run"] for s in action["runs"]["steps"] if "steward assess" in s["run"])
    command = re.sub(r"\$\{FAIL_UNDER:\+[^}]*\}", "--fail-under 1", script.replace("\\\n", " "))
    values = {"$LEVEL": "2", "$SARIF": str(tmp_path / "out.sarif"), '"': ""}
    for key, value in values.items():
        command = command.replace(key, value)
    args = shlex.split(command)
    assert args[:3] == ["steward", "assess", "."]
    result = cli("assess", str(good_repo), *args[3:])
    assert result.exit_code in (0, 1), result.stderr
    assert (tmp_path / "out.sarif").read_text().startswith("{")


def test_pre_commit_hooks(cli, good_repo: Path) -> None:  # noqa: F811
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    entry = shlex.split(hooks["steward-assess"]["entry"])
    assert entry[:2] == ["steward", "assess"]
    result = cli("assess", str(good_repo), *entry[2:])
    assert result.exit_code in (0, 1) and "Level achieved" in result.stdout
    assert re.search(hooks["steward-sbom-check"]["files"], "dist/app.cdx.json")
