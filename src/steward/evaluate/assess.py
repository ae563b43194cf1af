"""Requirement evaluation: probe outcomes + attestations → one Finding per requirement.

Combination rules (never a silent pass):
- a requirement not addressed to the assessed role → not-applicable;
- any probe ``error`` → error (what could not be read is in the evidence);
- any probe ``fail`` → fail (an attestation cannot override a failing probe);
- a project attestation (``steward.yml`` or security-insights.yml) answers what the probes
  cannot: met → pass, not-met → fail, not-applicable → not-applicable, with ``attested``;
- any probe ``unknown`` (e.g. forge data missing), or an attestation the catalog asks for
  and the project has not given → needs-attestation;
- all probes not-applicable → not-applicable; otherwise pass.

Acceptances (steward.yml ``accept:``) then turn a fail or a needs-attestation into
``accepted`` when every open probe (failing, or unable to tell) is covered: by an entry for the
requirement or the probe without a path, or by entries with a path that match every piece of
its evidence. Evidence an entry covers is marked accepted even when other evidence still fails.
An entry past its ``expires`` date covers nothing; the finding says that it expired.

The level achieved is the highest level L such that every MUST requirement of level ≤ L
(addressed to the role) is pass or not-applicable (accepted does not count as met). Per level,
``LevelProgress`` counts every requirement by status, and ``NextLevel`` lists the MUST
requirements between the project and the level above the one achieved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from steward.catalog.loader import load_catalog
from steward.catalog.model import Applicability, Catalog, Requirement
from steward.collect import collect_facts
from steward.collect.facts import Attestation, Facts, ForgeData
from steward.errors import UsageError
from steward.evaluate.model import (
    AcceptanceNote,
    Assessment,
    Blocker,
    Evidence,
    Finding,
    LevelProgress,
    NextLevel,
    ProbeOutcome,
    ProbeStatus,
    Status,
    Summary,
)
from steward.evaluate.probes import run_probe
from steward.projectconfig import Acceptance

Progress = Callable[[str, int, int], None]
_MUST = re.compile(r"\bMUST\b")


def is_must(requirement: Requirement) -> bool:
    return bool(_MUST.search(requirement.text))


def evaluate_requirement(
    requirement: Requirement,
    outcomes: dict[str, ProbeOutcome],
    attestation: Attestation | None,
    role: Applicability,
) -> Finding:
    """Combine one requirement's probe outcomes and attestation into a Finding."""
    probes = tuple(outcomes[p] for p in requirement.verification.probes)
    base = {
        "requirement_id": requirement.id,
        "title": requirement.title,
        "level": requirement.level,
        "must": is_must(requirement),
        "fix": requirement.fix,
        "probes": probes,
        "attestation_request": requirement.verification.attestation,
    }
    if role not in requirement.applicability:
        roles = ", ".join(a.value for a in requirement.applicability)
        return Finding(status=Status.NOT_APPLICABLE, message=f"applies to: {roles}", **base)
    evidence = tuple(dict.fromkeys(e for o in probes for e in o.evidence))  # each once
    statuses = [o.status for o in probes]

    def pick(status: ProbeStatus) -> list[ProbeOutcome]:
        return [o for o in probes if o.status == status]

    if errors := pick(ProbeStatus.ERROR):
        return Finding(status=Status.ERROR, message=_join(errors), evidence=evidence, **base)
    if fails := pick(ProbeStatus.FAIL):
        return Finding(status=Status.FAIL, message=_join(fails), evidence=evidence, **base)
    if attestation is not None:
        status = {
            "met": Status.PASS,
            "not-met": Status.FAIL,
            "not-applicable": Status.NOT_APPLICABLE,
        }[attestation.status]
        who = f" by {attestation.by}" if attestation.by else ""
        when = f" on {attestation.date}" if attestation.date else ""
        att_ev = Evidence.of(attestation.source, f"attested {attestation.status}{who}{when}: "
                             f"{attestation.evidence}")  # fmt: skip
        return Finding(
            status=status,
            message=f"attested {attestation.status}{who}{when}",
            evidence=(att_ev, *evidence),
            attested=True,
            attestation_source=str(attestation.source),
            **base,
        )
    if unknowns := pick(ProbeStatus.UNKNOWN):
        return Finding(
            status=Status.NEEDS_ATTESTATION, message=_join(unknowns), evidence=evidence, **base
        )
    if requirement.verification.attestation:
        done = "probes pass; " if probes else ""
        return Finding(
            status=Status.NEEDS_ATTESTATION,
            message=f"{done}attest: {requirement.verification.attestation}",
            evidence=evidence,
            **base,
        )
    if statuses and all(s == ProbeStatus.NOT_APPLICABLE for s in statuses):
        return Finding(
            status=Status.NOT_APPLICABLE, message=_join(probes), evidence=evidence, **base
        )
    return Finding(
        status=Status.PASS, message=_join(pick(ProbeStatus.PASS)), evidence=evidence, **base
    )


def _join(outcomes: list[ProbeOutcome] | tuple[ProbeOutcome, ...]) -> str:
    return "; ".join(dict.fromkeys(o.message for o in outcomes))  # same words once


