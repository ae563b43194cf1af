"""SQLAlchemy models of the store: organisations, projects, people and roles, cases, events,
and what the portfolio service keeps (accounts, tokens, sessions, audit log, assessments,
SBOMs, VEX, vulnerability findings, background jobs).

A case is a head row (identity, project, kind, and a few columns derived from its events so
that listing and access checks can be done in SQL: state, embargo, publication, last sequence
number) plus an append-only table of events. The database itself refuses UPDATE and DELETE on
``case_events`` and ``audit_log`` (triggers created by the migrations), so "no event is ever
edited or deleted" holds even for code that bypasses the repositories.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from steward.store.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UTC_DATETIME = UtcDateTime()


class Organisation(Base):
    """An organisation with its manufacturer (or steward) profile used in reports."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(String(320))
    website: Mapped[str | None] = mapped_column(String(2000))
    is_steward: Mapped[bool] = mapped_column(Boolean, default=False)
    #: when the profile was last set (None: the organisation has no profile yet)
    profile_updated_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    slug: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    repository_url: Mapped[str | None] = mapped_column(String(2000))
    default_branch: Mapped[str | None] = mapped_column(String(200))
    #: CRA product metadata: the organisation's role for this product and support period
    product_name: Mapped[str | None] = mapped_column(String(300))
    cra_role: Mapped[str | None] = mapped_column(String(20))  # manufacturer | steward
    support_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class User(Base):
    """A person. ``password_hash`` (argon2id) is set for service accounts only.

    ``is_admin`` marks a site administrator of the service: it may manage organisations and
    accounts, but sees an organisation's data only through a role in it.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class Membership(Base):
    """A user's role in a project: viewer, maintainer, security-team or admin."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "project_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    role: Mapped[str] = mapped_column(String(20))


class OrgMembership(Base):
    """A user's role in a whole organisation (applies to every project of it)."""

    __tablename__ = "org_memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class Case(Base):
    """The head of a case; everything else is in its events."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    created_by: Mapped[str] = mapped_column(String(200))
    # derived from events, kept in step in the appending transaction
    state: Mapped[str] = mapped_column(String(20))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    embargo_active: Mapped[bool] = mapped_column(Boolean, default=False)
    embargo_until: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    #: when the case was published; until then it is private to the security team
    published_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class CaseEvent(Base):
    """One event of a case's timeline. Never updated, never deleted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_kind", "kind"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    recorded_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    actor: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


# ---------------------------------------------------------------------------- accounts


class ApiToken(Base):
    """An API token: ``stw_<token_id>_<secret>``; only a SHA-256 of the secret is stored.

    The secret has 256 bits of entropy, so a fast hash is enough (a password hash would
    only slow every request). ``scopes`` is space-separated (read upload cases admin);
    ``project_id`` limits the token to one project.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    created_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    expires_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    revoked_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    last_used_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class WebSession(Base):
    """A signed-in browser session; ``id`` is the SHA-256 of the cookie value."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    expires_at: Mapped[datetime] = mapped_column(UTC_DATETIME)


class LoginFailure(Base):
    """A failed sign-in, for throttling by account name and by client address."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTC_DATETIME)


class AuditEntry(Base):
    """One line of the audit log: every write and every read of a private case. Append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_organisation_id_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


# --------------------------------------------------------------------------- portfolio


class AssessmentRecord(Base):
    """An uploaded ``steward assess --format json`` document with its summary columns."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    revision: Mapped[str | None] = mapped_column(String(100))
    assessed_at: Mapped[str] = mapped_column(String(40))
    catalog_version: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    level_achieved: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    needs_attestation: Mapped[int] = mapped_column(Integer)
    not_applicable: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class RequirementResult(Base):
    """One requirement's status in one assessment (for heat maps across the portfolio)."""

    __tablename__ = "requirement_results"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    requirement_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)


class SbomRecord(Base):
    """An uploaded SBOM: what it is, its root component, and the original bytes (gzip)."""

    __tablename__ = "sboms"
    __table_args__ = (Index("ix_sboms_project_id_name", "project_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    name: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(20))
    spec_version: Mapped[str] = mapped_column(String(20))
    encoding: Mapped[str] = mapped_column(String(20))
    root_name: Mapped[str | None] = mapped_column(String(300))
    root_version: Mapped[str | None] = mapped_column(String(100))
    component_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    raw_gzip: Mapped[bytes] = mapped_column(LargeBinary)


class SbomComponent(Base):
    """A component of a stored SBOM (what vulnerability matching runs on)."""

    __tablename__ = "sbom_components"
    __table_args__ = (Index("ix_sbom_components_purl", "purl"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sboms.id"), index=True)
    ref: Mapped[str] = mapped_column(String(1000))
    name: Mapped[str] = mapped_column(String(1000))
    version: Mapped[str | None] = mapped_column(String(300))
    ecosystem: Mapped[str | None] = mapped_column(String(60))
    purl: Mapped[str | None] = mapped_column(String(2000))
    scope: Mapped[str | None] = mapped_column(String(20))
    licenses: Mapped[list[str]] = mapped_column(JSON)
    #: the package name as vulnerability matching knows it (from the purl; None: no purl)
    package: Mapped[str | None] = mapped_column(String(1000))
    #: the version matching uses (the purl's, else the SBOM's)
    match_version: Mapped[str | None] = mapped_column(String(300))


class VexRecord(Base):
    """An uploaded VEX document (OpenVEX, CycloneDX, CSAF), kept as uploaded (JSON)."""

    __tablename__ = "vex_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    statement_count: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class VulnFinding(Base):
    """A vulnerability in a component of a project, with when it was first and last seen.

    ``key`` identifies the (vulnerability, package, version) triple; a finding that goes
    away is kept with ``resolved_at`` set, and comes back with its original ``first_seen_at``.
    """

    __tablename__ = "vuln_findings"
    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        Index("ix_vuln_findings_project_id_resolved_at", "project_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    key: Mapped[str] = mapped_column(String(64))
    vuln_id: Mapped[str] = mapped_column(String(100))
    ecosystem: Mapped[str] = mapped_column(String(60))
    package: Mapped[str] = mapped_column(String(1000))
    version: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    exploited: Mapped[bool] = mapped_column(Boolean)
    reportable: Mapped[bool] = mapped_column(Boolean)
    suppressed: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of ``data``
    first_seen_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    last_seen_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    resolved_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


class ProjectStats(Base):
    """Per-project figures the portfolio summary reads, kept in step by every upload."""

    __tablename__ = "project_stats"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    assessed_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    level_achieved: Mapped[int | None] = mapped_column(Integer)
    failing: Mapped[int | None] = mapped_column(Integer)
    needs_attestation: Mapped[int | None] = mapped_column(Integer)
    sbom_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    components: Mapped[int] = mapped_column(Integer, default=0)
    critical: Mapped[int] = mapped_column(Integer, default=0)
    high: Mapped[int] = mapped_column(Integer, default=0)
    medium: Mapped[int] = mapped_column(Integer, default=0)
    low: Mapped[int] = mapped_column(Integer, default=0)
    unrated: Mapped[int] = mapped_column(Integer, default=0)
    exploited: Mapped[int] = mapped_column(Integer, default=0)
    matched_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)


# -------------------------------------------------------------------------------- jobs


class Job(Base):
    """A background job, queued in the database (no broker): status, progress, result."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # queued running done failed
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTC_DATETIME)
    started_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    finished_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTC_DATETIME)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ServiceState(Base):
    """Small named values the service keeps (e.g. the vulnerability database last matched)."""

    __tablename__ = "service_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
