"""The portfolio: projects, uploaded assessments, SBOMs and VEX, vulnerability findings, and
the per-project figures the portfolio summary reads.

Every function takes the acting :class:`~steward.store.access.Principal` and checks it in
the query: a project the principal may not read does not exist for it (NotFoundError); a
project it may read but not change gives AccessDenied. Rows arrive already parsed (the
service parses uploads with the CLI's readers); this module only knows rows.

Vulnerability findings are kept per project with ``first_seen_at`` (when a finding was first
raised, kept across re-matches), ``last_seen_at`` and ``resolved_at`` (it went away: the
component was upgraded or the advisory withdrawn). The summary figures in ``project_stats``
are rewritten in the transaction that changes what they count, so reading the portfolio
summary of 10,000 projects is one indexed query, not 10,000 aggregations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from steward.errors import ConflictError, InputError, NotFoundError
from steward.store.access import (
    AccessDenied,
    Action,
    Principal,
    joined_case_predicate,
    project_predicate,
)
from steward.store.accounts import check_slug, organisation_id
from steward.store.audit import audit
from steward.store.cases import org_member
from steward.store.models import (
    ApiToken,
    AssessmentRecord,
    Case,
    Job,
    Membership,
    Organisation,
    Project,
    ProjectStats,
    RequirementResult,
    SbomComponent,
    SbomRecord,
    VexRecord,
    VulnFinding,
)

if TYPE_CHECKING:
    from steward.evaluate.model import Assessment

#: case states that still need work (a closed, rejected or duplicate case is done)
OPEN_CASE_STATES = ("received", "triaged", "confirmed", "fix_in_progress", "fixed", "published")
SEVERITIES = ("critical", "high", "medium", "low")
#: the tables themselves: bulk inserts and reads of 10,000 rows skip the ORM (5x faster)
_COMPONENTS: Table = SbomComponent.__table__  # type: ignore[assignment]
_FINDINGS: Table = VulnFinding.__table__  # type: ignore[assignment]
CRA_ROLES = ("manufacturer", "steward")


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    organisation: str
    slug: str
    name: str
    repository_url: str | None
    default_branch: str | None
    product_name: str | None
    cra_role: str | None
    support_until: date | None
    created_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organisation": self.organisation,
            "slug": self.slug,
            "name": self.name,
            "repository_url": self.repository_url,
            "default_branch": self.default_branch,
            "product_name": self.product_name,
            "cra_role": self.cra_role,
            "support_until": self.support_until.isoformat() if self.support_until else None,
            "created_at": self.created_at,
        }


def _info(project: Project, org_slug: str) -> ProjectInfo:
    return ProjectInfo(
        project.id,
        org_slug,
        project.slug,
        project.name,
        project.repository_url,
        project.default_branch,
        project.product_name,
        project.cra_role,
        project.support_until,
        project.created_at,
    )


# --------------------------------------------------------------------------- projects


def project_for(
    session: Session, principal: Principal, project_id: int, action: Action = Action.READ
) -> Project:
    """The project, if the principal may read it (else NotFoundError) and do ``action``."""
    project = session.scalar(
        select(Project).where(Project.id == project_id, project_predicate(principal))
    )
    if project is None:
        raise NotFoundError(f"no project {project_id}")
    if not principal.may(action, project.id, project.organisation_id):
        raise AccessDenied(f"{principal.name} may not {action.value} in project {project_id}")
    return project


def get_project(session: Session, principal: Principal, project_id: int) -> ProjectInfo:
    project = project_for(session, principal, project_id)
    org = session.get(Organisation, project.organisation_id)
    assert org is not None
    return _info(project, org.slug)


def _check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    role = fields.get("cra_role")
    if role is not None and role not in CRA_ROLES:
        raise InputError(f"cra_role {role!r}: expected one of {', '.join(CRA_ROLES)}")
    url = fields.get("repository_url")
    if url is not None and not str(url).startswith(("https://", "http://", "ssh://", "git@")):
        raise InputError(f"repository_url {url!r}: expected an https://, ssh:// or git@ URL")
    if url is not None and str(url).startswith(("https://", "http://")):
        host = str(url).split("://", 1)[1].split("/", 1)[0]
        if "@" in host:
            raise InputError(
                "repository_url must not carry credentials (user:token@): every reader of "
                "the project sees it"
            )
    return fields


def create_project(
    session: Session,
    principal: Principal,
    organisation: str,
    slug: str,
    *,
    now: datetime,
    **fields: Any,
) -> int:
    """A new project in an organisation (organisation admins)."""
    check_slug(slug, "project")
    org_id = organisation_id(session, organisation)
    if org_id is None or not org_member(session, principal, org_id):
        raise NotFoundError(f"no organisation {organisation!r}")
    if not principal.may_in_org(Action.ADMIN, org_id):
        raise AccessDenied(f"{principal.name} may not create projects in {organisation}")
    exists = session.scalar(
        select(Project.id).where(Project.organisation_id == org_id, Project.slug == slug)
    )
    if exists is not None:
        raise ConflictError(f"project {organisation}/{slug} exists already")
    fields = _check_fields(fields)
    project = Project(
        organisation_id=org_id,
        slug=slug,
        name=fields.pop("name", None) or slug,
        created_at=now,
        **fields,
    )
    session.add(project)
    session.flush()
    session.add(ProjectStats(project_id=project.id))
    audit(
        session,
        actor=principal.name,
        action="project.create",
        target=f"{organisation}/{slug}",
        organisation_id=org_id,
        detail={"id": project.id},
        now=now,
    )
    return project.id


def update_project(
    session: Session, principal: Principal, project_id: int, *, now: datetime, **fields: Any
) -> None:
    """Change a project's metadata (maintainers)."""
    project = project_for(session, principal, project_id, Action.UPLOAD)
    for key, value in _check_fields(fields).items():
        setattr(project, key, value)
    audit(
        session,
        actor=principal.name,
        action="project.update",
        target=str(project_id),
        organisation_id=project.organisation_id,
        detail={k: str(v) if v is not None else None for k, v in fields.items()},
        now=now,
    )


