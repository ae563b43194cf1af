"""The root command: version, help, usage errors and exit codes."""

from __future__ import annotations

from steward import __version__


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"steward {__version__}"


def test_unknown_command_is_usage_error(cli):
    result = cli("no-such-command")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "no-such-command" in result.stderr


def test_help_lists_groups(cli):
    result = cli("--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
