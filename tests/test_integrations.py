"""The GitHub Action and pre-commit hooks do what they say, with commands and options that
exist: the action installs Steward from its own repository, writes SARIF that code scanning
accepts and uploads it with a SHA-pinned upload-sarif; the pre-commit gate passes on a healthy
project and fails on one that misses a level-1 MUST."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture
from tests.sarif_github import assert_uploadable

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _action() -> tuple[dict[str, Any], str]:
    text = (ROOT / "action.yml").read_text()
    return yaml.safe_load(text), text


def test_action_pins_what_it_uses_and_installs_from_its_own_repository() -> None:
    action, text = _action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for ref in uses:
        assert PINNED.match(ref), f"{ref} is not pinned by a full commit SHA"
        line = next(x for x in text.splitlines() if ref in x)
        assert re.search(r"# v\d+\.\d+\.\d+$", line), f"{ref}: say which release the SHA is"
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install and "steward-cra" not in install
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload["if"]  # the findings are uploaded even when the gate fails


def test_action_assess_step_writes_uploadable_sarif(good_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    action, _ = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "assess")
    runner = tmp_path / "runner"
    (runner / "steward-venv" / "bin").mkdir(parents=True)
    (runner / "steward-venv" / "bin" / "steward").symlink_to(
        Path(sys.executable).parent / "steward"
    )
    outputs = tmp_path / "github-output"
    env = {
        **os.environ,
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(outputs),
        "PROJECT": ".",
        "LEVEL": "3",
        "FAIL_ON": "1",
        "FAIL_UNDER": "",
        "SARIF": "steward.sarif",
        "GITHUB_TOKEN": "",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=good_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert outputs.read_text().splitlines() == ["exit-code=0", "written=true"]
    sarif = (good_repo / "steward.sarif").read_bytes()
    log = assert_uploadable(sarif, str(good_repo), str(tmp_path))
    assert log["runs"][0]["results"]
    (good_repo / "steward.sarif").unlink()
    (good_repo / "SECURITY.md").unlink()
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=good_repo, env=env, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    assert outputs.read_text().splitlines()[-2:] == ["exit-code=1", "written=true"]


def test_pre_commit_gate_passes_a_healthy_project(
    cli,
    good_repo: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["steward-assess"]
    assert hook["pass_filenames"] is False
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["steward", "assess"]
    monkeypatch.chdir(good_repo)  # pre-commit runs hooks at the repository root
    healthy = cli("assess", *entry[2:])
    assert healthy.exit_code == 0, healthy.stderr
    assert "Level 1:" in healthy.stdout
    (good_repo / "SECURITY.md").unlink()  # a level-1 MUST now fails
    broken = cli("assess", *entry[2:])
    assert broken.exit_code == 1 and "STW-VUL-01 (fail)" in broken.stderr
    assert re.search(hooks["steward-sbom-check"]["files"], "dist/app.cdx.json")