_MET = (Status.PASS, Status.NOT_APPLICABLE)


def level_achieved(findings: tuple[Finding, ...] | list[Finding], max_level: int = 3) -> int:
    """The strict level: the highest L whose MUST requirements, and those below, are all met."""
    return sum(1 for p in level_progress(findings, max_level) if p.achieved)


def level_progress(
    findings: tuple[Finding, ...] | list[Finding], max_level: int = 3, *, complete: bool = True
) -> tuple[LevelProgress, ...]:
    """Per level 1..``max_level``: requirements by status, MUSTs not met, strict verdict.

    ``complete`` is False when only part of the catalog was assessed (``--only``): no level
    is then achieved.
    """
    out = []
    achieved = complete
    for level in range(1, max_level + 1):
        at = [f for f in findings if f.level == level]
        counts = Counter(f.status for f in at)
        blocking = sum(1 for f in at if f.must and f.status not in _MET)
        achieved = achieved and blocking == 0
        out.append(
            LevelProgress(
                level=level,
                total=len(at) - counts[Status.NOT_APPLICABLE],
                met=counts[Status.PASS],
                failed=counts[Status.FAIL],
                error=counts[Status.ERROR],
                awaiting_attestation=counts[Status.NEEDS_ATTESTATION],
                accepted=counts[Status.ACCEPTED],
                not_applicable=counts[Status.NOT_APPLICABLE],
                blocking=blocking,
                achieved=achieved,
            )
        )
    return tuple(out)


_ACTION = {
    Status.FAIL: "fix",
    Status.ERROR: "repair input",
    Status.NEEDS_ATTESTATION: "attest",
    Status.ACCEPTED: "accepted",
}


def next_level(
    findings: tuple[Finding, ...] | list[Finding], achieved: int, max_level: int = 3
) -> NextLevel | None:
    """What stands between the project and level ``achieved + 1`` (None above ``max_level``).

    The list is exactly the MUST requirements of that level or below that are not met: each
    of them is needed, and nothing else is, so no shorter list reaches the level.
    """
    target = achieved + 1
    if target > max_level:
        return None
    open_musts = [f for f in findings if f.must and f.level <= target and f.status not in _MET]
    order = list(_ACTION)
    open_musts.sort(key=lambda f: (order.index(f.status), f.level, f.requirement_id))
    return NextLevel(
        level=target,
        blockers=tuple(
            Blocker(
                requirement_id=f.requirement_id,
                title=f.title,
                level=f.level,
                status=f.status,
                action=_ACTION[f.status],
                message=f.message,
            )
            for f in open_musts
        ),
    )


def _note(entry: Acceptance, *, expired: bool = False) -> AcceptanceNote:
    return AcceptanceNote(
        reason=entry.reason,
        owner=entry.owner,
        expires=entry.expires.isoformat(),
        source=entry.where,
        scope=entry.target,
        expired=expired,
    )


