"""`console.info` writes a printable ASCII line itself exactly as rich's stderr console would.

The stderr console's settings (:func:`steward.cli.console.err`: soft wrap, no markup, no
highlighting, no emoji codes) on a terminal and on a file, narrow and wide, with and
without colour: rich writes such a line unchanged, so the direct write is the same bytes.
Lines with anything else (tabs, control characters, non-ASCII) still go through rich.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from steward.cli import console

MESSAGES = [
    "profile saved",
    "STW-2026-ABC123: recorded event 12 (report_submitted)",
    "STW-2026-ABC123: recorded event(s) 6, 7, 8",
    "x" * 300,  # longer than any terminal: soft wrap keeps it one line
    "[bold]not markup[/bold] :x: not an emoji [/]",
    "   leading and trailing spaces   ",
    "wrote /tmp/some dir/out.json",
    "",
    "a  b   c    d" * 20,
]


def _rich(message: str, *, terminal: bool, width: int, color: str | None) -> str:
    buffer = io.StringIO()
    Console(
        file=buffer,
        force_terminal=terminal,
        width=width,
        color_system=color,  # type: ignore[arg-type]
        no_color=color is None,
        highlight=False,
        soft_wrap=True,
        markup=False,
        emoji=False,
    ).print(message)
    return buffer.getvalue()


@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize("width", [20, 80, 400])
@pytest.mark.parametrize("color", [None, "standard", "truecolor"])
def test_a_plain_line_is_what_rich_writes(terminal: bool, width: int, color: str | None) -> None:
    for message in MESSAGES:
        assert message.isascii() and message.isprintable()
        assert _rich(message, terminal=terminal, width=width, color=color) == message + "\n"


def test_info_writes_plain_lines_itself_and_the_rest_through_rich(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(console, "_stderr", None)
    monkeypatch.setattr(console, "_quiet", False)
    console.info("STW-2026-ABC123: closed")
    assert console._stderr is None  # no rich console was made
    assert capsys.readouterr().err == "STW-2026-ABC123: closed\n"
    for message in ("tab\there", "bell\x07", "ünïcode", "line\nbreak"):
        console.info(message)
        assert console._stderr is not None  # these went through rich
        monkeypatch.setattr(console, "_stderr", None)
    console.set_quiet(True)
    try:
        console.info("hidden")
    finally:
        console.set_quiet(False)
    assert "hidden" not in capsys.readouterr().err


def test_info_alone_does_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from steward.cli.console import info\n"
        "info('profile saved')\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if 'rich' in m)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "profile saved\n"
