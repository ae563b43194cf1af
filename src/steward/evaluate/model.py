"""The results of an assessment: probe outcomes, findings per requirement, the assessment.

These pydantic models are the interface the CLI and the report writers read;
``Assessment.to_json()`` is the machine-readable result (stable field names).
"""

from __future__ import annotations

from enum import StrEnum

import orjson
from pydantic import BaseModel, ConfigDict, Field

from steward.collect.facts import Finding as FactFinding
from steward.collect.facts import Problem, Source


class ProbeStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"
    UNKNOWN = "unknown"  # the facts needed are not available (e.g. no forge data)


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    NEEDS_ATTESTATION = "needs-attestation"
    ERROR = "error"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Model):
    """Where something was seen: a file (+ line), a commit, or a URL, and what."""

    source: str
    line: int | None = None
    detail: str = ""

    @classmethod
    def of(cls, source: Source, detail: str = "") -> Evidence:
        return cls(source=source.location or str(source), line=source.line, detail=detail)

    @classmethod
    def from_fact(cls, finding: FactFinding) -> Evidence:
        return cls.of(finding.source, finding.detail)

    @classmethod
    def from_problem(cls, problem: Problem) -> Evidence:
        return cls.of(problem.source, problem.message)


class ProbeOutcome(_Model):
    """The result of one probe."""

    probe: str
    status: ProbeStatus
    message: str
    evidence: tuple[Evidence, ...] = ()


class Finding(_Model):
    """The status of one requirement for the assessed project, with evidence and a fix."""

    requirement_id: str
    title: str
    level: int
    must: bool  # the requirement says MUST (counts for the level achieved)
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    fix: str = ""
    probes: tuple[ProbeOutcome, ...] = ()
    attested: bool = False
    attestation_source: str | None = None
    attestation_request: str | None = None  # what evidence to attest, from the catalog


class Summary(_Model):
    total: int
    passed: int = Field(alias="pass")
    failed: int = Field(alias="fail")
    not_applicable: int = Field(alias="not-applicable")
    needs_attestation: int = Field(alias="needs-attestation")
    error: int

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Assessment(_Model):
    """One assessment of one project revision against the catalog."""

    project: str
    root: str
    revision: str | None
    timestamp: str  # ISO 8601, UTC
    catalog_version: str
    role: str
    level: int | None  # the level asked for (None: all levels)
    level_achieved: int  # highest level whose MUST requirements all pass (0: none)
    summary: Summary
    findings: tuple[Finding, ...]
    problems: tuple[Evidence, ...] = ()  # what could not be collected
    forge: str | None = None  # forge API URL the forge facts came from, if any

    def finding(self, requirement_id: str) -> Finding | None:
        return next((f for f in self.findings if f.requirement_id == requirement_id), None)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: bool = True) -> str:
        option = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(self.to_dict(), option=option).decode()
