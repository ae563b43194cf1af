"""Accounts of the service: users, organisation and project roles, API tokens, sessions,
sign-in failures. Functions take an open :class:`~sqlalchemy.orm.Session` (from
:meth:`steward.store.base.Database.write` / ``read``) so callers compose them in one
transaction with the audit line that goes with them.

Secrets are never stored: an API token ``stw_<id>_<secret>`` keeps the SHA-256 of its
secret (256 random bits, so a fast hash suffices and every request stays fast); a session
cookie is stored as its SHA-256. Passwords arrive here already hashed (argon2id, see
``steward.service.passwords``). Comparisons of secrets are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from steward.errors import ConflictError, InputError, NotFoundError
from steward.store.access import AccessDenied, Action, Principal, Role, Scope
from steward.store.audit import audit
from steward.store.cases import org_member, principal_for
from steward.store.models import (
    ApiToken,
    LoginFailure,
    Membership,
    Organisation,
    OrgMembership,
    Project,
    User,
    WebSession,
)

TOKEN_PREFIX = "stw_"  # noqa: S105 - a prefix, not a secret
_TOKEN = re.compile(r"^stw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
MAX_TOKEN_DAYS = 366


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InputError(
            f"user name {name!r}: letters, digits and . _ @ - only, starting with a letter "
            "or digit, at most 100 characters"
        )
    return name


def check_slug(slug: str, what: str = "slug") -> str:
    if not _SLUG.fullmatch(slug):
        raise InputError(
            f"{what} {slug!r}: lower-case letters, digits and . _ - only, at most 100 characters"
        )
    return slug


# ------------------------------------------------------------------------------ users


def create_user(
    session: Session,
    name: str,
    password_hash: str | None,
    *,
    site_admin: bool = False,
    actor: str,
    now: datetime,
) -> int:
    check_name(name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise ConflictError(f"user {name!r} exists already")
    user = User(
        name=name,
        password_hash=password_hash,
        is_admin=site_admin,
        disabled=False,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit(
        session,
        actor=actor,
        action="user.create",
        target=name,
        organisation_id=None,
        detail={"site_admin": site_admin},
        now=now,
    )
    return user.id


def set_password(
    session: Session, name: str, password_hash: str, *, actor: str, now: datetime
) -> None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"no user {name!r}")
    user.password_hash = password_hash
    # a new password ends every session of the account
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(session, actor=actor, action="user.password", target=name, organisation_id=None, now=now)


@dataclass(frozen=True)
class LoginRecord:
    user_id: int
    password_hash: str | None


def login_record(session: Session, name: str) -> LoginRecord | None:
    """What a sign-in checks: the account's hash (None for unknown or disabled accounts)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or user.disabled:
        return None
    return LoginRecord(user.id, user.password_hash)


def record_login_failure(session: Session, name: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(username=name[:200], address=address[:64], at=now))


def recent_failures(session: Session, name: str, address: str, since: datetime) -> tuple[int, int]:
    """Failed sign-ins since ``since``: (for this account name, from this address)."""
    by_name = session.scalar(
        select(func.count()).where(LoginFailure.username == name[:200], LoginFailure.at >= since)
    )
    by_address = session.scalar(
        select(func.count()).where(LoginFailure.address == address[:64], LoginFailure.at >= since)
    )
    return int(by_name or 0), int(by_address or 0)


def clear_failures(session: Session, name: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == name[:200]))


# ----------------------------------------------------------------------- memberships


def organisation_id(session: Session, slug: str) -> int | None:
    return session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def create_organisation(
    session: Session, slug: str, name: str, *, actor: str, now: datetime
) -> int:
    check_slug(slug, "organisation")
    if organisation_id(session, slug) is not None:
        raise ConflictError(f"organisation {slug!r} exists already")
    org = Organisation(slug=slug, name=name or slug, is_steward=False)
    session.add(org)
    session.flush()
    audit(session, actor=actor, action="organisation.create", target=slug, organisation_id=org.id)
    return org.id


