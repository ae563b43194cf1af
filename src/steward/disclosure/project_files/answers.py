"""A project's answers about its security process: the input of ``steward init security``.

Given interactively, by command-line options, or in a YAML file (``--answers``); validated
here once, so the SECURITY.md, security.txt and security-insights.yml writers can trust them.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from steward.errors import InputError

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_HTTPS = re.compile(r"^https://\S+$")


def _https(value: str | None) -> str | None:
    if value is not None and not _HTTPS.match(value):
        raise ValueError(f"{value!r} must be an https:// URL")
    return value


class SupportedVersion(BaseModel):
    """One row of the supported-versions table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    versions: str  # e.g. "2.3.x", ">= 2.0", "< 2.0"
    supported: bool
    until: str | None = None  # end of security support, e.g. "2027-12-31"


class ResponseTimes(BaseModel):
    """Target times, in days, for handling a report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    acknowledge: int = Field(default=3, ge=1, le=90)
    triage: int = Field(default=10, ge=1, le=180)
    fix_critical: int = Field(default=7, ge=1, le=365)
    fix_high: int = Field(default=30, ge=1, le=365)
    fix_medium: int = Field(default=90, ge=1, le=730)
    fix_low: int = Field(default=180, ge=1, le=730)


class Person(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    email: str | None = None
    affiliation: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value


class SecurityAnswers(BaseModel):
    """Everything ``steward init security`` needs to write the three files."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project_name: str = Field(min_length=1)
    repository_url: str
    homepage: str | None = None
    license: str = "NOASSERTION"  # SPDX expression of the repository's licence
    license_url: str | None = None
    contacts: tuple[str, ...] = Field(min_length=1)  # e-mail addresses
    private_reporting_url: str | None = None
    pgp_key_url: str | None = None
    policy_url: str | None = None  # where SECURITY.md is published
    canonical_url: str | None = None  # where security.txt is published
    acknowledgments_url: str | None = None
    csaf_provider_url: str | None = None  # provider-metadata.json, if the project publishes CSAF
    languages: tuple[str, ...] = ("en",)
    supported_versions: tuple[SupportedVersion, ...] = ()
    response: ResponseTimes = ResponseTimes()
    embargo_days: int = Field(default=90, ge=0, le=365)
    credit_reporters: bool = True
    cve_route: str | None = None  # e.g. "GitHub Security Advisories (GitHub is our CNA)"
    bug_bounty_url: str | None = None
    administrators: tuple[Person, ...] = ()
    expires_days: int = Field(default=360, ge=1, le=730)  # RFC 9116: less than a year

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for contact in value:
            if not _EMAIL.match(contact):
                raise ValueError(f"{contact!r} is not an e-mail address")
        return value

    @field_validator(
        "repository_url",
        "homepage",
        "license_url",
        "private_reporting_url",
        "pgp_key_url",
        "policy_url",
        "canonical_url",
        "acknowledgments_url",
        "csaf_provider_url",
        "bug_bounty_url",
    )
    @classmethod
    def _urls(cls, value: str | None) -> str | None:
        return _https(value)


def parse_answers(data: Any, *, source: str) -> SecurityAnswers:
    """Validate answers (from a YAML mapping or options); one clear line on the first problem."""
    if not isinstance(data, dict):
        raise InputError("answers must be a mapping of field: value", source=source)
    try:
        return SecurityAnswers.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answers"
        raise InputError(f"{where}: {first['msg']}", source=source) from None
