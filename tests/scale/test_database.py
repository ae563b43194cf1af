"""`assess-many --db URL --org ORG`: assessments streamed into the service's own database as
they complete (SQLite and PostgreSQL), under the project whose repository_url names the
repository (created when absent), never twice for one revision, and seen by the API."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from steward.errors import InputError
from steward.scale.database import DatabaseSink, public_url, safe_url, slug_for
from steward.scale.engine import run_many
from steward.scale.sinks import JsonlFile, read_journal
from steward.scale.targets import target_for
from steward.store import portfolio
from steward.store.access import Principal
from steward.store.models import AssessmentRecord, AuditEntry, Project
from tests.scale.gen import generate
from tests.scale.test_engine import CONTEXT
from tests.service.conftest import World, build_world

NOW = datetime.now(UTC)
ROOT = Principal(name="root", admin=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The service's test world (organisations acme and rival, tokens per person) on a
    fresh SQLite file or PostgreSQL database (created and dropped by the fixture)."""
    if request.param == "sqlite":
        url = str(tmp_path / "service.sqlite")
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    w = build_world(url, tmp_path)
    yield w
    w.client.close()
    w.store.close()


def _origin(checkout: Path, url: str) -> Path:
    subprocess.run(["git", "-C", str(checkout), "remote", "add", "origin", url], check=True)
    return checkout


def _commit(checkout: Path) -> None:
    (checkout / "NEWS").write_text("more\n")
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x.example", "PATH": "/usr/bin:/bin",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x.example"}  # fmt: skip
    subprocess.run(["git", "-C", str(checkout), "add", "NEWS"], check=True, env=env)
    subprocess.run(["git", "-C", str(checkout), "commit", "-qm", "n"], check=True, env=env)


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in (json.loads(x) for x in path.read_text().splitlines())}


def _count(world: World, **where: Any) -> int:
    def work(session: Any) -> int:
        query = select(func.count(AssessmentRecord.id))
        for key, value in where.items():
            query = query.where(getattr(AssessmentRecord, key) == value)
        return int(session.scalar(query) or 0)

    return int(world.store.read(work))


