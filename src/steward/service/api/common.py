"""Shared pieces of the routers: pagination bounds and JSON envelopes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator

MAX_PAGE = 500

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size (1-500).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]


def page(total: int, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _no_control_characters(value: str, *, multiline: bool) -> str:
    from steward.textcheck import forbidden_character

    char = forbidden_character(value, allowed="\t\n\r" if multiline else "")
    if char is not None:
        where = "text" if multiline else "a single line"
        raise ValueError(f"control character {char!r} not allowed in {where}")
    return value


def _line(value: str) -> str:
    return _no_control_characters(value, multiline=False)


def _text(value: str) -> str:
    return _no_control_characters(value, multiline=True)


#: A single line of text: no control characters (a NUL cannot be stored by PostgreSQL, a
#: line break would inject a field into security.txt or a report header).
Line = Annotated[str, AfterValidator(_line)]
#: Free text: line breaks and tabs allowed, other control characters (NUL) refused.
Text = Annotated[str, AfterValidator(_text)]
