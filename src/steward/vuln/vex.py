"""VEX input: OpenVEX (0.0.1-0.2.0), CycloneDX VEX (1.4-1.7) and CSAF 2.0 VEX documents.

Each document becomes :class:`VexStatement` objects: vulnerability ids, the products they are
about, a status (normalised to OpenVEX's words), a justification and a time.

**Statements form one sequence** (OpenVEX specification, "VEX is a sequence of statements"):
for one (component, vulnerability) the newest applicable statement decides, across every
``--vex`` document. Newest means the latest time — OpenVEX: the statement's ``last_updated``
or ``timestamp``, else the document's; CycloneDX: ``analysis.lastUpdated`` or
``firstIssued``, else the vulnerability's ``updated``/``published``, else
``metadata.timestamp``; CSAF: ``document.tracking.current_release_date`` — and, at the same
time, the later position (a later file on the command line, a later statement in a file).
A statement with no time at all sorts before every dated one. So an ``affected`` statement
of 20 November overrules a ``not_affected`` of 1 November whatever the file order, and the
finding stays open and reportable.

Statuses: ``not_affected``, ``fixed`` and CycloneDX ``false_positive`` suppress the finding
(it stays in the output, marked with the reason and the file); ``affected`` and
``under_investigation`` keep it open and are shown. CycloneDX ``exploitable`` is affected,
``in_triage`` under investigation, ``resolved``/``resolved_with_pedigree`` fixed; CSAF
``known_affected``/``first_affected``/``last_affected`` are affected,
``known_not_affected`` not affected, ``fixed``/``first_fixed`` fixed.

**Products** are matched to components by:

- purl: type, namespace and name as the ecosystem compares names; a version in the
  statement must equal the component's under the ecosystem's version scheme
  (``pkg:pypi/django@3.2`` is ``3.2.0``); no version means every version. Qualifiers and
  subpaths are ignored;
- CPE: each of the statement's CPE fields equals the component's (``*`` matches anything);
- CycloneDX ``bom-ref`` of the scanned SBOM, bare or as a BOM-Link
  ``urn:cdx:<serial>/<version>#<bom-ref>`` whose serial must be the scanned SBOM's (the
  version is not compared: a bom-ref names the same component across versions of one BOM).
  A bare ref defined in the VEX's own ``components`` is matched by that component's purl or
  CPE instead.

A statement about **the product as a whole** — its product is the scanned SBOM's root
component (by purl, CPE or bom-ref, or a BOM-Link without ``#``) and it names no
subcomponents — applies to every component. A statement about a component *within* a product
(OpenVEX ``subcomponents``, CSAF relationships) applies when that product is the scanned root,
or when the scan has no identified root (a source tree). CycloneDX ``affects[].versions``
restrict a statement to the listed versions and ``vers`` ranges of what it names.

A document whose statements match nothing says why (:class:`DocumentReport`): products named
without purl, CPE or bom-ref, BOM-Links to another SBOM, vulnerabilities no finding has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import unquote

from steward.sbom.component import Component
from steward.vuln.matcher import Finding, VexDecision
from steward.vuln.purls import parse_purl
from steward.vuln.vers import contains
from steward.vuln.versions import VersionError, scheme_for
from steward.vuln.vex_formats import load_vex, parse_time
from steward.vuln.vex_model import (
    CYCLONEDX_JUSTIFICATIONS,
    OPENVEX_JUSTIFICATIONS,
    SUPPRESSING,
    TO_CYCLONEDX_JUSTIFICATION,
    TO_OPENVEX_JUSTIFICATION,
    DocumentReport,
    ProductRef,
    Status,
    Subject,
    VersionSpec,
    VexDocument,
    VexStatement,
    cyclonedx_justification,
    openvex_justification,
)

__all__ = [
    "CYCLONEDX_JUSTIFICATIONS",
    "OPENVEX_JUSTIFICATIONS",
    "SUPPRESSING",
    "TO_CYCLONEDX_JUSTIFICATION",
    "TO_OPENVEX_JUSTIFICATION",
    "DocumentReport",
    "ProductRef",
    "Status",
    "Subject",
    "VersionSpec",
    "VexDocument",
    "VexStatement",
    "apply",
    "cpe_matches",
    "cyclonedx_justification",
    "load_vex",
    "openvex_justification",
    "parse_time",
    "purl_matches",
]


# ----------------------------------------------------------------------------- matching


def _same_version(ecosystem: str, wanted: str, have: str | None) -> bool:
    if have is None:
        return False
    if wanted == have:
        return True
    scheme = scheme_for(ecosystem)
    if not scheme.exact:
        return False
    try:
        return bool(scheme.parse(wanted) == scheme.parse(have))
    except VersionError:
        return False


def purl_matches(statement_purl: str, purl: str | None) -> bool:
    """A statement's purl names this purl: same package, and the same version if it has one."""
    if not purl:
        return False
    want, have = parse_purl(statement_purl), parse_purl(purl)
    if want is None or have is None or want.identity() != have.identity():
        return False
    return want.version is None or _same_version(want.ecosystem, want.version, have.version)


