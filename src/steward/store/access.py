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

The principals, roles, scopes and actions themselves are in :mod:`steward.store.principals`
(free of SQLAlchemy, for the plain-``sqlite3`` path of the local store) and re-exported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from steward.store.models import Case, Project
from steward.store.principals import AccessDenied as AccessDenied
from steward.store.principals import Action as Action
from steward.store.principals import Principal as Principal
from steward.store.principals import Role as Role
from steward.store.principals import Scope as Scope


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
