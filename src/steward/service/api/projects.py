"""Projects: list (filter, sort, paginate), create, read, change, delete."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from steward.service.api.common import Limit, Line, Offset, page
from steward.service.auth import Context, CurrentPrincipal
from steward.store import portfolio

router = APIRouter(tags=["projects"])

Sort = Query(
    default="name",
    max_length=30,
    description="One of " + ", ".join(sorted(portfolio.PROJECT_SORTS)) + " (prefix - for desc)",
)


class ProjectFields(BaseModel):
    name: Line | None = Field(default=None, max_length=300)
    repository_url: Line | None = Field(default=None, max_length=2000)
    default_branch: Line | None = Field(default=None, max_length=200)
    product_name: Line | None = Field(default=None, max_length=300)
    cra_role: Literal["manufacturer", "steward"] | None = None
    support_until: date | None = None


class ProjectIn(ProjectFields):
    organisation: Line = Field(min_length=1, max_length=100)
    slug: Line = Field(min_length=1, max_length=100)


@router.get("/projects")
def list_projects(
    ctx: Context,
    principal: CurrentPrincipal,
    organisation: str | None = Query(default=None, max_length=100),
    q: str | None = Query(default=None, max_length=200, description="Substring of slug or name"),
    sort: str = Sort,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, rows = ctx.store.read(
        lambda s: portfolio.list_projects(
            s, principal, organisation=organisation, q=q, sort=sort, limit=limit, offset=offset
        )
    )
    return page(total, [r.to_dict() for r in rows], limit, offset)


@router.post("/projects", status_code=201)
def create_project(body: ProjectIn, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """A new project (organisation admins)."""
    now = datetime.now(UTC)
    fields = body.model_dump(exclude={"organisation", "slug"}, exclude_none=True)
    project_id = ctx.store.write(
        lambda s: portfolio.create_project(
            s, principal, body.organisation, body.slug, now=now, **fields
        )
    )
    return ctx.store.read(lambda s: portfolio.get_project(s, principal, project_id)).to_dict()


@router.get("/projects/{project_id}")
def get_project(project_id: int, ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    return ctx.store.read(lambda s: portfolio.get_project(s, principal, project_id)).to_dict()


@router.patch("/projects/{project_id}")
def update_project(
    project_id: int, body: ProjectFields, ctx: Context, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Change metadata (maintainers); fields left out stay as they are."""
    now = datetime.now(UTC)
    fields = body.model_dump(exclude_unset=True)
    ctx.store.write(lambda s: portfolio.update_project(s, principal, project_id, now=now, **fields))
    return ctx.store.read(lambda s: portfolio.get_project(s, principal, project_id)).to_dict()


@router.delete("/projects/{project_id}", status_code=204)
def delete_project(project_id: int, ctx: Context, principal: CurrentPrincipal) -> None:
    """Delete a project and its uploads (organisation admins; refused if it has cases)."""
    now = datetime.now(UTC)
    ctx.store.write(lambda s: portfolio.delete_project(s, principal, project_id, now))
