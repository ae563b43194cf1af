"""Attacker tests over HTTP: nobody outside a project's security team (and the organisation's
admins) learns that a private or embargoed case exists — not from lists, counts, searches,
sorting, pagination, the due list, single reads, writes, documents, errors or timing."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from steward.service.passwords import hash_password
from steward.store import accounts
from steward.store.access import Scope
from tests.service.conftest import World

PAST = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
FUTURE = (datetime.now(UTC) + timedelta(days=30)).isoformat()
ATTACKERS = ("vera", "mona", "otto", "eve", "nobody")


def make_cases(w: World) -> dict[str, str]:
    widget = w.projects["widget"]

    def new(who: str, body: dict[str, Any], project: int = widget) -> str:
        r = w.client.post(f"/api/v1/projects/{project}/cases", json=body, headers=w.h(who))
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    private = new("sam", {"title": "Secret heap overflow", "events": [{"kind": "confirmed"}]})
    w.client.post(
        f"/api/v1/cases/{private}/events",
        json={"events": [{"kind": "exploitation_aware", "occurred_at": PAST, "data": {}}]},
        headers=w.h("sam"),
    )
    embargoed = new(
        "sam",
        {
            "title": "Secret embargoed flaw",
            "events": [  # published, then embargoed again (a follow-up under embargo)
                {"kind": "confirmed"},
                {"kind": "published"},
                {"kind": "embargo_set", "data": {"until": FUTURE}},
            ],
        },
    )
    public = new(
        "ada", {"title": "Public flaw", "events": [{"kind": "confirmed"}, {"kind": "published"}]}
    )
    rival = new("eve", {"title": "Rival secret"}, w.projects["rival-app"])
    return {"private": private, "embargoed": embargoed, "public": public, "rival": rival}


def listed(w: World, who: str, query: str = "") -> set[str]:
    r = w.client.get(f"/api/v1/cases?limit=500{query}", headers=w.h(who))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"]) or query
    return {c["id"] for c in body["items"]}


def test_nobody_else_sees_private_or_embargoed_cases(world: World) -> None:
    w = world
    ids = make_cases(w)
    hidden = {ids["private"], ids["embargoed"]}
    assert listed(w, "sam") == {ids["private"], ids["embargoed"], ids["public"]}
    assert listed(w, "ada") == {ids["private"], ids["embargoed"], ids["public"]}
    assert listed(w, "eve") == {ids["rival"]}
    for who in ATTACKERS:
        tricks = [
            "",
            "&q=Secret",
            "&state=confirmed",
            "&state=published",
            "&sort=-due",
            "&sort=updated",
            f"&project_id={w.projects['widget']}",
            "&offset=1&limit=1",
            "&kind=vulnerability",
        ]
        for trick in tricks:
            assert not listed(w, who, trick) & hidden, (who, trick)
        body = w.client.get("/api/v1/cases?limit=500", headers=w.h(who)).json()
        assert body["total"] == len(body["items"])  # the count shows only what is visible
        due = w.client.get("/api/v1/cases/due", headers=w.h(who)).json()
        assert not {d["case"] for d in due} & hidden, who
        summary = w.client.get("/api/v1/portfolio/summary", headers=w.h(who)).json()
        expected_open = 0 if who == "nobody" else 1  # the public case (eve: her own)
        assert summary["totals"]["open_cases"] == expected_open, who
        assert all(p["open_cases"] <= 1 for p in summary["items"])
        missing = "STW-2026-ZZZZZZ"
        for case_id in hidden:
            for path in (
                "",
                "/reports/early-warning",
                "/advisories/osv",
                "/advisories/csaf",
            ):
                got = w.client.get(f"/api/v1/cases/{case_id}{path}", headers=w.h(who))
                gone = w.client.get(f"/api/v1/cases/{missing}{path}", headers=w.h(who))
                assert got.status_code == gone.status_code == 404, (who, path, got.text)
                assert got.json()["detail"].replace(case_id, "X") == gone.json()["detail"].replace(
                    missing, "X"
                )
                assert "Secret" not in got.text
            r = w.client.post(
                f"/api/v1/cases/{case_id}/events",
                json={"events": [{"kind": "note", "data": {"text": "x"}}]},
                headers=w.h(who),
            )
            assert r.status_code == 404, (who, r.text)
    # the security team and the organisation admin see the due clock of the private case
    due = {d["case"] for d in w.client.get("/api/v1/cases/due", headers=w.h("sam")).json()}
    assert ids["private"] in due
    # a maintainer sees the public case but cannot change it
    r = w.client.post(
        f"/api/v1/cases/{ids['public']}/events",
        json={"events": [{"kind": "note", "data": {"text": "x"}}]},
        headers=w.h("mona"),
    )
    assert r.status_code == 403
    # reading a private case is in the audit log; only organisation admins read the log
    assert w.client.get(f"/api/v1/cases/{ids['private']}", headers=w.h("sam")).status_code == 200
    log = w.client.get("/api/v1/organisations/acme/audit", headers=w.h("ada")).json()
    assert any(e["action"] == "case.read" and e["actor"] == "sam" for e in log)
    assert w.client.get("/api/v1/organisations/acme/audit", headers=w.h("sam")).status_code == 403
    assert w.client.get("/api/v1/organisations/acme/audit", headers=w.h("eve")).status_code == 404


def test_case_creation_refused_outside_the_security_team(world: World) -> None:
    w = world
    widget, rival = w.projects["widget"], w.projects["rival-app"]
    for who, project, status in (
        ("vera", widget, 403),
        ("mona", widget, 403),
        ("eve", widget, 404),
        ("nobody", widget, 404),
        ("sam", rival, 404),
        ("sam", 999_999, 404),
    ):
        r = w.client.post(
            f"/api/v1/projects/{project}/cases", json={"title": "t"}, headers=w.h(who)
        )
        assert r.status_code == status, (who, project, r.text)
    with w.store.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM cases")) == 0
        assert conn.scalar(text("SELECT count(*) FROM projects")) == 3


def test_idor_on_every_resource(world: World) -> None:
    """Another organisation's admin guesses ids of everything; all answers are 404."""
    w = world
    ids = make_cases(w)
    widget = w.projects["widget"]
    sbom = w.client.post(
        f"/api/v1/projects/{widget}/sboms",
        content=b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}',
        headers=w.h("mona"),
    )
    assert sbom.status_code == 201, sbom.text
    job = w.client.post(
        "/api/v1/jobs", json={"kind": "rematch", "project_id": widget}, headers=w.h("mona")
    )
    assert job.status_code == 202
    for path in (
        f"/api/v1/projects/{widget}",
        f"/api/v1/projects/{widget}/sboms",
        f"/api/v1/projects/{widget}/assessments",
        f"/api/v1/projects/{widget}/vulnerabilities",
        f"/api/v1/projects/{widget}/vex",
        f"/api/v1/sboms/{sbom.json()['id']}",
        f"/api/v1/jobs/{job.json()['id']}",
        f"/api/v1/cases/{ids['public']}",
        "/api/v1/organisations/acme/profile",
        "/api/v1/organisations/acme/members",
    ):
        r = w.client.get(path, headers=w.h("eve"))
        assert r.status_code == 404, (path, r.status_code, r.text)
    for method, path, body in (
        ("PATCH", f"/api/v1/projects/{widget}", {"name": "x"}),
        ("DELETE", f"/api/v1/projects/{widget}", None),
        ("PUT", "/api/v1/organisations/acme/profile", {"name": "Evil", "country": "FR"}),
        ("POST", "/api/v1/organisations/acme/members", {"user": "eve", "role": "admin"}),
        ("POST", "/api/v1/jobs", {"kind": "rematch", "project_id": widget}),
    ):
        r = w.client.request(method, path, json=body, headers=w.h("eve"))
        assert r.status_code == 404, (method, path, r.status_code, r.text)
    # eve lists nothing of acme's either
    assert w.client.get("/api/v1/projects?limit=500", headers=w.h("eve")).json()["total"] == 1
    assert w.client.get("/api/v1/jobs", headers=w.h("eve")).json()["items"] == []
    # a member who is not an organisation admin cannot change the profile (reports routing)
    r = w.client.put(
        "/api/v1/organisations/acme/profile",
        json={"name": "X", "country": "FR"},
        headers=w.h("sam"),
    )
    assert r.status_code == 403
    r = w.client.put(
        "/api/v1/organisations/acme/profile",
        json={"name": "ACME", "country": "DE"},
        headers=w.h("ada"),
    )
    assert r.status_code == 200
    assert (
        w.client.get("/api/v1/organisations/acme/profile", headers=w.h("vera")).json()["profile"][
            "country"
        ]
        == "DE"
    )