def delete_project(session: Session, principal: Principal, project_id: int, now: datetime) -> None:
    """Delete a project and its uploads (organisation admins); refused if it has cases.

    A case's timeline is append-only evidence for CRA reporting, so a project with cases
    stays.
    """
    project = project_for(session, principal, project_id)
    if not principal.may_in_org(Action.ADMIN, project.organisation_id):
        raise AccessDenied(f"{principal.name} may not delete project {project_id}")
    if session.scalar(select(Case.id).where(Case.project_id == project_id).limit(1)):
        raise ConflictError(f"project {project_id} has cases: their timelines are kept")
    sboms = select(SbomRecord.id).where(SbomRecord.project_id == project_id)
    assessments = select(AssessmentRecord.id).where(AssessmentRecord.project_id == project_id)
    session.execute(delete(SbomComponent).where(SbomComponent.sbom_id.in_(sboms)))
    session.execute(
        delete(RequirementResult).where(RequirementResult.assessment_id.in_(assessments))
    )
    for model in (SbomRecord, AssessmentRecord, VexRecord, VulnFinding, ProjectStats, Membership):
        session.execute(delete(model).where(model.project_id == project_id))
    session.execute(delete(ApiToken).where(ApiToken.project_id == project_id))
    session.execute(update(Job).where(Job.project_id == project_id).values(project_id=None))
    session.delete(project)
    audit(
        session,
        actor=principal.name,
        action="project.delete",
        target=str(project_id),
        organisation_id=project.organisation_id,
        detail={"slug": project.slug},
        now=now,
    )


PROJECT_SORTS: dict[str, Any] = {
    "name": Project.slug,
    "id": Project.id,
    "level": ProjectStats.level_achieved,
    "failing": ProjectStats.failing,
    "critical": ProjectStats.critical,
    "high": ProjectStats.high,
    "exploited": ProjectStats.exploited,
    "assessed_at": ProjectStats.assessed_at,
}


