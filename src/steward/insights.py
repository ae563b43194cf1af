"""OpenSSF Security Insights 2.0 (``security-insights.yml``) as pydantic models.

Field names follow the specification's schema (ossf/security-insights-spec, schema 2.0.0);
the YAML keys are kebab-case, exposed here through aliases. Required fields are required,
types and formats (URLs, e-mail addresses, dates, enumerations) are checked, and unknown keys
are refused, so ``SecurityInsights.model_validate`` is a validator for the files Steward
writes and a strict reader for the files it assesses.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
Email = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Contact(_Model):
    name: str
    primary: bool
    affiliation: str | None = None
    email: Email | None = None
    social: str | None = None


class License(_Model):
    url: Url
    expression: str


class Link(_Model):
    uri: str
    comment: str


class Assessment(_Model):
    comment: str
    name: str | None = None
    evidence: Url | None = None
    date: dt.date | None = None


class Attestation(_Model):
    name: str
    location: Url
    predicate_uri: str = Field(alias="predicate-uri")
    comment: str | None = None


class Header(_Model):
    last_reviewed: dt.date = Field(alias="last-reviewed")
    last_updated: dt.date = Field(alias="last-updated")
    schema_version: Annotated[str, StringConstraints(pattern=r"^[1-9]+\.[0-9]+\.[0-9]+$")] = Field(
        alias="schema-version"
    )
    url: Url
    comment: str | None = None
    project_si_source: Url | None = Field(default=None, alias="project-si-source")


class ProjectRepository(_Model):
    name: str
    comment: str
    url: Url


class VulnerabilityReporting(_Model):
    reports_accepted: bool = Field(alias="reports-accepted")
    bug_bounty_available: bool = Field(alias="bug-bounty-available")
    bug_bounty_program: Url | None = Field(default=None, alias="bug-bounty-program")
    contact: Contact | None = None
    comment: str | None = None
    security_policy: Url | None = Field(default=None, alias="security-policy")
    pgp_key: str | None = Field(default=None, alias="pgp-key")
    in_scope: list[str] | None = Field(default=None, alias="in-scope")
    out_of_scope: list[str] | None = Field(default=None, alias="out-of-scope")


class ProjectDocumentation(_Model):
    detailed_guide: Url | None = Field(default=None, alias="detailed-guide")
    code_of_conduct: Url | None = Field(default=None, alias="code-of-conduct")
    quickstart_guide: Url | None = Field(default=None, alias="quickstart-guide")
    release_process: Url | None = Field(default=None, alias="release-process")
    support_policy: Url | None = Field(default=None, alias="support-policy")
    signature_verification: Url | None = Field(default=None, alias="signature-verification")


class Project(_Model):
    name: str
    homepage: Url | None = None
    roadmap: Url | None = None
    funding: Url | None = None
    steward: Link | None = None
    administrators: list[Contact] = Field(min_length=1)
    repositories: list[ProjectRepository] = Field(min_length=1)
    vulnerability_reporting: VulnerabilityReporting = Field(alias="vulnerability-reporting")
    documentation: ProjectDocumentation | None = None


class ToolIntegration(_Model):
    adhoc: bool
    ci: bool
    release: bool


class ToolResults(_Model):
    adhoc: Attestation | None = None
    ci: Attestation | None = None
    release: Attestation | None = None


class Tool(_Model):
    name: str
    type: Literal["fuzzing", "container", "secret", "SCA", "SAST", "other"]
    version: str | None = None
    comment: str | None = None
    rulesets: list[str]
    integration: ToolIntegration
    results: ToolResults


class Assessments(_Model):
    self_: Assessment = Field(alias="self")
    third_party: list[Assessment] | None = Field(default=None, alias="third-party")


class RepositorySecurity(_Model):
    assessments: Assessments
    champions: list[Contact] | None = None
    tools: list[Tool] | None = None


class RepositoryDocumentation(_Model):
    contributing_guide: Url | None = Field(default=None, alias="contributing-guide")
    dependency_management_policy: Url | None = Field(
        default=None, alias="dependency-management-policy"
    )
    governance: Url | None = None
    review_policy: Url | None = Field(default=None, alias="review-policy")
    security_policy: Url | None = Field(default=None, alias="security-policy")


class Release(_Model):
    automated_pipeline: bool = Field(alias="automated-pipeline")
    distribution_points: list[Link] = Field(alias="distribution-points", min_length=1)
    changelog: Url | None = None
    license: License | None = None
    attestations: list[Attestation] | None = None


class Repository(_Model):
    status: Literal[
        "active", "abandoned", "concept", "inactive", "moved", "suspended", "unsupported", "WIP"
    ]
    url: Url
    accepts_change_request: bool = Field(alias="accepts-change-request")
    accepts_automated_change_request: bool = Field(alias="accepts-automated-change-request")
    bug_fixes_only: bool | None = Field(default=None, alias="bug-fixes-only")
    no_third_party_packages: bool | None = Field(default=None, alias="no-third-party-packages")
    core_team: list[Contact] = Field(alias="core-team", min_length=1)
    license: License
    security: RepositorySecurity
    documentation: RepositoryDocumentation | None = None
    release: Release | None = None


class SecurityInsights(_Model):
    """A whole security-insights.yml document (schema 2.x)."""

    header: Header
    project: Project | None = None
    repository: Repository | None = None
