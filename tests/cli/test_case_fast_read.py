"""The read-only `case` commands' plain-sqlite3 path gives exactly what the SQLAlchemy path gives.

A realistic local store (two organisations with profiles, one of them a steward; several
projects; public, embargoed, private, corrected, closed and severe-incident cases; events with
nested JSON and non-ASCII text) is read by every read-only command in every output format,
once through :class:`steward.store.sqlite_cases.SqliteCases` and once with that path switched
off (:class:`steward.store.cases.CaseStore`), at the same frozen "now": stdout, stderr and the
exit code are byte-identical. The stores' rows are compared too, and the cases where the fast
path must step aside (old schema, shared store, not a SQLite file, PostgreSQL) are checked.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind, Manufacturer
from steward.disclosure.reading import open_reader
from steward.store.cases import CaseStore
from steward.store.sqlite_cases import HEAD_REVISION, SqliteCases

NOW = datetime.now(UTC).replace(microsecond=0)


def _at(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _build(db: Path, cli: Callable[..., Any]) -> dict[str, str]:
    """The store; returns the case ids by role."""

    def run(*args: str) -> str:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        return str(result.stdout.strip())

    run("case", "profile", "set", "--name", "Acme Gmbh — Sicherheit", "--country", "DE",
        "--website", "https://acme.example", "--contact-email", "psirt@acme.example",
        "--address", "Musterstraße 1\n10115 Berlin")  # fmt: skip
    ids: dict[str, str] = {}
    ids["exploited"] = run(
        "case", "new", "Heap overflow in the parser «ü»", "--product", "acme-lib",
        "--ecosystem", "PyPI", "--affected", ">=1.0,<2.0.1", "--fixed", "2.0.1",
        "--alias", "CVE-2026-40001", "--cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "--reporter", "Jane Doe", "--received-at", _at(9).isoformat(), "--project", "acme-lib",
    )  # fmt: skip
    case = ids["exploited"]
    run("case", "event", case, "confirmed", "--at", _at(8).isoformat())
    run("case", "event", case, "exploitation_aware", "--at", _at(3).isoformat(),
        "--data", "evidence=honeypot logs | two hits")  # fmt: skip
    run("case", "submitted", case, "--report", "early-warning", "--at", _at(2.5).isoformat())
    run("case", "set", case, "--reference", "https://acme.example/sa/1",
        "--corrective-measure", "upgrade to 2.0.1", "--member-state", "DE",
        "--member-state", "FR", "--timezone", "Europe/Berlin")  # fmt: skip
    run("case", "embargo", case, "--until", (NOW + timedelta(days=20)).isoformat())

    ids["published"] = run(
        "case", "new", "XSS in the admin UI", "--product", "acme-web", "--ecosystem", "npm",
        "--affected", "<3.4.0", "--fixed", "3.4.0", "--received-at", _at(40).isoformat(),
        "--project", "acme-web",
    )  # fmt: skip
    case = ids["published"]
    run("case", "event", case, "confirmed", "--at", _at(39).isoformat())
    run("case", "release", case, "--version", "3.4.0", "--at", _at(30).isoformat())
    run("case", "event", case, "published", "--at", _at(29).isoformat())
    noted = cli("case", "event", case, "note", "--data", "text=fixed typo", "--at",
                _at(28).isoformat())  # fmt: skip
    seq = int(re.search(r"recorded event (\d+)", noted.stdout + noted.stderr)[1])  # type: ignore[index]
    run("case", "event", case, "correction", "--json",
        json.dumps({"corrects": seq, "data": {"text": "corrected note"}}))  # fmt: skip

    ids["closed"] = run("case", "new", "Not a bug", "--received-at", _at(60).isoformat())
    run("case", "event", ids["closed"], "rejected", "--at", _at(59).isoformat())
    run("case", "close", ids["closed"])

    ids["incident"] = run(
        "case", "new", "Compromised build server", "--kind", "severe-incident",
        "--received-at", _at(1).isoformat(), "--project", "acme-lib",
    )  # fmt: skip
    run("case", "event", ids["incident"], "incident_aware", "--at", _at(1).isoformat())

    # a second organisation (a steward, with its own profile) through the store's owner API
    cases = Cases.open(db, "alice")
    cases.set_profile(
        Manufacturer(name="Open Parser Foundation", country="FR", is_steward=True),
        "opf",
        now=NOW,
    )
    ids["steward"] = cases.new_case(
        kind=CaseKind.VULNERABILITY,
        title="Integer overflow",
        project="parser",
        organisation="opf",
        drafts=[
            Draft(EventKind.RECEIVED, {"note": "via e-mail"}, _at(5)),
            Draft(EventKind.EXPLOITATION_AWARE, {}, _at(4)),
        ],
        now=NOW,
    )
    cases.store.close()
    return ids


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (what its write-ahead log holds included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


#: the store is built once (through the CLI) and copied for each test
_BUILT: dict[str, Any] = {}


@pytest.fixture
def store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> Iterator[tuple[Path, dict[str, str]]]:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    if not _BUILT:
        _BUILT["ids"] = _build(db, cli)
        _BUILT["copy"] = tmp_path / "built.sqlite"
        _copy(db, _BUILT["copy"])
    else:
        _copy(_BUILT["copy"], db)
    yield db, dict(_BUILT["ids"])


def _commands(ids: dict[str, str]) -> list[tuple[str, ...]]:
    """Every read-only command and output format; the documents for three kinds of case."""
    commands: list[tuple[str, ...]] = [("case", "profile", "show")]
    for fmt in ("table", "json"):
        commands += [
            ("case", "list", "-f", fmt),
            ("case", "list", "-f", fmt, "--state", "confirmed", "--state", "published"),
            ("case", "list", "-f", fmt, "--kind", "severe-incident"),
            ("case", "list", "-f", fmt, "--overdue", "--tz", "Europe/Berlin"),
            ("case", "due", "-f", fmt),
            ("case", "due", "-f", fmt, "--within", "3d", "--tz", "America/New_York"),
        ]
    for case in ids.values():
        for fmt in ("table", "json", "markdown"):
            commands.append(("case", "show", case, "-f", fmt, "--tz", "Europe/Berlin"))
    for role, stages in (
        ("exploited", ("early-warning", "notification", "final-report")),
        ("incident", ("notification",)),
        ("steward", ("early-warning",)),
    ):
        for stage in stages:
            for fmt in ("json", "markdown"):
                commands.append(("case", "report", ids[role], "--type", stage, "-f", fmt))
    for role, formats in (("exploited", ("osv", "csaf")), ("published", ("osv", "csaf-vex"))):
        commands += [("case", "advisory", ids[role], "-f", fmt) for fmt in formats]
        commands.append(
            ("case", "advisory", ids[role], "-f", "cve", "--cna-org-id",
             "b3476cb9-2e3d-41a6-98d0-0f47421a65b6", "--cna-short-name", "acme")
        )  # fmt: skip
    commands += [("case", "show", "STW-2026-NOSUCH"), ("case", "report", "X", "--type",
                                                        "notification")]  # fmt: skip
    return commands


def _freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("steward.cli.case", "steward.cli.case_documents"):
        monkeypatch.setattr(f"{module}.now", lambda: NOW)


def test_every_read_command_prints_the_same_on_both_paths(
    store: tuple[Path, dict[str, str]], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _db, ids = store
    _freeze(monkeypatch)
    fast_used: list[bool] = []
    import steward.disclosure.reading as reading

    real = reading.open_reader

    def counting(path: Any) -> Any:
        found = real(path)
        fast_used.append(found is not None)
        return found

    commands = _commands(ids)
    fast_runs = {}
    differ = {}
    for command in commands:  # each command on both paths, one right after the other
        monkeypatch.setattr(reading, "open_reader", counting)
        fast = fast_runs[command] = cli(*command)
        monkeypatch.setattr(reading, "open_reader", lambda path: None)
        full = cli(*command)
        if (fast.exit_code, fast.stdout, fast.stderr) != (full.exit_code, full.stdout, full.stderr):
            differ[command] = "".join(
                difflib.unified_diff(
                    (full.stderr + full.stdout).splitlines(True),
                    (fast.stderr + fast.stdout).splitlines(True),
                    f"full (exit {full.exit_code})",
                    f"fast (exit {fast.exit_code})",
                )
            )
    assert fast_used and all(fast_used)  # every command did read through sqlite3
    assert differ == {}
    # the comparison covered real output, errors included
    exits = {c: r.exit_code for c, r in fast_runs.items()}
    assert exits[("case", "show", "STW-2026-NOSUCH")] == 2
    assert sum(code == 0 for code in exits.values()) > 40
    listed = json.loads(fast_runs[("case", "list", "-f", "json")].stdout)
    assert {row["id"] for row in listed} == set(ids.values())
    assert any(row["embargoed"] for row in listed)
    assert len({row["project"] for row in listed}) == 4


def test_the_stores_give_equal_rows(store: tuple[Path, dict[str, str]]) -> None:
    db, ids = store
    full = CaseStore(str(db), create=False)
    fast = SqliteCases.open(str(db))
    assert fast is not None
    owner = full.local_principal("alice")
    for kind in (None, CaseKind.SEVERE_INCIDENT):
        for states in ((), ("published", "closed")):
            for with_events in (True, False):
                assert fast.list(
                    None, now=NOW, kind=kind, states=states, with_events=with_events
                ) == full.list(owner, now=NOW, kind=kind, states=states, with_events=with_events)
    for case in ids.values():
        assert fast.get(None, case, now=NOW) == full.get(owner, case, now=NOW)
        assert fast.profile_for_case(None, case, now=NOW) == full.profile_for_case(
            owner, case, now=NOW
        )
    for organisation in ("default", "opf", "nobody"):
        assert fast.get_profile(None, organisation) == full.get_profile(owner, organisation)
    stored = fast.get(None, ids["published"], now=NOW)
    assert stored.events[-1].data["data"] == {"text": "corrected note"}
    assert stored.created_at.tzinfo is UTC and not stored.private
    assert fast.get(None, ids["exploited"], now=NOW).private  # embargo still runs
    fast.close()
    full.close()


def test_head_revision_literal_is_alembics_head() -> None:
    from steward.store.migrate import head_revision

    assert head_revision() == HEAD_REVISION


def test_the_fast_path_steps_aside(
    store: tuple[Path, dict[str, str]], tmp_path: Path, cli: Any
) -> None:
    db, _ids = store
    assert SqliteCases.open(str(db)) is not None
    # not a SQLite file, a directory, a FIFO, a missing file, a URL: the full path names them
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    fifo = tmp_path / "pipe"
    import os

    os.mkfifo(fifo)
    import steward.disclosure.reading as reading

    for path in (text, tmp_path, fifo, tmp_path / "missing.sqlite", tmp_path / "a" / "b"):
        assert SqliteCases.open(str(path)) is None
        fast = cli("case", "list", "--db", str(path))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(reading, "open_reader", lambda path: None)
            full = cli("case", "list", "--db", str(path))
        assert fast.exit_code == 2 and "Traceback" not in fast.stderr
        assert (fast.exit_code, fast.stderr) == (full.exit_code, full.stderr)
    assert SqliteCases.open("postgresql://u@127.0.0.1:1/x") is None
    assert SqliteCases.open("postgresql:/host/db") is None
    # an older schema: the full path migrates it
    copy = tmp_path / "old.sqlite"
    _copy(db, copy)  # (the file alone may lack what the write-ahead log holds)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert SqliteCases.open(str(copy)) is None
    # a shared store (an account with a password, or a token): the full path refuses it
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO users (name, is_admin, password_hash, disabled) VALUES ('bob', 0, 'x', 0)"
        )
    assert SqliteCases.open(str(db)) is None
    assert open_reader(db) is None
    refused = cli("case", "list")
    assert refused.exit_code != 0 and "shared" in refused.stderr
