"""The audit log: one append-only row per write and per read of a private case.

Rows are added in the same transaction as the change they describe, so a change is never
without its audit line and a failed change leaves none. The database refuses UPDATE, DELETE
and TRUNCATE on ``audit_log`` (triggers in migration 0002).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.store.models import AuditEntry


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    organisation_id: int | None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Add an audit line to the current transaction."""
    session.add(
        AuditEntry(
            at=now or datetime.now(UTC),
            actor=actor,
            action=action,
            target=target,
            organisation_id=organisation_id,
            detail=detail or {},
        )
    )


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


def audit_lines(
    session: Session, organisation_id: int | None, *, limit: int, before_id: int | None = None
) -> list[AuditLine]:
    """The newest lines (of one organisation, or the site-wide ones for None), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if organisation_id is None:
        query = query.where(AuditEntry.organisation_id.is_(None))
    else:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [
        AuditLine(r.id, r.at, r.actor, r.action, r.target, dict(r.detail))
        for r in session.scalars(query)
    ]
