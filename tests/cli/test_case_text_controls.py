"""Case text holds no bidirectional controls nor C1 controls, on every way in.

A reporter's title ``"Fix for \\u202eexe.txt"`` reads differently in a report, an advisory
or a terminal than it is stored ("Trojan Source", CVE-2021-42574); ``init security`` answers
already refused these characters, case titles, event data, products and the manufacturer's
profile took them. Each is refused with exit 2 and nothing is written.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from steward.textcheck import forbidden_character

BAD = ["\u202e", "\u202a", "\u2066", "\u2069", "\x9b"]


def _events(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM case_events").fetchone()[0])


@pytest.mark.parametrize("char", BAD)
def test_case_writes_refuse_bidi_and_c1_controls(
    char: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    made = cli("case", "new", "A plain title", "--product", "acme")
    assert made.exit_code == 0, made.stderr
    case_id = made.stdout.strip()
    assert cli("case", "profile", "set", "--name", "Acme").exit_code == 0
    before = _events(db)
    refused = [
        ("case", "new", f"Fix for {char}exe.txt"),
        ("case", "set", case_id, "--title", f"t{char}x"),
        ("case", "set", case_id, "--impact", f"remote {char}code"),
        ("case", "event", case_id, "note", "--data", f"text=a{char}b"),
        ("case", "event", case_id, "note", "--json", '{"text": "a' + char + 'b"}'),
        ("case", "add-product", case_id, "--product", f"p{char}"),
        ("case", "release", case_id, "--version", "1.0.1", "--description", f"d{char}"),
        ("case", "profile", "set", "--name", f"Evil {char}Corp"),
        ("case", "profile", "set", "--name", "Acme", "--address", f"Street{char} 1"),
    ]
    for args in refused:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    assert _events(db) == before
    with closing(sqlite3.connect(db)) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM organisations")]
    assert all(forbidden_character(n) is None for n in names), names


def test_marks_and_line_breaks_stay_allowed() -> None:
    assert forbidden_character("\u200fשלום\u200e ok") is None
    assert forbidden_character("a\tb\nc\u2028d", allowed="\t\n\r") is None
    assert forbidden_character("a\u2028b") == "\u2028"
    assert forbidden_character("a\x85b", allowed="\t\n\r") == "\x85"
