"""Forge settings and history from the GitHub and GitLab REST APIs (httpx).

``collect_forge(url)`` reads what a project's forge knows and the tree does not: branch
protection and rulesets, required reviews and status checks, private vulnerability
reporting, releases and their assets, published security advisories, the organisation's 2FA
requirement and default permission, and whether recent merged changes were approved.

A token (``GITHUB_TOKEN`` / ``GITLAB_TOKEN``) is optional: without one, or without admin
rights, some endpoints answer 401/403/404 and the field stays ``None`` — "unknown", which the
probes report as needing attestation, never as a pass. Nothing here raises on an HTTP or
network failure; the failure becomes a note. Tests pass an ``httpx.MockTransport`` replaying
recorded responses; nothing in the test suite touches the network.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import httpx

from steward.collect.facts import (
    FORGE_UNREACHABLE,
    Finding,
    ForgeData,
    ForgeRelease,
    ReleaseAsset,
    Source,
)
from steward.collect.forgeurl import parse_forge_url

GITHUB_API = "https://api.github.com"
GITLAB_API = "https://gitlab.com/api/v4"
MAX_REVIEW_SAMPLE = 10
TIMEOUT = 20.0


class _Api:
    def __init__(self, client: httpx.Client, notes: list[str]) -> None:
        self.client = client
        self.notes = notes
        self.last_message: str | None = None  # the "message" of the last error response

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        """(status, JSON body) — status 0 on a network error; body None unless 200."""
        try:
            response = self.client.get(path, params=params or None)
        except httpx.HTTPError as exc:
            self.notes.append(f"GET {path}: {type(exc).__name__}: {exc}")
            return 0, None
        self.last_message = None
        if response.status_code != 200:
            try:
                body = response.json()
                self.last_message = str(body.get("message")) if isinstance(body, dict) else None
            except ValueError:
                pass
            if response.status_code not in (404,):
                self.notes.append(f"GET {path}: HTTP {response.status_code}")
            return response.status_code, None
        try:
            return 200, response.json()
        except ValueError:
            self.notes.append(f"GET {path}: response is not JSON")
            return 0, None


def collect_forge(
    url: str,
    *,
    token: str | None = None,
    transport: httpx.BaseTransport | None = None,
    api_base: str | None = None,
) -> ForgeData:
    """Read forge facts for the repository at ``url`` (token from the environment if None)."""
    forge, slug = parse_forge_url(url)
    if forge == "github":
        token = token if token is not None else os.environ.get("GITHUB_TOKEN")
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        base = api_base or GITHUB_API
    else:
        token = token if token is not None else os.environ.get("GITLAB_TOKEN")
        headers = {"Accept": "application/json"}
        if token:
            headers["PRIVATE-TOKEN"] = token
        base = api_base or GITLAB_API
    headers["User-Agent"] = "steward-cra"
    with httpx.Client(
        base_url=base, headers=headers, transport=transport, timeout=TIMEOUT, follow_redirects=True
    ) as client:
        notes: list[str] = []
        api = _Api(client, notes)
        if forge == "github":
            return _github(api, base, slug, notes)
        return _gitlab(api, base, slug, notes)


UNREACHABLE = FORGE_UNREACHABLE


def _unread(forge: str, url: str, slug: str, status: int, notes: list[str]) -> ForgeData:
    """ForgeData for a repository whose API answer was not readable at all."""
    if status == 0:  # no HTTP answer: network, DNS or TLS failure
        notes.append(UNREACHABLE)
        return ForgeData(forge=forge, url=url, notes=tuple(notes), reachable=False)
    notes.append(f"repository {slug} not readable (HTTP {status})")
    return ForgeData(forge=forge, url=url, notes=tuple(notes))


# ------------------------------------------------------------------------------ GitHub


def _github(api: _Api, base: str, slug: str, notes: list[str]) -> ForgeData:
    repo_url = f"{base}/repos/{slug}"
    status, repo = api.get(f"/repos/{slug}")
    if repo is None:
        return _unread("github", repo_url, slug, status, notes)
    branch = str(repo.get("default_branch") or "main")
    owner = repo.get("owner") or {}
    is_org = owner.get("type") == "Organization"
    fields: dict[str, Any] = {
        "default_branch": branch,
        "private": bool(repo.get("private")),
        "archived": bool(repo.get("archived")),
        "owner_is_org": is_org,
    }
    # classic branch protection (readable with admin rights) and rulesets (readable by all)
    status, prot = api.get(f"/repos/{slug}/branches/{quote(branch, safe='')}/protection")
    classic_known = prot is not None or api.last_message == "Branch not protected"
    prot = prot or {}
    reviews = prot.get("required_pull_request_reviews") or {}
    rsc = prot.get("required_status_checks") or {}
    force: bool | None = bool(prot) and not (prot.get("allow_force_pushes") or {}).get("enabled")
    deletion: bool | None = bool(prot) and not (prot.get("allow_deletions") or {}).get("enabled")
    approvals: int | None = int(reviews.get("required_approving_review_count") or 0)
    checks: tuple[str, ...] | None = tuple(str(c) for c in rsc.get("contexts") or [])
    sources = [f"{repo_url}/branches/{branch}/protection"] if classic_known else []
    status, rules = api.get(f"/repos/{slug}/rules/branches/{quote(branch, safe='')}")
    rules = [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else None
    if rules is not None:
        sources.append(f"{repo_url}/rules/branches/{branch}")
        types = {r.get("type") for r in rules}
        for rule in rules:
            params = rule.get("parameters") or {}
            if rule.get("type") == "pull_request":
                count = int(params.get("required_approving_review_count") or 0)
                approvals = max(approvals or 0, count)
            if rule.get("type") == "required_status_checks":
                ctx = {str(c.get("context")) for c in params.get("required_status_checks") or []}
                checks = tuple(sorted(set(checks or ()) | ctx))
        force = force or "non_fast_forward" in types
        deletion = deletion or "deletion" in types
    if not classic_known:
        # classic protection unreadable (no admin rights): a setting the rulesets do not
        # show may still be set there, so only what the rulesets prove is known
        force = True if force else None
        deletion = True if deletion else None
        approvals = approvals if approvals else None
        checks = checks if checks else None
    fields.update(
        force_push_blocked=force,
        deletion_blocked=deletion,
        required_approvals=approvals,
        required_status_checks=checks,
        protection_source=" and ".join(sources) or None,
    )
    status, pvr = api.get(f"/repos/{slug}/private-vulnerability-reporting")
    fields["pvr_enabled"] = bool(pvr.get("enabled")) if isinstance(pvr, dict) else None
    status, releases = api.get(f"/repos/{slug}/releases", per_page=10)
    if isinstance(releases, list):
        fields["releases"] = tuple(
            ForgeRelease(
                tag=str(r.get("tag_name") or ""),
                url=str(r.get("html_url") or r.get("url") or ""),
                body=str(r.get("body") or ""),
                assets=tuple(
                    ReleaseAsset(str(a.get("name")), str(a.get("browser_download_url") or ""))
                    for a in r.get("assets") or []
                    if isinstance(a, dict)
                ),
                published_at=r.get("published_at"),
            )
            for r in releases
            if isinstance(r, dict) and not r.get("draft")
        )
    status, advisories = api.get(f"/repos/{slug}/security-advisories", state="published")
    if isinstance(advisories, list):
        fields["advisories"] = tuple(
            Finding(
                Source(url=str(a.get("html_url") or a.get("url"))),
                f"{a.get('ghsa_id')} {a.get('cve_id') or ''} {a.get('summary') or ''}".strip(),
            )
            for a in advisories
            if isinstance(a, dict)
        )
    fields.update(_owner_defaults(api, str(owner.get("login") or ""), slug))
    if is_org:
        status, org = api.get(f"/orgs/{owner.get('login')}")
        if isinstance(org, dict):
            mfa = org.get("two_factor_requirement_enabled")
            fields["mfa_required"] = mfa if isinstance(mfa, bool) else None
            perm = org.get("default_repository_permission")
            fields["default_permission"] = str(perm) if perm else None
    reviewed, total = _github_reviews(api, slug)
    fields.update(reviewed_changes=reviewed, total_changes=total)
    return ForgeData(forge="github", url=repo_url, notes=tuple(notes), **fields)


def _owner_defaults(api: _Api, owner: str, slug: str) -> dict[str, Any]:
    """The owner's default community health files: GitHub uses SECURITY.md, CONTRIBUTING.md,
    GOVERNANCE.md, issue templates... from the root, ``.github/`` or ``docs/`` of the owner's
    ``.github`` repository for every repository without its own (docs.github.com, "Creating
    a default community health file"). Three directory listings; not read on other errors."""
    if not owner or slug.lower().endswith("/.github"):
        return {}
    found: list[tuple[str, str]] = []
    for directory in ("", ".github", "docs"):
        status, body = api.get(f"/repos/{owner}/.github/contents/{directory}".rstrip("/"))
        if isinstance(body, list):
            for item in body:
                if isinstance(item, dict) and item.get("name"):
                    name = str(item["name"])
                    path = f"{directory}/{name}" if directory else name
                    found.append((path, str(item.get("html_url") or "")))
        elif status == 404 and not directory:
            break  # the owner has no .github repository
        elif status != 404:
            return {}  # not readable (rate limit, network): not known
    return {"owner_defaults": tuple(found)}


def _github_reviews(api: _Api, slug: str) -> tuple[int | None, int | None]:
    _, pulls = api.get(
        f"/repos/{slug}/pulls", state="closed", sort="updated", direction="desc", per_page=30
    )
    if not isinstance(pulls, list):
        return None, None
    merged = [p for p in pulls if isinstance(p, dict) and p.get("merged_at")][:MAX_REVIEW_SAMPLE]
    reviewed = 0
    for pull in merged:
        author = (pull.get("user") or {}).get("login")
        _, reviews = api.get(f"/repos/{slug}/pulls/{pull.get('number')}/reviews")
        if not isinstance(reviews, list):
            return None, None
        if any(
            isinstance(r, dict)
            and r.get("state") == "APPROVED"
            and (r.get("user") or {}).get("login") != author
            for r in reviews
        ):
            reviewed += 1
    return reviewed, len(merged)


# ------------------------------------------------------------------------------ GitLab


def _gitlab(api: _Api, base: str, slug: str, notes: list[str]) -> ForgeData:
    pid = quote(slug, safe="")
    repo_url = f"{base}/projects/{pid}"
    status, project = api.get(f"/projects/{pid}")
    if project is None:
        return _unread("gitlab", repo_url, slug, status, notes)
    branch = str(project.get("default_branch") or "main")
    namespace = project.get("namespace") or {}
    is_group = namespace.get("kind") == "group"
    fields: dict[str, Any] = {
        "default_branch": branch,
        "private": project.get("visibility") != "public",
        "archived": bool(project.get("archived")),
        "owner_is_org": is_group,
        # GitLab offers confidential issues wherever issues are enabled
        "pvr_enabled": bool(project.get("issues_enabled")) if "issues_enabled" in project else None,
    }
    status, prot = api.get(f"/projects/{pid}/protected_branches/{quote(branch, safe='')}")
    if isinstance(prot, dict):
        fields["force_push_blocked"] = not bool(prot.get("allow_force_push"))
        fields["deletion_blocked"] = True  # protected branches cannot be deleted from the UI/API
        fields["protection_source"] = f"{repo_url}/protected_branches/{branch}"
    elif status == 404:
        fields["force_push_blocked"] = fields["deletion_blocked"] = False
        fields["protection_source"] = f"{repo_url}/protected_branches/{branch}"
    status, approvals = api.get(f"/projects/{pid}/approvals")
    if isinstance(approvals, dict):
        fields["required_approvals"] = int(approvals.get("approvals_before_merge") or 0)
    if "only_allow_merge_if_pipeline_succeeds" in project:
        fields["required_status_checks"] = (
            ("pipeline",) if project.get("only_allow_merge_if_pipeline_succeeds") else ()
        )
    status, releases = api.get(f"/projects/{pid}/releases", per_page=10)
    if isinstance(releases, list):
        fields["releases"] = tuple(
            ForgeRelease(
                tag=str(r.get("tag_name") or ""),
                url=str(((r.get("_links") or {}).get("self")) or ""),
                body=str(r.get("description") or ""),
                assets=tuple(
                    ReleaseAsset(str(link.get("name")), str(link.get("url") or ""))
                    for link in ((r.get("assets") or {}).get("links") or [])
                    if isinstance(link, dict)
                ),
                published_at=r.get("released_at"),
            )
            for r in releases
            if isinstance(r, dict)
        )
    if is_group:
        status, group = api.get(f"/groups/{quote(str(namespace.get('full_path')), safe='')}")
        if isinstance(group, dict) and "require_two_factor_authentication" in group:
            fields["mfa_required"] = bool(group.get("require_two_factor_authentication"))
    status, mrs = api.get(
        f"/projects/{pid}/merge_requests", state="merged", per_page=MAX_REVIEW_SAMPLE
    )
    if isinstance(mrs, list):
        reviewed = 0
        for mr in mrs:
            status, appr = api.get(f"/projects/{pid}/merge_requests/{mr.get('iid')}/approvals")
            if not isinstance(appr, dict):
                reviewed = -1
                break
            author = (mr.get("author") or {}).get("id")
            if any(
                (a.get("user") or {}).get("id") != author for a in appr.get("approved_by") or []
            ):
                reviewed += 1
        if reviewed >= 0:
            fields.update(reviewed_changes=reviewed, total_changes=len(mrs))
    return ForgeData(forge="gitlab", url=repo_url, notes=tuple(notes), **fields)
