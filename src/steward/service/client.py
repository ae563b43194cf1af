"""A client of the portfolio service's API for the CLI (httpx).

- :class:`ServiceClient`: uploads from CI (``steward assess . --upload URL``, ``steward sbom
  . --upload URL``) and plain API calls, authenticated with ``STEWARD_TOKEN``.
- :class:`RemoteCases`: the methods of :class:`steward.disclosure.cases.Cases` the ``steward
  case`` commands use, over the API (``steward case --server URL ...``). Timelines come back
  as stored and are folded by the same domain code as a local store; the server decides who
  may see and change what, and records the token's account as the author.

A token is only ever sent over HTTPS, or plain HTTP to a loopback address. Every failure is
one line: 4xx answers as input errors (exit 2) with the server's reason, an unreachable
server too, 5xx as internal errors (exit 3).
"""

from __future__ import annotations

import gzip
import os
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from steward.errors import InputError, NotFoundError, StewardError, UsageError

TOKEN_ENV = "STEWARD_TOKEN"  # noqa: S105 - the variable name, not a token
_PROJECT_ID = re.compile(r"^(.*?)/api/v1/projects/(\d+)/?$")
_PROJECT_SLUG = re.compile(
    r"^(.*?)/api/v1/projects/([a-z0-9][a-z0-9._-]*)/([a-z0-9][a-z0-9._-]*)/?$"
)
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class ServiceError(StewardError):
    """The server failed (5xx)."""


def token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"{TOKEN_ENV} is not set: create a token (steward admin token USER)")
    return token


