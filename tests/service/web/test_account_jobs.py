"""The account page (tokens created once, revoked), organisation members (admins change
roles), the jobs page, and the upload forms (the API's upload code)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.service.web.conftest import csrf_of
from tests.service.web.seed import Demo, assessment_document, with_hostile_message


def test_token_created_once_then_revoked(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("mona")
    page = client.get("/account")
    token = csrf_of(page.text)
    r = client.post(
        "/account/tokens",
        data={
            "csrf_token": token,
            "name": "CI <b>widget</b>",
            "scopes": ["read", "upload"],
            "days": "30",
        },
    )
    assert r.status_code == 201
    secret = re.search(r'<p class="secret mono" id="new-token">([^<]+)</p>', r.text)
    assert secret, "the new token is shown"
    value = secret.group(1)
    assert "CI &lt;b&gt;widget&lt;/b&gt;" in r.text
    # it works against the API, and it is never shown again
    api = demo.world.client.get("/api/v1/projects", headers={"Authorization": f"Bearer {value}"})
    assert api.status_code == 200
    assert value not in client.get("/account").text
    token_id = re.findall(r'action="/account/tokens/([^/]+)/revoke"', client.get("/account").text)
    assert token_id
    listed = demo.world.client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {value}"})
    mine = next(t for t in listed.json() if t["name"] == "CI <b>widget</b>")
    assert mine["scopes"] == ["read", "upload"]
    # revoking needs the CSRF token
    r = client.post(f"/account/tokens/{mine['token_id']}/revoke", data={})
    assert r.status_code == 403
    r = client.post(
        f"/account/tokens/{mine['token_id']}/revoke",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    api = demo.world.client.get("/api/v1/projects", headers={"Authorization": f"Bearer {value}"})
    assert api.status_code == 401
    # someone else's token cannot be revoked from another account
    other = as_user("otto")
    r = other.post(
        f"/account/tokens/{token_id[0]}/revoke",
        data={"csrf_token": csrf_of(other.get("/account").text)},
    )
    assert r.status_code == 404


def test_bad_token_forms(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("otto")
    token = csrf_of(client.get("/account").text)
    for data in ({"name": ""}, {"name": "x", "days": "100000"}, {"name": "x", "scopes": ["root"]}):
        r = client.post("/account/tokens", data={"csrf_token": token, **data})
        assert r.status_code == 400, data
        assert 'class="secret' not in r.text


def test_members_page(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    ada = as_user("ada")
    page = ada.get("/organisations/acme")
    assert page.status_code == 200 and "Grant a role" in page.text
    token = csrf_of(page.text)
    r = ada.post(
        "/organisations/acme/members",
        data={
            "csrf_token": token,
            "action": "grant",
            "user": "nobody",
            "role": "viewer",
            "project": "gadget",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    members = demo.world.client.get(
        "/api/v1/organisations/acme/members", headers=demo.world.h("ada")
    )
    assert {"user": "nobody", "role": "viewer", "project": "gadget"} in members.json()
    r = ada.post(
        "/organisations/acme/members",
        data={
            "csrf_token": token,
            "action": "revoke",
            "user": "nobody",
            "role": "viewer",
            "project": "gadget",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    members = demo.world.client.get(
        "/api/v1/organisations/acme/members", headers=demo.world.h("ada")
    )
    assert {"user": "nobody", "role": "viewer", "project": "gadget"} not in members.json()
    # a viewer sees the members but cannot change them; another organisation sees nothing
    otto = as_user("otto")
    view = otto.get("/organisations/acme")
    assert view.status_code == 200 and "Grant a role" not in view.text
    r = otto.post(
        "/organisations/acme/members",
        data={"csrf_token": csrf_of(view.text), "user": "otto", "role": "admin"},
    )
    assert r.status_code == 403
    eve = as_user("eve")
    assert eve.get("/organisations/acme").status_code == 404
    assert eve.get("/organisations/no-such-org").status_code == 404


def test_uploads_and_jobs(demo: Demo, as_user: Callable[[str], TestClient], tmp_path) -> None:
    mona = as_user("mona")  # maintainer of widget
    widget = demo.world.projects["widget"]
    page = mona.get(f"/projects/{widget}/upload")
    assert page.status_code == 200
    token = csrf_of(page.text)
    # widget's newest assessment keeps a hostile finding message (test_pages looks for it)
    document = with_hostile_message(assessment_document(2, str(tmp_path)))
    r = mona.post(
        f"/projects/{widget}/upload/assessment",
        data={"csrf_token": token},
        files={"file": ("assessment.json", document, "application/json")},
    )
    assert r.status_code == 201 and "Stored assessment" in r.text
    with demo.world.store.engine.connect() as conn:
        count = conn.scalar(
            text("SELECT count(*) FROM assessments WHERE project_id = :p"), {"p": widget}
        )
    # a file that does not parse is refused with its reason and changes nothing
    r = mona.post(
        f"/projects/{widget}/upload/sbom",
        data={"csrf_token": token},
        files={
            "file": ("bom.json", b'{"bomFormat": "CycloneDX", "specVersion": ', "application/json")
        },
    )
    assert r.status_code == 400 and "bom.json" in r.text
    r = mona.post(
        f"/projects/{widget}/upload/assessment",
        data={"csrf_token": token},
        files={"file": ("a.json", b'{"project": 1}', "application/json")},
    )
    assert r.status_code == 400 and "not a `steward assess" in r.text
    with demo.world.store.engine.connect() as conn:
        after = conn.scalar(
            text("SELECT count(*) FROM assessments WHERE project_id = :p"), {"p": widget}
        )
    assert after == count
    # no CSRF token: refused
    r = mona.post(
        f"/projects/{widget}/upload/assessment",
        files={"file": ("assessment.json", document, "application/json")},
    )
    assert r.status_code == 403
    # a viewer may not upload; another organisation does not see the project
    vera = as_user("vera")
    assert vera.get(f"/projects/{widget}/upload").status_code == 403
    assert as_user("eve").get(f"/projects/{widget}/upload").status_code == 404
    # a re-match job, then the jobs page shows it and refreshes while it waits
    r = mona.post(
        f"/projects/{widget}/jobs",
        data={"csrf_token": token, "kind": "rematch"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    jobs = mona.get("/jobs").text
    assert "rematch" in jobs and 'http-equiv="refresh"' in jobs and "queued" in jobs
    still = mona.get("/jobs?live=false").text  # the reader can stop the refreshing
    assert "rematch" in still and 'http-equiv="refresh"' not in still
    assert "rematch" not in as_user("eve").get("/jobs").text
    bad = mona.post(f"/projects/{widget}/jobs", data={"csrf_token": token, "kind": "import-vulndb"})
    assert bad.status_code == 400
