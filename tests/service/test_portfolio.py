"""Projects CRUD, portfolio summary (totals, pages, sorting) and export (JSON, CSV)."""

from __future__ import annotations

import csv
import io

from tests.service.conftest import World


def test_projects_crud_and_portfolio_export(world: World) -> None:
    w = world
    r = w.client.post(
        "/api/v1/projects",
        json={
            "organisation": "acme",
            "slug": "rocket",
            "name": '=HYPERLINK("http://evil")',
            "repository_url": "https://git.example/acme/rocket.git",
            "cra_role": "manufacturer",
            "support_until": "2031-12-31",
        },
        headers=w.h("ada"),
    )
    assert r.status_code == 201, r.text
    rocket = r.json()["id"]
    assert r.json()["support_until"] == "2031-12-31"
    for who, status in (("sam", 403), ("eve", 404)):
        r = w.client.post(
            "/api/v1/projects", json={"organisation": "acme", "slug": "x"}, headers=w.h(who)
        )
        assert r.status_code == status
    r = w.client.post(
        "/api/v1/projects", json={"organisation": "acme", "slug": "rocket"}, headers=w.h("ada")
    )
    assert r.status_code == 409
    r = w.client.post(
        "/api/v1/projects", json={"organisation": "acme", "slug": "Bad Slug"}, headers=w.h("ada")
    )
    assert r.status_code == 400
    r = w.client.patch(
        f"/api/v1/projects/{rocket}", json={"cra_role": "importer"}, headers=w.h("ada")
    )
    assert r.status_code == 422
    r = w.client.patch(
        f"/api/v1/projects/{rocket}", json={"default_branch": "main"}, headers=w.h("ada")
    )
    assert r.json()["default_branch"] == "main" and r.json()["cra_role"] == "manufacturer"
    summary = w.client.get(
        "/api/v1/portfolio/summary?limit=2&sort=-name", headers=w.h("ada")
    ).json()
    assert summary["projects"] == 3 and [p["slug"] for p in summary["items"]] == [
        "widget",
        "rocket",
    ]
    page2 = w.client.get(
        "/api/v1/portfolio/summary?limit=2&offset=2&sort=-name", headers=w.h("ada")
    ).json()
    assert [p["slug"] for p in page2["items"]] == ["gadget"]
    exported = w.client.get("/api/v1/portfolio/export?format=csv", headers=w.h("ada"))
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["slug"] for r in rows} == {"widget", "gadget", "rocket"}
    evil = next(r for r in rows if r["slug"] == "rocket")
    assert evil["name"].startswith("'=")  # no formula runs when a spreadsheet opens it
    as_json = w.client.get("/api/v1/portfolio/export", headers=w.h("vera")).json()
    assert [p["slug"] for p in as_json["projects"]] == ["widget"]
    assert w.client.delete(f"/api/v1/projects/{rocket}", headers=w.h("mona")).status_code == 404
    assert w.client.delete(f"/api/v1/projects/{rocket}", headers=w.h("ada")).status_code == 204
    assert w.client.get(f"/api/v1/projects/{rocket}", headers=w.h("ada")).status_code == 404
    # a project with cases keeps its evidence
    widget = w.projects["widget"]
    w.client.post(f"/api/v1/projects/{widget}/cases", json={"title": "t"}, headers=w.h("sam"))
    assert w.client.delete(f"/api/v1/projects/{widget}", headers=w.h("ada")).status_code == 409


def test_members_and_accounts(world: World) -> None:
    w = world
    r = w.client.post(
        "/api/v1/users",
        json={"name": "newbie", "password": "a long enough pass"},
        headers=w.h("root"),
    )
    assert r.status_code == 201
    assert (
        w.client.post(
            "/api/v1/users",
            json={"name": "x", "password": "a long enough pass"},
            headers=w.h("ada"),
        ).status_code
        == 403
    )
    assert (
        w.client.post(
            "/api/v1/users", json={"name": "y", "password": "short"}, headers=w.h("root")
        ).status_code
        == 400
    )
    r = w.client.post(
        "/api/v1/organisations/acme/members",
        json={"user": "newbie", "role": "viewer", "project": "gadget"},
        headers=w.h("ada"),
    )
    assert r.status_code == 201
    members = w.client.get("/api/v1/organisations/acme/members", headers=w.h("vera")).json()
    assert {"user": "newbie", "role": "viewer", "project": "gadget"} in members
    assert (
        w.client.post(
            "/api/v1/organisations/acme/members",
            json={"user": "vera", "role": "admin"},
            headers=w.h("sam"),
        ).status_code
        == 403
    )
    r = w.client.delete(
        "/api/v1/organisations/acme/members?user=newbie&role=viewer&project=gadget",
        headers=w.h("ada"),
    )
    assert r.status_code == 204
    assert (
        w.client.post(
            "/api/v1/organisations", json={"slug": "third"}, headers=w.h("root")
        ).status_code
        == 201
    )
    assert (
        w.client.post(
            "/api/v1/organisations", json={"slug": "fourth"}, headers=w.h("ada")
        ).status_code
        == 403
    )
    orgs = w.client.get("/api/v1/organisations", headers=w.h("vera")).json()
    assert [o["slug"] for o in orgs] == ["acme"]
