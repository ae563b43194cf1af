"""Repository URLs of the forges Steward reads (GitHub, GitLab), parsed without the HTTP
client, so that the probes can name a repository without importing ``httpx``.

Accepted forms: ``https://github.com/OWNER/REPO(.git)``, ``git@github.com:OWNER/REPO.git``,
``ssh://git@github.com/OWNER/REPO``, GitHub's REST API URL of a repository
(``https://api.github.com/repos/OWNER/REPO``, as ``ForgeData.url`` holds it), and the same
for ``gitlab.com`` with nested groups. Host names are matched in any case (RFC 3986,
section 3.2.2: the host is case-insensitive).
"""

from __future__ import annotations

import re

from steward.errors import UsageError

_GITHUB_URL = re.compile(
    r"^(?:https://api\.github\.com/repos/|(?:https?://|git@|ssh://git@)(?:www\.)?github\.com[/:])"
    r"([^/\s]+)/([^/\s]+?)(?:\.git)?/?$",
    re.I,
)
_GITLAB_URL = re.compile(
    r"^(?:https?://|git@|ssh://git@)(?:www\.)?gitlab\.com[/:](\S+?)(?:\.git)?/?$", re.I
)


def github_repository(url: str) -> str | None:
    """``owner/repo`` as written in a GitHub repository URL; None for any other URL."""
    m = _GITHUB_URL.match(url.strip())
    return f"{m.group(1)}/{m.group(2)}" if m is not None else None


def parse_forge_url(url: str) -> tuple[str, str]:
    """("github", "owner/repo") or ("gitlab", "group/sub/project") for a repository URL.

    Raises UsageError for a URL of neither forge."""
    url = url.strip()
    slug = github_repository(url)
    if slug is not None:
        return "github", slug
    m = _GITLAB_URL.match(url)
    if m:
        return "gitlab", m.group(1)
    raise UsageError(f"not a GitHub or GitLab repository URL: {url!r}", source="forge")