def _sort(sort: str) -> list[Any]:
    """An ``ORDER BY`` from an allow-listed key (``-key`` for descending), id as tiebreak."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    column = PROJECT_SORTS.get(key)
    if column is None:
        raise InputError(f"sort {sort!r}: expected one of {', '.join(sorted(PROJECT_SORTS))}")
    ordered = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [ordered, Project.id.asc()]


def _project_filter(
    principal: Principal, organisation: str | None, q: str | None
) -> list[ColumnElement[bool]]:
    where = [project_predicate(principal)]
    if organisation:
        where.append(
            Project.organisation_id.in_(
                select(Organisation.id).where(Organisation.slug == organisation)
            )
        )
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        where.append(
            or_(
                func.lower(Project.slug).like(pattern, escape="\\"),
                func.lower(Project.name).like(pattern, escape="\\"),
            )
        )
    return where


@dataclass
class SummaryRow:
    project: ProjectInfo
    stats: dict[str, Any]
    open_cases: int = 0
    next_due: dict[str, Any] | None = None


@dataclass
class Summary:
    total: int
    totals: dict[str, int]
    rows: list[SummaryRow] = field(default_factory=list)


def summary(
    session: Session,
    principal: Principal,
    *,
    now: datetime,
    organisation: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> Summary:
    """The portfolio the principal may see: totals over all of it and one page of projects.

    Open-case counts include only cases the principal may see.
    """
    where = _project_filter(principal, organisation, q)
    totals_row = session.execute(
        select(
            func.count(Project.id),
            func.coalesce(func.sum(ProjectStats.critical), 0),
            func.coalesce(func.sum(ProjectStats.high), 0),
            func.coalesce(func.sum(ProjectStats.medium), 0),
            func.coalesce(func.sum(ProjectStats.low), 0),
            func.coalesce(func.sum(ProjectStats.unrated), 0),
            func.coalesce(func.sum(ProjectStats.exploited), 0),
            func.coalesce(func.sum(ProjectStats.failing), 0),
            func.count(ProjectStats.assessed_at),
        )
        .select_from(Project)
        .outerjoin(ProjectStats, ProjectStats.project_id == Project.id)
        .where(*where)
    ).one()
    keys = ("critical", "high", "medium", "low", "unrated", "exploited", "failing", "assessed")
    totals = {k: int(v or 0) for k, v in zip(keys, totals_row[1:], strict=True)}
    open_cases = session.scalar(
        select(func.count(Case.id))
        .select_from(Case)
        .join(Project, Project.id == Case.project_id)
        .where(joined_case_predicate(principal, now), Case.state.in_(OPEN_CASE_STATES), *where)
    )
    totals["open_cases"] = int(open_cases or 0)
    page = session.execute(
        select(Project, Organisation.slug, ProjectStats)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(ProjectStats, ProjectStats.project_id == Project.id)
        .where(*where)
        .order_by(*_sort(sort))
        .limit(limit)
        .offset(offset)
    ).all()
    rows = [SummaryRow(_info(p, slug), _stats(st)) for p, slug, st in page]
    _attach_case_counts(session, principal, rows, now)
    return Summary(int(totals_row[0]), totals, rows)


def export_rows(
    session: Session, principal: Principal, *, now: datetime, organisation: str | None = None
) -> list[SummaryRow]:
    """Every project the principal may see with its figures, in id order (one query for
    the projects, one for the open cases)."""
    where = _project_filter(principal, organisation, None)
    rows = [
        SummaryRow(_info(p, slug), _stats(st))
        for p, slug, st in session.execute(
            select(Project, Organisation.slug, ProjectStats)
            .join(Organisation, Organisation.id == Project.organisation_id)
            .outerjoin(ProjectStats, ProjectStats.project_id == Project.id)
            .where(*where)
            .order_by(Project.id)
        )
    ]
    counts = dict(
        session.execute(
            select(Case.project_id, func.count(Case.id))
            .join(Project, Project.id == Case.project_id)
            .where(joined_case_predicate(principal, now), Case.state.in_(OPEN_CASE_STATES), *where)
            .group_by(Case.project_id)
        ).all()
    )
    for row in rows:
        row.open_cases = int(counts.get(row.project.id, 0))
    return rows


def _stats(row: ProjectStats | None) -> dict[str, Any]:
    if row is None:
        return {"level_achieved": None, "failing": None, "components": 0, "exploited": 0}
    return {
        "level_achieved": row.level_achieved,
        "failing": row.failing,
        "needs_attestation": row.needs_attestation,
        "assessed_at": row.assessed_at,
        "sbom_at": row.sbom_at,
        "components": row.components,
        "vulnerabilities": {
            "critical": row.critical,
            "high": row.high,
            "medium": row.medium,
            "low": row.low,
            "unrated": row.unrated,
        },
        "exploited": row.exploited,
        "matched_at": row.matched_at,
    }


def _attach_case_counts(
    session: Session, principal: Principal, rows: list[SummaryRow], now: datetime
) -> None:
    ids = [r.project.id for r in rows]
    if not ids:
        return
    counts = dict(
        session.execute(
            select(Case.project_id, func.count(Case.id))
            .join(Project, Project.id == Case.project_id)
            .where(
                joined_case_predicate(principal, now),
                Case.state.in_(OPEN_CASE_STATES),
                Case.project_id.in_(ids),
            )
            .group_by(Case.project_id)
        ).all()
    )
    for row in rows:
        row.open_cases = int(counts.get(row.project.id, 0))


def list_projects(
    session: Session,
    principal: Principal,
    *,
    organisation: str | None = None,
    q: str | None = None,
    sort: str = "name",
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[ProjectInfo]]:
    where = _project_filter(principal, organisation, q)
    total = session.scalar(select(func.count(Project.id)).where(*where)) or 0
    rows = session.execute(
        select(Project, Organisation.slug)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(ProjectStats, ProjectStats.project_id == Project.id)
        .where(*where)
        .order_by(*_sort(sort))
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), [_info(p, slug) for p, slug in rows]


def organisations(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The organisations the principal belongs to (through any role)."""
    query = select(Organisation).order_by(Organisation.slug)
    if not (principal.admin or principal.site_admin):
        orgs = set(principal.org_roles)
        if principal.roles:
            orgs |= set(
                session.scalars(
                    select(Project.organisation_id).where(Project.id.in_(list(principal.roles)))
                )
            )
        if principal.project_limit is not None:
            orgs = set(
                session.scalars(
                    select(Project.organisation_id).where(Project.id == principal.project_limit)
                )
            )
        query = query.where(Organisation.id.in_(sorted(orgs)))
    return [{"slug": o.slug, "name": o.name} for o in session.scalars(query)]


