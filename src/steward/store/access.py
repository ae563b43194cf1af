"""Who may do what: principals, roles, token scopes, and the SQL predicates that enforce them.

The model (README, "Access control"):

- A **local store** (a SQLite file used by the CLI without ``steward serve``) is a single-user
  store: whoever can open the file owns everything in it, and the CLI acts as that owner
  (:attr:`Principal.admin`). The user name recorded as author is the operating-system user.
- A **shared store** (PostgreSQL, or any database with service accounts) is reached through
  the service's API with a token or a signed-in session; the principal is the authenticated
  account, never a self-declared name, and it is also the recorded author.
- Users hold roles per organisation (applying to every project of it) or per project. Roles
  are ordered: ``viewer`` < ``maintainer`` < ``security-team`` < ``admin``. Reading needs
  viewer; uploads and project metadata need maintainer; private cases (every case until it
  is published, and published cases while under embargo) and case writes need
  security-team; members, profiles and the audit log need admin.
- An API token acts for its user, limited by its scopes (``read``, ``upload``, ``cases``,
  ``admin``; every token may read) and optionally to one project.

Every query that returns rows to a principal is built with the predicates here, so the CLI,
the API and the web pages share one set of rules, and something a principal may not see is
reported exactly like something that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from steward.errors import InputError
from steward.store.models import Case, Project

_EMPTY: Mapping[int, frozenset[Role]] = {}


class Role(StrEnum):
    VIEWER = "viewer"
    MAINTAINER = "maintainer"
    SECURITY_TEAM = "security-team"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Role.VIEWER: 1, Role.MAINTAINER: 2, Role.SECURITY_TEAM: 3, Role.ADMIN: 4}


class Scope(StrEnum):
    """What an API token may be used for (reading is always allowed)."""

    READ = "read"
    UPLOAD = "upload"
    CASES = "cases"
    ADMIN = "admin"


class Action(StrEnum):
    """An action on an organisation's data: the role and the token scope it needs."""

    READ = "read"
    UPLOAD = "upload"
    CASES = "cases"
    ADMIN = "admin"

    @property
    def role(self) -> Role:
        return {
            Action.READ: Role.VIEWER,
            Action.UPLOAD: Role.MAINTAINER,
            Action.CASES: Role.SECURITY_TEAM,
            Action.ADMIN: Role.ADMIN,
        }[self]

    @property
    def scope(self) -> Scope:
        return Scope(self.value)


class AccessDenied(InputError):
    """The principal may see the thing but not do this (exit code 2; HTTP 403)."""


@dataclass(frozen=True)
class Principal:
    """Who is acting.

    ``admin``: the owner of a local single-user store (every right). ``roles``: project id ->
    roles; ``org_roles``: organisation id -> roles. ``scopes``: None for a session or the
    local owner, else the token's scopes. ``project_limit``: a token limited to one project.
    """

    name: str
    admin: bool = False
    roles: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    org_roles: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    user_id: int | None = None
    site_admin: bool = False
    scopes: frozenset[Scope] | None = None
    project_limit: int | None = None

    def allows(self, scope: Scope) -> bool:
        return self.scopes is None or scope is Scope.READ or scope in self.scopes

    def rank_in(self, project_id: int, organisation_id: int) -> int:
        """The principal's highest role rank for a project (0: none)."""
        if self.admin:
            return Role.ADMIN.rank
        if self.project_limit is not None and self.project_limit != project_id:
            return 0
        roles = self.roles.get(project_id, frozenset()) | self.org_roles.get(
            organisation_id, frozenset()
        )
        return max((r.rank for r in roles), default=0)

    def may(self, action: Action, project_id: int, organisation_id: int) -> bool:
        return self.allows(action.scope) and self.rank_in(project_id, organisation_id) >= (
            action.role.rank
        )

    def may_in_org(self, action: Action, organisation_id: int) -> bool:
        """An organisation-wide action (members, profile): needs the role on the organisation."""
        if self.admin:
            return True
        if not self.allows(action.scope) or self.project_limit is not None:
            return False
        roles = self.org_roles.get(organisation_id, frozenset())
        return max((r.rank for r in roles), default=0) >= action.role.rank

    def ids_with(self, action: Action) -> tuple[set[int], set[int]]:
        """(organisation ids, project ids) where the principal may do ``action``."""
        if not self.allows(action.scope):
            return set(), set()
        need = action.role.rank
        orgs = {o for o, rs in self.org_roles.items() if max(r.rank for r in rs) >= need}
        projects = {p for p, rs in self.roles.items() if max(r.rank for r in rs) >= need}
        return orgs, projects


def project_predicate(principal: Principal, action: Action = Action.READ) -> ColumnElement[bool]:
    """Rows of ``projects`` the principal may do ``action`` on."""
    return _project_id_predicate(principal, action, Project.id, Project.organisation_id)


def _project_id_predicate(
    principal: Principal, action: Action, project_col: Any, org_col: Any | None
) -> ColumnElement[bool]:
    if principal.admin:
        return true()
    orgs, projects = principal.ids_with(action)
    col = project_col  # a column holding a project id
    parts: list[ColumnElement[bool]] = []
    if orgs:
        if org_col is not None:
            parts.append(org_col.in_(sorted(orgs)))
        else:
            parts.append(
                col.in_(select(Project.id).where(Project.organisation_id.in_(sorted(orgs))))
            )
    if projects:
        parts.append(col.in_(sorted(projects)))
    if not parts:
        return false()
    allowed = or_(*parts)
    if principal.project_limit is not None:
        return and_(col == principal.project_limit, allowed)
    return allowed


def projects_of(principal: Principal, column: Any, action: Action) -> ColumnElement[bool]:
    """A predicate on any column holding a project id (``VulnFinding.project_id`` ...)."""
    return _project_id_predicate(principal, action, column, None)


def case_is_public(now: datetime) -> ColumnElement[bool]:
    """Published, and not under an embargo that is still running."""
    embargo_running = and_(
        Case.embargo_active.is_(True),
        or_(Case.embargo_until.is_(None), Case.embargo_until > now),
    )
    return and_(Case.published_at.is_not(None), ~embargo_running)


def case_predicate(principal: Principal, now: datetime) -> ColumnElement[bool]:
    """Cases the principal may see: public ones of its projects, all of those it handles."""
    if principal.admin:
        return true()
    readable = projects_of(principal, Case.project_id, Action.READ)
    handled = projects_of(principal, Case.project_id, Action.CASES)
    return and_(readable, or_(case_is_public(now), handled))


def joined_case_predicate(principal: Principal, now: datetime) -> ColumnElement[bool]:
    """:func:`case_predicate` for queries that join ``cases`` to ``projects`` (no subqueries:
    the planner then counts the cases of 10,000 projects in milliseconds)."""
    if principal.admin:
        return true()
    readable = _project_id_predicate(principal, Action.READ, Project.id, Project.organisation_id)
    handled = _project_id_predicate(principal, Action.CASES, Project.id, Project.organisation_id)
    return and_(readable, or_(case_is_public(now), handled))
