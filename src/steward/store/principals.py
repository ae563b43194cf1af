"""Who is acting and what they may do: principals, roles, token scopes, actions.

The model is described in :mod:`steward.store.access`, which turns these into the SQL
predicates of the SQLAlchemy store. Kept free of SQLAlchemy so that the plain-``sqlite3``
path of a local single-user store (:mod:`steward.store.sqlite_writes`) acts for the same
:class:`Principal` without importing it (start-up time, ``bench/startup.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from steward.errors import InputError


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
