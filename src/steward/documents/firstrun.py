"""``steward init``: what a checkout tells about itself, and the five next actions.

:func:`read_project` collects the checkout's facts (the same collectors ``steward assess``
runs, offline) and keeps what they establish: the name a manifest or security-insights.yml
gives (a directory name is not a name anyone chose, so it is asked for), the licence found in
a licence file or manifest, the public remote of ``origin``, and the dependency manifests.
:func:`next_actions` picks five commands from the project's state and CRA role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steward.documents.scope import Decision
    from steward.evaluate.model import Assessment


@dataclass
class ProjectFacts:
    """What was read, each with where it was read (``None``: not found)."""

    name: tuple[str, str] | None = None
    repository: tuple[str, str] | None = None
    license: tuple[str, str] | None = None
    manifests: list[str] = field(default_factory=list)
    lockfiles: list[str] = field(default_factory=list)
    assessment: Assessment | None = None

    def section(self) -> dict[str, Any]:
        """The ``project:`` section of steward.yml."""
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name[0]
        if self.repository:
            out["repository"] = self.repository[0]
        if self.license:
            out["license"] = self.license[0]
        if self.manifests:
            out["manifests"] = list(self.manifests)
        return out


def read_project(root: Path, role: str = "project") -> ProjectFacts:
    """Collect the facts of the checkout at ``root`` and keep what they establish."""
    from steward.collect import collect_facts
    from steward.evaluate import evaluate_facts

    facts = collect_facts(root)
    found = ProjectFacts()
    where = named_in(root, facts.project_name) if facts.project_name else None
    if where is not None:
        found.name = (facts.project_name, where)
    licences = [lic for lic in facts.licenses if lic.spdx]
    if licences:
        found.license = (licences[0].spdx or "", str(licences[0].source))
    found.assessment = evaluate_facts(facts, role=role)
    if found.assessment.repository:
        found.repository = (found.assessment.repository, "git remote origin")
    found.manifests = sorted({f.source.path for f in facts.dependencies.manifests if f.source.path})
    found.lockfiles = sorted({f.source.path for f in facts.dependencies.lockfiles if f.source.path})
    return found


_NAMED = (
    ("pyproject.toml", r'^name\s*=\s*"{}"'),
    ("package.json", r'^\s*"name"\s*:\s*"{}"'),
    ("Cargo.toml", r'^name\s*=\s*"{}"'),
    ("security-insights.yml", r"^\s*name:\s*['\"]?{}['\"]?\s*$"),
)


def named_in(root: Path, name: str) -> str | None:
    """The file that gives the project ``name`` (the collectors fall back to the directory's
    name, which nobody chose, so it does not count as read)."""
    from steward.errors import InputError
    from steward.safeio import read_text

    for file, pattern in _NAMED:
        path = root / file
        if not path.is_file() or path.is_symlink():
            continue
        try:
            text = read_text(path, max_bytes=1024 * 1024)
        except InputError:
            continue
        if re.search(pattern.format(re.escape(name)), text, re.M):
            return file
    return None


@dataclass(frozen=True, slots=True)
class Action:
    command: str
    why: str


def next_actions(found: ProjectFacts, decision: Decision, *, limit: int = 5) -> list[Action]:
    """The first ``limit`` of the useful next steps, most urgent first."""
    from steward.documents.scope import Role

    assessment = found.assessment
    role = decision.assess_role

    def failing(rid: str) -> bool:
        finding = assessment.finding(rid) if assessment is not None else None
        return finding is not None and finding.status.value in ("fail", "error")

    actions: list[Action] = []
    if decision.role is Role.UNDETERMINED:
        actions.append(Action("steward cra scope", "decide whether and how the CRA applies"))
    role_option = f" --role {role}" if role != "project" else ""
    actions.append(
        Action(f"steward assess .{role_option}", "see where the project stands, with fixes")
    )
    if failing("STW-VUL-01") or failing("STW-VUL-02") or failing("STW-VUL-03"):
        actions.append(
            Action("steward init security", "publish a security policy and a private contact")
        )
    if found.lockfiles or found.manifests:
        actions.append(
            Action("steward sbom . -o sbom.cdx.json", "list the components (CycloneDX 1.6)")
        )
        actions.append(
            Action(
                "steward db update && steward vulns . --format json -o findings.json",
                "find known vulnerabilities in the components",
            )
        )
    document = {
        "manufacturer": (
            "steward docs annex-vii -o technical-documentation.md",
            "the technical documentation, with what is still missing",
        ),
        "steward": (
            "steward docs art24-policy -o policy.md",
            "the steward's cybersecurity policy, with what is still missing",
        ),
    }.get(
        role,
        (
            "steward docs art25-attestation --format markdown",
            "a voluntary security attestation, with what is still missing",
        ),
    )
    actions.append(Action(*document))
    actions.append(
        Action("steward evidence pack -o evidence.zip", "one signed archive for an auditor")
    )
    return actions[:limit]