def test_sort_and_filter_tricks_are_refused_or_harmless(world: World) -> None:
    w = world
    make_cases(w)
    for query in (
        "sort=embargo_until",
        "sort=published_at",
        "sort=id;DROP TABLE cases",
        "limit=100000",
        "limit=0",
        "offset=-1",
    ):
        r = w.client.get(f"/api/v1/cases?{query}", headers=w.h("vera"))
        assert r.status_code in (400, 422), (query, r.text)
    for query in ("sort=secret", "sort=organisation_id", "limit=501"):
        r = w.client.get(f"/api/v1/projects?{query}", headers=w.h("vera"))
        assert r.status_code in (400, 422), query
    # a LIKE pattern does not widen the search beyond the visible projects
    r = w.client.get("/api/v1/projects?q=%25", headers=w.h("vera"))
    assert r.json()["total"] == 0
    r = w.client.get("/api/v1/projects?q=_", headers=w.h("vera"))
    assert r.json()["total"] == 0
    assert w.client.get("/api/v1/projects?q=widg", headers=w.h("vera")).json()["total"] == 1


def test_anonymous_expired_and_revoked_tokens(world: World) -> None:
    w = world
    ids = make_cases(w)
    expired = w.token("sam", [Scope.CASES], days=1)
    with w.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE api_tokens SET expires_at = :t WHERE token_id = :i"),
            {"t": datetime.now(UTC) - timedelta(seconds=1), "i": expired.split("_")[1]},
        )
    revoked = w.token("sam", [Scope.CASES])
    r = w.client.delete(f"/api/v1/tokens/{revoked.split('_')[1]}", headers=w.h("sam"))
    assert r.status_code == 204
    # revoking someone else's token is not possible (and does not tell it exists)
    other = w.token("ada", [Scope.READ])
    r = w.client.delete(f"/api/v1/tokens/{other.split('_')[1]}", headers=w.h("sam"))
    assert r.status_code == 404
    forged = w.tokens["sam"][:-4] + "AAAA"
    for headers in (
        {},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {revoked}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Basic c2FtOnNhbQ=="},
    ):
        for path in (
            "/api/v1/cases",
            f"/api/v1/cases/{ids['private']}",
            "/api/v1/portfolio/summary",
        ):
            r = w.client.get(path, headers=headers)
            assert r.status_code == 401, (headers, path, r.text)
            assert "Secret" not in r.text


