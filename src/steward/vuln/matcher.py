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

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from steward.sbom.component import Component, Scope
from steward.store.vulndb import VulnDB
from steward.vuln.advisory import Advisory
from steward.vuln.names import normalise_name
from steward.vuln.ranges import Verdict
from steward.vuln.versions import base_ecosystem, scheme_for

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
class VexDecision:
    """The VEX statement that decided a finding (the newest one that applies to it).

    ``status`` is OpenVEX's word (``not_affected``, ``fixed``, ``affected``,
    ``under_investigation``) or CycloneDX's ``false_positive``; ``justification`` is as the
    document gave it; ``statement`` the impact statement or detail text; ``timestamp`` the
    statement's time (ISO 8601) when it had one.
    """

    status: str
    justification: str | None
    source: str
    statement: str | None = None
    timestamp: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "justification": self.justification,
            "source": self.source,
            "statement": self.statement,
            "timestamp": self.timestamp,
        }


#: a finding suppressed by VEX carries the deciding statement
Suppression = VexDecision

#: exploitation lists, as shown on findings: CISA KEV, the EU KEV, EUVD's exploited flag
LIST_NAMES = {"cisa_kev": "CISA KEV", "eukev_kev": "EU KEV", "eu_kev": "EU KEV"}


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
    suppressed: VexDecision | None = None
    vex: VexDecision | None = None

    @property
    def ids(self) -> list[str]:
        return [self.id, *self.aliases]

    def for_component(self, component: Component) -> Finding:
        """The same vulnerability found in another component (a shallow copy; fast, unlike
        ``dataclasses.replace``, which inspects the fields on every call)."""
        return Finding(
            self.id,
            self.aliases,
            self.advisories,
            self.summary,
            self.details,
            component,
            self.severity,
            self.fixed_versions,
            self.references,
            self.cwes,
            self.published,
            self.modified,
            self.kev,
            self.euvd,
            self.epss,
            self.suppressed,
            self.vex,
        )

    @property
    def cves(self) -> list[str]:
        return [i for i in self.ids if i.startswith("CVE-")]

    @property
    def exploited(self) -> bool:
        return self.kev is not None or self.euvd is not None

    @property
    def exploited_by(self) -> list[str]:
        """The lists that flag the vulnerability as exploited (``CISA KEV``, ``EU KEV``...)."""
        names: list[str] = []
        if self.kev is not None:
            names.append("CISA KEV")
        for item in (self.euvd or {}).get("lists") or ():
            name = LIST_NAMES.get(str(item), "EUVD")
            if name not in names:
                names.append(name)
        if self.euvd is not None and not (self.euvd.get("lists") or ()):
            names.append("EUVD")
        return names

    @property
    def version_note(self) -> str | None:
        """Why the component's version is an assumption (Go ``stdlib`` from the go directive)."""
        return self.component.properties.get("steward:version_assumed")

    @property
    def reportable(self) -> bool:
        """Known exploited, not suppressed, and shipped with the product (CRA Art. 14)."""
        return self.exploited and self.suppressed is None and self.component.scope is not Scope.DEV

    def to_dict(self) -> dict[str, Any]:
        comp = self.component
        package: dict[str, Any] = {
            "ecosystem": comp.ecosystem,
            "name": comp.name,
            "version": comp.version,
            "purl": comp.purl,
            "scope": str(comp.scope),
            "location": str(comp.location) if comp.location else None,
        }
        if self.version_note:
            package["version_assumed"] = self.version_note
        return {
            "id": self.id,
            "aliases": self.aliases,
            "advisories": self.advisories,
            "summary": self.summary,
            "details": self.details,
            "package": package,
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
                    "id": self.euvd.get("id"),
                    "date_added": self.euvd.get("date_added"),
                    "exploited_since": self.euvd.get("exploited_since"),
                    "lists": list(self.euvd.get("lists") or []),
                },
                "by": self.exploited_by,
            },
            "epss": None
            if self.epss is None
            else {"score": self.epss[0], "percentile": self.epss[1]},
            "reportable": self.reportable,
            "suppressed": None if self.suppressed is None else self.suppressed.to_dict(),
            "vex": None if self.vex is None else self.vex.to_dict(),
            "references": self.references,
            "cwes": self.cwes,
            "published": self.published,
            "modified": self.modified,
        }


@dataclass
class MatchResult:
    """What matching found, and what it could not check.

    ``unknown`` holds (component, advisory id) pairs whose verdict could not be established
    (an event or the version does not parse under the scheme); ``not_checked`` holds each
    component that was not (fully) checked, with the reason; ``feeds`` describes the
    exploitation and scoring data used (:meth:`VulnDB.feeds`), None for a feed never imported.
    """

    findings: list[Finding]
    components: int
    unknown: list[tuple[Component, str]] = field(default_factory=list)
    not_checked: list[tuple[Component, str]] = field(default_factory=list)
    feeds: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    @property
    def unsupported(self) -> int:
        """Components left out entirely: no ecosystem, no usable version, no data."""
        partly = {id(c) for c, _ in self.unknown}
        return sum(1 for c, _ in self.not_checked if id(c) not in partly)

    @property
    def exploitation_known(self) -> bool:
        """True when a CISA KEV or ENISA EUVD exploited list has been imported."""
        return any((self.feeds.get(name) or {}).get("count") for name in ("kev", "euvd"))


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