# ------------------------------------------------------------------------ assessments


@dataclass(frozen=True)
class AssessmentSummary:
    revision: str | None
    assessed_at: str
    catalog_version: str
    role: str
    level_achieved: int
    passed: int
    failed: int
    needs_attestation: int
    not_applicable: int
    errors: int
    results: Sequence[tuple[str, str, int]]  # requirement id, status, level


def assessment_summary(assessment: Assessment) -> tuple[AssessmentSummary, dict[str, Any]]:
    """The stored summary columns of an evaluated Assessment, and its JSON document (the
    one builder of the API's and the upload page's uploads, the service's assess jobs and
    ``steward assess-many --db``)."""
    s = assessment.summary
    summary = AssessmentSummary(
        revision=assessment.revision,
        assessed_at=assessment.timestamp,
        catalog_version=assessment.catalog_version,
        role=assessment.role,
        level_achieved=assessment.level_achieved,
        passed=s.passed,
        failed=s.failed,
        needs_attestation=s.needs_attestation,
        not_applicable=s.not_applicable,
        errors=s.error,
        results=[(f.requirement_id, f.status.value, f.level) for f in assessment.findings],
    )
    return summary, assessment.to_dict()


def add_assessment(
    session: Session,
    principal: Principal,
    project_id: int,
    summary_: AssessmentSummary,
    document: dict[str, Any],
    now: datetime,
) -> int:
    project = project_for(session, principal, project_id, Action.UPLOAD)
    row = AssessmentRecord(
        project_id=project_id,
        uploaded_at=now,
        uploaded_by=principal.name,
        revision=summary_.revision,
        assessed_at=summary_.assessed_at,
        catalog_version=summary_.catalog_version,
        role=summary_.role,
        level_achieved=summary_.level_achieved,
        passed=summary_.passed,
        failed=summary_.failed,
        needs_attestation=summary_.needs_attestation,
        not_applicable=summary_.not_applicable,
        errors=summary_.errors,
        document=document,
    )
    session.add(row)
    session.flush()
    if summary_.results:
        session.execute(
            insert(RequirementResult),
            [
                {"assessment_id": row.id, "requirement_id": r, "status": s, "level": lv}
                for r, s, lv in summary_.results
            ],
        )
    stats = _stats_row(session, project_id)
    stats.assessed_at = now
    stats.level_achieved = summary_.level_achieved
    stats.failing = summary_.failed
    stats.needs_attestation = summary_.needs_attestation
    audit(
        session,
        actor=principal.name,
        action="assessment.upload",
        target=str(project_id),
        organisation_id=project.organisation_id,
        detail={"assessment": row.id, "revision": summary_.revision},
        now=now,
    )
    return row.id


