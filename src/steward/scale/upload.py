"""Rows to the portfolio service (``steward serve``): each assessment to its project there.

``--upload https://HOST/api/v1/organisations/ORG`` (token in ``STEWARD_TOKEN``, sent only over
https or to a loopback address, as for ``steward assess --upload``). Before any work, the
organisation's projects are listed (``GET /api/v1/projects?organisation=ORG``; none visible,
or none with a ``repository_url``, is a usage error); a repository
belongs to the project whose ``repository_url`` names it (compared in normal form:
``git@github.com:o/r.git`` and ``https://github.com/o/r`` are the same repository; for a
local checkout, its public ``origin`` remote). Each freshly ``assessed`` row's document is
then posted to ``POST /api/v1/projects/{id}/assessments`` as it completes; ``cached`` rows
are not sent again (the service already has that revision's assessment).

The result is recorded in the row, so this sink must come before the JSON Lines sink:
``upload: {"project": "ORG/SLUG", "id": N}``, or ``{"error": "..."}`` (no project with that
repository, or what the server answered). A failed upload never stops the run.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from steward.errors import StewardError, UsageError
from steward.scale.targets import url_key

_ORG_URL = re.compile(r"^(.*?)/api/v1/organisations/([a-z0-9][a-z0-9._-]*)/?$")
PAGE = 500


def parse_upload_url(url: str) -> tuple[str, str]:
    """(server base URL, organisation) of an ``--upload`` URL; :class:`UsageError` if bad."""
    match = _ORG_URL.match(url.strip())
    if match is None:
        raise UsageError(
            f"expected https://HOST/api/v1/organisations/ORGANISATION, not {url}",
            source="--upload",
        )
    return match[1], match[2]


def repository_key(url: str) -> str:
    """The normal form repositories are matched in: forge URLs in their https form, and
    lower-cased on the forges whose owner and repository names ignore case."""
    from steward.scale.upstream import KNOWN_FORGES, repository_url

    forge = repository_url(url)
    key = url_key(forge or url)
    host = key.split("://", 1)[-1].split("/", 1)[0]
    return key.lower() if forge and host in KNOWN_FORGES else key


class ServiceSink:
    """Uploads assessed rows to the organisation's projects (see the module docstring)."""

    def __init__(self, url: str, *, client: Any = None) -> None:
        base, self.organisation = parse_upload_url(url)
        if client is None:
            from steward.service.client import ServiceClient

            client = ServiceClient(base)
        self.client = client
        self.projects: dict[str, tuple[int, str]] = {}
        offset = total = 0
        while True:
            page = self.client.json(
                "GET",
                "/projects",
                params={"organisation": self.organisation, "limit": PAGE, "offset": offset},
            )
            for item in page["items"]:
                if item.get("repository_url"):
                    key = repository_key(str(item["repository_url"]))
                    self.projects.setdefault(key, (int(item["id"]), str(item["slug"])))
            offset += PAGE
            total = int(page["total"])
            if offset >= total:
                break
        if not self.projects:
            self.client.close()
            problem = (
                f"none of the {total} projects of {self.organisation} has a repository_url"
                if total
                else f"no project of {self.organisation} is visible with this token"
            )
            raise UsageError(problem, source="--upload")
        self.sent = 0
        self.failed = 0
        self.unmatched = 0

    def _project(self, row: dict[str, Any]) -> tuple[int, str] | None:
        candidates = [str(row.get("location") or ""), str(row.get("target") or "")]
        public = (row.get("assessment") or {}).get("repository")
        if public:
            candidates.append(str(public))
        for candidate in candidates:
            if candidate and (found := self.projects.get(repository_key(candidate))):
                return found
        return None

    def write(self, row: dict[str, Any]) -> None:
        if row.get("status") != "assessed" or not isinstance(row.get("assessment"), dict):
            return
        project = self._project(row)
        if project is None:
            self.unmatched += 1
            row["upload"] = {
                "error": f"no project of {self.organisation} has this repository "
                "(set its repository_url)"
            }
            return
        project_id, slug = project
        name = f"steward assess-many: {row.get('name')}"
        try:
            answer = self.client.upload(
                project_id, "assessments", orjson.dumps(row["assessment"]), name
            )
        except StewardError as exc:
            self.failed += 1
            row["upload"] = {"project": f"{self.organisation}/{slug}", "error": str(exc)}
            return
        self.sent += 1
        row["upload"] = {"project": f"{self.organisation}/{slug}", "id": answer.get("id")}

    def close(self, complete: bool) -> None:
        self.client.close()

    def report(self) -> str:
        """One line for the end of the run."""
        return (
            f"uploaded {self.sent} assessments to {self.organisation}"
            + (f"; {self.unmatched} repositories have no project there" if self.unmatched else "")
            + (f"; {self.failed} uploads failed (see the rows)" if self.failed else "")
        )
