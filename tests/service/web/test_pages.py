"""The project pages (assessment with evidence and fixes, history and diff, SBOM with
quality and licences, vulnerabilities) and the case pages (board, clocks, timeline, the
event form through the CLI's state machine, downloads of reports and advisories)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.service.web.conftest import assert_escaped, csrf_of
from tests.service.web.seed import EMBARGOED_TITLE, Demo


def test_project_page(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("vera")
    widget = demo.world.projects["widget"]
    r = client.get(f"/projects/{widget}")
    assert r.status_code == 200
    html = r.text
    assert_escaped(html)  # project name and a finding message carry markup
    assert "<p>&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;&lt;img src=x" in html  # message
    assert "Newest assessment" in html and "Failing (" in html
    assert "<strong>Fix:</strong>" in html  # findings come with their fixes
    assert re.search(r'<span class="mono">[^<]+:\d+</span>', html) or "Evidence" in html
    assert "shop.cdx.json" in html  # the SBOM
    assert "Compare the two selected" in html  # two assessments: a diff is offered
    assert EMBARGOED_TITLE not in html and demo.embargoed_case not in html
    assert demo.public_case in html  # the published case a viewer may see
    # a project of another organisation does not exist for vera; the same words as a missing one
    hidden = client.get(f"/projects/{demo.world.projects['rival-app']}")
    missing = client.get("/projects/999999")
    assert hidden.status_code == missing.status_code == 404
    assert re.sub(r"no project \d+", "", hidden.text) == re.sub(r"no project \d+", "", missing.text)


def test_assessment_diff(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("ada")
    gadget = demo.world.projects["gadget"]
    a, b = demo.assessments["gadget"]
    r = client.get(f"/projects/{gadget}/diff?a={a}&b={b}")
    assert r.status_code == 200
    old = demo.world.client.get(f"/api/v1/assessments/{a}", headers=demo.world.h("ada")).json()
    new = demo.world.client.get(f"/api/v1/assessments/{b}", headers=demo.world.h("ada")).json()
    before = {f["requirement_id"]: f["status"] for f in old["document"]["findings"]}
    after = {f["requirement_id"]: f["status"] for f in new["document"]["findings"]}
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert changed, "the better checkout should change some requirements"
    shown = re.findall(r'<th scope="row"><span class="mono">([^<]+)</span>', r.text)
    assert shown == changed
    # an assessment of another project is refused; one of another organisation is 404
    widget_a = demo.assessments["widget"][0]
    assert client.get(f"/projects/{gadget}/diff?a={widget_a}&b={b}").status_code == 400
    rival = demo.assessments["rival-app"][0]
    assert client.get(f"/projects/{gadget}/diff?a={rival}&b={b}").status_code == 404


def test_sbom_page(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("vera")
    r = client.get(f"/sboms/{demo.sboms['widget']}")
    assert r.status_code == 200
    assert_escaped(r.text)  # a component's name is markup
    assert '<th scope="row">&lt;script&gt;alert(&#34;xss&#34;)' in r.text
    assert "BSI TR-03183-2" in r.text and "NTIA" in r.text  # quality per standard
    assert "werkzeug" in r.text and "Licences" in r.text
    assert as_user("eve").get(f"/sboms/{demo.sboms['widget']}").status_code == 404


def test_vulnerabilities_page(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("vera")
    widget = demo.world.projects["widget"]
    r = client.get(f"/projects/{widget}/vulnerabilities")
    assert r.status_code == 200
    api = demo.world.client.get(
        f"/api/v1/projects/{widget}/vulnerabilities", headers=demo.world.h("vera")
    ).json()
    assert f"<caption>{api['total']} findings</caption>" in r.text
    first = api["items"][0]
    assert first["id"] in r.text and ", ".join(first["fixed_versions"]) in r.text
    high = client.get(f"/projects/{widget}/vulnerabilities?severity=high").text
    assert 'class="sev critical"' not in high
    assert client.get(f"/projects/{widget}/vulnerabilities?sort=data").status_code == 400


def test_cases_board(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    html = as_user("sam").get("/cases").text
    ids = re.findall(r'<th scope="row"><a href="/cases/([A-Z0-9-]+)">', html)
    assert ids[0] == demo.overdue_case  # overdue first
    assert set(ids) >= {demo.overdue_case, demo.embargoed_case}
    assert 'class="overdue"' in html and 'class="clock overdue"' in html
    assert 'class="embargo"' in html
    assert_escaped(html)  # a case title carries markup
    assert "Path traversal in archive extraction &lt;script&gt;alert(" in html


def test_case_page_and_event_form(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("sam")
    case = demo.overdue_case
    page = client.get(f"/cases/{case}")
    assert page.status_code == 200
    assert "early warning" in page.text and 'class="status overdue"' in page.text
    kinds = re.findall(r'<option value="([a-z_]+)"', page.text)
    assert "note" in kinds and "fix_started" in kinds and "closed" not in kinds
    token = csrf_of(page.text)
    # refused by the state machine: nothing written, the page says why
    before = demo.world.client.get(f"/api/v1/cases/{case}/events", headers=demo.world.h("sam"))
    refused = client.post(
        f"/cases/{case}/events", data={"csrf_token": token, "kind": "closed", "text": "done"}
    )
    assert refused.status_code == 409 and "cannot record" in refused.text
    # a missing CSRF token is refused before anything is read
    r = client.post(f"/cases/{case}/events", data={"kind": "note", "text": "no token"})
    assert r.status_code == 403
    after = demo.world.client.get(f"/api/v1/cases/{case}/events", headers=demo.world.h("sam"))
    assert len(after.json()["events"]) == len(before.json()["events"])
    ok = client.post(
        f"/cases/{case}/events",
        data={"csrf_token": token, "kind": "note", "text": "Called the reporter <b>again</b>"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    events = demo.world.client.get(f"/api/v1/cases/{case}/events", headers=demo.world.h("sam"))
    last = events.json()["events"][-1]
    assert last["kind"] == "note" and last["actor"] == "sam"
    assert last["data"] == {"text": "Called the reporter <b>again</b>"}
    shown = client.get(f"/cases/{case}").text
    assert "Called the reporter &lt;b&gt;again&lt;/b&gt;" in shown
    # structured data and a bad one
    bad = client.post(
        f"/cases/{case}/events", data={"csrf_token": token, "kind": "note", "data": "{oops"}
    )
    assert bad.status_code == 400 and "not JSON" in bad.text
    # a viewer gets no form, and a POST is refused
    vera = as_user("vera")
    public = vera.get(f"/cases/{demo.public_case}")
    assert public.status_code == 200 and "Record an event" not in public.text
    r = vera.post(
        f"/cases/{demo.public_case}/events",
        data={"csrf_token": csrf_of(public.text), "kind": "note", "text": "x"},
    )
    assert r.status_code == 403


def test_downloads(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("sam")
    case = demo.public_case
    csaf = client.get(f"/cases/{case}/advisories/csaf")
    assert csaf.status_code == 200
    assert "attachment" in csaf.headers["content-disposition"]
    document = json.loads(csaf.text)
    assert document["document"]["csaf_version"] == "2.0"
    api = demo.world.client.get(
        f"/api/v1/cases/{case}/advisories/csaf", headers=demo.world.h("sam")
    ).json()
    assert document["vulnerabilities"] == api["vulnerabilities"]
    osv = json.loads(client.get(f"/cases/{case}/advisories/osv").text)
    assert "CVE-2026-31415" in osv.get("aliases", []) or osv["id"]
    early = client.get(f"/cases/{demo.overdue_case}/reports/early-warning.json")
    assert early.status_code == 200 and json.loads(early.text)
    md = client.get(f"/cases/{demo.overdue_case}/reports/notification.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert client.get(f"/cases/{case}/reports/early-warning.exe").status_code == 404


def test_project_page_with_a_sparse_stored_document(
    demo: Demo, as_user: Callable[[str], TestClient]
) -> None:
    """A stored assessment lacking fields the page shows (an older Steward's) still renders."""
    from datetime import UTC, datetime

    from steward.store import portfolio
    from steward.store.access import Principal

    rival = demo.world.projects["rival-app"]
    summary = portfolio.AssessmentSummary(
        revision=None,
        assessed_at="2026-01-01T00:00:00Z",
        catalog_version="0.9",
        role="project",
        level_achieved=0,
        passed=0,
        failed=1,
        needs_attestation=0,
        not_applicable=0,
        errors=0,
        results=[("STW-DOC-03", "fail", 1)],
    )
    document = {
        "findings": [
            {"requirement_id": "STW-DOC-03", "status": "fail", "evidence": [{"source": "x"}]},
            "not a finding",
        ]
    }
    demo.world.store.write(
        lambda s: portfolio.add_assessment(
            s, Principal(name="root", admin=True), rival, summary, document, datetime.now(UTC)
        )
    )
    r = as_user("eve").get(f"/projects/{rival}")
    assert r.status_code == 200 and "STW-DOC-03" in r.text