def _stats_row(session: Session, project_id: int) -> ProjectStats:
    stats = session.get(ProjectStats, project_id, with_for_update=True)
    if stats is None:
        stats = ProjectStats(
            project_id=project_id,
            components=0,
            critical=0,
            high=0,
            medium=0,
            low=0,
            unrated=0,
            exploited=0,
        )
        session.add(stats)
        session.flush()
    return stats


def _assessment_dict(row: AssessmentRecord, with_document: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id,
        "project_id": row.project_id,
        "uploaded_at": row.uploaded_at,
        "uploaded_by": row.uploaded_by,
        "revision": row.revision,
        "assessed_at": row.assessed_at,
        "catalog_version": row.catalog_version,
        "role": row.role,
        "level_achieved": row.level_achieved,
        "summary": {
            "pass": row.passed,
            "fail": row.failed,
            "needs-attestation": row.needs_attestation,
            "not-applicable": row.not_applicable,
            "error": row.errors,
        },
    }
    if with_document:
        out["document"] = row.document
    return out


def list_assessments(
    session: Session, principal: Principal, project_id: int, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    project_for(session, principal, project_id)
    total = session.scalar(
        select(func.count(AssessmentRecord.id)).where(AssessmentRecord.project_id == project_id)
    )
    rows = session.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.project_id == project_id)
        .order_by(AssessmentRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), [_assessment_dict(r, False) for r in rows]


def get_assessment(session: Session, principal: Principal, assessment_id: int) -> dict[str, Any]:
    row = session.scalar(
        select(AssessmentRecord).where(
            AssessmentRecord.id == assessment_id,
            AssessmentRecord.project_id.in_(select(Project.id).where(project_predicate(principal))),
        )
    )
    if row is None:
        raise NotFoundError(f"no assessment {assessment_id}")
    return _assessment_dict(row, True)


# ------------------------------------------------------------------------------ SBOMs


@dataclass(frozen=True)
class SbomMeta:
    name: str
    standard: str
    spec_version: str
    encoding: str
    root_name: str | None
    root_version: str | None
    sha256: str


@dataclass(frozen=True)
class ComponentRow:
    ref: str
    name: str
    version: str | None
    ecosystem: str | None
    purl: str | None
    scope: str | None
    licenses: list[str]
    package: str | None = None  # the name matching uses (None: not matchable)
    match_version: str | None = None


def add_sbom(
    session: Session,
    principal: Principal,
    project_id: int,
    meta: SbomMeta,
    components: Sequence[ComponentRow],
    raw_gzip: bytes,
    now: datetime,
) -> int:
    project = project_for(session, principal, project_id, Action.UPLOAD)
    row = SbomRecord(
        project_id=project_id,
        name=meta.name[:300],
        uploaded_at=now,
        uploaded_by=principal.name,
        standard=meta.standard,
        spec_version=meta.spec_version[:20],
        encoding=meta.encoding,
        root_name=meta.root_name[:300] if meta.root_name else None,
        root_version=meta.root_version[:100] if meta.root_version else None,
        component_count=len(components),
        sha256=meta.sha256,
        raw_gzip=raw_gzip,
    )
    session.add(row)
    session.flush()
    if components:
        session.execute(
            insert(_COMPONENTS),
            [
                {
                    "sbom_id": row.id,
                    "ref": c.ref[:1000],
                    "name": c.name[:1000],
                    "version": c.version[:300] if c.version else None,
                    "ecosystem": c.ecosystem[:60] if c.ecosystem else None,
                    "purl": c.purl[:2000] if c.purl else None,
                    "scope": c.scope[:20] if c.scope else None,
                    "licenses": c.licenses,
                    "package": c.package[:1000] if c.package else None,
                    "match_version": c.match_version[:300] if c.match_version else None,
                }
                for c in components
            ],
        )
    stats = _stats_row(session, project_id)
    stats.sbom_at = now
    stats.components = _current_component_count(session, project_id)
    audit(
        session,
        actor=principal.name,
        action="sbom.upload",
        target=str(project_id),
        organisation_id=project.organisation_id,
        detail={"sbom": row.id, "name": row.name, "components": len(components)},
        now=now,
    )
    return row.id


