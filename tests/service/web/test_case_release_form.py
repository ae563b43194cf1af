"""The case page's release fields: a ``fixed`` or ``mitigation_available`` event names the
product of a case with several (as ``steward case release --product`` and the API do),
checked by the same state machine on the server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from tests.service.conftest import World
from tests.service.web.conftest import csrf_of, sign_in
from tests.service.web.seed import set_passwords


@pytest.fixture
def sam(sqlite_world: World) -> Iterator[TestClient]:
    """sam (the project's security team) signed in to a world of its own: the shared demo's
    case counts stay as the other page tests expect them."""
    set_passwords(sqlite_world, ["sam"])
    client = TestClient(sqlite_world.client.app, base_url="https://testserver")
    yield sign_in(client, "sam")
    client.close()


def _two_product_case(w: World) -> str:
    products = [
        {"kind": "product_added", "data": {"product": {"name": name, "affected": ["<2.0"]}}}
        for name in ("Acme Router", "Acme Gateway")
    ]
    r = w.client.post(
        f"/api/v1/projects/{w.projects['widget']}/cases",
        json={
            "title": "Buffer overflow in the shared parser",
            "received_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
            "events": [*products, {"kind": "confirmed"}],
        },
        headers=w.h("sam"),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _events(w: World, case: str) -> list[dict[str, object]]:
    r = w.client.get(f"/api/v1/cases/{case}/events", headers=w.h("sam"))
    events: list[dict[str, object]] = r.json()["events"]
    return events


def test_a_release_names_its_product_in_the_web_form(sqlite_world: World, sam: TestClient) -> None:
    demo = sqlite_world
    case = _two_product_case(demo)
    client = sam
    page = client.get(f"/cases/{case}")
    assert page.status_code == 200
    select = re.search(r'<select id="product" name="product">(.*?)</select>', page.text, re.S)
    assert select, "no product choice on the case page"
    assert re.findall(r'<option value="([^"]*)"', select.group(1)) == [
        "",
        "Acme Router",
        "Acme Gateway",
    ]
    token = csrf_of(page.text)
    before = len(_events(demo, case))

    def post(**fields: str) -> object:
        return client.post(
            f"/cases/{case}/events",
            data={"csrf_token": token, **fields},
            follow_redirects=False,
        )

    # no product named on a case with several: refused, nothing written, the form kept
    ambiguous = post(kind="fixed", versions="2.0.1")
    assert ambiguous.status_code == 400  # type: ignore[attr-defined]
    assert "several products" in ambiguous.text  # type: ignore[attr-defined]
    assert 'value="2.0.1"' in ambiguous.text  # type: ignore[attr-defined]
    # a product the case does not have: refused by the server, whatever the form offered
    unknown = post(kind="fixed", versions="2.0.1", product="Acme Toaster")
    assert unknown.status_code == 400  # type: ignore[attr-defined]
    assert "no product &#39;Acme Toaster&#39;" in unknown.text  # type: ignore[attr-defined]
    # a product on an event that concerns none
    stray = post(kind="note", text="x", product="Acme Router")
    assert stray.status_code == 400  # type: ignore[attr-defined]
    assert "concerns no product release" in stray.text  # type: ignore[attr-defined]
    assert len(_events(demo, case)) == before
    # named: recorded with its product and versions, the case's facts show the fix
    ok = post(kind="fixed", versions="2.0.1, 2.1.0", product="Acme Gateway", text="Bounds check")
    assert ok.status_code == 303, ok.text  # type: ignore[attr-defined]
    last = _events(demo, case)[-1]
    assert last["kind"] == "fixed"
    assert last["data"] == {
        "product": "Acme Gateway",
        "versions": ["2.0.1", "2.1.0"],
        "description": "Bounds check",
    }
    shown = client.get(f"/cases/{case}").text
    assert "Acme Gateway affected &lt;2.0, fixed 2.0.1, 2.1.0" in shown
    # a mitigation for the other product
    mitigated = post(kind="mitigation_available", product="Acme Router", text="Disable parsing")
    assert mitigated.status_code == 303  # type: ignore[attr-defined]
    assert _events(demo, case)[-1]["data"] == {
        "product": "Acme Router",
        "description": "Disable parsing",
    }
