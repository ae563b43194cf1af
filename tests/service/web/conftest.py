"""The demo portfolio once per test session (SQLite), and browsers-without-a-browser:
TestClients signed in through the sign-in form like a person."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.service.conftest import build_world
from tests.service.web.seed import PASSWORD, XSS, Demo, seed

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def assert_escaped(html: str) -> None:
    """The hostile text of the demo shows as text: no tag of it reaches the page."""
    assert XSS not in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def sign_in(client: TestClient, user: str, password: str = PASSWORD) -> TestClient:
    form = client.get("/sign-in")
    assert form.status_code == 200
    r = client.post(
        "/sign-in",
        data={"username": user, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Demo]:
    base = tmp_path_factory.mktemp("webdemo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STEWARD_HOME", str(base / "home"))
        mp.setenv("STEWARD_CACHE", str(base / "cache"))
        world = build_world(str(base / "service.sqlite"), base)
        seeded = seed(world, base, shared_data, extra_projects=3)
    yield seeded
    world.client.close()
    world.store.close()


@pytest.fixture
def as_user(demo: Demo) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in client per user name (each its own cookie jar)."""
    clients: list[TestClient] = []

    def make(user: str) -> TestClient:
        client = TestClient(demo.world.client.app, base_url="https://testserver")
        clients.append(client)
        return sign_in(client, user)

    yield make
    for client in clients:
        client.close()
