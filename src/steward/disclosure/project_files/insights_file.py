"""A security-insights.yml skeleton (OpenSSF Security Insights 2.0) from a project's answers.

Only what the answers establish is written; the file validates against
:class:`steward.insights.SecurityInsights`, and the project completes the rest (tools,
release attestations, documentation links) by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from steward.disclosure.project_files.answers import SecurityAnswers
from steward.errors import InputError
from steward.insights import SecurityInsights

SCHEMA_VERSION = "2.0.0"


def build_insights(answers: SecurityAnswers, *, now: datetime) -> dict[str, Any]:
    """The document as a mapping with the specification's kebab-case keys."""
    if not answers.administrators:
        raise InputError(
            "security-insights.yml needs at least one administrator (--admin 'Name <e-mail>')"
        )
    today = now.date().isoformat()
    admins = [
        {
            k: v
            for k, v in {
                "name": p.name,
                "primary": i == 0,
                "email": p.email,
                "affiliation": p.affiliation,
            }.items()
            if v is not None
        }
        for i, p in enumerate(answers.administrators)
    ]
    reporting: dict[str, Any] = {
        "reports-accepted": True,
        "bug-bounty-available": answers.bug_bounty_url is not None,
        "contact": {
            "name": f"{answers.project_name} security team",
            "primary": True,
            "email": answers.contacts[0],
        },
    }
    if answers.bug_bounty_url:
        reporting["bug-bounty-program"] = answers.bug_bounty_url
    if answers.policy_url:
        reporting["security-policy"] = answers.policy_url
    if answers.pgp_key_url:
        reporting["pgp-key"] = answers.pgp_key_url
    if answers.private_reporting_url:
        reporting["comment"] = f"Private reports also via {answers.private_reporting_url}"
    project: dict[str, Any] = {"name": answers.project_name}
    if answers.homepage:
        project["homepage"] = answers.homepage
    project["administrators"] = admins
    project["repositories"] = [
        {
            "name": answers.project_name,
            "url": answers.repository_url,
            "comment": "The repository this file is published in.",
        }
    ]
    project["vulnerability-reporting"] = reporting
    repository: dict[str, Any] = {
        "url": answers.repository_url,
        "status": "active",
        "accepts-change-request": True,
        "accepts-automated-change-request": True,
        "core-team": [dict(a) for a in admins],  # copies: no YAML anchors
        "license": {
            "url": answers.license_url or answers.repository_url,
            "expression": answers.license,
        },
        "security": {
            "assessments": {"self": {"comment": "Self assessment has not yet been completed."}}
        },
    }
    if answers.policy_url:
        repository["documentation"] = {"security-policy": answers.policy_url}
    document = {
        "header": {
            "schema-version": SCHEMA_VERSION,
            "last-updated": today,
            "last-reviewed": today,
            "url": answers.repository_url,
        },
        "project": project,
        "repository": repository,
    }
    SecurityInsights.model_validate(yaml.safe_load(yaml.safe_dump(document)))
    return document


def render_insights(answers: SecurityAnswers, *, now: datetime) -> str:
    header = (
        "# OpenSSF Security Insights 2.0 — https://github.com/ossf/security-insights-spec\n"
        "# Written by `steward init security`; complete the tools, release and documentation\n"
        "# sections as the project's practice establishes them.\n"
    )
    body = yaml.safe_dump(build_insights(answers, now=now), sort_keys=False, allow_unicode=True)
    return header + body
