"""Signing in and out of the pages: session cookie flags, CSRF on every form (the sign-in
form included), security headers, no open redirect, throttling."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

from fastapi.testclient import TestClient
from tests.service.web.conftest import csrf_of
from tests.service.web.seed import PASSWORD, Demo

PAGES = ("/", "/gaps", "/cases", "/account", "/jobs", "/organisations/acme", "/projects/1")


def _client(demo: Demo) -> TestClient:
    return TestClient(demo.world.client.app, base_url="https://testserver")


def test_pages_need_a_session(demo: Demo) -> None:
    with closing(_client(demo)) as client:
        for path in PAGES:
            r = client.get(path, follow_redirects=False)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/sign-in?next="), path
        # an API token is not a page session
        r = client.get("/", headers=demo.world.h("root"), follow_redirects=False)
        assert r.status_code == 303


def test_sign_in_sets_a_strict_cookie_and_headers(demo: Demo) -> None:
    with closing(_client(demo)) as client:
        form = client.get("/sign-in?next=/gaps")
        csp = form.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert form.headers["x-frame-options"] == "DENY"
        assert form.headers["x-content-type-options"] == "nosniff"
        assert form.headers["referrer-policy"] == "no-referrer"
        assert 'for="username"' in form.text and 'for="password"' in form.text
        assert '<main id="main"' in form.text and 'lang="en"' in form.text
        r = client.post(
            "/sign-in",
            data={
                "username": "vera",
                "password": PASSWORD,
                "csrf_token": csrf_of(form.text),
                "next": "/gaps",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/gaps"
        cookie = next(
            c for c in r.headers.get_list("set-cookie") if c.startswith("steward_session=")
        )
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags
        page = client.get("/")
        assert page.status_code == 200 and "vera" in page.text


def test_sign_in_form_refuses_a_missing_or_forged_token(demo: Demo) -> None:
    with closing(_client(demo)) as client:
        client.get("/sign-in")
        for token in (None, "forged"):
            data = {"username": "vera", "password": PASSWORD}
            if token:
                data["csrf_token"] = token
            r = client.post("/sign-in", data=data, follow_redirects=False)
            assert r.status_code == 403
            assert "steward_session" not in r.headers.get("set-cookie", "")
    # a form from another browser (no matching cookie) is refused too
    with closing(_client(demo)) as one, closing(_client(demo)) as other:
        token = csrf_of(one.get("/sign-in").text)
        r = other.post(
            "/sign-in",
            data={"username": "vera", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code == 403


def test_wrong_password_and_unknown_user_read_the_same(demo: Demo) -> None:
    answers = []
    with closing(_client(demo)) as client:
        for user in ("vera", "no-such-user"):
            token = csrf_of(client.get("/sign-in").text)
            r = client.post(
                "/sign-in",
                data={"username": user, "password": "wrong password!", "csrf_token": token},
                follow_redirects=False,
            )
            assert r.status_code == 401
            answers.append(r.text.replace(user, "USER"))
    assert "Wrong user name or password." in answers[0]
    assert csrf_of(answers[0]) != csrf_of(answers[1])
    assert answers[0].replace(csrf_of(answers[0]), "T") == answers[1].replace(
        csrf_of(answers[1]), "T"
    )


def test_no_open_redirect_after_sign_in(demo: Demo) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"):
        with closing(_client(demo)) as client:
            form = client.get("/sign-in")
            r = client.post(
                "/sign-in",
                data={
                    "username": "otto",
                    "password": PASSWORD,
                    "csrf_token": csrf_of(form.text),
                    "next": target,
                },
                follow_redirects=False,
            )
            assert r.status_code == 303 and r.headers["location"] == "/", target


def test_sign_out_needs_the_csrf_token(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("otto")
    refused = client.post("/sign-out", data={}, follow_redirects=False)
    assert refused.status_code == 403 and "security token" in refused.text
    assert client.get("/", follow_redirects=False).status_code == 200
    forged = client.post("/sign-out", data={"csrf_token": "x" * 43}, follow_redirects=False)
    assert forged.status_code == 403
    token = csrf_of(client.get("/").text)
    r = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_throttled(demo: Demo) -> None:
    with closing(_client(demo)) as client:
        last = None
        for _ in range(demo.world.settings.login_max_failures + 1):
            token = csrf_of(client.get("/sign-in").text)
            last = client.post(
                "/sign-in",
                data={"username": "nobody", "password": "not it at all", "csrf_token": token},
                follow_redirects=False,
            )
        assert last is not None and last.status_code == 429
        assert "retry-after" in last.headers
        # the right password does not help while throttled
        token = csrf_of(client.get("/sign-in").text)
        r = client.post(
            "/sign-in",
            data={"username": "nobody", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code == 429


def test_static_files_and_no_inline_code(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("ada")
    css = client.get("/static/steward.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    for path in ("/", "/gaps", "/sign-in"):
        html = client.get(path).text
        assert " style=" not in html and "<style" not in html, path
        assert "<img src=x" not in html and "<script>" not in html, path
