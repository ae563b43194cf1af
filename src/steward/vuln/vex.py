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

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from steward.errors import InputError
from steward.safeio import as_dict, as_list, load_json
from steward.sbom.component import Component
from steward.vuln.matcher import Finding, VexDecision
from steward.vuln.purls import parse_purl
from steward.vuln.vers import contains
from steward.vuln.versions import VersionError, scheme_for


class Status(enum.StrEnum):
    """A statement's status, in OpenVEX's words (plus CycloneDX's ``false_positive``)."""

    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"
    FALSE_POSITIVE = "false_positive"


SUPPRESSING = frozenset({Status.NOT_AFFECTED, Status.FIXED, Status.FALSE_POSITIVE})

_STATUS_WORDS = {
    # OpenVEX
    "not_affected": Status.NOT_AFFECTED,
    "affected": Status.AFFECTED,
    "fixed": Status.FIXED,
    "under_investigation": Status.UNDER_INVESTIGATION,
    # CycloneDX analysis.state
    "exploitable": Status.AFFECTED,
    "in_triage": Status.UNDER_INVESTIGATION,
    "resolved": Status.FIXED,
    "resolved_with_pedigree": Status.FIXED,
    "false_positive": Status.FALSE_POSITIVE,
    # CSAF product_status
    "known_affected": Status.AFFECTED,
    "first_affected": Status.AFFECTED,
    "last_affected": Status.AFFECTED,
    "known_not_affected": Status.NOT_AFFECTED,
    "first_fixed": Status.FIXED,
}
_CSAF_STATUSES = (
    "first_affected",
    "known_affected",
    "last_affected",
    "known_not_affected",
    "first_fixed",
    "fixed",
    "under_investigation",
)

#: OpenVEX / CSAF justification labels → CycloneDX ``analysis.justification``. There is no
#: exact CycloneDX word for "cannot be controlled by adversary"; ``requires_environment``
#: is the closest (the original label stays in the detail text).
TO_CYCLONEDX_JUSTIFICATION = {
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}
#: CycloneDX ``analysis.justification`` → OpenVEX justification label
TO_OPENVEX_JUSTIFICATION = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "component_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
CYCLONEDX_JUSTIFICATIONS = frozenset(TO_OPENVEX_JUSTIFICATION)
OPENVEX_JUSTIFICATIONS = frozenset(TO_CYCLONEDX_JUSTIFICATION)


def cyclonedx_justification(label: str | None) -> str | None:
    """The CycloneDX ``analysis.justification`` for a justification in any VEX format."""
    if label is None:
        return None
    if label in CYCLONEDX_JUSTIFICATIONS:
        return label
    return TO_CYCLONEDX_JUSTIFICATION.get(label)


def openvex_justification(label: str | None) -> str | None:
    """The OpenVEX justification label for a justification in any VEX format."""
    if label is None:
        return None
    if label in OPENVEX_JUSTIFICATIONS:
        return label
    return TO_OPENVEX_JUSTIFICATION.get(label)


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class VersionSpec:
    """One CycloneDX ``affects[].versions`` entry: an exact version or a ``vers`` range."""

    version: str | None = None
    range: str | None = None


@dataclass(frozen=True, slots=True)
class ProductRef:
    """What a statement names: a purl, a CPE and/or a bom-ref, possibly within a product.

    ``serial`` is the SBOM a bom-ref belongs to (from a BOM-Link, lower-case UUID) or None
    for a bare ref; ``local`` marks a bare ref that the VEX document defines itself (then its
    purl/CPE identify it); ``whole_bom`` a BOM-Link without ``#`` (the SBOM's subject).
    """

    label: str
    purl: str | None = None
    cpe: str | None = None
    bom_ref: str | None = None
    serial: str | None = None
    local: bool = False
    whole_bom: bool = False
    versions: tuple[VersionSpec, ...] = ()
    within: ProductRef | None = None

    @property
    def identified(self) -> bool:
        return bool(self.purl or self.cpe or self.whole_bom or (self.bom_ref and not self.local))


@dataclass(frozen=True, slots=True)
class VexStatement:
    """One statement: vulnerability ids, products, normalised status, and its place in time."""

    ids: frozenset[str]
    products: tuple[ProductRef, ...]
    status: Status | None
    raw_status: str
    justification: str | None
    detail: str | None
    source: str
    timestamp: datetime | None
    position: tuple[int, int] = (0, 0)  # (document on the command line, statement in it)

    @property
    def order(self) -> tuple[int, datetime, tuple[int, int]]:
        """Sort key of the sequence: undated first, then by time, then by position."""
        moment = self.timestamp or datetime.min.replace(tzinfo=UTC)
        return (self.timestamp is not None, moment, self.position)


