"""Matching components against the vulnerability database: one finding per vulnerability.

For each component the advisories naming its package are evaluated against its version (see
:mod:`steward.vuln.ranges`). Advisories that are aliases of each other (a GHSA, its CVE and
a PYSEC record) are merged into one finding that lists every id, so a vulnerability is
counted once per component. Each finding carries what a triager needs: severity from the
CVSS vectors (scored with the ``cvss`` library), fixed versions of this package, CWE ids,
references, the CISA KEV / ENISA EUVD known-exploited flags and the EPSS score; VEX
statements (:mod:`steward.vuln.vex`) mark findings suppressed, with the reason.

A finding is *reportable* under CRA Art. 14 when the vulnerability is known to be actively
exploited (KEV or EUVD), it is not suppressed by VEX, and the component ships with the
product (not a development-only dependency).

The JSON shape of a finding (:meth:`Finding.to_dict`) is what ``steward case new
--from-finding`` reads; ``src/steward/vuln/data/findings.schema.json`` describes it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from steward.sbom.component import Component, Scope
from steward.store.vulndb import VulnDB
from steward.vuln.advisory import Advisory
from steward.vuln.names import normalise_name
from steward.vuln.ranges import Verdict
from steward.vuln.versions import base_ecosystem

SEVERITY_ORDER = ("none", "low", "medium", "high", "critical")
#: preference when choosing a finding's primary id among aliases
_ID_PREFERENCE = ("CVE-", "GHSA-")


@dataclass
class Severity:
    """The most recent CVSS version given, scored."""

    vector: str | None = None
    version: str | None = None
    score: float | None = None
    rating: str = "unknown"  # none/low/medium/high/critical, or unknown

    def to_dict(self) -> dict[str, Any]:
        return {
            "cvss_vector": self.vector,
            "cvss_version": self.version,
            "score": self.score,
            "rating": self.rating,
        }


@dataclass
class Suppression:
    status: str  # not_affected, false_positive, fixed ...
    justification: str | None
    source: str
    statement: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "justification": self.justification,
            "source": self.source,
            "statement": self.statement,
        }


@dataclass
class Finding:
    """One vulnerability in one component."""

    id: str
    aliases: list[str]
    advisories: list[str]
    summary: str
    details: str
    component: Component
    severity: Severity
    fixed_versions: list[str]
    references: list[str]
    cwes: list[str]
    published: str | None
    modified: str | None
    kev: dict[str, Any] | None = None
    euvd: dict[str, Any] | None = None
    epss: tuple[float, float] | None = None
    suppressed: Suppression | None = None

    @property
    def ids(self) -> list[str]:
        return [self.id, *self.aliases]

    @property
    def cves(self) -> list[str]:
        return [i for i in self.ids if i.startswith("CVE-")]

    @property
    def exploited(self) -> bool:
        return self.kev is not None or self.euvd is not None

    @property
    def reportable(self) -> bool:
        """Known exploited, not suppressed, and shipped with the product (CRA Art. 14)."""
        return self.exploited and self.suppressed is None and self.component.scope is not Scope.DEV

    def to_dict(self) -> dict[str, Any]:
        comp = self.component
        return {
            "id": self.id,
            "aliases": self.aliases,
            "advisories": self.advisories,
            "summary": self.summary,
            "details": self.details,
            "package": {
                "ecosystem": comp.ecosystem,
                "name": comp.name,
                "version": comp.version,
                "purl": comp.purl,
                "scope": str(comp.scope),
                "location": str(comp.location) if comp.location else None,
            },
            "severity": self.severity.to_dict(),
            "fixed_versions": self.fixed_versions,
            "exploited": {
                "kev": None
                if self.kev is None
                else {
                    "listed": True,
                    "date_added": self.kev.get("dateAdded"),
                    "due_date": self.kev.get("dueDate"),
                    "ransomware": self.kev.get("knownRansomwareCampaignUse"),
                },
                "euvd": None
                if self.euvd is None
                else {
                    "listed": True,
                    "id": self.euvd.get("id") or self.euvd.get("euvd_id"),
                    "exploited_since": self.euvd.get("exploitedSince"),
                },
            },
            "epss": None
            if self.epss is None
            else {"score": self.epss[0], "percentile": self.epss[1]},
            "reportable": self.reportable,
            "suppressed": None if self.suppressed is None else self.suppressed.to_dict(),
            "references": self.references,
            "cwes": self.cwes,
            "published": self.published,
            "modified": self.modified,
        }


@dataclass
class MatchResult:
    findings: list[Finding]
    components: int
    unknown: list[tuple[Component, str]] = field(default_factory=list)  # could not evaluate
    unsupported: int = 0  # components of ecosystems without a version scheme / purl
    seconds: float = 0.0

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]


def score(record: dict[str, Any]) -> Severity:
    """The severity of an OSV record: the newest CVSS vector it gives, else its label."""
    vectors: dict[str, str] = {}
    for entry in record.get("severity") or ():
        if isinstance(entry, dict) and isinstance(entry.get("score"), str):
            vectors[str(entry.get("type", ""))] = entry["score"]
    for kind in ("CVSS_V4", "CVSS_V3", "CVSS_V2"):
        vector = vectors.get(kind)
        if vector is None:
            continue
        try:
            if kind == "CVSS_V4":
                c4 = CVSS4(vector)
                return Severity(vector, "4.0", float(c4.base_score), str(c4.severity).lower())
            if kind == "CVSS_V3":
                c3 = CVSS3(vector)
                version = "3.1" if vector.startswith("CVSS:3.1") else "3.0"
                return Severity(vector, version, float(c3.scores()[0]), c3.severities()[0].lower())
            c2 = CVSS2(vector)
            value = float(c2.scores()[0])
            rating = "low" if value < 4 else "medium" if value < 7 else "high"
            return Severity(vector, "2.0", value, rating)
        except (CVSSError, ValueError, KeyError, IndexError):
            continue
    specific = record.get("database_specific")
    label = specific.get("severity") if isinstance(specific, dict) else None
    if isinstance(label, str) and label.lower() in (*SEVERITY_ORDER, "moderate"):
        rating = "medium" if label.lower() == "moderate" else label.lower()
        return Severity(rating=rating)
    return Severity()


def _fixed_versions(advisory: Advisory, component: Component) -> list[str]:
    wanted = normalise_name(component.ecosystem, component.name)
    fixed: list[str] = []
    for entry in advisory.data.get("affected") or ():
        if not isinstance(entry, dict):
            continue
        package = entry.get("package") or {}
        same_ecosystem = base_ecosystem(str(package.get("ecosystem", ""))) == base_ecosystem(
            component.ecosystem
        )
        if not same_ecosystem:
            continue
        if normalise_name(component.ecosystem, str(package.get("name", ""))) != wanted:
            continue
        for rng in entry.get("ranges") or ():
            if not isinstance(rng, dict) or rng.get("type") == "GIT":
                continue
            for event in rng.get("events") or ():
                value = event.get("fixed") if isinstance(event, dict) else None
                if isinstance(value, str) and value not in fixed:
                    fixed.append(value)
    return fixed


def _cwes(record: dict[str, Any]) -> list[str]:
    specific = record.get("database_specific")
    found = specific.get("cwe_ids") if isinstance(specific, dict) else None
    return sorted({c for c in found if isinstance(c, str)}) if isinstance(found, list) else []


def _references(record: dict[str, Any]) -> list[str]:
    return [
        r["url"] for r in record.get("references") or () if isinstance(r, dict) and r.get("url")
    ]


def _groups(advisories: list[Advisory]) -> list[list[Advisory]]:
    """Advisories that name each other (directly or through a shared alias) form one group."""
    parent = list(range(len(advisories)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, adv in enumerate(advisories):
        for ident in (adv.id, *adv.aliases):
            if ident in owner:
                parent[find(index)] = find(owner[ident])
            else:
                owner[ident] = index
    groups: dict[int, list[Advisory]] = {}
    for index, adv in enumerate(advisories):
        groups.setdefault(find(index), []).append(adv)
    return list(groups.values())


def _primary(ids: Iterable[str]) -> str:
    ordered = sorted(set(ids))
    for prefix in _ID_PREFERENCE:
        chosen = [i for i in ordered if i.startswith(prefix)]
        if chosen:
            return chosen[0]
    return ordered[0]


@dataclass
class _AdvisoryFacts:
    """What a finding needs from one advisory, computed once per advisory per run."""

    severity: Severity
    references: list[str]
    cwes: list[str]


def _finding(
    group: list[Advisory],
    component: Component,
    facts: Callable[[Advisory], _AdvisoryFacts],
    fixed_for: Callable[[Advisory, Component], list[str]],
) -> Finding:
    group = sorted(group, key=lambda a: a.id)
    ids = {i for adv in group for i in (adv.id, *adv.aliases)}
    primary = _primary(ids)
    known = [facts(a) for a in group]
    best = max((k.severity for k in known), key=_severity_rank)
    main = next((a for a in group if a.summary), group[0])
    fixed: list[str] = []
    refs: list[str] = []
    cwes: set[str] = set()
    for adv, item in zip(group, known, strict=True):
        fixed += [v for v in fixed_for(adv, component) if v not in fixed]
        refs += [r for r in item.references if r not in refs]
        cwes.update(item.cwes)
    return Finding(
        id=primary,
        aliases=sorted(ids - {primary}),
        advisories=[a.id for a in group],
        summary=main.summary,
        details=str(main.data.get("details") or ""),
        component=component,
        severity=best,
        fixed_versions=fixed,
        references=refs,
        cwes=sorted(cwes),
        published=min((a.published for a in group if a.published), default=None),
        modified=max((a.modified for a in group if a.modified), default=None),
    )


def _severity_rank(severity: Severity) -> tuple[int, float, str]:
    rank = SEVERITY_ORDER.index(severity.rating) if severity.rating in SEVERITY_ORDER else -1
    return rank, severity.score or 0.0, severity.version or ""


def match(
    db: VulnDB,
    components: list[Component],
    *,
    progress: Callable[[int], None] | None = None,
) -> MatchResult:
    """Every vulnerability affecting ``components``, with exploitation data attached.

    Per-advisory facts (severity, references, CWEs) and fixed versions per package are
    computed once per run; the exploitation feeds are read in one batch at the end.
    """
    start = time.perf_counter()
    result = MatchResult(findings=[], components=len(components))
    facts_cache: dict[str, _AdvisoryFacts] = {}
    fixed_cache: dict[tuple[str, str, str], list[str]] = {}
    verdicts: dict[tuple[str, str, str, str | None], list[Advisory]] = {}
    templates: dict[tuple[tuple[str, ...], str, str], Finding] = {}

    def facts(adv: Advisory) -> _AdvisoryFacts:
        known = facts_cache.get(adv.id)
        if known is None:
            record = dict(adv.data)
            known = _AdvisoryFacts(score(record), _references(record), _cwes(record))
            facts_cache[adv.id] = known
        return known

    def fixed_for(adv: Advisory, comp: Component) -> list[str]:
        key = (adv.id, comp.ecosystem, comp.name)
        known = fixed_cache.get(key)
        if known is None:
            known = fixed_cache[key] = _fixed_versions(adv, comp)
        return known

    db.preload((c.ecosystem, c.name) for c in components if c.ecosystem and c.version)
    for index, comp in enumerate(components):
        if progress is not None and index % 256 == 0:
            progress(index)
        if not comp.ecosystem or not comp.version:
            result.unsupported += 1
            continue
        key = (comp.ecosystem, comp.name, comp.version, comp.commit)
        affecting = verdicts.get(key)
        if affecting is None:
            affecting = []
            for adv in db.advisories_for(comp.ecosystem, comp.name):
                verdict = adv.evaluate(comp.version, commit=comp.commit)
                if verdict is Verdict.AFFECTED:
                    affecting.append(adv)
                elif verdict is Verdict.UNKNOWN:
                    result.unknown.append((comp, adv.id))
            verdicts[key] = affecting
        for group in _groups(affecting):
            # the same vulnerabilities of the same package recur across versions and
            # lockfiles: build the finding once, then only the component differs
            gkey = (tuple(a.id for a in group), comp.ecosystem, comp.name)
            template = templates.get(gkey)
            if template is None:
                template = templates[gkey] = _finding(group, comp, facts, fixed_for)
            result.findings.append(dataclasses.replace(template, component=comp))
    wanted = {i for f in result.findings for i in f.ids if i.startswith(("CVE-", "EUVD-"))}
    feeds = db.exploitation(wanted)
    for finding in result.findings:
        for ident in finding.ids:
            finding.kev = finding.kev or feeds.kev.get(ident)
            finding.euvd = finding.euvd or feeds.euvd.get(ident)
            value = feeds.epss.get(ident)
            if value is not None and (finding.epss is None or value[0] > finding.epss[0]):
                finding.epss = value
    result.findings.sort(
        key=lambda f: (
            not f.reportable,
            -_severity_rank(f.severity)[0],
            -(f.severity.score or 0.0),
            f.component.name,
            f.id,
        )
    )
    if progress is not None:
        progress(len(components))
    result.seconds = time.perf_counter() - start
    return result
