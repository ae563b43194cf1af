"""Rows straight into the portfolio service's database: ``--db URL --org ORGANISATION``.

``URL`` is the database ``steward serve`` uses (a SQLite path or a ``postgresql://`` URL,
:mod:`steward.store.engine`); it is brought to the newest schema on open, like the service
does. Whoever can open the database is trusted, as with ``steward admin``: assessments are
stored as the operator, recorded in the audit log as ``steward assess-many (<os user>)``.
With only an API token, use ``--upload`` (:mod:`steward.scale.upload`) instead.

Each ``assessed`` or ``cached`` row's document is stored, as it completes, under the project
of ``ORGANISATION`` whose ``repository_url`` names the repository (compared in normal form,
:func:`steward.scale.upload.repository_key`: the checkout's public ``origin``, the cloned
URL, or the target). A repository without a project there gets one: slug from the row's
name (``widget``, ``widget-2`` if taken), ``repository_url`` its public URL. A repository
with no public URL (a local checkout without an ``origin``, a ``file://`` URL) cannot have a
project created for it: the row says so and the run goes on.

Idempotent: an assessment of the same project, revision, catalog version and role already in
the database is not stored again (the project row is locked while this is checked, so two
runs at once do not both store it). So cached rows are stored too (a new database gets the
cache's assessments), and a run resumed after an interruption between the database write
and the journal line stores nothing twice.

The result goes into the row (this sink comes before the JSON Lines sink):
``db: {"project": "ORG/SLUG", "id": N, "stored": true|false, "created": true?}`` (``stored``
false: that assessment was there already), or ``{"error": "..."}`` for a row that cannot be
stored. A database that cannot be written (server gone, disk full) stops the run like an
interrupt: the journal keeps what was finished, and ``--resume`` continues.

Errors: an unreadable URL, a database that cannot be opened or migrated, or an organisation
that does not exist are :class:`~steward.errors.UsageError`/:class:`~steward.errors.InputError`
before any work.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from steward.errors import InputError, StewardError, UsageError
from steward.scale.upload import repository_key
from steward.store.engine import DatabaseUnusable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from steward.store.access import Principal
    from steward.store.base import Database
    from steward.store.portfolio import AssessmentSummary

_NOT_SLUG = re.compile(r"[^a-z0-9._-]+")
#: the repository URL forms a service project may have (store.portfolio checks the same)
_STORABLE = ("https://", "http://", "ssh://", "git@")


def safe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://[^@/]*@", "://***@", url)


def slug_for(name: str) -> str:
    """A project slug from a repository's name (``My Repo.git`` → ``my-repo``)."""
    text = _NOT_SLUG.sub("-", name.lower().removesuffix(".git")).strip("-._")
    return text[:90] or "project"


def public_url(row: dict[str, Any]) -> str | None:
    """The URL a new project of this row's repository records: its public https form when it
    is on a forge, else the URL as listed (credentials removed); None for local-only ones."""
    from steward.scale.targets import redact
    from steward.scale.upstream import repository_url

    assessment = row.get("assessment") or {}
    for candidate in (assessment.get("repository"), row.get("location"), row.get("target")):
        if not candidate:
            continue
        text = redact(str(candidate))
        forge = repository_url(text)
        if forge is not None and forge.startswith(_STORABLE):
            return forge
        if text.startswith(_STORABLE):
            return text
    return None


def summary_of(document: dict[str, Any]) -> tuple[AssessmentSummary, dict[str, Any]]:
    """The service's summary columns of an assessment document, and the document as the
    service stores it (validated by the same model as ``POST .../assessments``).

    Raises :class:`InputError` when the document is not a ``steward assess`` document.
    """
    from pydantic import ValidationError

    from steward.evaluate.model import Assessment
    from steward.store.portfolio import assessment_summary

    try:
        assessment = Assessment.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InputError(f"not a steward assessment: {where}: {first.get('msg')}") from None
    return assessment_summary(assessment)


@dataclass(frozen=True, slots=True)
class _Stored:
    project_id: int
    slug: str
    assessment_id: int
    stored: bool
    created: bool


