"""What the case store takes and gives back: stored cases, events to append, profiles.

Plain dataclasses and the checks both paths of the store share, free of SQLAlchemy: used by
the store (:mod:`steward.store.cases`, which re-exports them) and by its plain ``sqlite3``
paths (:mod:`steward.store.sqlite_cases`, :mod:`steward.store.sqlite_writes`), so that both
refuse the same profiles and make case ids the same way.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from steward.disclosure.vocabulary import CaseKind, Event, EventKind
from steward.errors import InputError

#: Crockford base 32 (no I, L, O, U): case ids are read aloud and typed
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID_LENGTH = 6


def new_public_id(prefix: str, now: datetime) -> str:
    """A new case id ``PREFIX-YEAR-XXXXXX``: six random Crockford base-32 characters (a
    counter would tell anyone who sees two ids how many cases lie between them)."""
    return f"{prefix}-{now.year}-" + "".join(
        secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH)
    )


@dataclass(frozen=True)
class NewEvent:
    """An event to append (validated by :mod:`steward.disclosure.cases`); the store gives it
    the next sequence number and the recording time."""

    kind: EventKind
    occurred_at: datetime
    actor: str
    data: dict[str, Any]


@dataclass(frozen=True)
class HeadUpdate:
    """The head columns derived from all events after an append."""

    state: str
    embargo_active: bool
    embargo_until: datetime | None
    title: str | None = None
    published_at: datetime | None = None


#: given a case's current events (none for a new case), the events to append and the head
Builder = Callable[[list[Event]], tuple[list[NewEvent], HeadUpdate]]


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


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WEBSITE = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def _user_assigned(code: str) -> bool:
    """ISO 3166-1 alpha-2 codes reserved for private use (AA, QM-QZ, XA-XZ, ZZ)."""
    return code in ("AA", "ZZ") or (code[0] == "Q" and code[1] >= "M") or code[0] == "X"


def check_profile(profile: OrganisationProfile) -> None:
    """Refuse a profile reports could not be filed with (InputError naming the field).

    The name and e-mail are one line each (they become header lines of reports and of
    advisories' publisher), the country an ISO 3166-1 alpha-2 code that names a country
    (it routes Art. 14 reports to a national CSIRT; private-use codes such as XX are
    refused), the website an http(s) URL (CSAF's publisher namespace), the address free
    text without control characters other than line breaks.
    """

    def controls(value: str, *, multiline: bool = False) -> bool:
        from steward.textcheck import forbidden_character

        return forbidden_character(value, allowed="\n\r\t" if multiline else "") is not None

    if not profile.name.strip() or controls(profile.name):
        raise InputError(f"profile name {profile.name!r}: one line of text expected")
    if profile.country is not None:
        code = profile.country.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code) or _user_assigned(code):
            raise InputError(
                f"country {profile.country!r}: expected an ISO 3166-1 alpha-2 country code "
                "(e.g. DE)"
            )
    if profile.contact_email is not None and not _EMAIL.fullmatch(profile.contact_email):
        raise InputError(f"contact e-mail {profile.contact_email!r}: not an e-mail address")
    if profile.website is not None and not _WEBSITE.fullmatch(profile.website):
        raise InputError(f"website {profile.website!r}: expected an https:// or http:// URL")
    if profile.address is not None and controls(profile.address, multiline=True):
        raise InputError("address: control characters are not allowed")
