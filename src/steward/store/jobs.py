"""Background jobs queued in the database: no broker, and they survive a restart.

A worker claims the oldest queued job in a write transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises claimers), marks it running and beats a
heartbeat while it works. A job whose worker died (no heartbeat for ``stale_after``) is put
back in the queue when a worker starts or polls, up to ``MAX_ATTEMPTS`` times, then failed.

``attempts`` numbers the claims: a worker's heartbeat, progress, finish and fail name the
claim they come from and are refused (nothing written, False) once it no longer holds the
job, so a worker whose lease expired cannot overwrite the outcome of the one that took over.

Project jobs are visible to the project's readers; jobs without a project (importing
vulnerability data, re-matching the whole portfolio) to site administrators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from steward.errors import NotFoundError
from steward.store.access import Action, Principal, Scope, projects_of
from steward.store.audit import audit
from steward.store.models import Job

MAX_ATTEMPTS = 3
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class JobInfo:
    id: int
    kind: str
    status: str
    params: dict[str, Any]
    project_id: int | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    done: int
    total: int | None
    message: str
    result: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "params": {k: _redact(v) if isinstance(v, str) else v for k, v in self.params.items()},
            "project_id": self.project_id,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "attempts": self.attempts,
            "progress": {"done": self.done, "total": self.total},
            "message": self.message,
            "result": self.result,
        }


_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/@\s]*@", re.IGNORECASE)


def _redact(value: str) -> str:
    """A URL without its ``user:password@`` (jobs queued before credentials were refused)."""
    return _USERINFO.sub(r"\1***@", value)


def _info(row: Job) -> JobInfo:
    return JobInfo(
        row.id,
        row.kind,
        row.status,
        dict(row.params),
        row.project_id,
        row.created_by,
        row.created_at,
        row.started_at,
        row.finished_at,
        row.attempts,
        row.done,
        row.total,
        row.message,
        row.result,
    )


def enqueue(
    session: Session,
    *,
    kind: str,
    params: dict[str, Any],
    actor: str,
    now: datetime,
    organisation_id: int | None = None,
    project_id: int | None = None,
) -> int:
    row = Job(
        kind=kind,
        status=QUEUED,
        params=params,
        organisation_id=organisation_id,
        project_id=project_id,
        created_by=actor,
        created_at=now,
        attempts=0,
        done=0,
        message="",
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor=actor,
        action="job.create",
        target=str(row.id),
        organisation_id=organisation_id,
        detail={"kind": kind, "project_id": project_id},
        now=now,
    )
    return row.id


def pending(session: Session, kind: str, project_id: int | None) -> int | None:
    """A queued job of this kind for this project, if there is one (to avoid duplicates)."""
    query = select(Job.id).where(Job.kind == kind, Job.status == QUEUED)
    query = query.where(
        Job.project_id.is_(None) if project_id is None else Job.project_id == project_id
    )
    return session.scalar(query.limit(1))


def claim(session: Session, worker: str, now: datetime) -> JobInfo | None:
    """Take the oldest queued job (marks it running); None if the queue is empty."""
    query = select(Job).where(Job.status == QUEUED).order_by(Job.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.scalar(query)
    if row is None:
        return None
    row.status = RUNNING
    row.started_at = now
    row.heartbeat_at = now
    row.attempts += 1
    row.message = f"running on {worker}"
    session.flush()
    return _info(row)


def _held(job_id: int, attempt: int) -> ColumnElement[bool]:
    """The job's row while the claim numbered ``attempt`` still holds it: running, and not
    re-queued (or claimed again) since. ``attempts`` counts claims, so it is the lease's
    fencing token: a worker whose heartbeat stopped long enough for :func:`requeue_stale`
    to hand the job on no longer matches."""
    return and_(Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt)


def _set_if_held(session: Session, job_id: int, attempt: int, **values: Any) -> bool:
    changed = session.execute(update(Job).where(_held(job_id, attempt)).values(**values))
    return bool(getattr(changed, "rowcount", 0) == 1)


def holds(session: Session, job_id: int, attempt: int) -> bool:
    """Whether the claim numbered ``attempt`` still holds the job; on PostgreSQL the row is
    locked until the transaction ends (so what is written with it cannot race a re-queue;
    SQLite's write transactions are serialised anyway)."""
    query = select(Job.id).where(_held(job_id, attempt))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query) is not None


