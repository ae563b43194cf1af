"""What the case store gives back: a stored case with its events, an organisation's profile.

Plain dataclasses, free of SQLAlchemy, shared by the store (:mod:`steward.store.cases`, which
re-exports them) and its plain ``sqlite3`` read path (:mod:`steward.store.sqlite_cases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steward.disclosure.vocabulary import CaseKind, Event


@dataclass(frozen=True)
class OrganisationProfile:
    """The manufacturer (or steward) profile of an organisation, as stored."""

    name: str
    country: str | None = None
    address: str | None = None
    contact_email: str | None = None
    website: str | None = None
    is_steward: bool = False


@dataclass(frozen=True)
class StoredCase:
    public_id: str
    project: str
    organisation: str
    kind: CaseKind
    title: str
    state: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    embargo_active: bool
    embargo_until: datetime | None
    events: tuple[Event, ...] = ()
    published_at: datetime | None = None
    private: bool = True  # hidden from viewers (unpublished or under a running embargo)
    project_id: int = 0
    organisation_id: int = 0