def test_assessments_stream_into_the_service_database(
    world: World, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    url = world.settings.database
    acme_widget = world.projects["widget"]
    world.store.write(lambda s: portfolio.update_project(
        s, ROOT, acme_widget, now=NOW,
        repository_url="https://github.com/acme/widget"))  # fmt: skip
    # the same repository in another organisation: never written to from --org acme
    world.store.write(lambda s: portfolio.update_project(
        s, ROOT, world.projects["rival-app"], now=NOW,
        repository_url="https://github.com/acme/gizmo"))  # fmt: skip
    work = tmp_path / "work"
    widget = _origin(generate(work / "widget", "widget", commits=3, tags=1),
                     "git@github.com:ACME/widget.git")  # fmt: skip
    _origin(generate(work / "gizmo", "gizmo", commits=2, tags=0, healthy=False),
            "https://github.com/acme/gizmo.git")  # fmt: skip
    generate(work / "stray", "stray", commits=2, tags=0)  # no origin: nowhere to put it
    listing = work / "repos.txt"
    listing.write_text("widget\ngizmo\nstray\n")
    out = tmp_path / "rows.jsonl"
    cache = tmp_path / "cache.sqlite"
    args = ("assess-many", str(listing), "-o", str(out), "--cache", str(cache), "-j", "2",
            "--db", url, "--org", "acme")  # fmt: skip

    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    assert "stored 2 assessments in acme" in first.stderr
    assert "1 projects created" in first.stderr and "1 could not be stored" in first.stderr
    rows = _rows(out)
    assert rows["widget"]["db"] == {"project": "acme/widget", "id": rows["widget"]["db"]["id"],
                                    "stored": True}  # fmt: skip
    assert rows["gizmo"]["db"]["project"] == "acme/gizmo" and rows["gizmo"]["db"]["created"]
    assert "no public URL" in rows["stray"]["db"]["error"]

    # the API sees them: the organisation's projects, each one's assessments and its summary
    ada = world.h("ada")
    projects = world.client.get("/api/v1/projects", params={"organisation": "acme"},
                                headers=ada).json()  # fmt: skip
    by_slug = {p["slug"]: p for p in projects["items"]}
    assert by_slug["gizmo"]["repository_url"] == "https://github.com/acme/gizmo"
    assert set(by_slug) == {"widget", "gadget", "gizmo"}
    for name, project_id in (("widget", acme_widget), ("gizmo", by_slug["gizmo"]["id"])):
        listed = world.client.get(f"/api/v1/projects/{project_id}/assessments", headers=ada)
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        assert [i["id"] for i in items] == [rows[name]["db"]["id"]]
        document = rows[name]["assessment"]
        assert items[0]["revision"] == rows[name]["revision"] == document["revision"]
        assert items[0]["level_achieved"] == document["level_achieved"]
        assert items[0]["summary"]["fail"] == document["summary"]["fail"]
        full = world.client.get(f"/api/v1/assessments/{items[0]['id']}", headers=ada).json()
        assert full["document"]["findings"] == document["findings"]
    summary = world.client.get("/api/v1/portfolio/summary", params={"organisation": "acme"},
                               headers=ada).json()  # fmt: skip
    figures = {item["slug"]: item for item in summary["items"]}
    for name in ("widget", "gizmo"):  # the summary figures, written in the same transaction
        assert figures[name]["level_achieved"] == rows[name]["assessment"]["level_achieved"]
        assert figures[name]["failing"] == rows[name]["assessment"]["summary"]["fail"]
    rival = world.client.get(f"/api/v1/projects/{world.projects['rival-app']}/assessments",
                             headers=world.h("eve")).json()  # fmt: skip
    assert rival["total"] == 0
    audit = world.store.read(lambda s: list(s.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "assessment.upload"))))  # fmt: skip
    assert len(audit) == 2 and all(a.startswith("steward assess-many (") for a in audit)

    # from the cache: stored already, nothing twice; without the cache: the same revisions
    again = cli(*args)
    assert again.exit_code == 0, again.stderr
    assert {r["status"] for r in _rows(out).values()} == {"cached"}
    assert "stored 0 assessments" in again.stderr and "2 were there already" in again.stderr
    assert _rows(out)["widget"]["db"]["id"] == rows["widget"]["db"]["id"]
    fresh = cli(*args[:-4], "--no-cache", "--db", url, "--org", "acme")
    assert fresh.exit_code == 0, fresh.stderr
    assert {r["status"] for r in _rows(out).values()} == {"assessed"}
    assert "stored 0 assessments" in fresh.stderr
    assert _count(world) == 2

    # a new commit is a new revision: a second assessment of widget, and nothing else
    _commit(widget)
    later = cli(*args)
    assert later.exit_code == 0, later.stderr
    assert "stored 1 assessments" in later.stderr
    assert _count(world, project_id=acme_widget) == 2
    assert _count(world) == 3
    listed = world.client.get(f"/api/v1/projects/{acme_widget}/assessments", headers=ada).json()
    assert listed["items"][0]["revision"] == _rows(out)["widget"]["revision"]


class InterruptBeforeJournal:
    """Writes rows to a journal, but the ``after``-th row is interrupted before its line."""

    def __init__(self, journal: JsonlFile, after: int) -> None:
        self.journal = journal
        self.after = after
        self.count = 0

    def write(self, row: dict[str, Any]) -> None:
        self.count += 1
        if self.count == self.after:
            raise KeyboardInterrupt
        self.journal.write(row)

    def close(self, complete: bool) -> None:
        self.journal.close(complete)