class DatabaseSink:
    """Stores assessed and cached rows in the service database (see the module docstring)."""

    def __init__(self, url: str, organisation: str, *, actor: str | None = None) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from steward.store.access import Principal
        from steward.store.base import Database

        self.url = safe_url(url)
        self.organisation = organisation
        self.actor = actor or f"steward assess-many ({getpass.getuser()})"
        self.principal: Principal = Principal(name=self.actor, admin=True)
        if "://" not in url and not Path(url).expanduser().exists():
            raise InputError(
                "no such database (set one up with `steward admin create-org ORG --db ...`)",
                source=url,
            )
        try:
            self.db: Database = Database(url)
        except StewardError:
            raise
        except (SQLAlchemyError, OSError) as exc:
            raise InputError(f"cannot open the database: {_reason(exc)}", source=self.url) from None
        #: repository key -> (project id, slug) of the organisation's projects seen so far
        self.projects: dict[str, tuple[int, str]] = {}
        self._seen = 0  # the highest project id loaded: projects made later have larger ids
        try:
            self.org_id = self.db.read(self._open)
        except StewardError:
            self.db.close()
            raise
        except SQLAlchemyError as exc:
            self.db.close()
            raise InputError(f"cannot read the database: {_reason(exc)}", source=self.url) from None
        self.stored = self.already = self.created = self.unmatched = 0

    def _open(self, session: Session) -> int:
        from steward.store.accounts import organisation_id

        org_id = organisation_id(session, self.organisation)
        if org_id is None:
            raise UsageError(
                f"no organisation {self.organisation!r} in {self.url} (create it with "
                f"`steward admin create-org {self.organisation} --db ...`)",
                source="--org",
            )
        self._load(session, org_id)
        return org_id

    def _load(self, session: Session, org_id: int) -> dict[str, tuple[int, str]]:
        """The organisation's projects with an id above those already loaded."""
        from sqlalchemy import select

        from steward.store.models import Project

        found: dict[str, tuple[int, str]] = {}
        query = (
            select(Project.id, Project.slug, Project.repository_url)
            .where(Project.organisation_id == org_id, Project.id > self._seen)
            .order_by(Project.id)
        )
        for project_id, slug, url in session.execute(query):
            self._seen = max(self._seen, project_id)
            if url:
                found.setdefault(repository_key(url), (project_id, slug))
        for key, value in found.items():
            self.projects.setdefault(key, value)
        return found

    def _keys(self, row: dict[str, Any]) -> list[str]:
        assessment = row.get("assessment") or {}
        candidates = (assessment.get("repository"), row.get("location"), row.get("target"))
        return [repository_key(str(c)) for c in candidates if c]

    def _match(self, keys: list[str]) -> tuple[int, str] | None:
        return next((self.projects[k] for k in keys if k in self.projects), None)

    def _store(
        self,
        session: Session,
        row: dict[str, Any],
        keys: list[str],
    ) -> _Stored:
        from sqlalchemy import select

        from steward.store import portfolio
        from steward.store.models import AssessmentRecord, Project

        now = datetime.now(UTC)
        created = False
        project = self._match(keys)
        if project is None:  # made by another run since we looked?
            self._load(session, self.org_id)
            project = self._match(keys)
        if project is None:
            url = public_url(row)
            if url is None:
                raise _NoProject(
                    f"no project of {self.organisation} has this repository, and it has no "
                    "public URL to create one with (give the checkout an origin remote)"
                )
            slug = self._free_slug(session, slug_for(str(row.get("name") or url)))
            name = str(row.get("name") or slug)[:300]
            project_id = portfolio.create_project(
                session, self.principal, self.organisation, slug, now=now,
                name=name, repository_url=url,
            )  # fmt: skip
            project = (project_id, slug)
            created = True
        project_id, slug = project
        session.execute(select(Project.id).where(Project.id == project_id).with_for_update())
        stated = row["assessment"]
        existing = session.scalar(
            select(AssessmentRecord.id)
            .where(
                AssessmentRecord.project_id == project_id,
                AssessmentRecord.revision == _str(stated.get("revision")),
                AssessmentRecord.catalog_version == _str(stated.get("catalog_version")),
                AssessmentRecord.role == _str(stated.get("role")),
            )
            .order_by(AssessmentRecord.id)
            .limit(1)
        )
        if existing is not None:
            return _Stored(project_id, slug, existing, False, created)
        summary, document = summary_of(stated)  # only what is stored is validated (a bad one
        # raises InputError: the transaction, and a project it created, is rolled back)
        assessment_id = portfolio.add_assessment(
            session, self.principal, project_id, summary, document, now
        )
        return _Stored(project_id, slug, assessment_id, True, created)

    def _free_slug(self, session: Session, base: str) -> str:
        from sqlalchemy import select

        from steward.store.models import Project

        taken = set(
            session.scalars(
                select(Project.slug).where(
                    Project.organisation_id == self.org_id, Project.slug.like(f"{base}%")
                )
            )
        )
        if base not in taken:
            return base
        number = 2
        while f"{base}-{number}" in taken:
            number += 1
        return f"{base}-{number}"

    def write(self, row: dict[str, Any]) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        if row.get("status") not in ("assessed", "cached") or not isinstance(
            row.get("assessment"), dict
        ):
            return
        keys = self._keys(row)
        try:
            done = self.db.write(lambda s: self._store(s, row, keys))
        except DatabaseUnusable as exc:  # the database, not the row: stop (resumable)
            raise InputError(
                f"cannot write to the database: {exc.reason}", source=self.url
            ) from None
        except (_NoProject, StewardError) as exc:
            self.unmatched += 1
            row["db"] = {"error": str(exc)}
            return
        except SQLAlchemyError as exc:  # the database, not the row: stop (resumable)
            raise InputError(
                f"cannot write to the database: {_reason(exc)}", source=self.url
            ) from None
        for key in keys:
            self.projects.setdefault(key, (done.project_id, done.slug))
        self.stored += done.stored
        self.already += not done.stored
        self.created += done.created
        row["db"] = {
            "project": f"{self.organisation}/{done.slug}",
            "id": done.assessment_id,
            "stored": done.stored,
            **({"created": True} if done.created else {}),
        }

    def close(self, complete: bool) -> None:
        self.db.close()

    def report(self) -> str:
        """One line for the end of the run."""
        parts = [f"stored {self.stored} assessments in {self.organisation} ({self.url})"]
        if self.already:
            parts.append(f"{self.already} were there already")
        if self.created:
            parts.append(f"{self.created} projects created")
        if self.unmatched:
            parts.append(f"{self.unmatched} could not be stored (see the rows)")
        return "; ".join(parts)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


class _NoProject(Exception):
    """A row whose repository has no project and cannot get one."""


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
