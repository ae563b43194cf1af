"""`case event --data/--json` gives each field once: a key given twice is refused, not
overwritten.

`--data text=a --data text=b` recorded only ``b``; `--json '{"text": "a"}' --data text=b`
and a key twice in the JSON object itself silently kept the last value: an append-only log
then held something the user did not ask for without a word. Exit 2, one line naming the
key (and for --data where it was given first), nothing written; different keys still combine.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest


def _notes(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT data FROM case_events WHERE kind = 'note' ORDER BY seq")
        return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("extra", "first"),
    [
        (("--data", "text=first", "--data", "text=second"), "an earlier --data"),
        (("--json", '{"text": "first"}', "--data", "text=second"), "--json"),
    ],
)
def test_a_field_given_twice_is_refused(
    extra: tuple[str, ...], first: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    made = cli("case", "new", "Widget flaw", "--product", "Widget")
    assert made.exit_code == 0, made.stderr
    result = cli("case", "event", made.stdout.strip(), "note", *extra)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.strip() == (
        f"steward: error: --data 'text=second': 'text' is already given by {first}"
    )
    assert _notes(db) == []


def test_different_fields_still_combine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    case_id = cli("case", "new", "Widget flaw", "--product", "Widget").stdout.strip()
    result = cli(
        "case", "event", case_id, "report_submitted",
        "--json", '{"report": "early_warning"}', "--data", "reference=SRP-42",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ('{"text": "first", "text": "second"}', "text"),
        ('{"corrects": 1, "data": {"text": "a", "text": "b"}}', "text"),
    ],
)
def test_a_key_twice_in_the_json_is_refused(
    raw: str, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    case_id = cli("case", "new", "Widget flaw", "--product", "Widget").stdout.strip()
    kind = "note" if raw.startswith('{"text"') else "correction"
    result = cli("case", "event", case_id, kind, "--json", raw)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.strip() == (
        f"steward: error: --json: key {key!r} is given twice in one object"
    )
    assert _notes(db) == []
