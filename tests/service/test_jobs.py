"""Background jobs in the database: progress, surviving a restart, re-matching when the
vulnerability database changes (new advisories raise new findings, first seen recorded),
importing vulnerability data, and assessing a project from its repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from steward.service.app import create_app
from steward.service.jobs import Worker
from steward.store import jobs
from steward.store.cases import CaseStore
from tests.collect.gitrepo import commit, init
from tests.service.conftest import World, build_world, make_vulndb
from tests.vuln.test_matching import EXPLOITED_CVE, kev_feed


def run_all(w: World, limit: int = 20) -> int:
    worker = Worker(w.client.app.state.ctx, name="test-worker")  # type: ignore[attr-defined]
    ran = 0
    while ran < limit and worker.run_once():
        ran += 1
    return ran


def test_new_advisories_raise_findings_with_first_seen(
    world: World,
    sboms: dict[str, bytes],
    shared_data: Path,
) -> None:
    w = world
    vulndb = Path(w.settings.vulndb or "")
    make_vulndb(vulndb, shared_data, ("jinja2",))  # werkzeug's advisories are not known yet
    widget = w.projects["widget"]
    r = w.client.post(
        f"/api/v1/projects/{widget}/sboms", content=sboms["cyclonedx-json"], headers=w.h("mona")
    )
    assert r.status_code == 201
    run_all(w)  # records the database's fingerprint
    before = w.client.get(
        f"/api/v1/projects/{widget}/vulnerabilities?limit=500", headers=w.h("vera")
    ).json()
    assert {i["package"]["name"] for i in before["items"]} == {"jinja2"}
    first_seen = {i["id"]: i["first_seen_at"] for i in before["items"]}
    # the operator imports werkzeug's advisories behind the service's back (steward db import)
    make_vulndb(vulndb, shared_data, ("werkzeug",))
    assert run_all(w) >= 1  # the worker notices and re-matches every project
    done = w.client.get("/api/v1/jobs?status=done", headers=w.h("root")).json()["items"]
    rematch = next(j for j in done if j["kind"] == "rematch" and j["project_id"] is None)
    assert rematch["result"]["new"] > 0 and rematch["progress"]["done"] == 1
    after = w.client.get(
        f"/api/v1/projects/{widget}/vulnerabilities?limit=500", headers=w.h("vera")
    ).json()
    werkzeug = [i for i in after["items"] if i["package"]["name"] == "werkzeug"]
    assert werkzeug and all(i["first_seen_at"] > max(first_seen.values()) for i in werkzeug)
    assert {
        i["id"]: i["first_seen_at"] for i in after["items"] if i["id"] in first_seen
    } == first_seen
    assert any(EXPLOITED_CVE in [i["id"], *i["aliases"]] for i in werkzeug)


def test_import_job_then_rematch(
    sqlite_world: World, sboms: dict[str, bytes], shared_data: Path, tmp_path: Path
) -> None:
    w = sqlite_world
    widget = w.projects["widget"]
    w.client.post(
        f"/api/v1/projects/{widget}/sboms", content=sboms["spdx-json"], headers=w.h("mona")
    )
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    params = {
        "osv": [str(pypa / "werkzeug")],
        "kev": str(kev_feed(tmp_path / "kev.json", [EXPLOITED_CVE])),
    }
    # only site administrators import server data
    r = w.client.post(
        "/api/v1/jobs", json={"kind": "import-vulndb", "params": params}, headers=w.h("ada")
    )
    assert r.status_code == 403
    r = w.client.post(
        "/api/v1/jobs", json={"kind": "import-vulndb", "params": params}, headers=w.h("root")
    )
    assert r.status_code == 202
    job_id = r.json()["id"]
    assert w.client.get(f"/api/v1/jobs/{job_id}", headers=w.h("root")).json()["status"] == "queued"
    run_all(w)
    job = w.client.get(f"/api/v1/jobs/{job_id}", headers=w.h("root")).json()
    assert job["status"] == "done", job
    assert job["result"]["osv"]["added"] > 0 and job["result"]["kev"] == 1
    found = w.client.get(f"/api/v1/projects/{widget}/vulnerabilities", headers=w.h("vera")).json()
    assert found["total"] > 0 and found["database"]["advisories"] > 0
    summary = w.client.get("/api/v1/portfolio/summary", headers=w.h("vera")).json()
    assert summary["totals"]["exploited"] == 1


def test_jobs_survive_a_restart(sqlite_db: str, tmp_path: Path) -> None:
    w = build_world(sqlite_db, tmp_path)
    widget = w.projects["widget"]
    # a worker claimed a job and died half-way (no heartbeat since)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    crashed = w.store.write(
        lambda s: jobs.enqueue(
            s,
            kind="rematch",
            params={},
            actor="mona",
            now=long_ago,
            project_id=widget,
            organisation_id=None,
        )
    )
    w.store.write(lambda s: jobs.claim(s, "dead-worker", long_ago))
    queued = w.client.post(
        "/api/v1/jobs", json={"kind": "rematch", "project_id": widget}, headers=w.h("mona")
    )
    assert queued.status_code == 202
    w.client.close()
    w.store.close()
    # the server restarts on the same database
    store = CaseStore(sqlite_db)
    app = create_app(w.settings, store=store)
    worker = Worker(app.state.ctx, name="after-restart")
    while worker.run_once():
        pass
    rows = {
        r.id: (r.status, r.attempts)
        for r in store.read(lambda s: jobs.list_jobs(s, _root(s), status=None, limit=50, offset=0))
    }
    assert rows[queued.json()["id"]] == ("done", 1)
    assert rows[crashed] == ("done", 2)  # re-queued, then run again
    store.close()


def _root(session: Any) -> Any:
    from steward.store.cases import principal_for

    return principal_for(session, "ada")  # an admin of the organisation the jobs are in


def test_assess_job_from_a_repository(sqlite_db: str, tmp_path: Path) -> None:
    w = build_world(sqlite_db, tmp_path, allow_local_git=True)
    repo = init(
        tmp_path / "repo",
        {"SECURITY.md": "# Security\n\nMail security@example.org\n", "LICENSE": "MIT License\n"},
    )
    commit(repo, "first")
    widget = w.projects["widget"]
    r = w.client.patch(
        f"/api/v1/projects/{widget}",
        json={"repository_url": "https://example.invalid/x.git"},
        headers=w.h("mona"),
    )
    assert r.status_code == 200
    r = w.client.post(
        "/api/v1/jobs",
        json={
            "kind": "assess",
            "project_id": widget,
            "params": {"repository_url": str(repo), "revision": "main"},
        },
        headers=w.h("mona"),
    )
    assert r.status_code == 202, r.text
    run_all(w)
    job = w.client.get(f"/api/v1/jobs/{r.json()['id']}", headers=w.h("vera")).json()
    assert job["status"] == "done", job
    assessment = w.client.get(
        f"/api/v1/assessments/{job['result']['assessment']}", headers=w.h("vera")
    ).json()
    assert assessment["document"]["findings"]
    # without the server's permission only https:// repositories are cloned
    w2 = build_world(str(tmp_path / "other.sqlite"), tmp_path / "o")
    r = w2.client.post(
        "/api/v1/jobs",
        json={
            "kind": "assess",
            "project_id": w2.projects["widget"],
            "params": {"repository_url": str(repo)},
        },
        headers=w2.h("mona"),
    )
    assert r.status_code == 400 and "https://" in r.json()["detail"]  # refused when queued
    # a job queued while the server allowed local paths fails when run by one that does not
    queued = w.client.post(
        "/api/v1/jobs",
        json={"kind": "assess", "project_id": widget, "params": {"repository_url": str(repo)}},
        headers=w.h("mona"),
    )
    assert queued.status_code == 202
    run_all(w2_like(w))
    job = w.client.get(f"/api/v1/jobs/{queued.json()['id']}", headers=w.h("mona")).json()
    assert job["status"] == "failed" and "https://" in job["message"]
    for world_ in (w, w2):
        world_.client.close()
        world_.store.close()


def w2_like(w: World) -> World:
    """The same database served without --allow-local-git."""
    from dataclasses import replace

    settings = replace(w.settings, allow_local_git=False)
    app = create_app(settings, store=w.store)
    return World(client=TestClient(app), store=w.store, settings=settings)


def test_job_rights(sqlite_world: World) -> None:
    w = sqlite_world
    widget = w.projects["widget"]
    assert (
        w.client.post(
            "/api/v1/jobs", json={"kind": "rematch", "project_id": widget}, headers=w.h("vera")
        ).status_code
        == 403
    )
    assert (
        w.client.post("/api/v1/jobs", json={"kind": "rematch"}, headers=w.h("ada")).status_code
        == 403
    )
    assert (
        w.client.post(
            "/api/v1/jobs", json={"kind": "assess", "project_id": widget}, headers=w.h("mona")
        ).status_code
        == 400
    )
    with w.store.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM jobs")) == 0


def test_job_params_are_checked_when_queued(sqlite_world: World) -> None:
    """A job's params are checked when it is queued, not when a worker fails on them: a
    re-match takes none, an assess job only an https:// repository without credentials
    (the job's params are shown to every reader of the project) and a branch name."""
    w = sqlite_world
    widget = w.projects["widget"]
    refused = [
        {"kind": "rematch", "project_id": widget, "params": {"x": "y" * 1000}},
        {
            "kind": "assess",
            "project_id": widget,
            "params": {"repository_url": "https://ci:s3cret@example.invalid/x.git"},
        },
        {"kind": "assess", "project_id": widget, "params": {"repository_url": "/etc"}},
        {
            "kind": "assess",
            "project_id": widget,
            "params": {
                "repository_url": "https://example.invalid/x.git",
                "revision": "--upload-pack=x",
            },
        },
        {
            "kind": "assess",
            "project_id": widget,
            "params": {"repository_url": "https://example.invalid/x.git", "shell": "rm -rf /"},
        },
        {"kind": "assess", "project_id": widget, "params": {"repository_url": ["x"]}},
    ]
    for body in refused:
        r = w.client.post("/api/v1/jobs", json=body, headers=w.h("mona"))
        assert r.status_code == 400, (body, r.text)
        assert "s3cret" not in r.text
    r = w.client.patch(
        f"/api/v1/projects/{widget}",
        json={"repository_url": "https://ci:s3cret@example.invalid/x.git"},
        headers=w.h("mona"),
    )
    assert r.status_code == 400 and "credentials" in r.json()["detail"]
    with w.store.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM jobs")) == 0
    ok = w.client.post(
        "/api/v1/jobs",
        json={
            "kind": "assess",
            "project_id": widget,
            "params": {
                "repository_url": "https://example.invalid/x.git",
                "revision": "release/1.2",
            },
        },
        headers=w.h("mona"),
    )
    assert ok.status_code == 202, ok.text


def test_job_list_pages_with_a_total(sqlite_world: World) -> None:
    w = sqlite_world
    widget, gadget = w.projects["widget"], w.projects["gadget"]
    for project in (widget, widget, gadget):
        r = w.client.post(
            "/api/v1/jobs", json={"kind": "rematch", "project_id": project}, headers=w.h("ada")
        )
        assert r.status_code == 202
    first = w.client.get("/api/v1/jobs?limit=2", headers=w.h("ada")).json()
    assert first["total"] == 3 and len(first["items"]) == 2
    rest = w.client.get("/api/v1/jobs?limit=2&offset=2", headers=w.h("ada")).json()
    assert {j["id"] for j in first["items"]}.isdisjoint({j["id"] for j in rest["items"]})
    only = w.client.get(f"/api/v1/jobs?project_id={widget}", headers=w.h("ada")).json()
    assert only["total"] == 2 and {j["project_id"] for j in only["items"]} == {widget}
    # vera reads widget only: gadget's job is neither listed nor counted
    vera = w.client.get("/api/v1/jobs", headers=w.h("vera")).json()
    assert vera["total"] == 2
    assert w.client.get(f"/api/v1/jobs?project_id={gadget}", headers=w.h("vera")).json() == {
        "total": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }


def test_clone_failure_names_gits_reason_without_the_token(tmp_path: Path) -> None:
    """The service's clone error was git's last line (its advice) and the URL as given,
    token included; ``steward assess URL`` had the same two faults."""
    from steward.errors import InputError
    from steward.service.jobs import _clone

    with pytest.raises(InputError) as caught:
        _clone("https://user:s3cr3t@127.0.0.1:9/x.git", tmp_path, None)
    assert "s3cr3t" not in str(caught.value)
    assert "git clone failed: fatal:" in str(caught.value)
