"""README's two set-up commands exist, and CI runs exactly the README test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_two_setup_commands() -> None:
    commands = _commands()
    assert len(commands) == 2
    assert "steward" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert _commands()[1] in ci.splitlines()
