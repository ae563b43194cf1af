"""`steward serve` and `steward admin` end to end: a real uvicorn server on loopback, accounts
made with the admin commands, the CLI's client (uploads, `case --server`), bad input."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from steward.disclosure.cases import Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import CaseKind
from steward.errors import InputError, NotFoundError, UsageError
from steward.service.client import RemoteCases, ServiceClient, upload_to


@dataclass
class Live:
    url: str
    db: str
    tokens: dict[str, str]
    project_id: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> Any:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli("admin", *args)


@pytest.fixture
def live(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Live]:
    db = str(tmp_path / "service.sqlite")
    assert cli("serve", "--db", db, "--migrate-only").exit_code == 0
    ok = _admin(
        cli,
        monkeypatch,
        "create-user",
        "ada",
        "--password-stdin",
        "--db",
        db,
        stdin="a long passphrase\n",
    )
    assert ok.exit_code == 0, ok.stderr
    for user in ("ci", "sam", "vera"):
        assert (
            _admin(cli, monkeypatch, "create-user", user, "--no-password", "--db", db).exit_code
            == 0
        )
    assert (
        _admin(cli, monkeypatch, "create-org", "acme", "--name", "ACME", "--db", db).exit_code == 0
    )
    made = _admin(cli, monkeypatch, "create-project", "acme", "widget", "--db", db)
    assert made.exit_code == 0, made.stderr
    project_id = int(made.stdout.strip())
    for user, role in (
        ("ada", "admin"),
        ("ci", "maintainer"),
        ("sam", "security-team"),
        ("vera", "viewer"),
    ):
        r = _admin(cli, monkeypatch, "grant", user, role, "--org", "acme", "--db", db)
        assert r.exit_code == 0, r.stderr
    tokens = {}
    for user, scopes in (
        ("ci", ["upload"]),
        ("sam", ["cases"]),
        ("vera", ["read"]),
        ("ada", ["admin", "cases"]),
    ):
        args = [x for s in scopes for x in ("--scope", s)]
        r = _admin(cli, monkeypatch, "token", user, "--name", "t", *args, "--db", db)
        assert r.exit_code == 0, r.stderr
        tokens[user] = r.stdout.strip()
    port = _free_port()
    env = {
        **os.environ,
        "STEWARD_HOME": str(tmp_path / "home"),
        "STEWARD_CACHE": str(tmp_path / "cache"),
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:  # the server keeps its own descriptor
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "steward",
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--no-worker",
                "--insecure-cookies",
            ],
            env=env,
            # a file, not a pipe: nobody drains a pipe while the tests run, and reading one from a
            # server that is still up blocks for ever
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded 2-core CI machine starts it slowly
        while True:
            try:
                if httpx.get(f"{url}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait(10)
                raise AssertionError(f"server did not start: {log_path.read_text()}")
            time.sleep(0.2)
        yield Live(url, db, tokens, project_id)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_uploads_and_remote_cases_against_a_real_server(
    live: Live, tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "requirements.txt").write_text("werkzeug==2.2.2\n")
    assert (
        cli("sbom", "generate", str(tmp_path / "p"), "-o", str(tmp_path / "bom.json")).exit_code
        == 0
    )
    data = (tmp_path / "bom.json").read_bytes()
    monkeypatch.setenv("STEWARD_TOKEN", live.tokens["ci"])
    by_id = upload_to(f"{live.url}/api/v1/projects/{live.project_id}", "sboms", data, "bom.json")
    by_slug = upload_to(f"{live.url}/api/v1/projects/acme/widget", "sboms", data, "bom.json")
    assert by_id["components"] == by_slug["components"] == 1
    with pytest.raises(NotFoundError):
        upload_to(f"{live.url}/api/v1/projects/acme/nothing", "sboms", data)
    with pytest.raises(InputError, match="not an SBOM"):
        upload_to(f"{live.url}/api/v1/projects/{live.project_id}", "sboms", b'{"x": 1}')
    with pytest.raises(UsageError, match="https"):
        upload_to("http://steward.example.org/api/v1/projects/1", "sboms", data)
    with pytest.raises(UsageError, match="expected"):
        upload_to(f"{live.url}/somewhere", "sboms", data)
    monkeypatch.setenv("STEWARD_TOKEN", "stw_0000000000000000_" + "A" * 43)
    with pytest.raises(InputError, match="refused the token"):
        upload_to(f"{live.url}/api/v1/projects/{live.project_id}", "sboms", data)
    monkeypatch.delenv("STEWARD_TOKEN")
    with pytest.raises(UsageError, match="STEWARD_TOKEN"):
        upload_to(f"{live.url}/api/v1/projects/{live.project_id}", "sboms", data)
    # the case commands' remote store: the token's account is the author
    now = datetime.now(UTC)
    sam = RemoteCases(live.url, live.tokens["sam"])
    case_id = sam.new_case(
        kind=CaseKind.VULNERABILITY,
        title="Remote case",
        project="acme/widget",
        drafts=[Draft(EventKind.CONFIRMED, {})],
        now=now,
    )
    assert sam.record_kind(case_id, "note", {"text": "hello"}, occurred_at=None, now=now) == [3]
    snapshot = sam.snapshot(case_id, now=now)
    assert snapshot.state.value == "confirmed" and {e.actor for e in snapshot.timeline} == {"sam"}
    assert [c.public_id for c in sam.list_visible(now=now)] == [case_id]
    assert sam.due(now=now) == []
    vera = RemoteCases(live.url, live.tokens["vera"])
    assert vera.list_visible(now=now) == []  # private until published
    with pytest.raises(NotFoundError):
        vera.get(case_id, now=now)
    with pytest.raises(UsageError):
        sam.new_case(kind=CaseKind.VULNERABILITY, title="x", project="default", now=now)
    ServiceClient(live.url, live.tokens["ada"]).json(
        "PUT", "/organisations/acme/profile", json={"name": "ACME GmbH", "country": "DE"}
    )
    profile = RemoteCases(live.url, live.tokens["sam"]).profile_for_case(case_id, now=now)
    assert profile is not None and profile.country == "DE"


def test_admin_and_serve_bad_input(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "s.sqlite")
    for args, message in (
        (("serve", "--db", "mysql://x/y", "--migrate-only"), "unsupported database backend"),
        (("serve", "--db", db, "--host", "0.0.0.0", "--insecure-cookies"), "loopback"),
        (("admin", "create-user", "bad name", "--no-password", "--db", db), "user name"),
        (("admin", "grant", "x", "boss", "--org", "acme", "--db", db), "role 'boss'"),
        (("admin", "grant", "x", "viewer", "--org", "nowhere", "--db", db), "no organisation"),
        (("admin", "token", "ghost", "--db", db), "no user"),
        (("admin", "token", "ghost", "--scope", "root", "--db", db), "--scope 'root'"),
        (("admin", "create-org", "Bad Org", "--db", db), "organisation 'Bad Org'"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    short = _admin(
        cli, monkeypatch, "create-user", "ada", "--password-stdin", "--db", db, stdin="short\n"
    )
    assert short.exit_code == 2 and "12 characters" in short.stderr
    assert (
        _admin(cli, monkeypatch, "create-user", "ada", "--no-password", "--db", db).exit_code == 0
    )
    again = _admin(cli, monkeypatch, "create-user", "ada", "--no-password", "--db", db)
    assert again.exit_code == 2 and "exists already" in again.stderr
    # a service database is shared: the local case commands refuse a self-declared user there
    token = _admin(cli, monkeypatch, "token", "ada", "--db", db)
    assert token.exit_code == 0
    monkeypatch.setenv("STEWARD_USER", "ada")
    refused = cli("case", "list", "--db", db)
    assert refused.exit_code == 2 and "--server" in refused.stderr


def test_cli_upload_options_and_case_server(
    live: Live, tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    project = tmp_path / "p"
    project.mkdir()
    (project / "requirements.txt").write_text("werkzeug==2.2.2\njinja2==2.10\n")
    (project / "SECURITY.md").write_text("# Security\n\nMail security@example.org\n")
    target = f"{live.url}/api/v1/projects/acme/widget"
    missing = cli("sbom", "generate", str(project), "--upload", target)
    assert missing.exit_code == 2 and "STEWARD_TOKEN" in missing.stderr
    monkeypatch.setenv("STEWARD_TOKEN", live.tokens["ci"])
    bad = cli("sbom", "generate", str(project), "--upload", "http://example.org/api/v1/projects/1")
    assert bad.exit_code == 2 and "https" in bad.stderr
    sent = cli(
        "sbom", "generate", str(project), "-o", str(tmp_path / "bom.json"), "--upload", target
    )
    assert sent.exit_code == 0, sent.stderr
    assert "uploaded" in sent.stderr and "2 components" in sent.stderr
    assessed = cli(
        "assess",
        str(project),
        "--format",
        "json",
        "-o",
        str(tmp_path / "a.json"),
        "--upload",
        target,
    )
    assert assessed.exit_code == 0, assessed.stderr
    assert "uploaded the assessment" in assessed.stderr
    # `steward case --server`: the same commands, the server's rules, the token's account
    monkeypatch.setenv("STEWARD_TOKEN", live.tokens["sam"])
    created = cli(
        "case",
        "--server",
        live.url,
        "new",
        "Remote flaw",
        "--project",
        "acme/widget",
        "--cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    )
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    assert cli("case", "--server", live.url, "event", case_id, "confirmed").exit_code == 0
    shown = cli("case", "--server", live.url, "show", case_id, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    body = json.loads(shown.stdout)
    assert body["case"]["state"] == "confirmed" and body["project"] == "acme/widget"
    assert {e["actor"] for e in body["case"]["timeline"]} == {"sam"}
    listed = cli("case", "--server", live.url, "list", "--format", "json")
    assert [c["id"] for c in json.loads(listed.stdout)] == [case_id]
    assert cli("case", "--server", live.url, "due").exit_code == 0
    monkeypatch.setenv("STEWARD_TOKEN", live.tokens["vera"])
    hidden = cli("case", "--server", live.url, "show", case_id)
    assert hidden.exit_code == 2 and "no case" in hidden.stderr.lower(), hidden.stderr
    refused = cli("case", "--server", live.url, "event", case_id, "note", "--data", "text=x")
    assert refused.exit_code == 2
    assert cli("case", "--server", live.url, "new", "x").exit_code == 2  # needs --project
    both = cli("case", "--server", live.url, "list", "--db", str(tmp_path / "x.sqlite"))
    assert both.exit_code == 2 and "exclude" in both.stderr


def test_migrate_only_says_what_it_did(tmp_path: Path, cli: Callable[..., Any]) -> None:
    from alembic import command

    from steward.store.engine import make_engine
    from steward.store.migrate import alembic_config, head_revision

    head = head_revision()
    db = str(tmp_path / "fresh.sqlite")
    created = cli("serve", "--db", db, "--migrate-only")
    assert created.exit_code == 0, created.stderr
    assert f"database schema created at revision {head}" in created.stderr
    assert "None" not in created.stderr
    again = cli("serve", "--db", db, "--migrate-only")
    assert f"database schema already at revision {head}" in again.stderr
    # a database at the first revision is upgraded from it
    old = str(tmp_path / "old.sqlite")
    engine = make_engine(old)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    upgraded = cli("serve", "--db", old, "--migrate-only")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert f"database schema upgraded from revision 0001 to {head}" in upgraded.stderr


def test_commands_that_create_a_database_say_so(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from steward.store.migrate import head_revision

    created = f"database schema created at revision {head_revision()}"
    service = tmp_path / "service.sqlite"
    first = _admin(cli, monkeypatch, "create-org", "acme", "--db", str(service))
    assert first.exit_code == 0, first.stderr
    assert f"{service}: {created}" in first.stderr and "organisation acme created" in first.stderr
    second = _admin(cli, monkeypatch, "create-org", "rival", "--db", str(service))
    assert second.exit_code == 0 and "database schema" not in second.stderr
    store = tmp_path / "cases.sqlite"
    new = cli("case", "new", "Heap overflow", "--product", "acme-lib", "--db", str(store))
    assert new.exit_code == 0, new.stderr
    assert f"{store}: {created}" in new.stderr and new.stdout.startswith("STW-")
    again = cli("case", "new", "Another", "--product", "acme-lib", "--db", str(store))
    assert again.exit_code == 0 and "database schema" not in again.stderr
