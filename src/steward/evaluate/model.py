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
    ACCEPTED = "accepted"  # not met, accepted in steward.yml with a reason until a date


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AcceptanceNote(_Model):
    """An ``accept:`` entry of steward.yml as it applies to a finding or a piece of evidence.

    ``expires`` is an ISO 8601 date; ``expired`` is true when the assessment ran after it (the
    item then fails again). ``source`` is ``steward.yml:LINE``; ``scope`` what was accepted
    (``STW-BLD-02``, ``probe actions_pinned``, ``... in .github/workflows/*.yml``).
    """

    reason: str
    owner: str
    expires: str
    source: str
    scope: str
    expired: bool = False

    def text(self) -> str:
        state = "expired on" if self.expired else "until"
        return f"{self.reason} (owner {self.owner}, {state} {self.expires}; {self.source})"


class Evidence(_Model):
    """Where something was seen, and what.

    ``source`` is the display form (a path, ``commit <sha>`` or a URL) and ``line`` the 1-based
    line in a file. Writers read the typed fields instead of parsing ``source``: ``path`` (POSIX,
    relative to the project root; a directory ends with ``/``), ``commit`` (a full or short SHA)
    and ``url``; at most one of them is the location, in that order. ``accepted`` is set when a
    steward.yml ``accept:`` entry covers this piece of failing evidence.
    """

    source: str
    line: int | None = None
    detail: str = ""
    path: str | None = None
    commit: str | None = None
    url: str | None = None
    accepted: AcceptanceNote | None = None

    @classmethod
    def of(cls, source: Source, detail: str = "") -> Evidence:
        return cls(
            source=source.location or str(source),
            line=source.line,
            detail=detail,
            path=source.path,
            commit=source.commit if source.path is None else None,
            url=source.url if source.path is None and source.commit is None else None,
        )

    @property
    def where(self) -> str:
        """``path:line``, the path, the commit (abbreviated) or the URL (what a reader looks
        up)."""
        if self.commit is not None:
            return f"commit {self.commit[:12]}"
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def text(self) -> str:
        """One line for a report: where, what, and the acceptance if any."""
        out = f"{self.where} — {self.detail}" if self.detail else self.where
        if self.accepted is not None:
            out += f" [accepted: {self.accepted.text()}]"
        return out

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
    acceptance: AcceptanceNote | None = None  # set when accepted, or when the acceptance expired

    def open_evidence(self) -> tuple[Evidence, ...]:
        """The evidence that explains why the requirement is not met: that of the probes that
        fail (or error), else of those that cannot tell; the attestation's for an attested
        fail. Empty when nothing points anywhere (e.g. a missing file)."""
        wanted = {
            Status.FAIL: (ProbeStatus.FAIL,),
            Status.ACCEPTED: (ProbeStatus.FAIL, ProbeStatus.UNKNOWN),
            Status.ERROR: (ProbeStatus.ERROR,),
            Status.NEEDS_ATTESTATION: (ProbeStatus.UNKNOWN,),
        }.get(self.status, ())
        found = tuple(e for p in self.probes if p.status in wanted for e in p.evidence)
        if not found and self.attested and self.status in (Status.FAIL, Status.ACCEPTED):
            found = self.evidence[:1]  # the attestation itself
        return tuple(dict.fromkeys(found))


class Summary(_Model):
    total: int
    passed: int = Field(alias="pass")
    failed: int = Field(alias="fail")
    not_applicable: int = Field(alias="not-applicable")
    needs_attestation: int = Field(alias="needs-attestation")
    error: int
    accepted: int = 0

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class LevelProgress(_Model):
    """How the project stands at one level: every requirement of that level (MUST and SHOULD)
    by status (``total`` counts those addressed to the role, i.e. all but the
    not-applicable ones); ``blocking`` counts the MUST requirements of this level
    that are not met (fail, error, awaiting attestation or accepted); ``achieved`` is the strict
    verdict (every MUST of this level and below is pass or not-applicable)."""

    level: int
    total: int
    met: int
    failed: int
    error: int
    awaiting_attestation: int
    accepted: int
    not_applicable: int
    blocking: int
    achieved: bool


class Blocker(_Model):
    """A MUST requirement that stands between the project and the next level, and what to do
    (``fix``: it fails; ``attest``: answer it in steward.yml; ``repair input``: Steward could
    not read what it needs; ``accepted``: accepted in steward.yml, which a level does not
    count as met)."""

    requirement_id: str
    title: str
    level: int
    status: Status
    action: str
    message: str


class NextLevel(_Model):
    """The next level (the one above the strict level achieved) and the shortest list of what
    stands in its way: every MUST requirement of that level or below that is not met."""

    level: int
    blockers: tuple[Blocker, ...]


class Assessment(_Model):
    """One assessment of one project revision against the catalog."""

    project: str
    root: str
    revision: str | None
    timestamp: str  # ISO 8601, UTC
    catalog_version: str
    # edition of each framework the catalog maps to (id -> version), Catalog.frameworks
    frameworks: dict[str, str] = Field(default_factory=dict)
    role: str
    level: int | None  # the level asked for (None: all levels)
    level_achieved: int  # highest level whose MUST requirements all pass (0: none)
    summary: Summary
    findings: tuple[Finding, ...]
    problems: tuple[Evidence, ...] = ()  # what could not be collected
    forge: str | None = None  # forge API URL the forge facts came from, if any
    levels: tuple[LevelProgress, ...] = ()  # per level, 1 to the level asked for
    next_level: NextLevel | None = None  # None at the top level, or with --only
    repository: str | None = None  # the checkout's public remote (https, no credentials)

    def finding(self, requirement_id: str) -> Finding | None:
        return next((f for f in self.findings if f.requirement_id == requirement_id), None)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: bool = True) -> str:
        option = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(self.to_dict(), option=option).decode()