def grant(
    session: Session,
    principal: Principal,
    user: str,
    role: Role,
    *,
    organisation: str,
    project: str | None = None,
    now: datetime,
) -> None:
    """Give ``user`` a role in an organisation or one of its projects (organisation admins)."""
    org_id = organisation_id(session, organisation)
    if org_id is None or not (principal.site_admin or org_member(session, principal, org_id)):
        raise NotFoundError(f"no organisation {organisation!r}")
    if not (principal.site_admin and principal.scopes is None) and not principal.may_in_org(
        Action.ADMIN, org_id
    ):
        raise AccessDenied(f"{principal.name} may not manage members of {organisation}")
    target = session.scalar(select(User).where(User.name == user))
    if target is None:
        raise NotFoundError(f"no user {user!r}")
    if project is None:
        exists = session.scalar(
            select(OrgMembership.id).where(
                OrgMembership.user_id == target.id,
                OrgMembership.organisation_id == org_id,
                OrgMembership.role == role.value,
            )
        )
        if exists is None:
            session.add(OrgMembership(user_id=target.id, organisation_id=org_id, role=role.value))
        where = organisation
    else:
        proj = session.scalar(
            select(Project).where(Project.organisation_id == org_id, Project.slug == project)
        )
        if proj is None:
            raise NotFoundError(f"no project {organisation}/{project}")
        exists = session.scalar(
            select(Membership.id).where(
                Membership.user_id == target.id,
                Membership.project_id == proj.id,
                Membership.role == role.value,
            )
        )
        if exists is None:
            session.add(Membership(user_id=target.id, project_id=proj.id, role=role.value))
        where = f"{organisation}/{project}"
    audit(
        session,
        actor=principal.name,
        action="member.grant",
        target=where,
        organisation_id=org_id,
        detail={"user": user, "role": role.value},
        now=now,
    )


def revoke(
    session: Session,
    principal: Principal,
    user: str,
    role: Role,
    *,
    organisation: str,
    project: str | None = None,
    now: datetime,
) -> None:
    """Take a role away (organisation admins)."""
    org_id = organisation_id(session, organisation)
    if org_id is None or not (principal.site_admin or org_member(session, principal, org_id)):
        raise NotFoundError(f"no organisation {organisation!r}")
    if not (principal.site_admin and principal.scopes is None) and not principal.may_in_org(
        Action.ADMIN, org_id
    ):
        raise AccessDenied(f"{principal.name} may not manage members of {organisation}")
    target = session.scalar(select(User).where(User.name == user))
    if target is None:
        raise NotFoundError(f"no user {user!r}")
    if project is None:
        session.execute(
            delete(OrgMembership).where(
                OrgMembership.user_id == target.id,
                OrgMembership.organisation_id == org_id,
                OrgMembership.role == role.value,
            )
        )
        where = organisation
    else:
        proj_id = session.scalar(
            select(Project.id).where(Project.organisation_id == org_id, Project.slug == project)
        )
        if proj_id is None:
            raise NotFoundError(f"no project {organisation}/{project}")
        session.execute(
            delete(Membership).where(
                Membership.user_id == target.id,
                Membership.project_id == proj_id,
                Membership.role == role.value,
            )
        )
        where = f"{organisation}/{project}"
    audit(
        session,
        actor=principal.name,
        action="member.revoke",
        target=where,
        organisation_id=org_id,
        detail={"user": user, "role": role.value},
        now=now,
    )


@dataclass(frozen=True)
class MemberRow:
    user: str
    role: str
    project: str | None


def members(session: Session, principal: Principal, organisation: str) -> list[MemberRow]:
    """An organisation's members and their roles (visible to its members)."""
    org_id = organisation_id(session, organisation)
    if org_id is None or not org_member(session, principal, org_id):
        raise NotFoundError(f"no organisation {organisation!r}")
    rows = [
        MemberRow(name, role, None)
        for name, role in session.execute(
            select(User.name, OrgMembership.role)
            .join(OrgMembership, OrgMembership.user_id == User.id)
            .where(OrgMembership.organisation_id == org_id)
            .order_by(User.name, OrgMembership.role)
        )
    ]
    rows += [
        MemberRow(name, role, slug)
        for name, role, slug in session.execute(
            select(User.name, Membership.role, Project.slug)
            .join(Membership, Membership.user_id == User.id)
            .join(Project, Project.id == Membership.project_id)
            .where(Project.organisation_id == org_id)
            .order_by(Project.slug, User.name, Membership.role)
        )
    ]
    return rows


# ---------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class TokenInfo:
    id: int
    token_id: str
    name: str
    scopes: list[str]
    project_id: int | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _token_info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        row.id,
        row.token_id,
        row.name,
        row.scopes.split(),
        row.project_id,
        row.created_at,
        row.expires_at,
        row.revoked_at,
        row.last_used_at,
    )