def _check_transport(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and (parts.hostname or "") in LOOPBACK:
        return
    raise UsageError(
        f"{url}: the token is only sent over https:// (or http:// to a loopback address)"
    )


class ServiceClient:
    """Calls to one server with one token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/api/v1"):
            self.base_url += "/api/v1"
        _check_transport(self.base_url)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token or token_from_env()}"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise InputError(f"cannot reach the server: {exc}", source=self.base_url) from None
        if response.status_code < 400:
            return response
        try:
            detail = str(response.json().get("detail"))
        except ValueError:
            detail = response.text[:200] or response.reason_phrase
        where = f"{self.base_url}{path.split('?')[0]}"
        if response.status_code == 401:
            raise InputError(f"the server refused the token ({TOKEN_ENV}): {detail}", source=where)
        if response.status_code == 404:
            raise NotFoundError(detail, source=where)
        if response.status_code >= 500:
            raise ServiceError(f"{where}: server error {response.status_code}: {detail}")
        raise InputError(f"{response.status_code}: {detail}", source=where)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        return None if response.status_code == 204 else response.json()

    # -------------------------------------------------------------------- uploads

    def project_id(self, reference: str) -> int:
        """A project id from ``42`` or ``organisation/slug``."""
        if reference.isdigit():
            return int(reference)
        org, sep, slug = reference.partition("/")
        if not sep or not org or not slug:
            raise UsageError(f"project {reference!r}: give its id or ORGANISATION/SLUG")
        found = self.json("GET", "/projects", params={"organisation": org, "q": slug, "limit": 500})
        for item in found["items"]:
            if item["slug"] == slug and item["organisation"] == org:
                return int(item["id"])
        raise NotFoundError(f"no project {reference!r} on {self.base_url}")

    def upload(self, project_id: int, kind: str, data: bytes, name: str | None) -> Any:
        """POST an upload (gzip-compressed) to ``/projects/{id}/{kind}``."""
        params = {"name": name} if name and kind != "assessments" else {}
        if name and kind == "assessments":
            params = {"filename": name}
        return self.json(
            "POST",
            f"/projects/{project_id}/{kind}",
            content=gzip.compress(data, mtime=0),
            params=params,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/octet-stream"},
        )


def check_upload_url(url: str) -> None:
    """Refuse a bad ``--upload`` URL (or a missing token) before any work is done."""
    match = _PROJECT_ID.match(url) or _PROJECT_SLUG.match(url)
    if match is None:
        raise UsageError(
            f"--upload {url}: expected https://HOST/api/v1/projects/ID "
            "(or .../projects/ORGANISATION/SLUG)"
        )
    _check_transport(match[1])
    token_from_env()


def upload_sbom(url: str, data: str | bytes, name: str) -> str:
    """``steward sbom --upload``: send one SBOM; returns the line to tell the user."""
    raw = data.encode() if isinstance(data, str) else data
    result = upload_to(url, "sboms", raw, name)
    found = result["findings"]
    return (
        f"uploaded {name} ({result['components']} components): {found['new']} new and "
        f"{found['open'] + found['reopened']} known findings, {found['resolved']} resolved"
    )


def upload_assessment(url: str, document: str) -> str:
    """``steward assess --upload``: send the JSON assessment; returns the line to tell."""
    result = upload_to(url, "assessments", document.encode(), "steward assess")
    return f"uploaded the assessment (level {result['level_achieved']}) as #{result['id']}"


def upload_to(url: str, kind: str, data: bytes, name: str | None = None) -> Any:
    """Upload to a project URL: ``https://host/api/v1/projects/42`` or ``.../projects/org/slug``."""
    match = _PROJECT_ID.match(url) or _PROJECT_SLUG.match(url)
    if match is None:
        raise UsageError(
            f"--upload {url}: expected https://HOST/api/v1/projects/ID "
            "(or .../projects/ORGANISATION/SLUG)"
        )
    client = ServiceClient(match[1])
    try:
        reference = match[2] if len(match.groups()) == 2 else f"{match[2]}/{match[3]}"
        project_id = client.project_id(reference)
        return client.upload(project_id, kind, data, name)
    finally:
        client.close()


# ------------------------------------------------------------------------ remote cases


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


class RemoteCases:
    """The case commands' view of a shared store, through the API (see module docstring)."""

    def __init__(self, base_url: str, token: str | None = None, **kwargs: Any) -> None:
        self.client = ServiceClient(base_url, token, **kwargs)
        self._profiles: dict[str, Any] = {}

    def _stored(self, row: dict[str, Any]) -> Any:
        from steward.disclosure.events import Event, EventKind
        from steward.disclosure.model import CaseKind
        from steward.store.cases import StoredCase

        organisation, _, project = str(row["project"]).partition("/")
        events = tuple(
            Event(
                seq=e["seq"],
                kind=EventKind(e["kind"]),
                occurred_at=_time(e["occurred_at"]),  # type: ignore[arg-type]
                recorded_at=_time(e["recorded_at"]),  # type: ignore[arg-type]
                actor=e["actor"],
                data=e["data"],
            )
            for e in row.get("events", [])
        )
        return StoredCase(
            public_id=row["id"],
            project=project,
            organisation=organisation,
            kind=CaseKind(row["kind"]),
            title=row["title"],
            state=row["state"],
            created_at=_time(row["created_at"]),  # type: ignore[arg-type]
            created_by=row["created_by"],
            updated_at=_time(row["updated_at"]),  # type: ignore[arg-type]
            embargo_active=bool(row["embargo_active"]),
            embargo_until=_time(row["embargo_until"]),
            events=events,
            published_at=_time(row["published_at"]),
            private=bool(row["private"]),
        )

    @staticmethod
    def _draft(draft: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": draft.kind.value, "data": draft.data}
        if draft.occurred_at is not None:
            out["occurred_at"] = draft.occurred_at.isoformat()
        return out

    def new_case(
        self,
        *,
        kind: Any,
        title: str,
        project: str,
        drafts: list[Any] | None = None,
        received_at: datetime | None = None,
        prefix: str = "STW",
        now: datetime,
        organisation: str | None = None,
    ) -> str:
        reference = f"{organisation}/{project}" if organisation else project
        if reference == "default":
            raise UsageError("with --server, name the project: --project ORGANISATION/SLUG or ID")
        project_id = self.client.project_id(reference)
        body: dict[str, Any] = {
            "title": title,
            "kind": kind.value,
            "prefix": prefix,
            "events": [self._draft(d) for d in drafts or []],
        }
        if received_at is not None:
            body["received_at"] = received_at.isoformat()
        return str(self.client.json("POST", f"/projects/{project_id}/cases", json=body)["id"])

    def record(self, case_id: str, drafts: list[Any], *, now: datetime) -> list[int]:
        body = {"events": [self._draft(d) for d in drafts]}
        result = self.client.json("POST", f"/cases/{quote(case_id)}/events", json=body)
        return [int(s) for s in result["seqs"]]

    def record_kind(
        self,
        case_id: str,
        kind: str,
        data: dict[str, Any],
        *,
        occurred_at: datetime | None,
        now: datetime,
    ) -> list[int]:
        from steward.disclosure.cases import Draft
        from steward.disclosure.events import parse_kind

        return self.record(case_id, [Draft(parse_kind(kind), data, occurred_at)], now=now)

    def get(self, case_id: str, *, now: datetime) -> Any:
        return self._stored(self.client.json("GET", f"/cases/{quote(case_id)}/events"))

    def snapshot(self, case_id: str, *, now: datetime) -> Any:
        from steward.disclosure.cases import snapshot_of

        return snapshot_of(self.get(case_id, now=now))

    def clocks(self, case_id: str, *, now: datetime) -> list[Any]:
        return self.clocks_of(self.get(case_id, now=now), now=now)

    def clocks_of(self, stored: Any, *, now: datetime, start: datetime | None = None) -> list[Any]:
        from steward.disclosure.cases import applies_from
        from steward.disclosure.clocks import clocks

        if start is None:
            start = applies_from(self.profile(stored.organisation))
        return clocks(stored.kind, list(stored.events), now, applies_from=start)

    def list_visible(
        self, *, now: datetime, states: list[str] | None = None, kind: Any = None
    ) -> list[Any]:
        out: list[Any] = []
        offset = 0
        while True:
            params: dict[str, Any] = {"include_events": "true", "limit": 500, "offset": offset}
            if states:
                params["state"] = states
            if kind is not None:
                params["kind"] = kind.value
            page = self.client.json("GET", "/cases", params=params)
            out.extend(self._stored(row) for row in page["items"])
            offset += 500
            if offset >= page["total"]:
                return out

    def due(self, *, now: datetime, within: timedelta | None = None) -> list[Any]:
        from steward.disclosure.cases import DueItem, applies_from
        from steward.disclosure.clocks import ClockStatus, clocks

        items = []
        starts: dict[str, datetime] = {}
        for stored in self.list_visible(now=now):
            if stored.organisation not in starts:
                starts[stored.organisation] = applies_from(self.profile(stored.organisation))
            start = starts[stored.organisation]
            for clock in clocks(stored.kind, list(stored.events), now, applies_from=start):
                if clock.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
                    continue
                if within is not None and clock.due_at is not None and clock.due_at > now + within:
                    continue
                items.append(DueItem(stored, clock))
        items.sort(key=lambda i: (i.clock.status is not ClockStatus.OVERDUE, i.clock.due_at))
        return items

    def profile_for_case(self, case_id: str, *, now: datetime) -> Any:
        return self.profile(str(self.get(case_id, now=now).organisation))

    def profile(self, organisation: str | None = None) -> Any:
        """An organisation's profile (members may read it)."""
        from steward.disclosure.model import Manufacturer

        if organisation is None or organisation == "default":
            raise UsageError("with --server, a profile belongs to an organisation: name it")
        if organisation not in self._profiles:
            found = self.client.json("GET", f"/organisations/{quote(organisation)}/profile")
            self._profiles[organisation] = (
                None if found["profile"] is None else Manufacturer(**found["profile"])
            )
        return self._profiles[organisation]

    def profile_record(self, organisation: str | None = None) -> Any:
        """:meth:`profile` as the store's dataclass (what ``steward case profile show`` prints)."""
        from steward.store.records import OrganisationProfile

        found = self.profile(organisation)
        return None if found is None else OrganisationProfile(**found.model_dump())

    def set_profile(self, profile: Any, organisation: str | None = None, **_: Any) -> None:
        raise UsageError(
            "with --server, organisation admins set the profile through the API: "
            "PUT /api/v1/organisations/ORG/profile"
        )