def test_token_scopes_and_project_limits(world: World) -> None:
    w = world
    ids = make_cases(w)
    read_only = {"Authorization": f"Bearer {w.token('sam', [Scope.READ])}"}
    # a read-only token of a security-team member does not reveal private cases
    r = w.client.get("/api/v1/cases", headers=read_only).json()
    assert {c["id"] for c in r["items"]} == {ids["public"]}
    assert w.client.get(f"/api/v1/cases/{ids['private']}", headers=read_only).status_code == 404
    r = w.client.post(
        f"/api/v1/projects/{w.projects['widget']}/sboms", content=b"{}", headers=read_only
    )
    assert r.status_code == 403
    # a token limited to gadget sees nothing of widget
    limited = {"Authorization": f"Bearer {w.token('ada', [Scope.CASES], project='gadget')}"}
    assert (
        w.client.get(f"/api/v1/projects/{w.projects['widget']}", headers=limited).status_code == 404
    )
    assert w.client.get("/api/v1/cases", headers=limited).json()["total"] == 0
    # tokens cannot mint stronger tokens
    r = w.client.post("/api/v1/tokens", json={"name": "x", "scopes": ["admin"]}, headers=read_only)
    assert r.status_code == 403
    r = w.client.post(
        "/api/v1/tokens",
        json={"name": "x", "scopes": ["cases"], "project_id": w.projects["widget"]},
        headers=limited,
    )
    assert r.status_code in (403, 404)


def _login(w: World, user: str, password: str) -> Any:
    return w.client.post("/api/v1/session", json={"username": user, "password": password})


