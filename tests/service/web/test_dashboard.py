"""The portfolio dashboard and the gaps heat map: figures, sorting, filtering, paging,
escaping of stored text, and what another organisation sees."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.service.web.conftest import assert_escaped
from tests.service.web.seed import EMBARGOED_TITLE, Demo


def _project_order(html: str) -> list[str]:
    return re.findall(r'<span class="muted mono">([a-z0-9-]+/[a-z0-9-]+)</span>', html)


def test_dashboard_shows_the_portfolio(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("ada")
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert_escaped(html)  # the widget's name carries markup
    assert set(_project_order(html)) == {
        "acme/widget",
        "acme/gadget",
        "acme/service-000",
        "acme/service-001",
        "acme/service-002",
    }
    summary = demo.world.client.get("/api/v1/portfolio/summary", headers=demo.world.h("ada"))
    totals = summary.json()["totals"]
    assert f'<span class="n">{totals["failing"]}</span><span class="l">failing requirements' in html
    assert f'<span class="n">{totals["open_cases"]}</span><span class="l">open cases' in html
    # werkzeug 2.2.2 has known vulnerabilities: the SBOM's projects show them
    assert totals["high"] + totals["critical"] + totals["medium"] > 0
    assert "<meter" in html and "for L1" in html  # level progress of the newest assessment
    # the overdue Art. 14 clock of the exploited case is on the widget's row, in red
    assert 'class="clock overdue"' in html and demo.overdue_case in html
    assert "<svg" in html and "failing requirements" in html  # the trend chart


def test_sort_filter_and_pages(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    client = as_user("ada")
    by_name = _project_order(client.get("/?sort=name").text)
    assert by_name == sorted(by_name)
    desc = _project_order(client.get("/?sort=-name").text)
    assert desc == list(reversed(by_name))
    failing = _project_order(client.get("/?sort=-failing").text)
    assert (set(failing) == set(by_name) and failing != by_name) or failing == by_name
    assert _project_order(client.get("/?q=gadget").text) == ["acme/gadget"]
    assert _project_order(client.get("/?q=%25").text) == []  # LIKE wildcards are literal
    page1 = _project_order(client.get("/?per=25&sort=name").text)
    assert len(page1) == 5
    r = client.get("/?sort=password_hash")
    assert r.status_code == 400 and "expected one of" in r.text
    r = client.get("/?page=0")
    assert r.status_code == 400


def test_another_organisation_sees_only_its_own(
    demo: Demo, as_user: Callable[[str], TestClient]
) -> None:
    html = as_user("eve").get("/").text
    assert _project_order(html) == ["rival/rival-app"]
    assert "widget" not in html and demo.overdue_case not in html
    assert '<span class="n">0</span><span class="l">open cases' in html
    gaps = as_user("eve").get("/gaps").text
    assert "rival/rival-app" in gaps and "acme/" not in gaps


def test_viewer_counts_no_private_case(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    html = as_user("vera").get("/").text  # viewer of widget only
    assert _project_order(html) == ["acme/widget"]
    assert EMBARGOED_TITLE not in html and demo.embargoed_case not in html
    assert demo.overdue_case not in html  # private until published
    # the one published, unembargoed case is the only open case a viewer counts
    assert '<span class="n">1</span><span class="l">open cases' in html


def test_gaps_heat_map(demo: Demo, as_user: Callable[[str], TestClient]) -> None:
    html = as_user("ada").get("/gaps").text
    assert 'class="cell fail"' in html and 'class="cell pass"' in html
    assert "acme/widget" in html and "rival" not in html
    rows = re.findall(r'<th scope="row"><span class="mono">([A-Z0-9.-]+)</span>', html)
    counts = [
        int(n)
        for n in re.findall(r'</th>\s*<td class="num">(\d+)</td>\s*<td class="num">\d+</td>', html)
    ]
    assert rows and len(counts) == len(rows)
    assert counts == sorted(counts, reverse=True)  # most common gaps first
    assert_escaped(as_user("ada").get("/").text)
