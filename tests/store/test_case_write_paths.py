"""The `case` commands that write give the same rows on both paths of a local SQLite store.

Every write command (``new``, ``add-product``, ``set``, ``release``, ``request-report``,
``submitted``, ``embargo``, ``event``, ``close``, ``profile set``), with the options the
reports need and with the inputs the rules refuse (control characters, a time in the future,
the wrong awareness kind, an unknown event kind, a correction of a missing event or into the
future, a due date before the request, a release of a product the case does not have, a
state change the state machine forbids, a country that is no country ...), runs in turn on
two copies of the same store: once through plain ``sqlite3``
(:mod:`steward.store.sqlite_writes`) and once with that path switched off (the SQLAlchemy
:class:`~steward.store.cases.CaseStore`), at the same frozen "now" and with the same case-id
draw. Exit code, stdout and stderr agree command by command, and afterwards every table of
the two databases (cases, events, organisations, projects, audit log ...) holds the same
rows, byte for byte. The places where the fast path must step aside, concurrent appends
through it, and its refusal of anyone but the owner are checked too.
"""

from __future__ import annotations

import difflib
import itertools
import json
import multiprocessing
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind, Manufacturer
from steward.errors import StewardError
from steward.store.principals import AccessDenied, Principal
from steward.store.records import OrganisationProfile
from steward.store.sqlite_cases import HEAD_REVISION
from steward.store.sqlite_writes import SqliteCaseStore, stored_time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (what its write-ahead log holds included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (SQLite's own bookkeeping tables included), in a stable order."""
    with closing(sqlite3.connect(db)) as conn:
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(names)
        }


class Draws:
    """A deterministic case-id draw per path (``secrets.choice``), the same on both."""

    def __init__(self) -> None:
        self.counters = {"fast": itertools.count(), "full": itertools.count()}

    def use(self, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
        counter = self.counters[path]
        monkeypatch.setattr(secrets, "choice", lambda seq: seq[(next(counter) * 7) % len(seq)])


@pytest.fixture
def stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> Iterator[tuple[Path, Path, dict[str, str], datetime]]:
    """Two copies of one store: a profile, an exploited case with a product, a published
    one, a rejected one, a severe incident; and the ids and the frozen "now"."""
    db = tmp_path / "built.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))

    def run(*args: str) -> str:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        return str(result.stdout.strip())

    start = datetime.now(UTC).replace(microsecond=0)
    run("case", "profile", "set", "--name", "Acme GmbH", "--country", "DE")
    ids = {
        "a": run("case", "new", "Heap overflow in the parser «ü»", "--product", "acme-lib",
                 "--ecosystem", "PyPI", "--affected", "<2.0.1", "--received-at",
                 (start - timedelta(days=3)).isoformat(), "--project", "acme-lib"),
        "p": run("case", "new", "XSS in the admin UI", "--product", "acme-web",
                 "--received-at", (start - timedelta(days=9)).isoformat()),
        "r": run("case", "new", "Not a bug"),
        "i": run("case", "new", "Compromised build server", "--kind", "severe-incident"),
    }  # fmt: skip
    run("case", "event", ids["a"], "confirmed")
    run("case", "event", ids["a"], "exploitation_aware", "--data", "source=CISA KEV")
    run("case", "event", ids["p"], "confirmed")
    run("case", "release", ids["p"], "--version", "3.4.0")
    run("case", "event", ids["p"], "published")
    run("case", "event", ids["r"], "rejected")
    fast, full = tmp_path / "fast.sqlite", tmp_path / "full.sqlite"
    _copy(db, fast)
    _copy(db, full)
    yield fast, full, ids, start + timedelta(seconds=2)


def _commands(ids: dict[str, str], now: datetime) -> list[tuple[str, ...]]:
    """Every write command, with the inputs the rules accept and those they refuse.
    ``{new}`` stands for the id the first ``case new`` of the list printed."""
    a, p, r, i = ids["a"], ids["p"], ids["r"], ids["i"]

    def at(**delta: float) -> str:
        return (now + timedelta(**delta)).isoformat()

    cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    return [
        ("case", "profile", "set", "--name", "Acme GmbH — Sicherheit", "--country", "at",
         "--contact-email", "psirt@acme.example", "--website", "https://acme.example",
         "--address", "Musterstraße 1\n1010 Wien"),
        ("case", "profile", "set", "--name", "Acme\x01GmbH"),
        ("case", "profile", "set", "--name", "Acme", "--country", "XX"),
        ("case", "profile", "set", "--name", "Acme", "--website", "ftp://acme.example"),
        ("case", "new", "Use after free in the decoder", "--product", "acme-app",
         "--product-version", "3.1.0", "--component", "acme-lib", "--component-version",
         "2.0.0", "--component-fixed", "2.0.1", "--member-state", "de", "--product-class",
         "important-class-i", "--cvss", cvss, "--alias", "CVE-2026-40002", "--reporter",
         "Jane Doe", "--reporter-contact", "jane@example.org", "--channel", "e-mail",
         "--embargo-until", at(days=20), "--received-at", at(days=-2), "--tz",
         "Europe/Berlin", "--project", "acme-app"),
        ("case", "new", "Line\nbreak"),
        ("case", "new", "From the future", "--received-at", at(days=1)),
        ("case", "new", "Bad CVSS", "--cvss", "CVSS:3.1/AV:X"),
        ("case", "new", "Bad alias", "--alias", "not an id"),
        ("case", "new", "Another incident", "--kind", "severe-incident", "--prefix", "ACME",
         "--project", "infra"),
        ("case", "add-product", a, "--product", "acme-app", "--product-version", "3.1.0",
         "--component", "acme-lib", "--component-version", "2.0.0", "--member-state", "FR",
         "--product-category", "password managers"),
        ("case", "add-product", a, "--product", "x", "--member-state", "US"),
        ("case", "add-product", "STW-2026-NOSUCH", "--product", "x"),
        ("case", "set", a, "--title", "Heap overflow in the parser (CVE-2026-40001)",
         "--impact", "remote code execution", "--cwe", "CWE-787", "--member-state", "DE",
         "--member-state", "el", "--timezone", "Europe/Berlin", "--suspected-malicious",
         "--corrective-measure", "bounds check", "--user-mitigation", "disable the parser",
         "--cvss", cvss, "--alias", "CVE-2026-40001", "--reference", "https://acme.example/sa"),
        ("case", "set", a, "--title", "two\nlines"),
        ("case", "set", a, "--cwe", "787"),
        ("case", "set", a, "--timezone", "Mars/Olympus"),
        ("case", "set", a, "--description", "nul \x00 byte"),
        ("case", "set", a),
        ("case", "release", a, "--version", "2.0.1"),
        ("case", "release", a, "--version", "2.0.1", "--product", "nosuch"),
        ("case", "release", a, "--version", "2.0.1", "--product", "acme-lib", "--description",
         "bounds check", "--at", at(hours=-1)),
        ("case", "release", a, "--mitigation", "--description", "disable the parser",
         "--at", at(days=2)),
        ("case", "request-report", a, "--due", at(days=7), "--by", "CERT-Bund"),
        ("case", "request-report", a, "--due", at(days=-1)),
        ("case", "submitted", a, "--report", "early-warning", "--reference", "SRP-1",
         "--at", at(hours=-2)),
        ("case", "submitted", a, "--report", "notification", "--at", at(days=1)),
        ("case", "submitted", a, "--report", "final-report", "--at", "2026-13-01T00:00Z"),
        ("case", "embargo", a, "--until", at(days=30), "--party", "CERT-Bund"),
        ("case", "embargo", a, "--lift"),
        ("case", "embargo", a, "--lift", "--party", "x"),
        ("case", "embargo", a, "--until", at(days=10), "--tz", "Europe/Berlin"),
        ("case", "event", a, "note", "--data", "text=patch under review"),
        ("case", "event", a, "note", "--json", json.dumps({"text": "tab\tand\nnewline ü"})),
        ("case", "event", a, "incident_aware"),
        ("case", "event", a, "no_such_kind"),
        ("case", "event", a, "note", "--data", "text=a\x07b"),
        ("case", "event", a, "note", "--data", "nope=1"),
        ("case", "event", a, "correction", "--json",
         json.dumps({"corrects": 4, "data": {"source": "own telemetry"}, "reason": "typo"})),
        ("case", "event", a, "correction", "--json", json.dumps({"corrects": 999})),
        ("case", "event", a, "correction", "--json",
         json.dumps({"corrects": 4, "occurred_at": at(days=-1), "reason": "earlier"})),
        ("case", "event", a, "correction", "--json",
         json.dumps({"corrects": 4, "occurred_at": at(days=2)})),
        ("case", "event", a, "correction", "--json",
         json.dumps({"corrects": 3, "data": {"unknown": 1}})),
        ("case", "event", a, "note", "--data", "text=late", "--at", at(minutes=30)),
        ("case", "event", a, "note", "--data", "text=local", "--at", "2026-03-29T02:30",
         "--tz", "Europe/Berlin"),
        ("case", "event", a, "published", "--data", "url=https://acme.example/sa"),
        ("case", "event", i, "exploitation_aware"),
        ("case", "event", i, "incident_aware", "--at", at(hours=-1), "--data",
         "suspected_malicious=true"),
        ("case", "event", "{new}", "fixed"),
        ("case", "close", a, "--note", "released and published"),
        ("case", "close", "{new}"),
        ("case", "close", r),
        ("case", "event", r, "reopened"),
        ("case", "event", p, "embargo_set", "--json", json.dumps({"until": at(days=5)})),
        ("case", "event", "STW-2026-NOSUCH", "note", "--data", "text=x"),
        # more refused inputs: year 1, bidi overrides, a skipped and a repeated local time,
        # an unknown time zone, unknown products and cases
        ("case", "new", "Year one", "--received-at", "0001-01-01T00:00:00Z"),
        ("case", "new", "Bidi \u202etxt.exe"),
        ("case", "new", "Skipped hour", "--received-at", "2026-03-29T02:30", "--tz",
         "Europe/Berlin"),
        ("case", "new", "Repeated hour", "--received-at", "2026-10-25T02:30", "--tz",
         "Europe/Berlin"),
        ("case", "new", "Nowhere", "--received-at", "2026-10-25T02:30", "--tz", "Nowhere/X"),
        ("case", "new", "Bad kind", "--kind", "incident"),
        ("case", "event", i, "note", "--at", "0001-01-01T00:00:00Z", "--data", "text=x"),
        ("case", "event", i, "note", "--data", "text=\u202eevil"),
        ("case", "set", i, "--impact", "ok \u2066isolate\u2069"),
        ("case", "embargo", i, "--until", "2026-10-25T02:30", "--tz", "Europe/Berlin"),
        ("case", "embargo", i, "--until", at(days=-1)),
        ("case", "release", i, "--version", "1.0", "--product", "nosuch"),
        ("case", "release", "STW-2026-NOSUCH", "--version", "1.0"),
        ("case", "submitted", "STW-2026-NOSUCH", "--report", "early-warning"),
        ("case", "close", "STW-2026-NOSUCH"),
        ("case", "request-report", i, "--due", "0001-01-01T00:00:00Z"),
        # every report stage and closing from further states
        ("case", "submitted", i, "--report", "early-warning", "--recipient", "CSIRT DE"),
        ("case", "submitted", i, "--report", "notification", "--reference", "SRP-2"),
        ("case", "submitted", i, "--report", "intermediate-report"),
        ("case", "submitted", i, "--report", "final-report", "--at", at(minutes=-1)),
        ("case", "submitted", i, "--report", "no-such-report"),
        ("case", "close", i, "--note", "handled"),
        ("case", "close", i),
        ("case", "event", i, "reopened"),
        ("case", "close", p),
        ("case", "event", p, "note", "--data", "text=after close"),
        ("case", "profile", "set", "--name", "Steward e.V.", "--country", "de", "--steward"),
        ("case", "profile", "set", "--name", "Evil \u202eCorp"),
    ]  # fmt: skip


def test_every_write_command_gives_the_same_rows_on_both_paths(
    stores: tuple[Path, Path, dict[str, str], datetime],
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast_db, full_db, ids, now = stores
    monkeypatch.setattr("steward.cli.case.now", lambda: now)
    draws = Draws()
    opened: list[bool] = []
    real_open = SqliteCaseStore.open_writer.__func__  # type: ignore[attr-defined]

    def spying(cls: type[SqliteCaseStore], location: str) -> SqliteCaseStore | None:
        found = real_open(cls, location)
        opened.append(found is not None)
        return found  # type: ignore[no-any-return]

    monkeypatch.setattr(SqliteCaseStore, "open_writer", classmethod(spying))
    new_ids: dict[str, str] = {}
    differ: dict[tuple[str, ...], str] = {}
    exits: dict[tuple[str, ...], int] = {}
    for command in _commands(ids, now):  # each command on both paths, one after the other
        args = tuple(arg.replace("{new}", new_ids.get("new", "")) for arg in command)
        outcomes = {}
        for path, db in (("fast", fast_db), ("full", full_db)):
            with monkeypatch.context() as patch:
                patch.setenv("STEWARD_DB", str(db))
                draws.use(patch, path)
                if path == "full":
                    patch.setattr(Cases, "open_local", classmethod(lambda cls, *a, **k: None))
                result = cli(*args)
            outcomes[path] = (result.exit_code, result.stdout, result.stderr)
        fast, full = outcomes["fast"], outcomes["full"]
        exits[command] = fast[0]
        if command[1] == "new" and fast[0] == 0 and "new" not in new_ids:
            new_ids["new"] = fast[1].strip()
        assert "Traceback" not in fast[2]
        if fast != full:
            differ[command] = "".join(
                difflib.unified_diff(
                    (full[2] + full[1]).splitlines(True),
                    (fast[2] + fast[1]).splitlines(True),
                    f"full (exit {full[0]})",
                    f"fast (exit {fast[0]})",
                )
            )
    assert differ == {}
    assert opened and all(opened)  # every write command did go through sqlite3
    # the comparison covered accepted and refused writes, and the writes changed the stores
    assert sum(code == 0 for code in exits.values()) >= 20
    assert sum(code == 2 for code in exits.values()) >= 30
    fast_rows, full_rows = _tables(fast_db), _tables(full_db)
    assert fast_rows.keys() == full_rows.keys()
    for table in fast_rows:
        assert fast_rows[table] == full_rows[table], table
    assert len(fast_rows["audit_log"]) > 25
    assert len(fast_rows["case_events"]) > 35


def _owner(db: Path) -> Cases:
    cases = Cases.open_local(db, "alice")
    assert cases is not None and isinstance(cases.store, SqliteCaseStore)
    return cases


def test_the_store_api_gives_the_same_rows_on_both_paths(tmp_path: Path) -> None:
    """Through the service API (no CLI): a second organisation, events with explicit times,
    a correction, the release rule, the profile of another organisation."""
    seed = tmp_path / "seed.sqlite"
    Cases.open(seed, "alice").store.close()  # created and migrated by the full path
    fast_db, full_db = tmp_path / "fast.sqlite", tmp_path / "full.sqlite"
    _copy(seed, fast_db)
    _copy(seed, full_db)
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    def work(cases: Cases) -> list[Any]:
        out: list[Any] = []
        cases.set_profile(Manufacturer(name="Open Parser Foundation", country="FR",
                                       is_steward=True), "opf", now=now)  # fmt: skip
        case = cases.new_case(
            kind=CaseKind.VULNERABILITY,
            title="Integer overflow",
            project="parser",
            organisation="opf",
            drafts=[
                Draft(EventKind.RECEIVED, {"note": "via e-mail"}, now - timedelta(days=5)),
                Draft(EventKind.EXPLOITATION_AWARE, {}, now - timedelta(days=4)),
                Draft(EventKind.PRODUCT_ADDED, {"product": {"name": "parser"}}),
            ],
            now=now,
        )
        out.append(case)
        out.append(cases.record(case, [Draft(EventKind.CONFIRMED, {})], now=now))
        for drafts in (
            [Draft(EventKind.FIXED, {"versions": ["1.2.3"], "product": "other"})],
            [Draft(EventKind.NOTE, {"text": "x"}, now + timedelta(hours=1))],
            [Draft(EventKind.CLOSED, {})],
        ):
            try:
                cases.record(case, drafts, now=now)
            except StewardError as exc:
                out.append(str(exc))
        out.append(cases.record(case, [Draft(EventKind.FIXED, {"versions": ["1.2.3"]}),
                                       Draft(EventKind.PUBLISHED, {})], now=now))  # fmt: skip
        out.append(cases.get(case, now=now))
        out.append(cases.profile_for_case(case, now=now))
        out.append(cases.list_visible(now=now))
        return out

    draws = Draws()
    with pytest.MonkeyPatch.context() as patch:
        draws.use(patch, "fast")
        fast = _owner(fast_db)
        fast_out = work(fast)
        fast.close()
    with pytest.MonkeyPatch.context() as patch:
        draws.use(patch, "full")
        full = Cases.open(full_db, "alice")
        full_out = work(full)
        full.close()
    assert fast_out == full_out
    assert _tables(fast_db) == _tables(full_db)


def test_the_fast_write_path_steps_aside(tmp_path: Path, cli: Any) -> None:
    """Where the plain path does not apply, the full path runs (and says the same)."""
    db = tmp_path / "cases.sqlite"
    created = cli("case", "new", "first", "--db", str(db))  # missing: created by the script
    assert created.exit_code == 0
    assert f"{db}: database schema created at revision {HEAD_REVISION}" in created.stderr
    assert Cases.open_local(db, "alice") is not None
    # an older schema: the full path migrates it, and then the plain path applies again
    old = tmp_path / "old.sqlite"
    _copy(db, old)
    with closing(sqlite3.connect(old)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert Cases.open_local(old, "alice") is None
    assert SqliteCaseStore.open_writer(str(old)) is None
    # a URL (PostgreSQL), a path SQLAlchemy would read as a URL
    assert Cases.open_local("postgresql://u@127.0.0.1:1/x", "alice") is None
    assert Cases.open_local(tmp_path / "a?b.sqlite", "alice", create=True) is None
    # the default store, missing: the full path reads it as empty
    assert Cases.open_local(None, "alice", create=False) is None
    # a shared store: the full path refuses a self-declared name
    shared = tmp_path / "shared.sqlite"
    _copy(db, shared)
    with closing(sqlite3.connect(shared)) as conn, conn:
        conn.execute(
            "INSERT INTO users (name, is_admin, password_hash, disabled) VALUES ('bob', 0, 'x', 0)"
        )
    assert Cases.open_local(shared, "alice") is None
    refused = cli("case", "event", "STW-2026-X", "note", "--data", "text=x", "--db", str(shared))
    assert refused.exit_code == 2 and "shared" in refused.stderr


@pytest.mark.parametrize(
    "command", [("case", "new", "first"), ("case", "profile", "set", "--name", "Acme")]
)
def test_a_new_store_is_created_alike_on_both_paths(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """``case new`` / ``profile set`` on no store: the plain path creates it from the schema
    script (no SQLAlchemy, no Alembic) and says so in the full path's words; the stores the
    two paths leave have the same schema; the default store is created the same way."""
    outcomes = []
    for path in ("plain", "full"):
        db = tmp_path / path / "cases.sqlite"
        with monkeypatch.context() as patch:
            if path == "full":
                patch.setattr(Cases, "open_local", classmethod(lambda cls, *a, **k: None))
            done = cli(*command, "--db", str(db))
        assert done.exit_code == 0, done.stderr
        note = f"{db}: database schema created at revision {HEAD_REVISION}"
        assert note in done.stderr
        outcomes.append(done.stderr.replace(str(db), "DB"))
        with closing(sqlite3.connect(db)) as conn:
            schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY 2").fetchall()
        outcomes.append(schema)
    assert outcomes[0] == outcomes[2] and outcomes[1] == outcomes[3]
    again = cli(*command, "--db", str(tmp_path / "plain" / "cases.sqlite"))
    assert again.exit_code == 0 and "database schema" not in again.stderr
    default = cli(*command)  # the default store (STEWARD_HOME, a temporary directory here)
    assert default.exit_code == 0, default.stderr
    assert "database schema created at revision" in default.stderr
    assert Cases.open_local(None, "alice", create=False) is not None


@pytest.mark.parametrize("create", [False, True])
def test_bad_files_are_named_alike_on_both_paths(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, create: bool
) -> None:
    """A directory, a FIFO, a text file, an empty file, a missing file, a read-only store:
    the same one line (exit 2) whichever path opens it."""
    good = tmp_path / "good.sqlite"
    assert cli("case", "new", "x", "--db", str(good)).exit_code == 0
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    readonly = tmp_path / "readonly.sqlite"
    _copy(good, readonly)
    readonly.chmod(0o444)
    if create:
        command: Sequence[str] = ("case", "profile", "set", "--name", "Acme")
    else:
        command = ("case", "event", "STW-2026-NOSUCH", "note", "--data", "text=x")
    paths = [tmp_path, text, empty, fifo, tmp_path / "missing.sqlite", tmp_path / "f" / "g.db"]
    if os.geteuid() != 0:  # root writes to a read-only file
        paths.append(readonly)
    for path in paths:
        existed = path.exists()
        fast = cli(*command, "--db", str(path))
        if not existed:  # a store the first run created: the second starts from none too
            for made in path.parent.glob(f"{path.name}*"):
                made.unlink()
        with monkeypatch.context() as patch:
            patch.setattr(Cases, "open_local", classmethod(lambda cls, *a, **k: None))
            full = cli(*command, "--db", str(path))
        assert (fast.exit_code, fast.stdout, fast.stderr) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        ), path
        assert "Traceback" not in fast.stderr


def test_only_the_owner_writes_through_the_plain_path(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    Cases.open(db, "alice").store.close()
    store = SqliteCaseStore.open_writer(str(db))
    assert store is not None
    now = datetime(2026, 11, 25, tzinfo=UTC)
    with pytest.raises(AccessDenied):
        store.set_profile(Principal("mallory"), "default", OrganisationProfile("M"), now)
    with pytest.raises(AccessDenied):
        store.append(Principal("mallory"), "STW-1", now=now, builder=lambda e: ([], None))  # type: ignore[arg-type,return-value]
    store.close()


def test_stored_time_is_sqlalchemys_sqlite_format() -> None:
    from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, text

    from steward.store.types import UtcDateTime

    berlin = timezone(timedelta(hours=2))
    engine = create_engine("sqlite://")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True),
                  Column("v", UtcDateTime()))  # fmt: skip
    for moment in (
        datetime(2026, 3, 29, 2, 30, 5, 42, tzinfo=UTC),
        datetime(2026, 3, 29, 4, 30, tzinfo=berlin),
        datetime(1970, 1, 1, tzinfo=UTC),
    ):
        with engine.begin() as conn:
            table.drop(conn, checkfirst=True)
            table.create(conn)
            conn.execute(insert(table).values(v=moment))
            written = conn.execute(text("SELECT v FROM t")).scalar()
        assert stored_time(moment) == written
    assert stored_time(datetime(2026, 3, 29, 4, 30, tzinfo=berlin)) == "2026-03-29 02:30:00.000000"
    engine.dispose()
    with pytest.raises(ValueError, match="naive"):
        stored_time(datetime(2026, 1, 1))


def _append_many(db: str, case_id: str, worker: int, count: int, fast: bool) -> None:
    for i in range(count):
        cases = Cases.open_local(db, "alice") if fast else Cases.open(db, "alice", create=False)
        assert cases is not None
        cases.record(
            case_id,
            [Draft(EventKind.NOTE, {"text": f"worker {worker} note {i}"})],
            now=datetime.now(UTC),
        )
        cases.close()


def test_concurrent_appends_through_both_paths_lose_nothing(tmp_path: Path) -> None:
    """Processes appending to one case at once, two through ``sqlite3`` and one through
    SQLAlchemy: every event is stored once, with consecutive sequence numbers."""
    db = tmp_path / "cases.sqlite"
    owner = Cases.open(db, "alice")
    case_id = owner.new_case(
        kind=CaseKind.VULNERABILITY, title="race", project="p", now=datetime.now(UTC)
    )
    owner.close()
    workers, per_worker = 3, 25
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_append_many, args=(str(db), case_id, w, per_worker, w != 2))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
        assert p.exitcode == 0
    stored = _owner(db).get(case_id, now=datetime.now(UTC))
    assert [e.seq for e in stored.events] == list(range(1, 2 + workers * per_worker))
    notes = {e.data["text"] for e in stored.events if e.kind is EventKind.NOTE}
    assert notes == {f"worker {w} note {i}" for w in range(workers) for i in range(per_worker)}
    with closing(sqlite3.connect(db)) as conn:
        (last_seq,) = conn.execute(
            "SELECT last_seq FROM cases WHERE public_id = ?", (case_id,)
        ).fetchone()
        audits = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'case.event'")
        assert audits.fetchone()[0] == workers * per_worker
    assert last_seq == 1 + workers * per_worker


@pytest.mark.parametrize("made_shared", ["password", "token"])
def test_a_store_made_shared_after_opening_refuses_the_plain_path(
    made_shared: str, tmp_path: Path
) -> None:
    """A service account with a password or an API token added after the fast path opened
    the store (``steward admin`` in another process): the next write is refused, as
    :meth:`CaseStore.local_principal` would refuse it, and nothing is written."""
    db = tmp_path / "cases.sqlite"
    now = datetime.now(UTC)
    owner = Cases.open(db, "alice")
    case_id = owner.new_case(kind=CaseKind.VULNERABILITY, title="t", project="p", now=now)
    owner.store.close()
    cases = Cases.open_local(db, "alice", create=False)
    assert cases is not None and isinstance(cases.store, SqliteCaseStore)
    before = _tables(db)
    with closing(sqlite3.connect(db)) as conn, conn:
        password = "argon2id$x" if made_shared == "password" else None
        conn.execute(
            "INSERT INTO users (id, name, is_admin, password_hash, disabled) "
            "VALUES (1, 'svc', 0, ?, 0)",
            (password,),
        )
        if made_shared == "token":
            conn.execute(
                "INSERT INTO api_tokens (token_id, user_id, name, secret_hash, scopes, "
                "created_at, expires_at) VALUES ('t1', 1, 'ci', 'h', 'upload', ?, ?)",
                (stored_time(now), stored_time(now + timedelta(days=9))),
            )
    shared = _tables(db)
    assert shared != before
    profile = Manufacturer(name="Mallory", country="FR")
    for write in (
        lambda: cases.record_kind(case_id, "note", {"text": "x"}, occurred_at=None, now=now),
        lambda: cases.new_case(kind=CaseKind.VULNERABILITY, title="u", project="p", now=now),
        lambda: cases.set_profile(profile, now=now),
    ):
        with pytest.raises(AccessDenied, match="shared"):
            write()
    assert _tables(db) == shared
    cases.store.close()
