"""The pages in a real browser: Debian's chromium driven by Playwright against a real
``steward serve`` (uvicorn on loopback) with the demo portfolio.

Skipped only when chromium is absent (CI installs it: ``.ci/run``). Every page is watched
for Content-Security-Policy violations and script errors: the pages must work under their
own policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.service.web.live import CHROMIUM, launch, live_demo
from tests.service.web.seed import EMBARGOED_TITLE, PASSWORD, Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"chromium not installed at {CHROMIUM} (apt-get install -y chromium)",
    ),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[tuple[Demo, str]]:
    base = tmp_path_factory.mktemp("live")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STEWARD_HOME", str(base / "home"))
        mp.setenv("STEWARD_CACHE", str(base / "cache"))
        with live_demo(base, shared_data) as served:
            yield served


@pytest.fixture(scope="module")
def browser(live: tuple[Demo, str]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


class Session:
    """A browser context signed in as one user, collecting CSP violations and errors."""

    def __init__(self, browser: Any, url: str, **options: Any) -> None:
        self.url = url
        self.context = browser.new_context(base_url=url, accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(m.text) if m.type == "error" and "404" not in m.text else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def sign_in(self, user: str) -> Session:
        page = self.page
        page.goto("/")
        assert "/sign-in" in page.url
        page.get_by_label("User name").fill(user)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(self.url + "/")
        return self

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


def test_sign_in_dashboard_and_project(browser: Any, live: tuple[Demo, str]) -> None:
    _demo, url = live
    s = Session(browser, url, viewport={"width": 1280, "height": 800}).sign_in("ada")
    page = s.page
    assert page.get_by_role("heading", name="Portfolio", exact=True).is_visible()
    table = page.locator("#projects")
    assert table.locator("tbody tr").count() == 5
    # the hostile project name is text, never markup
    assert "<script>" in page.get_by_role("link", name="Widget").first.inner_text()
    # sort by failing requirements, then filter
    page.get_by_role("link", name="Failing").click()
    assert "sort=failing" in page.url
    page.get_by_label("Name contains").fill("gadget")
    page.get_by_role("button", name="Filter").click()
    assert table.locator("tbody tr").count() == 1
    # drill into the project
    page.get_by_role("link", name="Gadget").click()
    assert page.get_by_role("heading", name="Gadget", exact=True).is_visible()
    assert page.get_by_role("heading", name="Newest assessment").is_visible()
    page.get_by_role("button", name="Compare the two selected").click()
    assert page.get_by_role("heading", name="Changes between two assessments").is_visible()
    assert page.locator("#changes tbody tr").count() > 0
    # the keyboard reaches the skip link first, and it leads to the main content
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    s.close()


def test_record_a_case_event_and_download_csaf(browser: Any, live: tuple[Demo, str]) -> None:
    demo, url = live
    s = Session(browser, url).sign_in("sam")
    page = s.page
    page.get_by_role("link", name="Cases").first.click()
    first = page.locator("table.cases tbody tr").first
    assert "overdue" in (first.get_attribute("class") or "")
    first.get_by_role("link", name=demo.overdue_case).click()
    page.get_by_label("Event", exact=True).select_option("note")
    page.get_by_label("Note, evidence, description or URL").fill("Asked the reporter for a PoC")
    page.get_by_role("button", name="Record", exact=True).click()
    assert page.get_by_role("status").inner_text() == "The event was recorded."
    assert "Asked the reporter for a PoC" in page.locator("#timeline").inner_text()
    # the form offers only what the state machine allows next
    offered = page.get_by_label("Event", exact=True).locator("option").all_inner_texts()
    assert "fix started" in offered and "closed" not in offered
    # CSAF advisory of the published case
    page.goto(f"/cases/{demo.public_case}")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSAF 2.0 advisory").click()
    download = info.value
    document = json.loads(Path(download.path()).read_text())
    assert download.suggested_filename == f"{demo.public_case}-csaf.json"
    assert document["document"]["csaf_version"] == "2.0"
    assert document["document"]["tracking"]["status"] in ("final", "interim")
    s.close()


def test_create_and_revoke_a_token(browser: Any, live: tuple[Demo, str]) -> None:
    demo, url = live
    s = Session(browser, url).sign_in("mona")
    page = s.page
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Name").fill("CI of widget")
    page.get_by_label("upload").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("stw_")
    api = demo.world.client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    page.goto("/account")  # the secret is never shown again
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke token CI of widget").click()
    assert page.get_by_role("status").inner_text() == "The token was revoked."
    api = demo.world.client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    s.close()


def test_attacker_sees_no_embargoed_case(browser: Any, live: tuple[Demo, str]) -> None:
    demo, url = live
    for who in ("eve", "vera"):
        s = Session(browser, url).sign_in(who)
        page = s.page
        for path in ("/", "/cases", "/cases?closed=true", "/gaps", "/jobs", "/account"):
            page.goto(path)
            assert EMBARGOED_TITLE not in page.content(), (who, path)
            assert demo.embargoed_case not in page.content(), (who, path)
        response = page.goto(f"/cases/{demo.embargoed_case}")
        assert response is not None and response.status == 404
        assert EMBARGOED_TITLE not in page.content()
        response = page.goto(f"/cases/{demo.embargoed_case}/advisories/csaf")
        assert response is not None and response.status == 404
        s.problems.clear()  # the 404s above are expected
        s.close()


def test_phone_width(browser: Any, live: tuple[Demo, str]) -> None:
    demo, url = live
    s = Session(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True)
    s.sign_in("ada")
    page = s.page
    for path in ("/", "/cases", f"/projects/{demo.world.projects['widget']}", "/account"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)  # wide tables scroll inside their box
        assert page.get_by_role("navigation", name="Main").is_visible()
    s.close()