@dataclass
class VexDocument:
    """A VEX document read from a file."""

    source: str
    format: str  # "OpenVEX", "CycloneDX" or "CSAF"
    statements: list[VexStatement]
    serial: str | None = None  # CycloneDX serialNumber (lower-case UUID)


@dataclass(frozen=True)
class Subject:
    """What was scanned: the SBOM's serial number and root component, when known."""

    serial: str | None = None
    root_ref: str | None = None
    root_purl: str | None = None
    root_cpe: str | None = None
    root_version: str | None = None


@dataclass
class DocumentReport:
    """What one VEX document did: statements read, matched, and why the rest did not."""

    source: str
    format: str
    statements: int
    matched: int = 0
    decided: int = 0  # findings whose newest statement came from this document
    suppressed: int = 0
    unmatched: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """``VEX x.json: 11 statements, 0 matched: products named without purl or CPE``."""
        name = Path(self.source).name
        text = f"VEX {name}: {self.statements} statements, {self.matched} matched"
        if self.suppressed:
            text += f", {self.suppressed} findings suppressed"
        if self.statements and not self.matched:
            reasons = sorted(self.unmatched.items(), key=lambda kv: (-kv[1], kv[0]))
            if len(reasons) == 1:
                text += f": {reasons[0][0]}"
            elif reasons:
                text += ": " + "; ".join(f"{n} {why}" for why, n in reasons)
        elif not self.statements:
            text += ": the document holds no VEX statement"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "statements": self.statements,
            "matched": self.matched,
            "decided": self.decided,
            "suppressed": self.suppressed,
            "unmatched": dict(sorted(self.unmatched.items())),
        }


# ------------------------------------------------------------------------------ helpers


