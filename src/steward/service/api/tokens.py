"""API tokens of the signed-in account: list, create (shown once), revoke."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from steward.service.api.common import Line
from steward.service.auth import Context, CurrentPrincipal
from steward.store import accounts
from steward.store.access import Scope

router = APIRouter(tags=["tokens"])


class TokenIn(BaseModel):
    name: Line = Field(min_length=1, max_length=200)
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.READ])
    days: int = Field(default=90, ge=1, le=accounts.MAX_TOKEN_DAYS)
    project_id: int | None = None


def _info(info: accounts.TokenInfo) -> dict[str, Any]:
    return {
        "token_id": info.token_id,
        "name": info.name,
        "scopes": info.scopes,
        "project_id": info.project_id,
        "created_at": info.created_at,
        "expires_at": info.expires_at,
        "revoked_at": info.revoked_at,
        "last_used_at": info.last_used_at,
    }


@router.get("/tokens")
def list_tokens(ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """Your tokens (never their secrets)."""
    return [_info(t) for t in ctx.store.read(lambda s: accounts.list_tokens(s, principal))]


@router.post("/tokens", status_code=201)
def create_token(body: TokenIn, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """A new token; ``token`` is shown in this answer only."""
    now = datetime.now(UTC)
    if body.project_id is not None:
        from steward.store.portfolio import project_for

        ctx.store.read(lambda s: project_for(s, principal, body.project_id or 0))
    token, info = ctx.store.write(
        lambda s: accounts.create_token(
            s,
            principal,
            name=body.name,
            scopes=body.scopes,
            days=body.days,
            project_id=body.project_id,
            now=now,
        )
    )
    return {"token": token, **_info(info)}


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, ctx: Context, principal: CurrentPrincipal) -> None:
    """Revoke one of your tokens."""
    now = datetime.now(UTC)
    ctx.store.write(lambda s: accounts.revoke_token(s, principal, token_id, now))
