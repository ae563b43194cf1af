"""`steward admin`: the operator's bootstrap on the service database (accounts,
organisations, roles, tokens). Whoever can open the database is trusted here; every action
is written to the audit log as ``steward admin (<os user>)``.
"""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from steward.cli.console import emit, info
from steward.cli.serve import ServiceDb, default_service_db
from steward.errors import UsageError

admin_app = typer.Typer(
    help="Accounts, organisations, roles and tokens of the portfolio service.",
    no_args_is_help=True,
)

ROLES = ("viewer", "maintainer", "security-team", "admin")
SCOPES = ("read", "upload", "cases", "admin")


def _store(db: str | None, *, create: bool = False) -> Any:
    """The service database. Only the bootstrap commands (``create-user``, ``create-org``)
    may create a missing one; the others change records that must already exist, so a
    missing database is "no such database" naming it (exit 2), and nothing is created."""
    from steward.store.cases import CaseStore

    store = CaseStore(db or default_service_db(), create=create)
    note = store.creation_note()
    if note is not None:  # a new database: say so (a mistyped --db would otherwise pass)
        info(note)
    return store


def _actor() -> str:
    return f"steward admin ({getpass.getuser()})"


def _password(from_stdin: bool) -> str:
    from steward.service.passwords import check_strength

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise UsageError("the passwords differ")
    problem = check_strength(password)
    if problem:
        raise UsageError(problem)
    return password


@admin_app.command("create-user")
def create_user(
    name: Annotated[str, typer.Argument(help="Account name (letters, digits, . _ @ -).")],
    site_admin: Annotated[
        bool, typer.Option("--site-admin", help="May manage organisations and accounts.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="Token-only account (e.g. for CI).")
    ] = False,
    db: ServiceDb = None,
) -> None:
    """Create an account (with an argon2id-hashed password unless --no-password)."""
    from steward.service.passwords import hash_password
    from steward.store import accounts

    password = None if no_password else _password(password_stdin)
    store = _store(db, create=True)  # a database that cannot be used fails before hashing
    hashed = None if password is None else hash_password(password)
    now = datetime.now(UTC)
    store.write(
        lambda s: accounts.create_user(
            s, name, hashed, site_admin=site_admin, actor=_actor(), now=now
        )
    )
    info(f"user {name} created" + (" (site administrator)" if site_admin else ""))


@admin_app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument()],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
    db: ServiceDb = None,
) -> None:
    """Set an account's password (ends its sessions)."""
    from steward.service.passwords import hash_password
    from steward.store import accounts

    password = _password(password_stdin)
    store = _store(db)  # a database that cannot be used fails before hashing
    hashed = hash_password(password)
    now = datetime.now(UTC)
    store.write(lambda s: accounts.set_password(s, name, hashed, actor=_actor(), now=now))
    info(f"password of {name} set")


@admin_app.command("create-org")
def create_org(
    slug: Annotated[str, typer.Argument(help="Short name (lower-case letters, digits, . _ -).")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    db: ServiceDb = None,
) -> None:
    """Create an organisation."""
    from steward.store import accounts

    now = datetime.now(UTC)
    _store(db, create=True).write(
        lambda s: accounts.create_organisation(s, slug, name, actor=_actor(), now=now)
    )
    info(f"organisation {slug} created")


@admin_app.command("grant")
def grant(
    user: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="viewer, maintainer, security-team or admin.")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")],
    project: Annotated[
        str | None, typer.Option(help="Project slug (default: the whole organisation).")
    ] = None,
    db: ServiceDb = None,
) -> None:
    """Give a user a role in an organisation or one of its projects."""
    from steward.store import accounts
    from steward.store.access import Principal, Role

    if role not in ROLES:
        raise UsageError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    operator = Principal(name=_actor(), site_admin=True)
    now = datetime.now(UTC)
    _store(db).write(
        lambda s: accounts.grant(
            s, operator, user, Role(role), organisation=org, project=project, now=now
        )
    )
    info(f"{user} is {role} of {org}" + (f"/{project}" if project else ""))


@admin_app.command("create-project")
def create_project(
    org: Annotated[str, typer.Argument(help="Organisation slug.")],
    slug: Annotated[str, typer.Argument(help="Project slug.")],
    repository_url: Annotated[str | None, typer.Option(help="Repository URL.")] = None,
    db: ServiceDb = None,
) -> None:
    """Create a project in an organisation (prints its id)."""
    from steward.store import portfolio
    from steward.store.access import Principal

    operator = Principal(name=_actor(), admin=True)
    now = datetime.now(UTC)
    fields = {"repository_url": repository_url} if repository_url else {}
    project_id = _store(db).write(
        lambda s: portfolio.create_project(s, operator, org, slug, now=now, **fields)
    )
    emit(str(project_id), None)


@admin_app.command("token")
def token(
    user: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="read, upload, cases, admin (repeatable; default read)."),
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days until it expires.")] = 90,
    db: ServiceDb = None,
) -> None:
    """Create an API token for a user; it is printed once and stored only hashed."""
    from steward.store import accounts
    from steward.store.access import Scope

    scopes = scope or ["read"]
    bad = [s for s in scopes if s not in SCOPES]
    if bad:
        raise UsageError(f"--scope {bad[0]!r}: expected one of {', '.join(SCOPES)}")
    now = datetime.now(UTC)
    secret = _store(db).write(
        lambda s: accounts.admin_token(
            s,
            user,
            name=name,
            scopes=[Scope(x) for x in scopes],
            days=days,
            actor=_actor(),
            now=now,
        )
    )
    emit(secret, None)


def register(app: typer.Typer) -> None:
    """Add the `admin` group to the root app."""
    app.add_typer(admin_app, name="admin")
