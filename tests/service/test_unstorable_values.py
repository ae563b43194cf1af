"""Values a database cannot hold (a NUL character, an id beyond the column's range) get a 4xx
with one line and change nothing, on SQLite and PostgreSQL alike (PostgreSQL refuses NUL in
text and integers beyond 32 bits; both used to surface as 500 internal errors)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.service.conftest import World

TABLES = ("cases", "case_events", "projects", "organisations", "api_tokens", "memberships", "jobs")


def _counts(w: World) -> dict[str, Any]:
    with w.store.engine.connect() as conn:
        counts: dict[str, Any] = {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}
        counts["profile"] = conn.execute(
            text("SELECT name, country FROM organisations ORDER BY id")
        ).all()
        counts["project names"] = conn.execute(text("SELECT name FROM projects ORDER BY id")).all()
    return counts


def test_nul_characters_are_refused_everywhere(world: World) -> None:
    w = world
    widget = w.projects["widget"]
    before = _counts(w)
    writes = [
        ("post", f"/api/v1/projects/{widget}/cases", "sam", {"title": "a\u0000b"}),
        (
            "post",
            f"/api/v1/projects/{widget}/cases",
            "sam",
            {"title": "ok", "events": [{"kind": "note", "data": {"text": "a\u0000b"}}]},
        ),
        ("patch", f"/api/v1/projects/{widget}", "mona", {"name": "a\u0000b"}),
        ("put", "/api/v1/organisations/acme/profile", "ada", {"name": "a\u0000b"}),
        ("post", "/api/v1/tokens", "vera", {"name": "a\u0000b"}),
        (
            "post",
            "/api/v1/organisations/acme/members",
            "ada",
            {"user": "a\u0000b", "role": "viewer"},
        ),
        ("post", "/api/v1/organisations", "root", {"slug": "x", "name": "a\u0000b"}),
        ("post", "/api/v1/projects", "ada", {"organisation": "acme", "slug": "a\u0000b"}),
    ]
    for method, url, who, body in writes:
        r = getattr(w.client, method)(url, json=body, headers=w.h(who))
        assert r.status_code in (400, 422), (url, r.status_code, r.text)
        assert "control character" in r.json()["detail"], r.text
    r = w.client.post("/api/v1/session", json={"username": "a\u0000b", "password": "x"})
    assert r.status_code == 400
    reads = [
        "/api/v1/projects?q=a%00b",
        "/api/v1/portfolio/summary?organisation=a%00b",
        "/api/v1/cases?q=a%00b&state=a%00",
        "/api/v1/organisations/a%00b/profile",
        "/api/v1/portfolio/export?organisation=a%00b",
    ]
    for url in reads:
        r = w.client.get(url, headers=w.h("ada"))
        assert r.status_code in (200, 400, 404), (url, r.status_code, r.text)
        if r.status_code == 200:
            assert r.json().get("total", 0) == 0 or r.json().get("projects") == []
    assert _counts(w) == before


def test_ids_beyond_the_column_range_are_not_internal_errors(world: World) -> None:
    w = world
    huge = 99_999_999_999  # beyond PostgreSQL's INTEGER
    for url in (
        f"/api/v1/projects/{huge}",
        f"/api/v1/jobs/{huge}",
        f"/api/v1/assessments/{huge}",
        f"/api/v1/sboms/{huge}",
        f"/api/v1/projects/{huge}/vulnerabilities",
        f"/api/v1/cases?project_id={huge}",
        f"/api/v1/organisations/acme/audit?before_id={huge}",
        f"/api/v1/projects/{10**30}",
    ):
        r = w.client.get(url, headers=w.h("ada"))
        if r.status_code == 200:  # a filter that matches nothing (SQLite compares any integer)
            body = r.json()
            assert "?" in url and (isinstance(body, list) or body["total"] == 0), url
            continue
        assert r.status_code in (400, 404), (url, r.status_code, r.text)
        assert r.json()["detail"]
    r = w.client.post(
        "/api/v1/jobs", json={"kind": "rematch", "project_id": huge}, headers=w.h("mona")
    )
    assert r.status_code in (400, 404)
    r = w.client.post("/api/v1/tokens", json={"name": "t", "project_id": huge}, headers=w.h("ada"))
    assert r.status_code in (400, 404)


def test_bidi_controls_are_refused_in_case_text_and_profiles(world: World) -> None:
    """The bidirectional override and isolate controls (and C1 controls) reorder what a
    reader of a report or advisory sees: refused like a NUL (steward.textcheck)."""
    w = world
    widget = w.projects["widget"]
    before = _counts(w)
    for char in ("\u202e", "\u2066", "\x9b"):
        writes = [
            ("post", f"/api/v1/projects/{widget}/cases", "sam", {"title": f"a{char}b"}),
            (
                "post",
                f"/api/v1/projects/{widget}/cases",
                "sam",
                {"title": "ok", "events": [{"kind": "note", "data": {"text": f"a{char}b"}}]},
            ),
            ("put", "/api/v1/organisations/acme/profile", "ada", {"name": f"a{char}b"}),
        ]
        for method, url, who, body in writes:
            r = getattr(w.client, method)(url, json=body, headers=w.h(who))
            assert r.status_code in (400, 422), (url, r.status_code, r.text)
    assert _counts(w) == before
