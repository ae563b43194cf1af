"""Read queries only the pages need (heat map, trends, per-page facts of the dashboard).

Each one is confined with the store's own predicates (:mod:`steward.store.access`:
``project_predicate`` for projects, ``projects_of`` for rows holding a project id) or takes
project ids that an access-checked store query returned, so a page never shows a row the
REST API would hide. Cases are never queried here: case facts come from the case store's
visibility-checked reads (:meth:`steward.store.cases.CaseStore.list`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.store.access import Action, Principal, project_predicate, projects_of
from steward.store.models import (
    AssessmentRecord,
    Organisation,
    Project,
    RequirementResult,
    VulnFinding,
)
from steward.store.portfolio import SEVERITIES


def _latest_assessments(session: Session, project_ids: Sequence[int]) -> dict[int, int]:
    """project id -> id of its newest assessment (ids from an access-checked query)."""
    if not project_ids:
        return {}
    return dict(
        session.execute(
            select(AssessmentRecord.project_id, func.max(AssessmentRecord.id))
            .where(AssessmentRecord.project_id.in_(list(project_ids)))
            .group_by(AssessmentRecord.project_id)
        ).all()
    )


@dataclass(frozen=True)
class LevelProgress:
    """How far a project is towards its next level: MUST and SHOULD requirements of that
    level that pass (or do not apply), of all of that level's requirements."""

    achieved: int
    next_level: int | None
    met: int
    total: int


def level_progress(session: Session, project_ids: Sequence[int]) -> dict[int, LevelProgress]:
    """Level progress of each project's newest assessment (projects without one: absent)."""
    latest = _latest_assessments(session, project_ids)
    if not latest:
        return {}
    by_assessment = {a: p for p, a in latest.items()}
    levels: dict[int, int] = dict(
        session.execute(
            select(AssessmentRecord.id, AssessmentRecord.level_achieved).where(
                AssessmentRecord.id.in_(list(by_assessment))
            )
        ).all()
    )
    counts: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for assessment_id, level, status, n in session.execute(
        select(
            RequirementResult.assessment_id,
            RequirementResult.level,
            RequirementResult.status,
            func.count(),
        )
        .where(RequirementResult.assessment_id.in_(list(by_assessment)))
        .group_by(
            RequirementResult.assessment_id, RequirementResult.level, RequirementResult.status
        )
    ):
        cell = counts[assessment_id][level]
        cell[1] += n
        if status in ("pass", "not-applicable"):
            cell[0] += n
    out: dict[int, LevelProgress] = {}
    for assessment_id, project_id in by_assessment.items():
        achieved = levels.get(assessment_id, 0)
        per_level = counts.get(assessment_id, {})
        nxt = achieved + 1 if achieved + 1 in per_level else None
        met, total = per_level[nxt] if nxt is not None else (0, 0)
        out[project_id] = LevelProgress(achieved, nxt, met, total)
    return out


def exploited_lists(session: Session, project_ids: Sequence[int]) -> dict[int, set[str]]:
    """project id -> the exploitation lists ("KEV", "EUVD") naming its open findings."""
    if not project_ids:
        return {}
    out: dict[int, set[str]] = defaultdict(set)
    for project_id, data in session.execute(
        select(VulnFinding.project_id, VulnFinding.data).where(
            VulnFinding.project_id.in_(list(project_ids)),
            VulnFinding.exploited.is_(True),
            VulnFinding.resolved_at.is_(None),
            VulnFinding.suppressed.is_(False),
        )
    ):
        exploited = (data or {}).get("exploited") or {}
        if exploited.get("kev"):
            out[project_id].add("KEV")
        if exploited.get("euvd"):
            out[project_id].add("EUVD")
    return dict(out)


@dataclass
class HeatMap:
    """Requirements x projects: the status of each requirement in each project's newest
    assessment; requirements ordered by how many projects fail them."""

    projects: list[tuple[int, str]]  # (id, "org/slug") of the columns shown
    requirements: list[str]
    titles: dict[str, str]
    cells: dict[tuple[str, int], str]
    failing: dict[str, int]  # requirement -> projects (of all visible) failing it
    attest: dict[str, int]
    assessed: int  # visible projects with an assessment
    total_projects: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def heat_map(
    session: Session, principal: Principal, *, limit: int, offset: int, org: str | None = None
) -> HeatMap:
    """The heat map over every project the principal may read (columns: one page of them,
    in name order; the counts cover all of them)."""
    where = [project_predicate(principal)]
    if org:
        where.append(
            Project.organisation_id.in_(select(Organisation.id).where(Organisation.slug == org))
        )
    visible = session.execute(
        select(Project.id, Organisation.slug, Project.slug)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*where)
        .order_by(Organisation.slug, Project.slug, Project.id)
    ).all()
    ids = [pid for pid, _o, _s in visible]
    latest = _latest_assessments(session, ids)
    newest = list(latest.values())
    failing: dict[str, int] = defaultdict(int)
    attest: dict[str, int] = defaultdict(int)
    requirements: set[str] = set()
    for start in range(0, len(newest), 5000):  # counts over all of them, in SQL
        for requirement, status, n in session.execute(
            select(RequirementResult.requirement_id, RequirementResult.status, func.count())
            .where(RequirementResult.assessment_id.in_(newest[start : start + 5000]))
            .group_by(RequirementResult.requirement_id, RequirementResult.status)
        ):
            requirements.add(requirement)
            if status in ("fail", "error"):
                failing[requirement] += n
            elif status == "needs-attestation":
                attest[requirement] += n
    assessed_rows = [(pid, f"{o}/{s}") for pid, o, s in visible if pid in latest]
    shown = assessed_rows[offset : offset + limit]
    by_assessment = {latest[pid]: pid for pid, _name in shown}
    statuses: dict[tuple[str, int], str] = {}
    for assessment_id, requirement, status in session.execute(
        select(
            RequirementResult.assessment_id,
            RequirementResult.requirement_id,
            RequirementResult.status,
        ).where(RequirementResult.assessment_id.in_(list(by_assessment)))
    ):
        statuses[(requirement, by_assessment[assessment_id])] = status
    ordered = sorted(requirements, key=lambda r: (-failing[r], -attest[r], r))
    return HeatMap(
        projects=shown,
        requirements=ordered,
        titles=_requirement_titles(),
        cells=statuses,
        failing=dict(failing),
        attest=dict(attest),
        assessed=len(assessed_rows),
        total_projects=len(visible),
    )