def apply_acceptances(
    finding: Finding, entries: tuple[Acceptance, ...] | list[Acceptance], today: dt.date
) -> Finding:
    """``finding`` with the steward.yml acceptances that cover it applied (see module doc)."""
    if finding.status not in (Status.FAIL, Status.NEEDS_ATTESTATION) or not entries:
        return finding
    rid = finding.requirement_id
    relevant = [
        e
        for e in entries
        if e.requirement == rid or any(e.probe == p.probe for p in finding.probes)
    ]
    if not relevant:
        return finding
    open_status = ProbeStatus.FAIL if finding.status is Status.FAIL else ProbeStatus.UNKNOWN
    items: list[tuple[str | None, tuple[Evidence, ...]]] = [
        (p.probe, p.evidence) for p in finding.probes if p.status is open_status
    ] or [(None, ())]  # decided by an attestation (given or asked for): the requirement only
    marks: dict[Evidence, AcceptanceNote] = {}  # evidence covered by an entry with a path
    wholly: dict[Evidence, AcceptanceNote] = {}  # evidence of a probe accepted as a whole
    covering: AcceptanceNote | None = None
    expired: AcceptanceNote | None = None
    covered_all = True
    for probe, evidence in items:
        mine = [e for e in relevant if e.requirement == rid or (probe and e.probe == probe)]
        live = [e for e in mine if not e.expired(today)]
        whole = next((e for e in live if e.path is None), None)
        if whole is not None:
            note = _note(whole)
            covering = covering or note
            wholly.update((item, note) for item in evidence)
            continue
        for item in evidence:
            entry = next((e for e in live if e.path and e.covers_path(item.path)), None)
            if entry is not None:
                marks[item] = _note(entry)
        if evidence and all(item in marks for item in evidence):
            covering = covering or marks[evidence[0]]
            continue
        covered_all = False
        dead = [e for e in mine if e.expired(today)]
        lapsed = next(
            (e for e in dead if any(e.covers_path(i.path) for i in evidence) or e.path is None),
            None,
        )
        if lapsed is not None and expired is None:
            expired = _note(lapsed, expired=True)

    if not (covered_all and covering is not None):  # partly accepted: say which evidence
        marks = {**wholly, **marks}

    def marked(items: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        return tuple(
            i.model_copy(update={"accepted": marks[i]}) if i in marks else i for i in items
        )

    update: dict[str, object] = {
        "evidence": marked(finding.evidence),
        "probes": tuple(
            p.model_copy(update={"evidence": marked(p.evidence)}) for p in finding.probes
        ),
    }
    if covered_all and covering is not None:
        update |= {"status": Status.ACCEPTED, "acceptance": covering}
    elif expired is not None:
        update |= {
            "acceptance": expired,
            "message": f"{finding.message}; acceptance expired on {expired.expires} "
            f"({expired.source})",
        }
    return finding.model_copy(update=update)


def _public_remote(url: str | None) -> str | None:
    """The remote as an https URL without credentials (for SARIF ``versionControlProvenance``),
    or None for local paths and other schemes."""
    if not url:
        return None
    m = re.match(r"^(?:ssh://)?git@([^:/]+)[:/](.+)$", url)
    if m:
        url = f"https://{m.group(1)}/{m.group(2)}"
    m = re.match(r"^https?://(?:[^@/]*@)?([^/]+)(/.*)?$", url)
    if not m:
        return None
    path = (m.group(2) or "").removesuffix("/").removesuffix(".git")
    return f"https://{m.group(1)}{path}"


def _select(catalog: Catalog, level: int | None, only: set[str] | None) -> list[Requirement]:
    selected = list(catalog.requirements)
    if level is not None:
        if level not in (1, 2, 3):
            raise UsageError(f"level must be 1, 2 or 3, not {level}", source="--level")
        selected = [r for r in selected if r.level <= level]
    if only:
        wanted = {o.strip().upper() for o in only}
        unknown = {w for w in wanted if catalog.get(w) is None and catalog.family(w) is None}
        if unknown:
            raise UsageError(
                f"unknown requirement or family: {', '.join(sorted(unknown))}", source="--only"
            )
        ids = {catalog.get(w).id for w in wanted if catalog.get(w) is not None}  # type: ignore[union-attr]
        selected = [r for r in selected if r.id in ids or r.family in wanted]
    return selected


def evaluate_facts(
    facts: Facts,
    *,
    level: int | None = None,
    only: set[str] | None = None,
    role: Applicability | str = Applicability.PROJECT,
    catalog: Catalog | None = None,
    now: dt.datetime | None = None,
) -> Assessment:
    """Evaluate collected facts against the catalog."""
    catalog = catalog or load_catalog()
    role = Applicability(role)
    requirements = _select(catalog, level, only)
    needed = sorted({p for r in requirements for p in r.verification.probes})
    outcomes = {name: run_probe(name, facts) for name in needed}
    attestations = {a.requirement_id: a for a in facts.attestations}
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    findings = tuple(
        apply_acceptances(
            evaluate_requirement(r, outcomes, attestations.get(r.id), role),
            facts.acceptances,
            when.date(),
        )
        for r in requirements
    )
    counts = Counter(f.status.value for f in findings)
    summary = Summary.model_validate(
        {
            "total": len(findings),
            **{s.value: counts.get(s.value, 0) for s in Status},
        }
    )
    # a level is only "achieved" when all of its requirements were assessed
    top = level or 3
    levels = level_progress(findings, top, complete=not only)
    achieved = sum(1 for p in levels if p.achieved)
    return Assessment(
        project=facts.project_name,
        root=facts.root,
        revision=facts.git.head if facts.git else None,
        timestamp=when.isoformat().replace("+00:00", "Z"),
        catalog_version=catalog.version,
        frameworks={f.id: f.version for f in catalog.frameworks},
        role=role.value,
        level=level,
        level_achieved=achieved,
        summary=summary,
        findings=findings,
        problems=tuple(Evidence.from_problem(p) for p in facts.problems),
        forge=facts.forge.url if facts.forge else None,
        levels=levels,
        next_level=None if only else next_level(findings, achieved, top),
        repository=_public_remote(facts.git.remote_url if facts.git else None),
    )


def assess(
    root: Path,
    *,
    forge: ForgeData | None = None,
    level: int | None = None,
    only: set[str] | None = None,
    progress: Progress | None = None,
    role: Applicability | str = Applicability.PROJECT,
) -> Assessment:
    """Assess the project checked out at ``root`` against the Steward catalog.

    ``forge``: facts from ``steward.collect.forge.collect_forge`` (None: forge probes need
    attestation). ``level``: only requirements up to this level. ``only``: requirement ids or
    family ids. ``progress(stage, done, total)`` is called as collection advances.
    ``role``: project (default), steward or manufacturer — requirements addressed to other
    roles are not-applicable.
    """
    facts = collect_facts(Path(root), forge=forge, progress=progress)
    if progress is not None:
        progress("evaluate", 0, 1)
    result = evaluate_facts(facts, level=level, only=only, role=role)
    if progress is not None:
        progress("evaluate", 1, 1)
    return result
