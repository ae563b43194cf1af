"""The portfolio: summary (totals plus one page of projects) and export (JSON, CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response

from steward.service.api.common import Limit, Offset
from steward.service.auth import Context, CurrentPrincipal
from steward.store import portfolio

router = APIRouter(tags=["portfolio"])

SortQuery = Query(default="name", max_length=30)
CSV_COLUMNS = (
    "id",
    "organisation",
    "slug",
    "name",
    "repository_url",
    "product_name",
    "cra_role",
    "support_until",
    "level_achieved",
    "failing",
    "needs_attestation",
    "assessed_at",
    "components",
    "critical",
    "high",
    "medium",
    "low",
    "unrated",
    "exploited",
    "open_cases",
)


def _row(row: portfolio.SummaryRow) -> dict[str, Any]:
    return {**row.project.to_dict(), **row.stats, "open_cases": row.open_cases}


@router.get("/portfolio/summary")
def summary(
    ctx: Context,
    principal: CurrentPrincipal,
    organisation: str | None = Query(default=None, max_length=100),
    q: str | None = Query(default=None, max_length=200),
    sort: str = SortQuery,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Totals over every project you may see (open vulnerabilities by severity, exploited,
    failing requirements, open cases you may see) and one page of projects."""
    now = datetime.now(UTC)
    result = ctx.store.read(
        lambda s: portfolio.summary(
            s,
            principal,
            now=now,
            organisation=organisation,
            q=q,
            sort=sort,
            limit=limit,
            offset=offset,
        )
    )
    return {
        "projects": result.total,
        "totals": result.totals,
        "limit": limit,
        "offset": offset,
        "items": [_row(r) for r in result.rows],
    }


@router.get("/portfolio/export", response_model=None)
def export(
    ctx: Context,
    principal: CurrentPrincipal,
    format: str = Query(default="json", pattern="^(json|csv)$"),
    organisation: str | None = Query(default=None, max_length=100),
) -> Any:
    """Every project you may see with its figures, as JSON or CSV."""
    now = datetime.now(UTC)
    rows = [
        _row(r)
        for r in ctx.store.read(
            lambda s: portfolio.export_rows(s, principal, now=now, organisation=organisation)
        )
    ]
    if format == "json":  # orjson: FastAPI's encoder takes seconds for 10,000 rows
        return Response(
            orjson.dumps({"generated_at": now, "projects": rows}, option=orjson.OPT_UTC_Z),
            media_type="application/json",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        vulns = row.get("vulnerabilities") or {}
        flat = {**row, **vulns}
        writer.writerow([_cell(flat.get(c)) for c in CSV_COLUMNS])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="portfolio.csv"'},
    )


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text):
        return "'" + text
    return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