@lru_cache(maxsize=1)
def _requirement_titles() -> dict[str, str]:
    """Requirement id -> title, from the catalog Steward ships."""
    from steward.catalog.loader import load_catalog

    return {r.id: r.title for r in load_catalog().requirements}


# ------------------------------------------------------------------------------ trends


@dataclass(frozen=True)
class Trend:
    """Weekly points: open findings by severity and failing requirements (sum of each
    project's newest assessment at that moment), oldest first."""

    moments: list[datetime]
    open_by_severity: dict[str, list[int]]
    failing: list[int | None]
    level: list[float | None]  # mean level achieved of the assessed projects


def trend(
    session: Session,
    principal: Principal,
    *,
    now: datetime,
    weeks: int = 12,
    project_id: int | None = None,
) -> Trend:
    """The portfolio's (or one project's) trend over the last ``weeks`` weeks."""
    moments = [now - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    scope = [projects_of(principal, VulnFinding.project_id, Action.READ)]
    if project_id is not None:
        scope.append(VulnFinding.project_id == project_id)
    open_by: dict[str, list[int]] = {s: [0] * weeks for s in SEVERITIES}
    rows = session.execute(
        select(VulnFinding.severity, VulnFinding.first_seen_at, VulnFinding.resolved_at).where(
            *scope, VulnFinding.suppressed.is_(False), VulnFinding.severity.in_(SEVERITIES)
        )
    ).all()
    for severity, first_seen, resolved in rows:
        first_seen = _aware(first_seen)
        resolved = _aware(resolved)
        for i, moment in enumerate(moments):
            if first_seen <= moment and (resolved is None or resolved > moment):
                open_by[severity][i] += 1
    a_scope = [projects_of(principal, AssessmentRecord.project_id, Action.READ)]
    if project_id is not None:
        a_scope.append(AssessmentRecord.project_id == project_id)
    history: dict[int, list[tuple[datetime, int, int]]] = defaultdict(list)
    for pid, uploaded, failed, level in session.execute(
        select(
            AssessmentRecord.project_id,
            AssessmentRecord.uploaded_at,
            AssessmentRecord.failed,
            AssessmentRecord.level_achieved,
        )
        .where(*a_scope)
        .order_by(AssessmentRecord.id)
    ):
        history[pid].append((_aware(uploaded), failed, level))
    failing: list[int | None] = []
    levels: list[float | None] = []
    for moment in moments:
        current = [
            next((f, lv) for at, f, lv in reversed(items) if at <= moment)
            for items in history.values()
            if any(at <= moment for at, _f, _lv in items)
        ]
        failing.append(sum(f for f, _ in current) if current else None)
        levels.append(sum(lv for _, lv in current) / len(current) if current else None)
    return Trend(moments, open_by, failing, levels)


def _aware(value: Any) -> Any:
    from datetime import UTC

    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def sbom_raw(session: Session, principal: Principal, sbom_id: int) -> tuple[bytes, list[list[str]]]:
    """A readable SBOM's stored bytes (gzip) and each component's licences."""
    from steward.errors import NotFoundError
    from steward.store.models import SbomComponent, SbomRecord

    raw = session.scalar(
        select(SbomRecord.raw_gzip).where(
            SbomRecord.id == sbom_id,
            SbomRecord.project_id.in_(select(Project.id).where(project_predicate(principal))),
        )
    )
    if raw is None:
        raise NotFoundError(f"no SBOM {sbom_id}")
    licences = [
        list(value or [])
        for value in session.scalars(
            select(SbomComponent.licenses).where(SbomComponent.sbom_id == sbom_id)
        )
    ]
    return raw, licences


def project_by_slug(
    session: Session, principal: Principal, organisation: str, slug: str
) -> tuple[int, int] | None:
    """(project id, organisation id) of a readable project named ``organisation/slug``."""
    row = session.execute(
        select(Project.id, Project.organisation_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(
            Organisation.slug == organisation, Project.slug == slug, project_predicate(principal)
        )
    ).first()
    return None if row is None else (int(row[0]), int(row[1]))