def _current_sbom_ids(session: Session, project_id: int) -> list[int]:
    """The newest SBOM of each name in a project (older ones with a name are history)."""
    newest = (
        select(func.max(SbomRecord.id))
        .where(SbomRecord.project_id == project_id)
        .group_by(SbomRecord.name)
    )
    return list(session.scalars(newest))


def _current_component_count(session: Session, project_id: int) -> int:
    ids = _current_sbom_ids(session, project_id)
    if not ids:
        return 0
    return int(
        session.scalar(select(func.count(SbomComponent.id)).where(SbomComponent.sbom_id.in_(ids)))
        or 0
    )


def current_components(
    session: Session, project_id: int, *, except_sbom: int | None = None
) -> list[ComponentRow]:
    """The matchable components (those with a purl) of the project's current SBOMs; no
    access check here: callers are the upload that was checked, or a background job."""
    ids = [i for i in _current_sbom_ids(session, project_id) if i != except_sbom]
    if not ids:
        return []
    table = _COMPONENTS.c
    rows = session.execute(
        select(
            table.ref,
            table.name,
            table.version,
            table.ecosystem,
            table.purl,
            table.scope,
            table.package,
            table.match_version,
        )
        .where(table.sbom_id.in_(ids), table.package.is_not(None))
        .order_by(table.id)
    ).all()
    return [ComponentRow(r, n, v, e, p, s, [], pk, mv) for r, n, v, e, p, s, pk, mv in rows]


def projects_with_sboms(session: Session) -> list[int]:
    return list(session.scalars(select(SbomRecord.project_id).distinct()))


def _sbom_dict(row: SbomRecord) -> dict[str, Any]:
    return {
        "id": row.id,
        "project_id": row.project_id,
        "name": row.name,
        "uploaded_at": row.uploaded_at,
        "uploaded_by": row.uploaded_by,
        "standard": row.standard,
        "spec_version": row.spec_version,
        "encoding": row.encoding,
        "root": {"name": row.root_name, "version": row.root_version},
        "components": row.component_count,
        "sha256": row.sha256,
    }


