"""A running service per test (SQLite file and, when configured, real PostgreSQL), with a
small world in it: two organisations, projects, people in every role, and their tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.service.app import create_app
from steward.service.config import Settings
from steward.store import accounts
from steward.store.access import Principal, Role, Scope
from steward.store.cases import CaseStore
from steward.store.vulndb import VulnDB
from steward.vuln.feeds import import_kev
from steward.vuln.osv_import import import_osv
from tests.vuln.test_matching import EXPLOITED_CVE, kev_feed

NOW = datetime.now(UTC)
ALL_SCOPES = [Scope.READ, Scope.UPLOAD, Scope.CASES, Scope.ADMIN]


@pytest.fixture(params=["sqlite", "postgresql"])
def service_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "service.sqlite")
    else:
        yield request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return str(tmp_path / "service.sqlite")


@dataclass
class World:
    """The service under test, its store, and bearer headers per person."""

    client: TestClient
    store: CaseStore
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def token(
        self, user: str, scopes: list[Scope], *, project: str | None = None, days: int = 30
    ) -> str:
        def work(session: Any) -> str:
            from sqlalchemy import select

            from steward.store.models import User

            user_id = session.scalar(select(User.id).where(User.name == user))
            principal = Principal(name=user, user_id=user_id)
            token, _ = accounts.create_token(
                session,
                principal,
                name=f"{user} test",
                scopes=scopes,
                days=days,
                project_id=self.projects[project] if project else None,
                now=datetime.now(UTC),
            )
            return token

        return self.store.write(work)


def build_world(database: str, tmp_path: Path, **overrides: Any) -> World:
    settings = Settings(
        database=database,
        vulndb=str(tmp_path / "vulndb.sqlite"),
        run_worker=False,
        **overrides,
    )
    store = CaseStore(database)
    app = create_app(settings, store=store)
    client = TestClient(app, base_url="https://testserver")
    world = World(client=client, store=store, settings=settings)
    now = datetime.now(UTC)

    def setup(session: Any) -> dict[str, int]:
        from steward.store import portfolio

        accounts.create_user(session, "root", None, site_admin=True, actor="test", now=now)
        for org in ("acme", "rival"):
            accounts.create_organisation(session, org, org.title(), actor="test", now=now)
        people = {
            "ada": ("acme", None, Role.ADMIN),  # organisation admin
            "sam": ("acme", "widget", Role.SECURITY_TEAM),
            "mona": ("acme", "widget", Role.MAINTAINER),
            "vera": ("acme", "widget", Role.VIEWER),
            "otto": ("acme", None, Role.VIEWER),
            "eve": ("rival", None, Role.ADMIN),  # another organisation's admin
            "nobody": (None, None, None),
        }
        for name in people:
            accounts.create_user(session, name, None, actor="test", now=now)
        root = Principal(name="root", admin=True)
        ids = {
            "widget": portfolio.create_project(session, root, "acme", "widget", now=now),
            "gadget": portfolio.create_project(session, root, "acme", "gadget", now=now),
            "rival-app": portfolio.create_project(session, root, "rival", "rival-app", now=now),
        }
        site = Principal(name="root", site_admin=True)
        for name, (org, project, role) in people.items():
            if org is not None and role is not None:
                accounts.grant(
                    session, site, name, role, organisation=org, project=project, now=now
                )
        return ids

    world.projects = store.write(setup)
    for name in ("root", "ada", "sam", "mona", "vera", "otto", "eve", "nobody"):
        world.tokens[name] = world.token(name, ALL_SCOPES)
    return world


@pytest.fixture
def world(service_db: str, tmp_path: Path) -> Iterator[World]:
    w = build_world(service_db, tmp_path)
    yield w
    w.client.close()
    w.store.close()


@pytest.fixture
def sqlite_world(sqlite_db: str, tmp_path: Path) -> Iterator[World]:
    w = build_world(sqlite_db, tmp_path)
    yield w
    w.client.close()
    w.store.close()


REQUIREMENTS = "werkzeug==2.2.2\njinja2==2.10\nurllib3==1.24.1\nidna==3.7\n"


def make_vulndb(path: Path, shared_data: Path, packages: tuple[str, ...] = ("werkzeug",)) -> None:
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    with VulnDB(path) as db:
        import_osv(db, [pypa / name for name in packages])
        import_kev(db, kev_feed(path.parent / "kev.json", [EXPLOITED_CVE]))


@pytest.fixture
def sboms(tmp_path: Path, cli: Callable[..., Any]) -> dict[str, bytes]:
    """One project's SBOM in each format Steward writes, from a self-written requirements.txt."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text(REQUIREMENTS)
    out: dict[str, bytes] = {}
    for fmt in ("cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx3-json"):
        target = tmp_path / f"bom.{fmt}"
        result = cli(
            "sbom", "generate", str(project), "-f", fmt, "-o", str(target), "--name", "shop"
        )
        assert result.exit_code == 0, result.stderr
        out[fmt] = target.read_bytes()
    return out
