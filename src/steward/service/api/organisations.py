"""Organisations, their manufacturer profile and members; accounts; the audit log."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from steward.errors import NotFoundError
from steward.service.api.common import Limit, Line, Text
from steward.service.auth import Context, CurrentPrincipal
from steward.service.passwords import check_strength, hash_password
from steward.store import accounts, portfolio
from steward.store.access import AccessDenied, Action, Principal, Role
from steward.store.audit import audit_lines
from steward.store.cases import OrganisationProfile, org_member

router = APIRouter(tags=["organisations"])


def _site_admin(principal: Principal) -> None:
    if not principal.site_admin or not principal.allows(Action.ADMIN.scope):
        raise AccessDenied(f"{principal.name} is not a site administrator")


class OrganisationIn(BaseModel):
    slug: Line = Field(min_length=1, max_length=100)
    name: Line = Field(default="", max_length=300)


class UserIn(BaseModel):
    name: Line = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)
    site_admin: bool = False


class ProfileIn(BaseModel):
    name: Line = Field(min_length=1, max_length=300)
    country: Line | None = Field(default=None, description="ISO 3166-1 alpha-2 (decides CSIRT)")
    address: Text | None = Field(default=None, max_length=2000)
    contact_email: Line | None = Field(default=None, max_length=320)
    website: Line | None = Field(default=None, max_length=2000)
    is_steward: bool = False


class MemberIn(BaseModel):
    user: Line = Field(min_length=1, max_length=200)
    role: Role
    project: Line | None = Field(default=None, description="Project slug; none: whole organisation")


@router.get("/organisations")
def list_organisations(ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """The organisations you belong to."""
    return ctx.store.read(lambda s: portfolio.organisations(s, principal))


@router.post("/organisations", status_code=201)
def create_organisation(
    body: OrganisationIn, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """A new organisation (site administrators)."""
    _site_admin(principal)
    now = datetime.now(UTC)
    ctx.store.write(
        lambda s: accounts.create_organisation(
            s, body.slug, body.name, actor=principal.name, now=now
        )
    )
    return {"slug": body.slug, "name": body.name or body.slug}


@router.post("/users", status_code=201)
def create_user(body: UserIn, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """A new account with a password (site administrators)."""
    _site_admin(principal)
    problem = check_strength(body.password)
    if problem:
        raise HTTPException(400, problem)
    hashed = hash_password(body.password)
    now = datetime.now(UTC)
    ctx.store.write(
        lambda s: accounts.create_user(
            s, body.name, hashed, site_admin=body.site_admin, actor=principal.name, now=now
        )
    )
    return {"name": body.name, "site_admin": body.site_admin}


@router.get("/organisations/{slug}/profile")
def get_profile(slug: str, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """The manufacturer (or steward) profile reports and advisories use."""

    def work(session: Any) -> OrganisationProfile | None:
        org_id = accounts.organisation_id(session, slug)
        if org_id is None or not org_member(session, principal, org_id):
            raise NotFoundError(f"no organisation {slug!r}")
        return ctx.store.get_profile(principal, slug)

    profile = ctx.store.read(work)
    if profile is None:
        return {"profile": None}
    return {"profile": profile.__dict__}


@router.put("/organisations/{slug}/profile")
def set_profile(
    slug: str, body: ProfileIn, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Set the profile (organisation admins): its country routes reports to a CSIRT."""
    country = body.country.upper() if body.country else None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise HTTPException(400, f"country {body.country!r}: expected an ISO 3166-1 alpha-2 code")
    profile = OrganisationProfile(
        name=body.name,
        country=country,
        address=body.address,
        contact_email=body.contact_email,
        website=body.website,
        is_steward=body.is_steward,
    )
    ctx.store.set_profile(principal, slug, profile, datetime.now(UTC))
    return {"profile": profile.__dict__}


@router.get("/organisations/{slug}/members")
def list_members(slug: str, ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    return [
        {"user": m.user, "role": m.role, "project": m.project}
        for m in ctx.store.read(lambda s: accounts.members(s, principal, slug))
    ]


@router.post("/organisations/{slug}/members", status_code=201)
def add_member(
    slug: str, body: MemberIn, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Give a user a role in the organisation or one project (organisation admins)."""
    now = datetime.now(UTC)
    ctx.store.write(
        lambda s: accounts.grant(
            s, principal, body.user, body.role, organisation=slug, project=body.project, now=now
        )
    )
    return {"user": body.user, "role": body.role.value, "project": body.project}


@router.delete("/organisations/{slug}/members", status_code=204)
def remove_member(
    slug: str,
    ctx: Context,
    principal: CurrentPrincipal,
    user: Annotated[str, Query(max_length=200)],
    role: Annotated[Role, Query()],
    project: Annotated[str | None, Query(max_length=100)] = None,
) -> None:
    now = datetime.now(UTC)
    ctx.store.write(
        lambda s: accounts.revoke(
            s, principal, user, role, organisation=slug, project=project, now=now
        )
    )


@router.get("/organisations/{slug}/audit")
def audit_log(
    slug: str,
    ctx: Context,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    before_id: int | None = Query(default=None, ge=1),
) -> list[dict[str, Any]]:
    """The organisation's audit log, newest first (organisation admins)."""

    def work(session: Any) -> list[dict[str, Any]]:
        org_id = accounts.organisation_id(session, slug)
        if org_id is None or not org_member(session, principal, org_id):
            raise NotFoundError(f"no organisation {slug!r}")
        if not principal.may_in_org(Action.ADMIN, org_id):
            raise AccessDenied(f"{principal.name} may not read the audit log of {slug}")
        return [
            line.__dict__ for line in audit_lines(session, org_id, limit=limit, before_id=before_id)
        ]

    return ctx.store.read(work)