def cpe_matches(statement_cpe: str, cpe: str | None) -> bool:
    """CPE 2.2 URI or 2.3 string: every field the statement fixes has that value in ``cpe``.

    A field the statement leaves open (``*``, ``-`` in 2.2 empty) matches anything; a field
    the statement fixes but ``cpe`` leaves open does not match (we cannot know it is equal).
    """
    if not cpe:
        return False
    want, have = _cpe_fields(statement_cpe), _cpe_fields(cpe)
    if not want or not have:
        return False
    for i, value in enumerate(want):
        if value in _CPE_ANY:
            continue
        if i >= len(have) or have[i] != value:
            return False
    return True


_CPE_ANY = frozenset({"*", "", "any"})


def _cpe_fields(text: str) -> list[str]:
    text = text.strip().lower()
    if text.startswith("cpe:2.3:"):
        return text[len("cpe:2.3:") :].split(":")
    if text.startswith("cpe:/"):
        return [unquote(p) for p in text[len("cpe:/") :].split(":")]
    return []


def _version_listed(ref: ProductRef, ecosystem: str, version: str | None) -> bool | None:
    """Is ``version`` among ``ref.versions``? True with no restriction, None if undecidable."""
    if not ref.versions:
        return True
    if not version:
        return None
    undecided = False
    for spec in ref.versions:
        if spec.version is not None and _same_version(ecosystem, spec.version, version):
            return True
        if spec.range is not None:
            inside = contains(spec.range, version)
            if inside:
                return True
            undecided = undecided or inside is None
    return None if undecided else False


def _root_relation(ref: ProductRef, subject: Subject) -> bool | None:
    """Does ``ref`` name the scanned product? None when the scan cannot tell."""
    if ref.serial is not None:
        if ref.serial != subject.serial:
            return False
        return ref.whole_bom or (ref.bom_ref is not None and ref.bom_ref == subject.root_ref)
    answers: list[bool] = []
    if ref.purl and subject.root_purl:
        answers.append(purl_matches(ref.purl, subject.root_purl))
    if ref.cpe and subject.root_cpe:
        answers.append(cpe_matches(ref.cpe, subject.root_cpe))
    if ref.bom_ref and not ref.local and subject.root_ref:
        answers.append(ref.bom_ref == subject.root_ref)
    if any(answers):
        return True
    return False if answers else None


def _names_component(
    ref: ProductRef, comp: Component, subject: Subject, doc_serial: str | None
) -> bool:
    if ref.serial is not None:
        return ref.serial == subject.serial and ref.bom_ref == comp.ref
    if ref.purl and purl_matches(ref.purl, comp.purl):
        return True
    if ref.cpe and cpe_matches(ref.cpe, comp.properties.get("cpe")):
        return True
    if ref.bom_ref and ref.bom_ref == comp.ref:
        return not ref.local or (doc_serial is not None and doc_serial == subject.serial)
    return False