def _opt(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _strs(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 / ISO 8601 time as an aware datetime (UTC if no offset), or None."""
    text = _opt(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _uuid(serial: str | None) -> str | None:
    """``urn:uuid:ABC`` or ``ABC`` → ``abc``."""
    if not serial:
        return None
    text = serial.strip().lower()
    return text.removeprefix("urn:uuid:") or None


def _identity(text: str | None) -> tuple[str, str | None]:
    """Sort an identifier into ("purl", text), ("cpe", text) or ("other", text)."""
    if text and text[:4].lower() == "pkg:":
        return "purl", text
    if text and text[:4].lower() == "cpe:":
        return "cpe", text
    return "other", text


# ------------------------------------------------------------------------------ OpenVEX


def _openvex_product(item: Any) -> ProductRef | None:
    if isinstance(item, str):
        kind, text = _identity(item)
        return ProductRef(
            label=item,
            purl=text if kind == "purl" else None,
            cpe=text if kind == "cpe" else None,
        )
    if not isinstance(item, dict):
        return None
    ident = _opt(item.get("@id"))
    helpers = as_dict(item.get("identifiers"))
    purl = _opt(helpers.get("purl"))
    cpe = _opt(helpers.get("cpe23")) or _opt(helpers.get("@cpe23"))
    cpe = cpe or _opt(helpers.get("cpe22")) or _opt(helpers.get("@cpe22"))
    kind, text = _identity(ident)
    purl = purl or (text if kind == "purl" else None)
    cpe = cpe or (text if kind == "cpe" else None)
    return ProductRef(label=ident or purl or cpe or "(unnamed product)", purl=purl, cpe=cpe)


def _openvex(data: dict[str, Any], source: str, index: int) -> VexDocument:
    doc_time = parse_time(data.get("last_updated")) or parse_time(data.get("timestamp"))
    statements = []
    for number, item in enumerate(as_list(data.get("statements"))):
        if not isinstance(item, dict):
            continue
        vuln = item.get("vulnerability")
        ids: set[str] = set()
        if isinstance(vuln, str):
            ids.add(vuln.strip())
        elif isinstance(vuln, dict):
            ids |= {v.strip() for v in (vuln.get("name"), vuln.get("@id")) if isinstance(v, str)}
            ids |= {a.strip() for a in _strs(vuln.get("aliases"))}
        # OpenVEX 0.0.x put subcomponents on the statement, 0.2 on each product
        shared = [_openvex_product(x) for x in as_list(item.get("subcomponents"))]
        products: list[ProductRef] = []
        for raw in as_list(item.get("products")):
            product = _openvex_product(raw)
            if product is None:
                continue
            own = as_list(raw.get("subcomponents")) if isinstance(raw, dict) else []
            subs = [s for s in [*(_openvex_product(x) for x in own), *shared] if s is not None]
            if subs:
                products += [replace(s, within=product) for s in subs]
            else:
                products.append(product)
        raw_status = str(item.get("status") or "")
        detail = _opt(item.get("impact_statement")) or _opt(item.get("status_notes"))
        detail = detail or _opt(item.get("action_statement"))
        moment = parse_time(item.get("last_updated")) or parse_time(item.get("timestamp"))
        statements.append(
            VexStatement(
                ids=frozenset(i for i in ids if i),
                products=tuple(products),
                status=_STATUS_WORDS.get(raw_status),
                raw_status=raw_status,
                justification=_opt(item.get("justification")),
                detail=detail,
                source=source,
                timestamp=moment or doc_time,
                position=(index, number),
            )
        )
    return VexDocument(source, "OpenVEX", statements)


# ---------------------------------------------------------------------------- CycloneDX


def _cdx_ref(ref: str, local: dict[str, dict[str, Any]]) -> ProductRef:
    if ref.startswith("urn:cdx:"):
        head, hash_, fragment = ref[len("urn:cdx:") :].partition("#")
        serial = _uuid(head.split("/", 1)[0])
        if not hash_ or not fragment:
            return ProductRef(label=ref, serial=serial, whole_bom=True)
        return ProductRef(label=ref, bom_ref=unquote(fragment), serial=serial)
    known = local.get(ref)
    if known is None:
        return ProductRef(label=ref, bom_ref=ref)
    return ProductRef(
        label=ref,
        purl=_opt(known.get("purl")),
        cpe=_opt(known.get("cpe")),
        bom_ref=ref,
        local=True,
    )


def _cyclonedx(data: dict[str, Any], source: str, index: int) -> VexDocument:
    local: dict[str, dict[str, Any]] = {}

    def walk(items: Any) -> None:
        for comp in as_list(items):
            if isinstance(comp, dict):
                if isinstance(comp.get("bom-ref"), str):
                    local[comp["bom-ref"]] = comp
                walk(comp.get("components"))

    walk(data.get("components"))
    meta = as_dict(data.get("metadata"))
    if isinstance(meta.get("component"), dict):
        walk([meta["component"]])
    doc_time = parse_time(meta.get("timestamp"))
    statements = []
    for number, vuln in enumerate(as_list(data.get("vulnerabilities"))):
        if not isinstance(vuln, dict):
            continue
        ids = {vuln["id"].strip()} if isinstance(vuln.get("id"), str) else set()
        ids |= {
            str(r["id"]).strip()
            for r in as_list(vuln.get("references"))
            if isinstance(as_dict(r).get("id"), str)
        }
        analysis = as_dict(vuln.get("analysis"))
        products = []
        for affect in as_list(vuln.get("affects")):
            ref = as_dict(affect).get("ref")
            if not isinstance(ref, str) or not ref.strip():
                continue
            product = _cdx_ref(ref.strip(), local)
            versions = tuple(
                VersionSpec(_opt(as_dict(v).get("version")), _opt(as_dict(v).get("range")))
                for v in as_list(as_dict(affect).get("versions"))
                if _opt(as_dict(v).get("version")) or _opt(as_dict(v).get("range"))
            )
            if versions:
                product = replace(product, versions=versions)
            products.append(product)
        raw_status = str(analysis.get("state") or "")
        moment = (
            parse_time(analysis.get("lastUpdated"))
            or parse_time(analysis.get("firstIssued"))
            or parse_time(vuln.get("updated"))
            or parse_time(vuln.get("published"))
            or doc_time
        )
        statements.append(
            VexStatement(
                ids=frozenset(i for i in ids if i),
                products=tuple(products),
                status=_STATUS_WORDS.get(raw_status),
                raw_status=raw_status,
                justification=_opt(analysis.get("justification")),
                detail=_opt(analysis.get("detail")),
                source=source,
                timestamp=moment,
                position=(index, number),
            )
        )
    return VexDocument(source, "CycloneDX", statements, _uuid(_opt(data.get("serialNumber"))))


# --------------------------------------------------------------------------------- CSAF


def _csaf_products(tree: dict[str, Any]) -> dict[str, ProductRef]:
    """product_id → what it names, from branches, full product names and relationships."""
    products: dict[str, ProductRef] = {}

    def product(item: Any) -> None:
        item = as_dict(item)
        pid = _opt(item.get("product_id"))
        if pid is None:
            return
        helper = as_dict(item.get("product_identification_helper"))
        products[pid] = ProductRef(
            label=_opt(item.get("name")) or pid,
            purl=_opt(helper.get("purl")),
            cpe=_opt(helper.get("cpe")),
        )

    def branches(items: Any) -> None:
        for branch in as_list(items):
            if isinstance(branch, dict):
                product(branch.get("product"))
                branches(branch.get("branches"))

    branches(tree.get("branches"))
    for item in as_list(tree.get("full_product_names")):
        product(item)
    for rel in as_list(tree.get("relationships")):
        rel = as_dict(rel)
        full = as_dict(rel.get("full_product_name"))
        pid = _opt(full.get("product_id"))
        part = products.get(_opt(rel.get("product_reference")) or "")
        whole = products.get(_opt(rel.get("relates_to_product_reference")) or "")
        if pid is None or part is None:
            continue
        products[pid] = ProductRef(
            label=_opt(full.get("name")) or pid,
            purl=part.purl,
            cpe=part.cpe,
            within=whole,
        )
    return products


def _csaf(data: dict[str, Any], source: str, index: int) -> VexDocument:
    tree = as_dict(data.get("product_tree"))
    products = _csaf_products(tree)
    groups = {
        str(g["group_id"]): _strs(g.get("product_ids"))
        for g in (as_dict(x) for x in as_list(tree.get("product_groups")))
        if isinstance(g.get("group_id"), str)
    }
    tracking = as_dict(as_dict(data.get("document")).get("tracking"))
    doc_time = parse_time(tracking.get("current_release_date"))

    def members(item: dict[str, Any]) -> list[str]:
        ids = _strs(item.get("product_ids"))
        for group in _strs(item.get("group_ids")):
            ids += groups.get(group, [])
        return ids

    statements = []
    number = 0
    for vuln in as_list(data.get("vulnerabilities")):
        if not isinstance(vuln, dict):
            continue
        ids = {vuln["cve"].strip()} if isinstance(vuln.get("cve"), str) else set()
        ids |= {
            str(i["text"]).strip()
            for i in as_list(vuln.get("ids"))
            if isinstance(as_dict(i).get("text"), str)
        }
        justifications: dict[str, str] = {}
        for flag in as_list(vuln.get("flags")):
            label = _opt(as_dict(flag).get("label"))
            for pid in members(as_dict(flag)):
                if label:
                    justifications.setdefault(pid, label)
        details: dict[str, str] = {}
        for threat in as_list(vuln.get("threats")):
            threat = as_dict(threat)
            if threat.get("category") == "impact" and _opt(threat.get("details")):
                for pid in members(threat):
                    details.setdefault(pid, str(threat["details"]).strip())
        status = as_dict(vuln.get("product_status"))
        for csaf_status in _CSAF_STATUSES:
            for pid in _strs(status.get(csaf_status)):
                ref = products.get(pid, ProductRef(label=pid))
                statements.append(
                    VexStatement(
                        ids=frozenset(i for i in ids if i),
                        products=(ref,),
                        status=_STATUS_WORDS.get(csaf_status),
                        raw_status=csaf_status,
                        justification=justifications.get(pid),
                        detail=details.get(pid),
                        source=source,
                        timestamp=doc_time,
                        position=(index, number),
                    )
                )
                number += 1
    return VexDocument(source, "CSAF", statements)


def load_vex(path: str | Path, *, index: int = 0) -> VexDocument:
    """Read one VEX document (format detected from its content).

    ``index`` is the document's position on the command line (later wins at equal times).
    Raises :class:`InputError` for a file that is not JSON or not a VEX document.
    """
    data = load_json(path)
    source = str(path)
    if not isinstance(data, dict):
        raise InputError("not a VEX document: expected a JSON object", source=path)
    context = str(data.get("@context", ""))
    if "openvex" in context:
        return _openvex(data, source, index)
    if data.get("bomFormat") == "CycloneDX":
        return _cyclonedx(data, source, index)
    category = str(as_dict(data.get("document")).get("category", ""))
    if category.startswith("csaf_"):
        return _csaf(data, source, index)
    raise InputError(
        "not a VEX document: expected OpenVEX, CycloneDX (vulnerabilities) or CSAF", source=path
    )


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
