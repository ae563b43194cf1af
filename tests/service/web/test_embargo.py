"""An embargoed case shows on no page, count, filter, download or error to anyone outside
the project's security team and the organisation's admins; for them it is on the board."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.service.conftest import World
from tests.service.web.conftest import sign_in
from tests.service.web.seed import EMBARGOED_TITLE, Demo, seed

OUTSIDERS = ("vera", "mona", "otto", "eve", "nobody")


def _pages(demo: Demo) -> list[str]:
    p = demo.world.projects
    case = demo.embargoed_case
    return [
        "/",
        "/?sort=-exploited",
        "/?q=widget",
        "/gaps",
        "/cases",
        "/cases?closed=true",
        f"/cases?q={case}",
        "/cases?q=Embargoed",
        f"/cases?project={p['widget']}",
        "/jobs",
        "/account",
        "/organisations/acme",
        f"/projects/{p['widget']}",
        f"/projects/{p['widget']}/vulnerabilities",
        f"/cases/{case}",
        f"/cases/{case}/advisories/csaf",
        f"/cases/{case}/advisories/osv",
        f"/cases/{case}/reports/early-warning.json",
        f"/cases/{case}/reports/notification.md",
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_never_see_the_embargoed_case(
    who: str, demo: Demo, as_user: Callable[[str], TestClient]
) -> None:
    client = as_user(who)
    case = demo.embargoed_case
    for path in _pages(demo):
        r = client.get(path)
        assert EMBARGOED_TITLE not in r.text, (who, path)
        # the id may only come back as what was asked for: an error's words, a search box
        body = r.text.replace(f"no case &#39;{case}&#39;", "").replace(f'value="{case}"', "")
        assert case not in body.replace(path, ""), (who, path)
    # its page answers exactly like a case that does not exist
    fake = case[:-4] + ("ZZZZ" if not case.endswith("ZZZZ") else "YYYY")
    hidden, missing = client.get(f"/cases/{case}"), client.get(f"/cases/{fake}")
    assert hidden.status_code == missing.status_code == 404
    strip = re.compile(r"no case &#39;[A-Z0-9-]+&#39;|csrf_token\" value=\"[^\"]+\"")
    assert strip.sub("", hidden.text) == strip.sub("", missing.text)
    # recording an event on it is refused the same way (with a valid CSRF token)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    if token:
        r = client.post(
            f"/cases/{case}/events",
            data={"csrf_token": token.group(1), "kind": "note", "text": "peek"},
        )
        assert r.status_code == 404 and EMBARGOED_TITLE not in r.text


def test_security_team_and_admins_see_it(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    for who in ("sam", "ada"):
        client = as_user(who)
        board = client.get("/cases").text
        assert EMBARGOED_TITLE in board and 'class="embargo"' in board
        page = client.get(f"/cases/{demo.embargoed_case}")
        assert page.status_code == 200 and EMBARGOED_TITLE in page.text


def test_counts_differ_only_by_visible_cases(
    demo: Demo, as_user: Callable[[str], TestClient]
) -> None:
    def open_cases(who: str) -> int:
        html = as_user(who).get("/").text
        found = re.search(r'<span class="n">(\d+)</span><span class="l">open cases', html)
        assert found
        return int(found.group(1))

    api = demo.world.client.get("/api/v1/cases", headers=demo.world.h("vera")).json()
    assert open_cases("vera") == api["total"] == 1
    assert open_cases("sam") == 3


def test_on_sqlite_and_postgresql(world: World, tmp_path: Path, shared_data: Path) -> None:
    """The pages' own queries (dashboard, heat map, trends) on both databases."""
    demo = seed(world, tmp_path, shared_data)
    for who in OUTSIDERS:
        client = TestClient(world.client.app, base_url="https://testserver")
        sign_in(client, who)
        for path in _pages(demo)[:14]:
            r = client.get(path)
            assert r.status_code in (200, 404), (who, path, r.status_code)
            assert EMBARGOED_TITLE not in r.text, (who, path)
        client.close()
    ada = TestClient(world.client.app, base_url="https://testserver")
    sign_in(ada, "ada")
    for path in ("/", "/gaps", "/cases", f"/projects/{world.projects['widget']}"):
        assert ada.get(path).status_code == 200, path
    assert EMBARGOED_TITLE in ada.get("/cases").text
    ada.close()
