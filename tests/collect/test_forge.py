"""Forge facts from recorded GitHub/GitLab REST responses (httpx.MockTransport, no network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from steward.collect.forge import collect_forge
from steward.collect.forgeurl import github_repository, parse_forge_url
from steward.errors import UsageError

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "repos" / "forge"
Override = dict[str, tuple[int, object]]


def recorded(
    forge: str, overrides: Override | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """Serve tests/data/repos/forge/<forge>/<path with / as __>.json; 404 otherwise."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host in ("api.github.com", "gitlab.com")
        path = request.url.raw_path.decode().split("?")[0]
        seen.append(path)
        if overrides and path in overrides:
            status, body = overrides[path]
            return httpx.Response(status, json=body)
        name = path.removeprefix("/api/v4").strip("/").replace("/", "__") + ".json"
        file = FIXTURES / forge / name
        if not file.exists():
            return httpx.Response(404, json={"message": "Not Found"})
        return httpx.Response(200, json=json.loads(file.read_text()))

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


def test_parse_forge_url() -> None:
    assert parse_forge_url("https://github.com/acme/widget.git") == ("github", "acme/widget")
    assert parse_forge_url("git@github.com:acme/widget.git") == ("github", "acme/widget")
    assert parse_forge_url("https://gitlab.com/group/sub/tool") == ("gitlab", "group/sub/tool")
    with pytest.raises(UsageError):
        parse_forge_url("https://example.org/x/y")


def test_github_recorded_responses() -> None:
    handler = recorded("github")
    data = collect_forge(
        "https://github.com/acme/widget", token="t", transport=httpx.MockTransport(handler)
    )
    assert data.forge == "github" and data.default_branch == "main"
    assert data.private is False and data.owner_is_org is True
    assert data.force_push_blocked is True and data.deletion_blocked is True
    assert data.required_approvals == 2
    assert data.required_status_checks == ("ci/test", "ci/lint")
    assert data.pvr_enabled is True
    assert data.releases is not None and [r.tag for r in data.releases] == ["v1.2.0", "v1.1.0"]
    assert "widget-1.2.0.tar.gz.sigstore.json" in {a.name for a in data.releases[0].assets}
    assert data.advisories is not None and "GHSA-abcd-1234-efgh" in data.advisories[0].detail
    assert data.mfa_required is True and data.default_permission == "read"
    # PR 7 approved by someone else, PR 6 only self-approved, PR 5 not merged
    assert (data.reviewed_changes, data.total_changes) == (1, 2)
    assert data.notes == ()


def test_github_without_admin_rights_uses_rulesets_and_keeps_unknowns() -> None:
    base = "/repos/acme/widget"
    overrides: Override = {
        f"{base}/branches/main/protection": (401, {"message": "Requires authentication"}),
        f"{base}/rules/branches/main": (200, [
            {"type": "pull_request", "ruleset_source_type": "Repository",
             "ruleset_source": "acme/widget", "ruleset_id": 42,
             "parameters": {"required_approving_review_count": 1,
                            "dismiss_stale_reviews_on_push": True,
                            "require_code_owner_review": False,
                            "require_last_push_approval": False,
                            "required_review_thread_resolution": False}},
            {"type": "deletion", "ruleset_source_type": "Repository",
             "ruleset_source": "acme/widget", "ruleset_id": 42},
        ]),
        "/orgs/acme": (200, {"login": "acme", "id": 1, "type": "Organization"}),
        f"{base}/private-vulnerability-reporting": (403, {"message": "Must have admin rights"}),
    }  # fmt: skip
    data = collect_forge(
        "https://github.com/acme/widget",
        token="",
        transport=httpx.MockTransport(recorded("github", overrides)),
    )
    assert data.required_approvals == 1
    assert data.deletion_blocked is True
    assert data.force_push_blocked is None  # not provable from rulesets alone
    assert data.required_status_checks is None
    assert data.pvr_enabled is None
    assert data.mfa_required is None and data.default_permission is None
    assert any("HTTP 401" in n for n in data.notes)


def test_github_branch_not_protected() -> None:
    overrides: Override = {
        "/repos/acme/widget/branches/main/protection": (404, {"message": "Branch not protected"}),
    }
    data = collect_forge(
        "https://github.com/acme/widget",
        token="t",
        transport=httpx.MockTransport(recorded("github", overrides)),
    )
    assert data.force_push_blocked is False and data.deletion_blocked is False
    assert data.required_approvals == 0 and data.required_status_checks == ()


def test_github_network_failure_gives_unknowns_not_errors() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    data = collect_forge(
        "https://github.com/acme/widget", token="t", transport=httpx.MockTransport(boom)
    )
    assert data.default_branch is None and data.force_push_blocked is None and data.releases is None
    assert not data.reachable and "forge API unreachable; forge facts skipped" in data.notes


def test_unreachable_forge_is_said_not_blamed_on_the_token(tmp_path: Path) -> None:
    from steward.collect import collect_facts
    from steward.evaluate.probes import run_probe

    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("name resolution failed", request=request)

    for forge in ("github", "gitlab"):
        url = (
            "https://github.com/acme/widget"
            if forge == "github"
            else ("https://gitlab.com/group/tool")
        )
        data = collect_forge(url, token="t", transport=httpx.MockTransport(boom))
        facts = collect_facts(tmp_path, forge=data)
        assert [p.message for p in facts.problems_in("forge")] == [
            "forge API unreachable; forge facts skipped"
        ]
        for probe in (
            "branch_protection_enabled",
            "code_review_required",
            "mfa_required",
            "private_vulnerability_reporting_enabled",
            "release_artifacts_signed",
        ):
            outcome = run_probe(probe, facts)
            assert outcome.status == "unknown"
            assert outcome.message == "forge API unreachable; forge facts skipped", probe
    # a readable forge that hides a setting still names the token
    forbidden = collect_forge(
        "https://github.com/acme/widget",
        token="t",
        transport=httpx.MockTransport(
            recorded(
                "github",
                {
                    "/repos/acme/widget/branches/main/protection": (403, {"message": "Forbidden"}),
                    "/repos/acme/widget/rules/branches/main": (403, {"message": "Forbidden"}),
                },
            )
        ),
    )
    outcome = run_probe("branch_protection_enabled", collect_facts(tmp_path, forge=forbidden))
    assert outcome.status == "unknown" and "token" in outcome.message


def test_gitlab_recorded_responses() -> None:
    handler = recorded("gitlab")
    data = collect_forge(
        "https://gitlab.com/group/tool", token="t", transport=httpx.MockTransport(handler)
    )
    assert data.forge == "gitlab" and data.private is False
    assert data.force_push_blocked is True and data.deletion_blocked is True
    assert data.required_approvals == 0
    assert data.required_status_checks == ("pipeline",)
    assert data.pvr_enabled is True
    assert data.releases is not None and data.releases[0].tag == "v2.0.0"
    assert data.mfa_required is False
    assert (data.reviewed_changes, data.total_changes) == (1, 1)
    assert "/api/v4/projects/group%2Ftool" in handler.seen  # type: ignore[attr-defined]


def test_forge_urls_are_parsed_in_any_host_case_and_from_the_api() -> None:
    assert parse_forge_url("https://GitHub.com/Acme/Widget") == ("github", "Acme/Widget")
    assert parse_forge_url("https://api.github.com/repos/acme/widget") == ("github", "acme/widget")
    assert github_repository("ssh://git@github.com/acme/widget.git") == "acme/widget"
    assert github_repository("https://gitlab.com/acme/widget") is None