def test_sessions_csrf_and_throttling(sqlite_world: World) -> None:
    w = sqlite_world
    w.store.write(
        lambda s: accounts.set_password(
            s, "sam", hash_password("correct horse battery"), actor="test", now=datetime.now(UTC)
        )
    )
    ids = make_cases(w)
    r = _login(w, "sam", "correct horse battery")
    assert r.status_code == 200, r.text
    csrf = r.json()["csrf_token"]
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    body = {"events": [{"kind": "note", "data": {"text": "from the browser"}}]}
    path = f"/api/v1/cases/{ids['private']}/events"
    assert w.client.get(f"/api/v1/cases/{ids['private']}").status_code == 200
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": csrf[:-1] + "x"}):
        r = w.client.post(path, json=body, headers=headers)
        assert r.status_code == 403 and "CSRF" in r.text
    # a form post carries the token as a field
    r = w.client.post("/api/v1/tokens", data={"name": "x", "csrf_token": "forged"})
    assert r.status_code == 403
    r = w.client.post(path, json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    notes = [
        e
        for e in w.client.get(f"/api/v1/cases/{ids['private']}").json()["case"]["timeline"]
        if e["kind"] == "note"
    ]
    assert len(notes) == 1 and notes[0]["actor"] == "sam"  # the account, not a claimed name
    # sign out (needs CSRF too), then the cookie is worthless
    assert w.client.delete("/api/v1/session").status_code == 403
    assert w.client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    w.client.cookies.clear()
    assert w.client.get("/api/v1/session").status_code == 401
    # throttling: after 5 failures the right password is refused too, for a while
    for _ in range(5):
        assert _login(w, "sam", "wrong password!!").status_code == 401
    r = _login(w, "sam", "correct horse battery")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # unknown accounts fail the same way as wrong passwords
    r = _login(w, "ghost", "whatever password")
    assert r.status_code == 401 and r.json()["detail"] == "wrong user name or password"


def test_login_form_and_csrf_form_field(sqlite_world: World) -> None:
    w = sqlite_world
    w.store.write(
        lambda s: accounts.set_password(
            s, "ada", hash_password("a long passphrase"), actor="test", now=datetime.now(UTC)
        )
    )
    r = w.client.post("/api/v1/session", data={"username": "ada", "password": "a long passphrase"})
    assert r.status_code == 200
    csrf = w.client.get("/api/v1/session").json()["csrf_token"]
    r = w.client.post(
        "/api/v1/projects",
        json={"organisation": "acme", "slug": "new-one"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 201
    r = w.client.request(
        "DELETE",
        "/api/v1/session",
        data={"csrf_token": csrf},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 204


def _statements(w: World, path: str, who: str) -> tuple[int, list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(w.store.engine, "before_cursor_execute", record)
    try:
        status = w.client.get(path, headers=w.h(who)).status_code
    finally:
        event.remove(w.store.engine, "before_cursor_execute", record)
    return status, seen


def test_hidden_and_missing_cases_take_the_same_path(world: World) -> None:
    """Same SQL for a hidden case and a missing one (so the same work and time)."""
    w = world
    ids = make_cases(w)
    for who in ATTACKERS:
        w.client.get("/api/v1/session", headers=w.h(who))  # the token's last use is recorded
        for suffix in ("", "/reports/notification", "/advisories/osv"):
            hidden = _statements(w, f"/api/v1/cases/{ids['private']}{suffix}", who)
            missing = _statements(w, f"/api/v1/cases/STW-2026-ZZZZZZ{suffix}", who)
            assert hidden == missing, (who, suffix)


@pytest.mark.slow
def test_timing_does_not_tell_hidden_from_missing(sqlite_world: World) -> None:
    w = sqlite_world
    ids = make_cases(w)

    def once(path: str) -> float:
        start = time.perf_counter()
        w.client.get(path, headers=w.h("vera"))
        return time.perf_counter() - start

    hidden, missing = [], []
    for _ in range(80):  # interleaved, so load on the machine hits both alike
        hidden.append(once(f"/api/v1/cases/{ids['private']}"))
        missing.append(once("/api/v1/cases/STW-2026-ZZZZZZ"))
    a, b = statistics.median(hidden), statistics.median(missing)
    # a difference that reveals existence would be systematic; noise stays within this
    assert abs(a - b) < 0.3 * max(a, b) + 0.003, (a, b)


def test_a_published_case_shows_readers_no_private_reporter_contact(sqlite_world: World) -> None:
    """Publishing a case lets the project's viewers read it, but the reporter's private
    contact stays with the security team unless the reporter agreed to its publication, and
    a reporter who declined credit is not named (issue 15, item 8)."""
    w = sqlite_world
    widget = w.projects["widget"]
    reporters = {
        "contact kept private": {"name": "Rita", "contact": "rita@private.example"},
        "no credit": {"name": "Anon Person", "contact": "anon@private.example", "credit": False},
        "consented": {
            "name": "Pat",
            "contact": "pat@public.example",
            "publish_contact": True,
        },
    }
    ids = {}
    for label, reporter in reporters.items():
        r = w.client.post(
            f"/api/v1/projects/{widget}/cases",
            json={
                "title": label,
                "events": [
                    {"kind": "received", "data": {"reporter": reporter}},
                    {"kind": "confirmed"},
                    {"kind": "published"},
                ],
            },
            headers=w.h("sam"),
        )
        assert r.status_code == 201, r.text
        ids[label] = r.json()["id"]
    for label, case_id in ids.items():
        seen = [
            w.client.get(f"/api/v1/cases/{case_id}", headers=w.h("vera")).text,
            w.client.get(f"/api/v1/cases/{case_id}/events", headers=w.h("vera")).text,
        ]
        listing = w.client.get("/api/v1/cases?include_events=true", headers=w.h("vera")).text
        handler = w.client.get(f"/api/v1/cases/{case_id}", headers=w.h("sam")).text
        assert reporters[label]["contact"] in handler
        for answer in [*seen, listing]:
            assert "rita@private.example" not in answer and "anon@private.example" not in answer
            assert "Anon Person" not in answer
        if label == "consented":
            assert all("pat@public.example" in text for text in seen)
        if label == "contact kept private":
            assert all("Rita" in text for text in seen)