def create_token(
    session: Session,
    principal: Principal,
    *,
    name: str,
    scopes: list[Scope],
    days: int,
    project_id: int | None,
    now: datetime,
) -> tuple[str, TokenInfo]:
    """A new token for the principal's own account; the secret is returned once, here.

    A token never has more rights than the session or token that creates it: its scopes
    must be a subset of the creator's, and a project-limited creator makes project-limited
    tokens only.
    """
    if principal.user_id is None:
        raise AccessDenied("only accounts of the service have tokens")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(f"a token lives 1 to {MAX_TOKEN_DAYS} days, not {days}")
    if not name.strip() or len(name) > 200:
        raise InputError("a token needs a name (at most 200 characters)")
    wanted = sorted({Scope(s) for s in scopes} | {Scope.READ})
    if principal.scopes is not None and not set(wanted) <= set(principal.scopes) | {Scope.READ}:
        raise AccessDenied("a token cannot have scopes its creator lacks")
    if principal.project_limit is not None:
        if project_id not in (None, principal.project_limit):
            raise AccessDenied("a project-limited token can only create tokens for its project")
        project_id = principal.project_limit
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    row = ApiToken(
        token_id=token_id,
        user_id=principal.user_id,
        name=name.strip(),
        secret_hash=_sha256(secret),
        scopes=" ".join(s.value for s in wanted),
        project_id=project_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor=principal.name,
        action="token.create",
        target=token_id,
        organisation_id=None,
        detail={"name": row.name, "scopes": row.scopes, "project_id": project_id, "days": days},
        now=now,
    )
    return f"{TOKEN_PREFIX}{token_id}_{secret}", _token_info(row)


@dataclass(frozen=True)
class TokenUse:
    """A presented API token: its principal (None: refused) and whether the use is to be
    recorded (``last_used_at`` older than five minutes or never set)."""

    principal: Principal | None
    needs_touch: bool


def token_principal(session: Session, token: str, now: datetime) -> TokenUse:
    """The principal a presented token stands for (None if malformed, unknown, expired,
    revoked, or its account is disabled) and whether its ``last_used_at`` is due for
    :func:`touch_token`. Reads only: the token and its account in one query, then the
    account's roles (:func:`principal_for`)."""
    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        return TokenUse(None, False)
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_id == match[1])
    ).first()
    row, user = (found[0], found[1]) if found is not None else (None, None)
    expected = row.secret_hash if row is not None else _sha256("no such token")
    if not hmac.compare_digest(expected, _sha256(match[2])) or row is None or user is None:
        return TokenUse(None, False)
    if row.revoked_at is not None or row.expires_at <= now or user.disabled:
        return TokenUse(None, False)
    last = row.last_used_at
    due = last is None or now - last > timedelta(minutes=5)
    scopes = frozenset(Scope(s) for s in row.scopes.split())
    principal = principal_for(session, user, scopes=scopes, project_limit=row.project_id)
    return TokenUse(principal, due)


def touch_token(session: Session, token: str, now: datetime) -> None:
    """Record when a token was last used (at most every five minutes: no write per request)."""
    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        return
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.token_id == match[1],
            or_(
                ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - timedelta(minutes=5)
            ),
        )
        .values(last_used_at=now)
    )


def list_tokens(session: Session, principal: Principal) -> list[TokenInfo]:
    if principal.user_id is None:
        return []
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == principal.user_id).order_by(ApiToken.id)
    )
    return [_token_info(r) for r in rows]


def revoke_token(session: Session, principal: Principal, token_id: str, now: datetime) -> None:
    """Revoke one of the principal's own tokens (unknown and foreign ones: NotFoundError)."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_id == token_id, ApiToken.user_id == (principal.user_id or -1)
        )
    )
    if row is None:
        raise NotFoundError(f"no token {token_id!r}")
    if row.revoked_at is None:
        row.revoked_at = now
        audit(
            session,
            actor=principal.name,
            action="token.revoke",
            target=token_id,
            organisation_id=None,
            now=now,
        )


def admin_token(
    session: Session,
    user: str,
    *,
    name: str,
    scopes: list[Scope],
    days: int,
    actor: str,
    now: datetime,
) -> str:
    """A token for ``user`` made by the operator (``steward admin token``)."""
    row = session.scalar(select(User).where(User.name == user))
    if row is None:
        raise NotFoundError(f"no user {user!r}")
    principal = Principal(name=actor, user_id=row.id)
    token, _info = create_token(
        session, principal, name=name, scopes=scopes, days=days, project_id=None, now=now
    )
    return token


# -------------------------------------------------------------------------- sessions


def create_session(
    session: Session, user_id: int, now: datetime, ttl: timedelta
) -> tuple[str, str]:
    """A new browser session: (cookie value, CSRF token)."""
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id=_sha256(cookie),
            user_id=user_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    # sign-in is a good moment to forget the account's expired sessions
    session.execute(
        delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at <= now)
    )
    return cookie, csrf


def session_principal(session: Session, cookie: str, now: datetime) -> tuple[Principal, str] | None:
    """(principal, CSRF token) of a live session cookie; None if unknown or expired."""
    if not cookie or len(cookie) > 100:
        return None
    found = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id == _sha256(cookie))
    ).first()  # the session and its account in one query
    if found is None:
        return None
    row, user = found[0], found[1]
    if row.expires_at <= now or user.disabled:
        return None
    return principal_for(session, user), row.csrf_token


def end_session(session: Session, cookie: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id == _sha256(cookie)))
