"""Resolving an API token reads its row once per request (the token and its account in one
query), and a browser session likewise: counted statements, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event

from steward.service import auth
from tests.service.conftest import World

FROM_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE)\s+(\w+)", re.I)


def _resolve(world: World, token: str | None, cookie: str | None) -> tuple[Any, list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(world.store.engine, "before_cursor_execute", count)
    try:
        found = auth._resolve(SimpleNamespace(store=world.store), token, cookie)  # type: ignore[arg-type]
    finally:
        event.remove(world.store.engine, "before_cursor_execute", count)
    return found, seen


def _touching(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if table in FROM_TABLE.findall(s)]


def test_a_token_row_is_read_once_per_request(world: World) -> None:
    token = world.tokens["sam"]
    first, statements = _resolve(world, token, None)
    assert first is not None and first.principal.name == "sam"
    tokens = _touching(statements, "api_tokens")
    reads = [s for s in tokens if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, reads
    assert len(_touching(statements, "users")) == 1  # joined into that one read
    # the first use records last_used_at; the next within five minutes writes nothing
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE")]) == 1
    again, statements = _resolve(world, token, None)
    assert again is not None and again.principal.name == "sam"
    assert len(_touching(statements, "api_tokens")) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


def test_a_session_and_its_account_are_read_in_one_query(world: World) -> None:
    from datetime import UTC, datetime, timedelta

    from steward.store import accounts

    user_id = world.store.read(lambda s: accounts.login_record(s, "sam")).user_id  # type: ignore[union-attr]
    cookie, csrf = world.store.write(
        lambda s: accounts.create_session(s, user_id, datetime.now(UTC), timedelta(hours=1))
    )
    found, statements = _resolve(world, None, cookie)
    assert found is not None and found.principal.name == "sam" and found.csrf == csrf
    sessions = _touching(statements, "web_sessions")
    assert len(sessions) == 1 and "users" in FROM_TABLE.findall(sessions[0])
    assert len(_touching(statements, "users")) == 1