def list_sboms(
    session: Session, principal: Principal, project_id: int, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    project_for(session, principal, project_id)
    total = session.scalar(
        select(func.count(SbomRecord.id)).where(SbomRecord.project_id == project_id)
    )
    rows = session.scalars(
        select(SbomRecord)
        .where(SbomRecord.project_id == project_id)
        .order_by(SbomRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), [_sbom_dict(r) for r in rows]


def get_sbom(
    session: Session, principal: Principal, sbom_id: int, *, limit: int, offset: int
) -> dict[str, Any]:
    """An SBOM with one page of its components."""
    row = session.scalar(
        select(SbomRecord).where(
            SbomRecord.id == sbom_id,
            SbomRecord.project_id.in_(select(Project.id).where(project_predicate(principal))),
        )
    )
    if row is None:
        raise NotFoundError(f"no SBOM {sbom_id}")
    comps = session.scalars(
        select(SbomComponent)
        .where(SbomComponent.sbom_id == sbom_id)
        .order_by(SbomComponent.id)
        .limit(limit)
        .offset(offset)
    )
    out = _sbom_dict(row)
    out["component_page"] = [
        {
            "ref": c.ref,
            "name": c.name,
            "version": c.version,
            "ecosystem": c.ecosystem,
            "purl": c.purl,
            "scope": c.scope,
            "licenses": c.licenses,
        }
        for c in comps
    ]
    return out


# -------------------------------------------------------------------------------- VEX


def add_vex(
    session: Session,
    principal: Principal,
    project_id: int,
    name: str,
    document: dict[str, Any],
    *,
    format_: str,
    statements: int,
    now: datetime,
) -> int:
    """Store a VEX document as uploaded (it is read again with the reader at each match)."""
    project = project_for(session, principal, project_id, Action.UPLOAD)
    row = VexRecord(
        project_id=project_id,
        name=name[:300],
        uploaded_at=now,
        uploaded_by=principal.name,
        format=format_,
        statement_count=statements,
        document=document,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor=principal.name,
        action="vex.upload",
        target=str(project_id),
        organisation_id=project.organisation_id,
        detail={"vex": row.id, "statements": statements, "format": format_},
        now=now,
    )
    return row.id


def vex_documents(session: Session, project_id: int) -> list[dict[str, Any]]:
    """The project's VEX documents in upload order: ``{"name", "document"}``."""
    return [
        {"name": name, "document": document}
        for name, document in session.execute(
            select(VexRecord.name, VexRecord.document)
            .where(VexRecord.project_id == project_id)
            .order_by(VexRecord.id)
        )
    ]


def list_vex(session: Session, principal: Principal, project_id: int) -> list[dict[str, Any]]:
    project_for(session, principal, project_id)
    return [
        {
            "id": r.id,
            "name": r.name,
            "uploaded_at": r.uploaded_at,
            "uploaded_by": r.uploaded_by,
            "format": r.format,
            "statements": r.statement_count,
        }
        for r in session.scalars(
            select(VexRecord).where(VexRecord.project_id == project_id).order_by(VexRecord.id)
        )
    ]


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class FindingRow:
    key: str
    vuln_id: str
    ecosystem: str
    package: str
    version: str
    severity: str
    score: float | None
    exploited: bool
    reportable: bool
    suppressed: bool
    data: dict[str, Any]


def _digest(found: FindingRow) -> str:
    return hashlib.sha256(orjson.dumps(found.data, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass
class _Known:
    id: int
    key: str
    package: tuple[str, str, str]
    resolved: bool
    digest: str | None


def record_findings(
    session: Session, project_id: int, findings: Iterable[FindingRow], now: datetime
) -> dict[str, int]:
    """Make the project's open findings exactly ``findings``; returns counts of new,
    still open, reopened and resolved findings. ``first_seen_at`` survives re-matching.

    Written with set-based statements: one UPDATE for the findings seen again unchanged,
    one executemany for changed ones, one INSERT for new ones, one UPDATE for resolved ones
    (re-matching 3,000 findings is then a handful of statements, not 3,000).
    """
    table = _FINDINGS.c
    wanted = {f.key: f for f in findings}
    existing = {
        row.key: _Known(row.id, row.key, (row.ecosystem, row.package, row.version),
                        row.resolved_at is not None, row.digest)
        for row in session.execute(
            select(table.id, table.key, table.ecosystem, table.package, table.version,
                   table.resolved_at, table.digest).where(table.project_id == project_id)
        )
    }  # fmt: skip
    by_package: dict[tuple[str, str, str], list[_Known]] = {}
    for item in existing.values():
        if item.key not in wanted:
            by_package.setdefault(item.package, []).append(item)
    counts = {"new": 0, "open": 0, "reopened": 0, "resolved": 0}
    fresh: list[dict[str, Any]] = []
    seen_again: list[int] = []
    changed: list[dict[str, Any]] = []
    for key, found in wanted.items():
        digest = _digest(found)
        values = {
            "vuln_id": found.vuln_id[:100],
            "ecosystem": found.ecosystem[:60],
            "package": found.package[:1000],
            "version": found.version[:300],
            "severity": found.severity,
            "score": found.score,
            "exploited": found.exploited,
            "reportable": found.reportable,
            "suppressed": found.suppressed,
            "data": found.data,
            "digest": digest,
        }
        known: _Known | None = existing.get(key) or _same_vulnerability(session, found, by_package)
        if known is None:
            fresh.append(
                {
                    "project_id": project_id,
                    "key": key,
                    "first_seen_at": now,
                    "last_seen_at": now,
                    "resolved_at": None,
                    **values,
                }
            )
            counts["new"] += 1
            continue
        counts["reopened" if known.resolved else "open"] += 1
        if known.digest == digest and known.key == key:
            seen_again.append(known.id)
        else:  # new data, or its primary id changed because an alias arrived
            changed.append({"b_id": known.id, "key": key, **values})
    rekeyed = {c["b_id"] for c in changed}  # a finding whose primary id changed is not gone
    gone = [
        k.id
        for k in existing.values()
        if k.key not in wanted and not k.resolved and k.id not in rekeyed
    ]
    counts["resolved"] = len(gone)
    for start in range(0, len(seen_again), 1000):
        session.execute(
            update(_FINDINGS)
            .where(table.id.in_(seen_again[start : start + 1000]))
            .values(last_seen_at=now, resolved_at=None)
        )
    if changed:
        session.execute(
            update(_FINDINGS)
            .where(table.id == bindparam("b_id"))
            .values(
                {
                    **{name: bindparam(name) for name in changed[0] if name != "b_id"},
                    "last_seen_at": now,
                    "resolved_at": None,
                }
            ),
            changed,
        )
    for start in range(0, len(gone), 1000):
        session.execute(
            update(_FINDINGS)
            .where(table.id.in_(gone[start : start + 1000]))
            .values(resolved_at=now)
        )
    if fresh:
        session.execute(insert(_FINDINGS), fresh)
    _refresh_vuln_stats(session, project_id, now)
    return counts


def _ids(data: dict[str, Any]) -> set[str]:
    return {str(data.get("id")), *(str(a) for a in data.get("aliases") or [])}


def _same_vulnerability(
    session: Session, found: FindingRow, by_package: dict[tuple[str, str, str], list[_Known]]
) -> _Known | None:
    """A stored finding of the same package version that shares an id with ``found``."""
    candidates = by_package.get((found.ecosystem[:60], found.package[:1000], found.version[:300]))
    if not candidates:
        return None
    ids = _ids(found.data)
    stored = dict(
        session.execute(
            select(_FINDINGS.c.id, _FINDINGS.c.data).where(
                _FINDINGS.c.id.in_([c.id for c in candidates])
            )
        ).all()
    )
    for candidate in candidates:
        if ids & _ids(stored.get(candidate.id) or {}):
            candidates.remove(candidate)
            return candidate
    return None


def _refresh_vuln_stats(session: Session, project_id: int, now: datetime) -> None:
    stats = _stats_row(session, project_id)
    counts = dict(
        session.execute(
            select(VulnFinding.severity, func.count(VulnFinding.id))
            .where(
                VulnFinding.project_id == project_id,
                VulnFinding.resolved_at.is_(None),
                VulnFinding.suppressed.is_(False),
            )
            .group_by(VulnFinding.severity)
        ).all()
    )
    stats.critical = int(counts.pop("critical", 0))
    stats.high = int(counts.pop("high", 0))
    stats.medium = int(counts.pop("medium", 0))
    stats.low = int(counts.pop("low", 0))
    stats.unrated = int(sum(counts.values()))
    stats.exploited = int(
        session.scalar(
            select(func.count(VulnFinding.id)).where(
                VulnFinding.project_id == project_id,
                VulnFinding.resolved_at.is_(None),
                VulnFinding.suppressed.is_(False),
                VulnFinding.exploited.is_(True),
            )
        )
        or 0
    )
    stats.matched_at = now


FINDING_SORTS: dict[str, Any] = {
    "severity": VulnFinding.score,
    "first_seen": VulnFinding.first_seen_at,
    "package": VulnFinding.package,
    "id": VulnFinding.vuln_id,
}


def list_findings(
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    include_resolved: bool = False,
    include_suppressed: bool = True,
    severity: str | None = None,
    sort: str = "-severity",
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    project_for(session, principal, project_id)
    where: list[ColumnElement[bool]] = [VulnFinding.project_id == project_id]
    if not include_resolved:
        where.append(VulnFinding.resolved_at.is_(None))
    if not include_suppressed:
        where.append(VulnFinding.suppressed.is_(False))
    if severity:
        where.append(VulnFinding.severity == severity)
    key = sort.lstrip("-")
    column = FINDING_SORTS.get(key)
    if column is None:
        raise InputError(f"sort {sort!r}: expected one of {', '.join(sorted(FINDING_SORTS))}")
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    total = session.scalar(select(func.count(VulnFinding.id)).where(*where))
    rows = session.scalars(
        select(VulnFinding)
        .where(*where)
        .order_by(order, VulnFinding.id)
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), [
        {
            **r.data,
            "first_seen_at": r.first_seen_at,
            "last_seen_at": r.last_seen_at,
            "resolved_at": r.resolved_at,
        }
        for r in rows
    ]
