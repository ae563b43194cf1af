"""Shared pieces of the routers: pagination bounds and JSON envelopes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

MAX_PAGE = 500

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size (1-500).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]


def page(total: int, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}
