"""Advisories over the API are validated like the CLI's before they are served (issue 15,
item 8): a CVE record the CVE JSON 5 schema refuses is a 400 naming the problem, not a 200.

Found by trying issue 15 as a PSIRT (helper break15): a case titled with 300 characters gave
``steward case advisory -f cve`` exit 2 ("/containers/cna/title" is too long) while
``GET /api/v1/cases/ID/advisories/cve`` returned the invalid record.
"""

from __future__ import annotations

from tests.service.conftest import World

CNA = {"cna_org_id": "8254265b-2729-46b6-b9e3-3dfca2d5bfca", "cna_short_name": "acme"}


def test_invalid_osv_and_cve_records_are_not_served(world: World) -> None:
    w = world
    body = {
        "title": "Overflow " * 40,  # the CVE schema allows a title of 256 characters
        "events": [
            {
                "kind": "product_added",
                "data": {"product": {"name": "widget", "ecosystem": "PyPI", "fixed": ["2.3.1"]}},
            },
            {"kind": "alias_added", "data": {"alias": "CVE-2026-31415"}},
            {"kind": "details_set", "data": {"references": ["https://acme.example/a/1"]}},
        ],
    }
    r = w.client.post(
        f"/api/v1/projects/{w.projects['widget']}/cases", json=body, headers=w.h("sam")
    )
    assert r.status_code == 201, r.text
    case_id = r.json()["id"]
    profile = {"name": "ACME GmbH", "country": "DE", "website": "https://acme.example"}
    assert (
        w.client.put("/api/v1/organisations/acme/profile", json=profile, headers=w.h("ada"))
    ).status_code == 200
    cve = w.client.get(f"/api/v1/cases/{case_id}/advisories/cve", params=CNA, headers=w.h("sam"))
    assert cve.status_code == 400, cve.text
    assert "/containers/cna/title" in cve.json()["detail"]
    # a valid one is still served: OSV has no title limit
    osv = w.client.get(f"/api/v1/cases/{case_id}/advisories/osv", headers=w.h("sam"))
    assert osv.status_code == 200 and osv.json()["affected"][0]["package"]["name"] == "widget"