def test_interrupt_between_database_and_journal_then_resume(world: World, tmp_path: Path) -> None:
    checkouts = [
        _origin(generate(tmp_path / f"p{i}", f"p{i}", commits=2, tags=0),
                f"https://git.example.org/team/p{i}.git")
        for i in range(3)
    ]  # fmt: skip
    targets = [target_for(str(c), base=tmp_path, source=f"t:{i}") for i, c in enumerate(checkouts)]
    output = tmp_path / "rows.jsonl"
    journal = JsonlFile(output, resume=False)
    store = DatabaseSink(world.settings.database, "acme", actor="test run")
    with ThreadPoolExecutor(1) as pool, pytest.raises(KeyboardInterrupt):
        run_many(targets, pool, context=CONTEXT, window=1,
                 sinks=[store, InterruptBeforeJournal(journal, after=2)])  # fmt: skip
    journal.close(False)
    store.close(False)
    assert store.stored == 2  # the second is in the database, not in the journal
    done = {r["target"] for r in read_journal(journal.journal)}
    assert len(done) == 1

    resumed = JsonlFile(output, resume=True)
    store = DatabaseSink(world.settings.database, "acme", actor="test run")
    assert len(store.projects) == 2  # the projects the first run created
    with ThreadPoolExecutor(2) as pool:
        run_many(targets, pool, context=CONTEXT, window=2, done=done, sinks=[store, resumed])
    resumed.close(True)
    store.close(True)
    assert (store.stored, store.already, store.created) == (1, 1, 1)
    rows = list(read_journal(output))
    assert sorted(r["target"] for r in rows) == sorted(t.key for t in targets)
    assert _count(world) == 3

    def projects(session: Any) -> list[tuple[str, str | None]]:
        query = select(Project.slug, Project.repository_url).where(Project.slug.like("p%"))
        return sorted((s, u) for s, u in session.execute(query))

    assert world.store.read(projects) == [
        (f"p{i}", f"https://git.example.org/team/p{i}")
        for i in range(3)  # origin, as assess read it
    ]


def test_bad_database_options(world: World, tmp_path: Path, cli: Callable[..., Any]) -> None:
    checkout = generate(tmp_path / "one", "one", commits=1, tags=0)
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{checkout}\n")
    not_db = tmp_path / "notes.sqlite"
    not_db.write_text("not a database\n" * 100)
    url = world.settings.database
    for extra, message in (
        (("--db", url), "--db DATABASE and --org ORGANISATION go together"),
        (("--org", "acme"), "--db DATABASE and --org ORGANISATION go together"),
        (("--db", url, "--org", "nowhere"), "no organisation 'nowhere'"),
        (("--db", str(not_db), "--org", "acme"), "cannot open the database"),
        (("--db", "mysql://u@h/x", "--org", "acme"), "unsupported database backend"),
        (("--db", "postgresql://u:secret@127.0.0.1:1/x", "--org", "acme"), "cannot open"),
    ):
        done = cli("assess-many", str(listing), "--no-cache", *extra)
        assert done.exit_code == 2, (extra, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert "secret" not in done.stderr
    assert not_db.read_text().startswith("not a database")
    assert _count(world) == 0


def test_project_urls_and_slugs() -> None:
    assert slug_for("My Repo.git") == "my-repo"
    assert slug_for("..") == "project"
    assert public_url({"assessment": {"repository": "https://github.com/Acme/Widget"},
                       "location": "/tmp/x"}) == "https://github.com/Acme/Widget"  # fmt: skip
    assert public_url({"location": "git@github.com:acme/w.git"}) == "https://github.com/acme/w"
    assert public_url({"location": "https://u:tok@git.example.org/r.git", "target": "x"}) == (
        "https://git.example.org/r.git"
    )
    assert public_url({"location": "/srv/checkout", "target": "/srv/checkout"}) is None
    assert public_url({"location": "file:///srv/r.git"}) is None
    assert safe_url("postgresql://u:secret@h/db") == "postgresql://u:***@h/db"


def test_a_database_that_cannot_be_written_stops_the_run(tmp_path: Path) -> None:
    url = str(tmp_path / "service.sqlite")
    world = build_world(url, tmp_path)
    world.client.close()
    world.store.close()
    checkouts = [
        _origin(generate(tmp_path / f"q{i}", f"q{i}", commits=1, tags=0),
                f"https://git.example.org/q{i}")
        for i in range(2)
    ]  # fmt: skip
    targets = [target_for(str(c), base=tmp_path, source=f"t:{i}") for i, c in enumerate(checkouts)]
    output = tmp_path / "rows.jsonl"
    journal = JsonlFile(output, resume=False)
    store = DatabaseSink(url, "acme", actor="test run")
    store.db.engine.dispose()
    for path in tmp_path.glob("service.sqlite*"):  # the database is gone (a new, empty file)
        path.unlink()
    with ThreadPoolExecutor(1) as pool, pytest.raises(InputError) as raised:
        run_many(targets, pool, context=CONTEXT, window=1, sinks=[store, journal])
    assert "cannot write to the database" in str(raised.value)
    assert raised.value.source is not None and str(raised.value.source) == url
    journal.close(False)
    assert not output.exists()  # nothing recorded as done: a resumed run does it all
    assert not journal.journal.exists() or list(read_journal(journal.journal)) == []