def _applies(
    statement: VexStatement, comp: Component, subject: Subject, doc_serial: str | None
) -> bool:
    for ref in statement.products:
        if ref.within is not None:
            if _root_relation(ref.within, subject) is False:
                continue  # a component of some other product
            if _names_component(ref, comp, subject, doc_serial) and _version_listed(
                ref, comp.ecosystem, comp.version
            ):
                return True
            continue
        if _root_relation(ref, subject):
            root = parse_purl(subject.root_purl) if subject.root_purl else None
            ecosystem = root.ecosystem if root is not None else "generic"
            if _version_listed(ref, ecosystem, subject.root_version):
                return True
            continue
        if _names_component(ref, comp, subject, doc_serial) and _version_listed(
            ref, comp.ecosystem, comp.version
        ):
            return True
    return False


def _unmatched_reason(statement: VexStatement, subject: Subject, finding_ids: set[str]) -> str:
    if statement.status is None:
        return f"status {statement.raw_status or '(none)'!r} not understood"
    if not statement.ids:
        return "no vulnerability named"
    if not statement.products:
        return "no products named"
    if not any(p.identified or (p.within and p.within.identified) for p in statement.products):
        return "products named without purl, CPE or bom-ref"
    if all(p.serial is not None and p.serial != subject.serial for p in statement.products):
        return "BOM-Links to another SBOM (serial number differs from the scanned one)"
    if not statement.ids & finding_ids:
        return "no finding has these vulnerabilities"
    return "products not among the affected components"


def apply(
    findings: Sequence[Finding],
    documents: Iterable[VexDocument],
    subject: Subject | None = None,
) -> list[DocumentReport]:
    """Decide each finding by its newest applicable statement; one report per document.

    A finding whose deciding statement is ``not_affected``, ``fixed`` or ``false_positive``
    gets ``suppressed``; every decided finding gets ``vex`` (the deciding statement).
    """
    subject = subject or Subject()
    docs = list(documents)
    reports = [DocumentReport(d.source, d.format, len(d.statements)) for d in docs]
    by_id: dict[str, list[tuple[int, VexStatement]]] = {}
    for number, doc in enumerate(docs):
        for statement in doc.statements:
            if statement.status is None:
                continue
            for ident in statement.ids:
                by_id.setdefault(ident, []).append((number, statement))
    matched: set[tuple[int, tuple[int, int]]] = set()
    finding_ids: set[str] = set()
    for finding in findings:
        ids = finding.ids
        finding_ids.update(ids)
        candidates: dict[tuple[int, tuple[int, int]], tuple[int, VexStatement]] = {}
        for ident in ids:
            for number, statement in by_id.get(ident, ()):
                candidates[(number, statement.position)] = (number, statement)
        best: tuple[int, VexStatement] | None = None
        for key, (number, statement) in candidates.items():
            if not _applies(statement, finding.component, subject, docs[number].serial):
                continue
            matched.add(key)
            if best is None or best[1].order < statement.order:
                best = (number, statement)
        if best is None:
            continue
        number, statement = best
        decision = VexDecision(
            status=str(statement.status),
            justification=statement.justification,
            source=statement.source,
            statement=statement.detail,
            timestamp=statement.timestamp.isoformat() if statement.timestamp else None,
        )
        finding.vex = decision
        finding.suppressed = decision if statement.status in SUPPRESSING else None
        reports[number].decided += 1
        reports[number].suppressed += finding.suppressed is not None
    for number, doc in enumerate(docs):
        report = reports[number]
        for statement in doc.statements:
            if (number, statement.position) in matched:
                report.matched += 1
            else:
                why = _unmatched_reason(statement, subject, finding_ids)
                report.unmatched[why] = report.unmatched.get(why, 0) + 1
    return reports
