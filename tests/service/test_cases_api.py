"""Cases over the API: the CLI's state machine and Art. 14 clocks, the account as author,
reports and advisories with the profile of the case's own organisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tests.service.conftest import World

AWARE = (datetime.now(UTC) - timedelta(hours=3)).isoformat()


def _events(w: World) -> int:
    with w.store.engine.connect() as conn:
        return int(conn.scalar(text("SELECT count(*) FROM case_events")) or 0)


def test_case_lifecycle_reports_and_advisories(world: World) -> None:
    w = world
    widget = w.projects["widget"]
    body = {
        "title": "Path traversal in archive extraction",
        "received_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "events": [
            {
                "kind": "product_added",
                "data": {
                    "product": {
                        "name": "widget",
                        "ecosystem": "PyPI",
                        "purl": "pkg:pypi/widget",
                        "affected": ["<2.3.1"],
                        "fixed": ["2.3.1"],
                    }
                },
            },
            {
                "kind": "severity_set",
                "data": {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H"},
            },
            {"kind": "alias_added", "data": {"alias": "CVE-2026-31415"}},
            {"kind": "confirmed"},
        ],
    }
    r = w.client.post(f"/api/v1/projects/{widget}/cases", json=body, headers=w.h("sam"))
    assert r.status_code == 201, r.text
    case_id = r.json()["id"]
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={
            "events": [
                {"kind": "exploitation_aware", "occurred_at": AWARE, "data": {"evidence": "KEV"}}
            ]
        },
        headers=w.h("sam"),
    )
    assert r.status_code == 201, r.text
    case = w.client.get(f"/api/v1/cases/{case_id}", headers=w.h("sam")).json()
    assert case["private"] and case["case"]["state"] == "confirmed"
    assert {e["actor"] for e in case["case"]["timeline"]} == {"sam"}
    early = next(c for c in case["clocks"] if c["report"] == "early_warning")
    assert early["status"] == "running" and 0 < early["seconds_left"] <= 21 * 3600
    due = w.client.get("/api/v1/cases/due", headers=w.h("ada")).json()
    assert [d["report"] for d in due if d["case"] == case_id][:1] == ["early_warning"]
    # state machine: closing a confirmed case is refused, nothing is written
    before = _events(w)
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={"events": [{"kind": "note", "data": {"text": "x"}}, {"kind": "closed"}]},
        headers=w.h("sam"),
    )
    assert r.status_code == 409 and "closed" in r.json()["detail"]
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={
            "events": [
                {
                    "kind": "note",
                    "data": {"text": "x"},
                    "occurred_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
                }
            ]
        },
        headers=w.h("sam"),
    )
    assert r.status_code == 400 and "future" in r.json()["detail"]
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={"events": [{"kind": "no_such_kind"}]},
        headers=w.h("sam"),
    )
    assert r.status_code == 400
    assert _events(w) == before
    # reports need the organisation's profile: the case's own organisation, not another's
    r = w.client.get(f"/api/v1/cases/{case_id}/reports/early-warning", headers=w.h("sam"))
    assert r.status_code == 400 and "profile" in r.json()["detail"]
    assert (
        w.client.put(
            "/api/v1/organisations/rival/profile",
            json={"name": "Rival SA", "country": "FR"},
            headers=w.h("eve"),
        ).status_code
        == 200
    )
    assert (
        w.client.put(
            "/api/v1/organisations/acme/profile",
            json={
                "name": "ACME GmbH",
                "country": "de",
                "contact_email": "psirt@acme.example",
                "website": "https://acme.example",
            },
            headers=w.h("ada"),
        ).status_code
        == 200
    )
    report = w.client.get(
        f"/api/v1/cases/{case_id}/reports/early-warning", headers=w.h("sam")
    ).json()
    assert report["manufacturer"]["name"] == "ACME GmbH"
    assert report["recipient"]["member_state"] == "DE"
    markdown = w.client.get(
        f"/api/v1/cases/{case_id}/reports/notification?format=markdown", headers=w.h("sam")
    )
    assert markdown.status_code == 200 and "ACME GmbH" in markdown.text
    csaf = w.client.get(f"/api/v1/cases/{case_id}/advisories/csaf", headers=w.h("sam"))
    assert csaf.status_code == 200, csaf.text
    assert csaf.json()["document"]["publisher"]["name"] == "ACME GmbH"
    osv = w.client.get(f"/api/v1/cases/{case_id}/advisories/osv", headers=w.h("sam")).json()
    assert "CVE-2026-31415" in osv["aliases"]
    cve = w.client.get(f"/api/v1/cases/{case_id}/advisories/cve", headers=w.h("sam"))
    assert cve.status_code == 400  # needs the CNA's ids
    # publishing makes it visible to the project's viewers
    assert w.client.get(f"/api/v1/cases/{case_id}", headers=w.h("vera")).status_code == 404
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={"events": [{"kind": "published"}]},
        headers=w.h("sam"),
    )
    assert r.status_code == 201
    seen = w.client.get(f"/api/v1/cases/{case_id}", headers=w.h("vera"))
    assert seen.status_code == 200 and not seen.json()["private"]


def test_bad_case_requests(sqlite_world: World) -> None:
    w = sqlite_world
    widget = w.projects["widget"]
    for body in (
        {},
        {"title": ""},
        {"title": "x", "kind": "nonsense"},
        {"title": "x", "prefix": "bad prefix"},
        {"title": "x", "received_at": "yesterday"},
    ):
        r = w.client.post(f"/api/v1/projects/{widget}/cases", json=body, headers=w.h("sam"))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["detail"]
    r = w.client.post(
        f"/api/v1/projects/{widget}/cases",
        json={"title": "x", "received_at": "2026-11-01T10:00:00"},
        headers=w.h("sam"),
    )
    assert r.status_code == 400 and "timezone" in r.json()["detail"]
    r = w.client.get("/api/v1/cases/../../etc/passwd", headers=w.h("sam"))
    assert r.status_code == 404
    with w.store.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM cases")) == 0


def test_times_inside_event_data_are_checked_like_event_times(sqlite_world: World) -> None:
    """A CSIRT's due time, an embargo end and a corrected time are times like ``occurred_at``:
    year 1 or naive is refused, a correction cannot move into the future, a request cannot
    be due before it was made; nothing is written."""
    w = sqlite_world
    widget = w.projects["widget"]
    r = w.client.post(
        f"/api/v1/projects/{widget}/cases",
        json={"title": "t", "events": [{"kind": "confirmed"}]},
        headers=w.h("sam"),
    )
    case_id = r.json()["id"]
    before = _events(w)
    now = datetime.now(UTC)
    refused = [
        {"kind": "report_requested", "data": {"due": "0001-01-01T00:00:00+00:00", "by": "C"}},
        {"kind": "report_requested", "data": {"due": (now - timedelta(hours=1)).isoformat()}},
        {"kind": "report_requested", "data": {"due": "2027-01-01T10:00:00"}},
        {"kind": "embargo_set", "data": {"until": "0001-01-01T00:00:00+00:00"}},
        {"kind": "embargo_set", "data": {"until": "9999-12-31T23:59:59-01:00"}},
        {
            "kind": "correction",
            "data": {"corrects": 1, "occurred_at": (now + timedelta(days=3)).isoformat()},
        },
        {"kind": "correction", "data": {"corrects": 1, "occurred_at": "1969-12-31T23:00:00Z"}},
        {"kind": "note", "occurred_at": "0001-01-01T00:00:00+00:00", "data": {"text": "x"}},
    ]
    for event in refused:
        r = w.client.post(
            f"/api/v1/cases/{case_id}/events", json={"events": [event]}, headers=w.h("sam")
        )
        assert r.status_code == 400, (event, r.text)
        assert r.json()["detail"].count("\n") == 0
    assert _events(w) == before
    r = w.client.post(
        f"/api/v1/cases/{case_id}/events",
        json={
            "events": [
                {"kind": "report_requested", "data": {"due": (now + timedelta(days=2)).isoformat()}}
            ]
        },
        headers=w.h("sam"),
    )
    assert r.status_code == 201, r.text