def check_component(component: Component, ecosystems: frozenset[str]) -> str | None:
    """Why ``component`` cannot be checked against the database, or None when it can.

    ``ecosystems`` are the base ecosystems the database holds advisories for.
    """
    if not component.ecosystem:
        return "no ecosystem (no purl, or a purl type OSV does not cover)"
    if not component.version:
        spec = component.properties.get("specifier")
        if spec:
            return f"no pinned version (requirement {component.name}{spec})"
        return "no version"
    base = base_ecosystem(component.ecosystem)
    scheme = scheme_for(component.ecosystem)
    if base not in ecosystems:
        if not scheme.exact:
            return f"unknown ecosystem {component.ecosystem!r}"
        return f"the database holds no {base} advisories (steward db update -e {base})"
    if scheme.exact and not scheme.accepts(component.version):
        return f"{component.version!r} is not a valid {base} version"
    return None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restored afterwards).

    Matching allocates hundreds of thousands of small acyclic objects (parsed records,
    version keys, findings); the collector's generation-2 passes over them cost 40% of a
    10,000-component run and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def match(
    db: VulnDB,
    components: list[Component],
    *,
    progress: Callable[[int], None] | None = None,
) -> MatchResult:
    """Every vulnerability affecting ``components`` (see :func:`_match`), collector paused."""
    with gc_paused():
        return _match(db, components, progress=progress)


def _match(
    db: VulnDB,
    components: list[Component],
    *,
    progress: Callable[[int], None] | None = None,
) -> MatchResult:
    """Every vulnerability affecting ``components``, with exploitation data attached.

    Components that cannot be checked (no ecosystem, no pinned version, a version the
    ecosystem's scheme refuses, an ecosystem the database holds nothing for) are listed in
    ``not_checked`` with the reason instead of being matched; advisories whose verdict
    cannot be established are listed in ``unknown`` and their components in ``not_checked``.
    Per-advisory facts (severity, references, CWEs) and fixed versions per package are
    computed once per run; the exploitation feeds are read in one batch at the end.
    """
    start = time.perf_counter()
    result = MatchResult(findings=[], components=len(components))
    facts_cache: dict[str, _AdvisoryFacts] = {}
    fixed_cache: dict[tuple[str, str, str], list[str]] = {}
    verdicts: dict[tuple[str, str, str, str | None], tuple[list[list[Advisory]], list[str]]] = {}
    templates: dict[tuple[tuple[str, ...], str, str], Finding] = {}
    ecosystems = db.ecosystems()

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

    checkable: list[Component] = []
    for comp in components:
        reason = check_component(comp, ecosystems)
        if reason is None:
            checkable.append(comp)
        else:
            result.not_checked.append((comp, reason))
    db.preload((c.ecosystem, c.name) for c in checkable)
    for index, comp in enumerate(checkable):
        if progress is not None and index % 256 == 0:
            progress(index)
        key = (comp.ecosystem, comp.name, comp.version, comp.commit)
        known = verdicts.get(key)
        if known is None:
            affecting: list[Advisory] = []
            undecided: list[str] = []
            for adv in db.advisories_for(comp.ecosystem, comp.name):
                verdict = adv.evaluate(comp.version, commit=comp.commit)
                if verdict is Verdict.AFFECTED:
                    affecting.append(adv)
                elif verdict is Verdict.UNKNOWN:
                    undecided.append(adv.id)
            known = verdicts[key] = (_groups(affecting) if affecting else [], undecided)
        groups, undecided = known
        if undecided:
            result.unknown += [(comp, ident) for ident in undecided]
            shown = ", ".join(undecided[:3]) + (", ..." if len(undecided) > 3 else "")
            result.not_checked.append(
                (comp, f"{len(undecided)} advisories could not be evaluated ({shown})")
            )
        for group in groups:
            # the same vulnerabilities of the same package recur across versions and
            # lockfiles: build the finding once, then only the component differs
            gkey = (tuple(a.id for a in group), comp.ecosystem, comp.name)
            template = templates.get(gkey)
            if template is None:
                template = templates[gkey] = _finding(group, comp, facts, fixed_for)
            result.findings.append(template.for_component(comp))
    _attach_feeds(db, result.findings)
    result.feeds = db.feeds()
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


def _attach_feeds(db: VulnDB, findings: list[Finding]) -> None:
    """KEV, EUVD (exploited list and CVE ↔ EUVD id mapping) and EPSS, in one batch.

    Findings of one vulnerability share their ids, so each set of ids is looked up once.
    """
    wanted = {i for f in findings for i in f.ids if i.startswith(("CVE-", "EUVD-"))}
    feeds = db.exploitation(wanted)
    known: dict[tuple[str, ...], tuple[Any, Any, Any, list[str]]] = {}
    for finding in findings:
        ids = (finding.id, *finding.aliases)
        found = known.get(ids)
        if found is None:
            kev = euvd = epss = None
            euvd_ids: list[str] = []
            for ident in ids:
                kev = kev or feeds.kev.get(ident)
                euvd = euvd or feeds.euvd.get(ident)
                euvd_ids += [e for e in feeds.euvd_ids.get(ident, ()) if e not in euvd_ids]
                value = feeds.epss.get(ident)
                if value is not None and (epss is None or value[0] > epss[0]):
                    epss = value
            if euvd is not None and euvd.get("id"):
                euvd_ids.append(str(euvd["id"]))
            new = sorted({e for e in euvd_ids if e not in ids})
            aliases = sorted([*finding.aliases, *new]) if new else finding.aliases
            found = known[ids] = (kev, euvd, epss, aliases)
        kev, euvd, epss, aliases = found
        finding.kev = finding.kev or kev
        finding.euvd = finding.euvd or euvd
        if epss is not None and (finding.epss is None or epss[0] > finding.epss[0]):
            finding.epss = epss
        finding.aliases = aliases
