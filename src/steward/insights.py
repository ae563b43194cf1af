"""OpenSSF Security Insights 2.x (``security-insights.yml``) as pydantic models.

Field names follow the specification's CUE schema (ossf/security-insights, ``spec/schema.cue``
at tag v2.2.0 of 2026-01-31; v2.1.0 and v2.0.0 before it); the YAML keys are kebab-case,
exposed here through aliases. Required fields are required, types and formats (URLs, e-mail
addresses, dates, enumerations) are checked, and unknown keys are refused, as the schema's
closed definitions do. One model covers 2.0 to 2.2; the differences between the versions are
checked against ``header.schema-version`` (:data:`SUPPORTED`):

- 2.2.0 renamed ``project.vulnerability-reporting.security-policy`` to ``policy`` and added
  ``project.documentation.design``;
- 2.1.0 added ``project.documentation.support-policy`` and requires at least one entry in
  ``project.administrators``, ``project.repositories``, ``repository.core-team`` and
  ``repository.release.distribution-points`` (2.0.0 allowed empty lists).

So ``SecurityInsights.model_validate`` is a validator for the files Steward writes and a strict
reader for the files it assesses; :func:`answers` lists what a valid file states about the
catalog's requirements. We write our own models rather than run CUE because CUE is a Go tool.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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
    security_policy: Url | None = Field(default=None, alias="security-policy")  # 2.0, 2.1
    policy: Url | None = None  # 2.2.0: the renamed security-policy
    pgp_key: str | None = Field(default=None, alias="pgp-key")
    in_scope: list[str] | None = Field(default=None, alias="in-scope")
    out_of_scope: list[str] | None = Field(default=None, alias="out-of-scope")


class ProjectDocumentation(_Model):
    design: Url | None = None  # 2.2.0
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
    administrators: list[Contact]  # at least one from 2.1.0
    repositories: list[ProjectRepository]  # at least one from 2.1.0
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
    distribution_points: list[Link] = Field(alias="distribution-points")  # >= 1 from 2.1
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
    core_team: list[Contact] = Field(alias="core-team")  # at least one from 2.1.0
    license: License
    security: RepositorySecurity
    documentation: RepositoryDocumentation | None = None
    release: Release | None = None


SUPPORTED = ("2.0", "2.1", "2.2")  # schema versions read, by major.minor
LATEST = "2.2.0"


def _version_problems(doc: SecurityInsights) -> list[str]:
    """What ``doc`` uses that its declared schema version does not have (path: problem)."""
    version = doc.header.schema_version
    minor = ".".join(version.split(".")[:2])
    if minor not in SUPPORTED:
        return [
            f"header.schema-version: {version} is not supported (Steward reads "
            f"{', '.join(SUPPORTED)})"
        ]
    problems = []
    project, repository = doc.project, doc.repository
    reporting = project.vulnerability_reporting if project else None
    if reporting is not None and minor == "2.2" and reporting.security_policy is not None:
        problems.append(
            "project.vulnerability-reporting.security-policy: renamed to 'policy' in 2.2.0"
        )
    if reporting is not None and minor != "2.2" and reporting.policy is not None:
        problems.append(
            f"project.vulnerability-reporting.policy: new in 2.2.0 (this file declares "
            f"{version}; use 'security-policy')"
        )
    docs = project.documentation if project else None
    if docs is not None and docs.design is not None and minor != "2.2":
        problems.append(f"project.documentation.design: new in 2.2.0 (file declares {version})")
    if minor != "2.0":
        lists = {
            "project.administrators": project.administrators if project else None,
            "project.repositories": project.repositories if project else None,
            "repository.core-team": repository.core_team if repository else None,
            "repository.release.distribution-points": (
                repository.release.distribution_points
                if repository and repository.release
                else None
            ),
        }
        problems += [
            f"{path}: at least one entry is required" for path, v in lists.items() if v == []
        ]
    return problems


class SecurityInsights(_Model):
    """A whole security-insights.yml document (schema 2.0 to 2.2).

    Errors (pydantic ValidationError): schema violations, and fields the declared
    ``header.schema-version`` does not have (a 2.2 field in a 2.1 file and vice versa)."""

    header: Header
    project: Project | None = None
    repository: Repository | None = None

    @model_validator(mode="after")
    def _matches_declared_version(self) -> SecurityInsights:
        problems = _version_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def reporting_policy(self) -> str | None:
        """The vulnerability reporting policy URL, whatever the schema version calls it."""
        reporting = self.project.vulnerability_reporting if self.project else None
        if reporting is None:
            return None
        return reporting.policy or reporting.security_policy


@dataclass(frozen=True, slots=True)
class Answer:
    """What a valid security-insights.yml states about one catalog requirement.

    ``key``: the dotted path of the statement in the file (the evidence); ``status``: ``met``
    or ``not-met``, as in ``steward.yml`` attestations."""

    requirement_id: str
    status: str
    evidence: str
    key: str


_PGP_KEY = re.compile(r"BEGIN PGP PUBLIC KEY BLOCK|^https?://|^[0-9A-Fa-f ]{16,}$")


def answers(doc: SecurityInsights) -> list[Answer]:
    """The requirements a *valid* file answers by what it states (only the statements the
    schema makes explicit; a probe that fails is never overridden by them).

    - STW-GOV-08 (OSPS-QA-04.01): ``project.repositories`` lists the project's codebases;
    - STW-GOV-01 (OSPS-GV-01.01): ``repository.core-team`` / ``project.administrators``;
    - STW-QA-10: ``repository.security.assessments.self.evidence``;
    - STW-REL-09, STW-REL-08 (OSPS-BR-03): ``repository.release.distribution-points`` and
      whether every official channel uses HTTPS;
    - STW-VUL-16 (ORC VRP-11): an e-mail contact in ``project.vulnerability-reporting``;
    - STW-VUL-17 (ORC VRP-12): ``project.vulnerability-reporting.pgp-key``.
    """
    out: list[Answer] = []
    project, repository = doc.project, doc.repository
    if project is not None and project.repositories:
        listed = ", ".join(f"{r.name} <{r.url}>" for r in project.repositories)
        out.append(
            Answer(
                "STW-GOV-08",
                "met",
                f"{len(project.repositories)} codebase(s) listed: {listed}",
                "project.repositories",
            )
        )
    team = [
        *(repository.core_team if repository else []),
        *(project.administrators if project else []),
    ]
    if team:
        names = ", ".join(dict.fromkeys(c.name for c in team))
        key = (
            "repository.core-team"
            if repository and repository.core_team
            else "project.administrators"
        )
        out.append(Answer("STW-GOV-01", "met", f"core team and administrators: {names}", key))
    if repository is not None:
        evidence = repository.security.assessments.self_.evidence
        if evidence:
            out.append(
                Answer(
                    "STW-QA-10",
                    "met",
                    f"self-assessment: {evidence}",
                    "repository.security.assessments.self.evidence",
                )
            )
        points = repository.release.distribution_points if repository.release else []
        if points:
            uris = [p.uri for p in points]
            key = "repository.release.distribution-points"
            out.append(Answer("STW-REL-09", "met", f"distribution points: {', '.join(uris)}", key))
            channels = [
                *uris,
                repository.url,
                *([project.homepage] if project and project.homepage else []),
            ]
            insecure = [c for c in channels if c.startswith("http://")]
            out.append(
                Answer(
                    "STW-REL-08",
                    "not-met" if insecure else "met",
                    f"channels not using HTTPS: {', '.join(insecure)}"
                    if insecure
                    else f"official channels use HTTPS: {', '.join(channels)}",
                    key,
                )
            )
    reporting = project.vulnerability_reporting if project else None
    if reporting is not None and reporting.reports_accepted:
        if reporting.contact is not None and reporting.contact.email:
            out.append(
                Answer(
                    "STW-VUL-16",
                    "met",
                    f"reports by e-mail, no account needed: {reporting.contact.email}",
                    "project.vulnerability-reporting.contact.email",
                )
            )
        if reporting.pgp_key and _PGP_KEY.search(reporting.pgp_key.strip()):
            out.append(
                Answer(
                    "STW-VUL-17",
                    "met",
                    f"OpenPGP key for reports: {reporting.pgp_key.strip()[:80]}",
                    "project.vulnerability-reporting.pgp-key",
                )
            )
    return out
