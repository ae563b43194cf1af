"""Findings over time: first seen survives re-matching, a changed primary id (an alias
arrived), going away and coming back; the per-project figures follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from steward.store import portfolio
from steward.store.access import Principal
from steward.store.cases import CaseStore
from steward.store.models import ProjectStats, VulnFinding
from steward.store.portfolio import FindingRow

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def finding(primary: str, aliases: list[str], severity: str = "high", **extra: Any) -> FindingRow:
    return FindingRow(
        key=f"{primary}|PyPI|werkzeug|2.2.2",
        vuln_id=primary,
        ecosystem="PyPI",
        package="werkzeug",
        version="2.2.2",
        severity=severity,
        score=7.5,
        exploited=False,
        reportable=False,
        suppressed=False,
        data={"id": primary, "aliases": aliases, **extra},
    )


def test_first_seen_survives_rematching(db_url: str) -> None:
    store = CaseStore(db_url)
    root = Principal("root", admin=True)
    store.ensure_project("acme", "widget")
    project = store.read(lambda s: portfolio.list_projects(s, root))[1][0].id

    def record(rows: list[FindingRow], when: datetime) -> dict[str, int]:
        return store.write(lambda s: portfolio.record_findings(s, project, rows, when))

    def state() -> dict[str, tuple[datetime, datetime | None]]:
        def work(session: Any) -> dict[str, tuple[datetime, datetime | None]]:
            rows = session.query(VulnFinding).filter_by(project_id=project).all()
            return {r.vuln_id: (r.first_seen_at, r.resolved_at) for r in rows}

        return store.read(work)

    ghsa = finding("GHSA-aaaa-bbbb-cccc", [])
    other = finding("PYSEC-2026-1", [], severity="critical")
    assert record([ghsa, other], T0) == {"new": 2, "open": 0, "reopened": 0, "resolved": 0}
    # the CVE arrives as an alias and becomes the primary id: the same finding
    cve = finding("CVE-2026-1111", ["GHSA-aaaa-bbbb-cccc"])
    counts = record([cve, other], T0 + timedelta(days=1))
    assert counts == {"new": 0, "open": 2, "reopened": 0, "resolved": 0}
    assert state()["CVE-2026-1111"] == (T0, None)
    # the component is upgraded: resolved; downgraded again: reopened, first seen kept
    assert record([other], T0 + timedelta(days=2))["resolved"] == 1
    assert state()["CVE-2026-1111"] == (T0, T0 + timedelta(days=2))
    assert record([cve, other], T0 + timedelta(days=3))["reopened"] == 1
    assert state()["CVE-2026-1111"] == (T0, None)
    # new data for a known finding (say, a KEV listing) updates it in place
    listed = finding("CVE-2026-1111", ["GHSA-aaaa-bbbb-cccc"], kev=True)
    assert record([listed, other], T0 + timedelta(days=4))["open"] == 2
    stats = store.read(lambda s: s.get(ProjectStats, project))
    assert (stats.critical, stats.high, stats.exploited) == (1, 1, 0)
    store.close()
