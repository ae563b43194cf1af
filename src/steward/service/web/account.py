"""The account page (API tokens: create, shown once, and revoke) and an organisation's
members and roles (organisation admins change them).

Tokens and roles go through the API's own handlers and the store's checks
(:mod:`steward.service.api.tokens`, :func:`steward.store.accounts.grant` / ``revoke``), so a
page can do nothing the API would refuse.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from steward.errors import InputError, NotFoundError
from steward.service.api.tokens import TokenIn, create_token, revoke_token
from steward.service.web.core import (
    PageRoute,
    Viewer,
    checked_form,
    ctx_of,
    notice_of,
    now,
    redirect,
    show,
    signed_in,
    text_field,
)
from steward.store import accounts, portfolio
from steward.store.access import Action, Principal, Role, Scope
from steward.store.cases import org_member

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _account(
    request: Request,
    viewer: Viewer,
    *,
    status: int = 200,
    new_token: dict[str, Any] | None = None,
    error: str | None = None,
) -> HTMLResponse:

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        _total, projects = portfolio.list_projects(session, principal, limit=500)
        return {
            "tokens": accounts.list_tokens(session, principal),
            "projects": projects,
            "orgs": portfolio.organisations(session, principal),
        }

    return show(
        request,
        viewer,
        "account.html",
        load,
        status=status,
        title="Account",
        section="account",
        notice=notice_of(request),
        new_token=new_token,
        error=error,
        scopes=[s.value for s in Scope],
        moment=now(),
        max_days=accounts.MAX_TOKEN_DAYS,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, viewer: Annotated[Viewer, Depends(signed_in)]) -> HTMLResponse:
    return _account(request, viewer)


def _token_in(form: FormData) -> TokenIn:
    project = text_field(form, "project_id", limit=20)
    days = text_field(form, "days", limit=10) or "90"
    try:
        return TokenIn(
            name=text_field(form, "name", limit=200, required=True),
            scopes=[Scope(v) for v in form.getlist("scopes") if isinstance(v, str)] or [Scope.READ],
            days=int(days),
            project_id=int(project) if project else None,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InputError(f"{where}: {first.get('msg')}") from None
    except ValueError as exc:
        raise InputError(f"token: {exc}") from None


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(
    request: Request, checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)]
) -> HTMLResponse:
    """Create a token; its secret is on this answer only (never stored in clear)."""
    viewer, form = checked
    try:
        body = _token_in(form)
    except InputError as exc:
        return _account(request, viewer, status=400, error=str(exc))
    created = create_token(body, ctx_of(request), viewer.principal)
    return _account(request, viewer, status=201, new_token=created)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(
    token_id: str,
    request: Request,
    checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)],
) -> Response:
    viewer, _form = checked
    revoke_token(token_id[:40], ctx_of(request), viewer.principal)
    return redirect("/account", notice="token-revoked")


# ----------------------------------------------------------------------- organisations


def _members_page(
    request: Request, viewer: Viewer, slug: str, *, status: int = 200, error: str | None = None
) -> HTMLResponse:

    def load(session: Session, principal: Principal) -> dict[str, Any]:
        org_id = accounts.organisation_id(session, slug)
        if org_id is None or not org_member(session, principal, org_id):
            raise NotFoundError(f"no organisation {slug!r}")
        _total, projects = portfolio.list_projects(session, principal, organisation=slug, limit=500)
        return {
            "members": accounts.members(session, principal, slug),
            "is_admin": principal.may_in_org(Action.ADMIN, org_id),
            "projects": projects,
        }

    return show(
        request,
        viewer,
        "members.html",
        load,
        status=status,
        title=f"Members of {slug}",
        section="account",
        slug=slug,
        roles=[r.value for r in Role],
        notice=notice_of(request),
        error=error,
    )


@router.get("/organisations/{slug}", response_class=HTMLResponse)
def members(
    slug: str, request: Request, viewer: Annotated[Viewer, Depends(signed_in)]
) -> HTMLResponse:
    return _members_page(request, viewer, slug[:100])


def _role(form: FormData) -> Role:
    value = text_field(form, "role", limit=20, required=True)
    try:
        return Role(value)
    except ValueError:
        raise InputError(
            f"role {value!r}: expected one of {', '.join(r.value for r in Role)}"
        ) from None


@router.post("/organisations/{slug}/members", response_model=None)
def change_member(
    slug: str,
    request: Request,
    checked: Annotated[tuple[Viewer, FormData], Depends(checked_form)],
) -> Response:
    """Grant (``action=grant``) or take away (``action=revoke``) a role (organisation admins)."""
    viewer, form = checked
    slug = slug[:100]
    try:
        user = text_field(form, "user", limit=200, required=True)
        role = _role(form)
    except InputError as exc:
        return _members_page(request, viewer, slug, status=400, error=str(exc))
    project = text_field(form, "project", limit=100) or None
    revoking = text_field(form, "action", limit=10) == "revoke"
    change = accounts.revoke if revoking else accounts.grant
    moment = now()
    ctx_of(request).store.write(
        lambda s: change(
            s, viewer.principal, user, role, organisation=slug, project=project, now=moment
        )
    )
    return redirect(
        f"/organisations/{slug}", notice="member-removed" if revoking else "member-added"
    )