def beat(session: Session, job_id: int, attempt: int, now: datetime) -> bool:
    """The heartbeat of the claim numbered ``attempt``; False (nothing written) once it has
    lost the job."""
    return _set_if_held(session, job_id, attempt, heartbeat_at=now)


def progress(
    session: Session,
    job_id: int,
    attempt: int,
    done: int,
    total: int | None,
    message: str,
    now: datetime,
) -> bool:
    """Progress (also a heartbeat) of the claim numbered ``attempt``; False once it has lost
    the job."""
    return _set_if_held(
        session,
        job_id,
        attempt,
        done=done,
        total=total,
        message=message[:2000],
        heartbeat_at=now,
    )


def finish(
    session: Session,
    job_id: int,
    attempt: int,
    result: dict[str, Any],
    message: str,
    now: datetime,
) -> bool:
    """Mark the job done with its result; refused (False, nothing written) when the claim
    numbered ``attempt`` no longer holds it (its lease expired and the job was re-queued,
    claimed by another worker, or given up)."""
    return _set_if_held(
        session,
        job_id,
        attempt,
        status=DONE,
        result=result,
        message=message[:2000],
        finished_at=now,
    )


def fail(session: Session, job_id: int, attempt: int, message: str, now: datetime) -> bool:
    """Mark the job failed; refused like :func:`finish` when the claim lost the job."""
    return _set_if_held(
        session, job_id, attempt, status=FAILED, message=message[:2000], finished_at=now
    )


def requeue_stale(session: Session, now: datetime, stale_after: timedelta) -> int:
    """Put running jobs whose worker stopped beating back in the queue (or fail them)."""
    cutoff = now - stale_after
    query = select(Job).where(
        Job.status == RUNNING,
        or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff),
    )
    if session.get_bind().dialect.name == "postgresql":
        # locked rows are re-read after their writer commits: a job that its worker
        # finished (or beat) meanwhile no longer qualifies and is not re-queued
        query = query.with_for_update(skip_locked=True)
    stale = list(session.scalars(query))
    for row in stale:
        if row.attempts >= MAX_ATTEMPTS:
            row.status = FAILED
            row.finished_at = now
            row.message = f"gave up after {row.attempts} attempts (worker stopped)"
        else:
            row.status = QUEUED
            row.message = "re-queued: the worker stopped (server restart?)"
    return len(stale)


def _visible(principal: Principal) -> ColumnElement[bool]:
    readable = projects_of(principal, Job.project_id, Action.READ)
    if principal.site_admin and principal.allows(Scope.ADMIN):
        return or_(Job.project_id.is_(None), readable)
    return readable


def get(session: Session, principal: Principal, job_id: int) -> JobInfo:
    row = session.scalar(select(Job).where(Job.id == job_id, _visible(principal)))
    if row is None:
        raise NotFoundError(f"no job {job_id}")
    return _info(row)


def _filters(status: str | None, project_id: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if status:
        where.append(Job.status == status)
    if project_id is not None:
        where.append(Job.project_id == project_id)
    return where


def list_jobs(
    session: Session,
    principal: Principal,
    *,
    status: str | None,
    limit: int,
    offset: int,
    project_id: int | None = None,
) -> list[JobInfo]:
    """The jobs the principal may see, newest first (one page)."""
    query = (
        select(Job)
        .where(_visible(principal), *_filters(status, project_id))
        .order_by(Job.id.desc())
    )
    return [_info(r) for r in session.scalars(query.limit(limit).offset(offset))]


def count_jobs(
    session: Session, principal: Principal, *, status: str | None, project_id: int | None = None
) -> int:
    """How many jobs :func:`list_jobs` would list over all pages."""
    query = (
        select(func.count())
        .select_from(Job)
        .where(_visible(principal), *_filters(status, project_id))
    )
    return int(session.scalar(query) or 0)
