"""A project's answers about its security process: the input of ``steward init security``.

Given interactively, by command-line options, or in a YAML file (``--answers``); validated
here once, so the SECURITY.md, security.txt and security-insights.yml writers can trust them.
No answer may contain a control character or line break: security.txt is a line format, so
a newline in the project name would inject a field (a second ``Contact:``) into it, and the
same text lands in Markdown and YAML. ``Expires`` lies at most one year ahead (RFC 9116,
section 2.5.5, recommends less than a year).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from steward.errors import InputError

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_HTTPS = re.compile(r"^https://\S+$")


# C0 and C1 control characters, DEL, the Unicode line and paragraph separators, and the
# bidirectional embedding, override and isolate controls (they reorder what a reader sees:
# "Trojan Source", CVE-2021-42574)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _one_line(value: str) -> str:
    found = _CONTROL.search(value)
    if found is not None:
        raise ValueError(
            f"contains a control character or line break ({found.group()!r}); answers are "
            "single lines of text"
        )
    return value


#: A single line of text without control characters.
Line = Annotated[str, AfterValidator(_one_line)]


def _https(value: str | None) -> str | None:
    if value is not None and not _HTTPS.match(value):
        raise ValueError(f"{value!r} must be an https:// URL")
    return value


class SupportedVersion(BaseModel):
    """One row of the supported-versions table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    versions: Line  # e.g. "2.3.x", ">= 2.0", "< 2.0"
    supported: bool
    until: Line | None = None  # end of security support, e.g. "2027-12-31"


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

    name: Line
    email: Line | None = None
    affiliation: Line | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value


class SecurityAnswers(BaseModel):
    """Everything ``steward init security`` needs to write the three files."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project_name: Line = Field(min_length=1)
    repository_url: Line
    homepage: Line | None = None
    license: Line = "NOASSERTION"  # SPDX expression of the repository's licence
    license_url: Line | None = None
    contacts: tuple[Line, ...] = Field(min_length=1)  # e-mail addresses
    private_reporting_url: Line | None = None
    pgp_key_url: Line | None = None
    policy_url: Line | None = None  # where SECURITY.md is published
    canonical_url: Line | None = None  # where security.txt is published
    acknowledgments_url: Line | None = None
    csaf_provider_url: Line | None = None  # provider-metadata.json, if the project publishes CSAF
    languages: tuple[Line, ...] = ("en",)
    supported_versions: tuple[SupportedVersion, ...] = ()
    response: ResponseTimes = ResponseTimes()
    embargo_days: int = Field(default=90, ge=0, le=365)
    credit_reporters: bool = True
    cve_route: Line | None = None  # e.g. "GitHub Security Advisories (GitHub is our CNA)"
    bug_bounty_url: Line | None = None
    administrators: tuple[Person, ...] = ()
    expires_days: int = Field(default=360, ge=1)  # RFC 9116 2.5.5: less than a year ahead

    @field_validator("expires_days")
    @classmethod
    def _expires(cls, value: int) -> int:
        if value > 365:
            raise ValueError(
                f"{value} days is more than a year; RFC 9116 (section 2.5.5) wants Expires "
                "less than a year ahead, so a stale file is noticed (at most 365)"
            )
        return value

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
