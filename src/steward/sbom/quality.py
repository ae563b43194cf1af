"""SBOM quality: BSI TR-03183-2 v2.1, the NTIA minimum elements (2021) and CISA's 2025
minimum elements, field by field, on a document that has first been validated.

Rules that keep the score honest:

- **Validity first.** Every profile starts with "the document is valid in its own format"
  (:mod:`steward.sbom.validate`); an invalid document cannot reach 100. Validation that could
  not run is reported as unknown with its reason and left out of the score.
- **The primary component counts.** The component the SBOM describes (CycloneDX
  ``metadata.component``, SPDX ``DESCRIBES``/``rootElement``) is checked like every other
  component, and its absence fails the "primary component" field.
- **0/0 is not 100 %.** A component field with no component to check scores 0.
- **One graph for every format.** A component is *in the dependency graph* when it is the
  primary component or reachable from it along dependency edges (CycloneDX ``dependsOn``,
  SPDX ``DEPENDS_ON``/``CONTAINS`` and their inverses, SPDX 3 ``dependsOn``/``contains``).
  An orphan listed with an empty dependency entry is not in the graph, whatever the format.
  TR-03183-2's "dependencies" field also needs the component's own dependency list to be
  stated (edges, an explicit "none", or a completeness statement).
- **Each missing field says how to supply it** (``Field.hint``).

Field sources: TR-03183-2 v2.1.0 (2025-08-20) §4 (format), §5.2.1-§5.2.2 (required SBOM and
component fields), §5.2.3 (optional: security.txt URL), §3.1 (no vulnerability data in the
SBOM); NTIA "The Minimum Elements For a Software Bill of Materials" (2021), data fields;
CISA "2025 Minimum Elements for a Software Bill of Materials" (public comment draft, August
2025), data fields.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from steward.sbom.read import DocComponent, SbomDocument

if TYPE_CHECKING:
    from steward.sbom.validate import Validation


class Standard(StrEnum):
    TR_03183_2 = "tr-03183-2"
    NTIA = "ntia"
    CISA_2025 = "cisa-2025"


STANDARD_TITLES = {
    Standard.TR_03183_2: "BSI TR-03183-2 v2.1",
    Standard.NTIA: "NTIA minimum elements (2021)",
    Standard.CISA_2025: "CISA minimum elements (2025)",
}


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _format_ok(doc: SbomDocument) -> bool:
    minimum = (1, 6) if doc.standard == "CycloneDX" else (3, 0, 1)
    return _version_tuple(doc.spec_version) >= minimum


def _has_contact(values: list[str]) -> bool:
    return any("@" in v or v.startswith(("http://", "https://")) for v in values)


def _bool_property(comp: DocComponent, name: str) -> bool:
    return comp.properties.get(name, "").strip().lower() in ("true", "false")


def _sha512(comp: DocComponent) -> bool:
    return any(h.algorithm == "SHA-512" for h in comp.distribution_hashes + comp.hashes)


@dataclass(frozen=True)
class Graph:
    """Which components are in the dependency graph (one definition for every format)."""

    reachable: frozenset[str]
    stated: frozenset[str]

    @classmethod
    def of(cls, doc: SbomDocument) -> Graph:
        seen: set[str] = set()
        if doc.root is not None:
            seen.add(doc.root.ref)
            queue = deque([doc.root.ref])
            while queue:
                for target in doc.dependencies.get(queue.popleft(), ()):
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
        return cls(frozenset(seen), frozenset(doc.stated_refs))


@dataclass(frozen=True)
class Field:
    """One data field of a guideline and how to tell whether it is present.

    ``kind``: ``required`` (the guideline's MUST/SHALL; scored), ``optional`` (MAY; reported,
    scored separately). ``hint``: how to supply the field when it is missing.
    """

    id: str
    title: str
    level: str  # "document" or "component"
    kind: str
    hint: str
    doc_test: Callable[[SbomDocument], bool] | None = None
    comp_test: Callable[[DocComponent, Graph], bool] | None = None

    @property
    def required(self) -> bool:
        return self.kind == "required"


def _doc(
    id: str, title: str, test: Callable[[SbomDocument], bool], hint: str, kind: str = "required"
) -> Field:
    return Field(id, title, "document", kind, hint, doc_test=test)


def _comp(
    id: str,
    title: str,
    test: Callable[[DocComponent, Graph], bool],
    hint: str,
    kind: str = "required",
) -> Field:
    return Field(id, title, "component", kind, hint, comp_test=test)


def _valid_placeholder(doc: SbomDocument) -> bool:  # decided from the Validation, see check()
    return False


VALID = _doc(
    "valid",
    "Document valid in its format (official schema / validator)",
    _valid_placeholder,
    "fix the validation errors listed above; Steward's own output validates (steward sbom PATH)",
)
PRIMARY = _doc(
    "primary-component",
    "Primary component (what the SBOM describes)",
    lambda d: d.root is not None,
    "describe the product: CycloneDX metadata.component, SPDX DESCRIBES / rootElement "
    "(steward sbom writes the project as the primary component)",
)
TIMESTAMP = _doc(
    "timestamp",
    "Timestamp of the SBOM",
    lambda d: bool(d.timestamp),
    "CycloneDX metadata.timestamp / SPDX created; steward sbom writes it "
    "(SOURCE_DATE_EPOCH for reproducible builds)",
)
NAME = _comp(
    "component-name",
    "Component name",
    lambda c, g: bool(c.name),
    "every component needs a name; regenerate from the lockfile",
)
VERSION = _comp(
    "component-version",
    "Component version",
    lambda c, g: bool(c.version),
    "pin the dependency in a lockfile (a range is not a version); for the primary "
    "component pass --project-version or set it in the manifest",
)
IN_GRAPH = _comp(
    "dependency-relationship",
    "Dependency relationship (reachable from the primary component)",
    lambda c, g: c.ref in g.reachable,
    "link every component to the primary component through dependency edges "
    "(a lockfile records them; steward sbom writes them)",
)
IDENTIFIERS = _comp(
    "unique-identifiers",
    "Software identifiers (purl, CPE, SWID, OmniBOR, SWHID)",
    lambda c, g: bool(c.purl or c.cpe or c.other_ids),
    "give each component a purl (steward sbom writes one per registry package)",
)

TR_FIELDS: tuple[Field, ...] = (
    VALID,
    _doc(
        "format",
        "Format: CycloneDX >= 1.6 or SPDX >= 3.0.1 (§4)",
        _format_ok,
        "steward sbom -f cyclonedx-json (1.6, or --spec-version 1.7) or -f spdx3-json",
    ),
    PRIMARY,
    _doc(
        "sbom-creator",
        "Creator of the SBOM: e-mail or URL (§5.2.1)",
        lambda d: _has_contact(d.creator_contacts),
        "pass --creator-email (or --creator-url) to steward sbom",
    ),
    TIMESTAMP,
    _doc(
        "sbom-uri",
        "SBOM-URI (serial number / SPDX document or SBOM id) (§5.2.1)",
        lambda d: bool(d.uri),
        "CycloneDX serialNumber / SPDX 3 Sbom spdxId; steward sbom writes one",
    ),
    _doc(
        "no-vulnerabilities",
        "No vulnerability information in the SBOM (§3.1)",
        lambda d: d.vulnerabilities == 0,
        "move vulnerability data to a separate CSAF or VEX document "
        "(steward vulns -f cyclonedx-vex|openvex)",
    ),
    _comp(
        "component-creator",
        "Component creator: e-mail or URL (§5.2.2)",
        lambda c, g: _has_contact(c.creator_contacts),
        "lockfiles do not record who made a package: add manufacturer/authors with a contact "
        "per component from the package's own metadata (a registry page is not its creator)",
    ),
    NAME,
    VERSION,
    _comp(
        "filename",
        "Filename of the component (bsi:component:filename)",
        lambda c, g: bool(c.filename),
        "CycloneDX property bsi:component:filename / SPDX 2 packageFileName / SPDX 3 "
        "distribution File name; "
        "steward sbom writes it where the registry's file name is known",
    ),
    _comp(
        "dependencies",
        "Dependencies enumerated, with their completeness (§5.2.2)",
        lambda c, g: c.ref in g.reachable and c.ref in g.stated,
        "build from a lockfile that records the graph (package-lock, pnpm, yarn, Cargo.lock, "
        "poetry/uv ...); state each component's completeness (CycloneDX compositions)",
    ),
    _comp(
        "distribution-licences",
        "Distribution licences (concluded) (§5.2.2)",
        lambda c, g: bool(c.concluded_licenses),
        "record the licence you distribute each component under after review: CycloneDX "
        "licenses with acknowledgement 'concluded' / SPDX hasConcludedLicense",
    ),
    _comp(
        "original-licences",
        "Original licences (declared by the creator) (§5.2.2)",
        lambda c, g: bool(c.declared_licenses),
        "CycloneDX licenses with acknowledgement 'declared' / SPDX hasDeclaredLicense; most "
        "lockfiles do not carry licences: add them from the packages' metadata",
    ),
    _comp(
        "hash",
        "SHA-512 hash of the deployable form (§5.2.2)",
        lambda c, g: _sha512(c),
        "add the SHA-512 of the deployable file (npm lockfiles carry it; for other "
        "ecosystems hash the downloaded archive)",
    ),
    _comp(
        "executable",
        "Executable property (bsi:component:executable)",
        lambda c, g: _bool_property(c, "bsi:component:executable"),
        "CycloneDX property bsi:component:executable true|false (steward sbom writes it for "
        "registry packages)",
    ),
    _comp(
        "archive",
        "Archive property (bsi:component:archive)",
        lambda c, g: _bool_property(c, "bsi:component:archive"),
        "CycloneDX property bsi:component:archive true|false",
    ),
    _comp(
        "structured",
        "Structured property (bsi:component:structured)",
        lambda c, g: _bool_property(c, "bsi:component:structured"),
        "CycloneDX property bsi:component:structured true|false (SPDX 3 has no counterpart "
        "Steward can read)",
    ),
    _comp(
        "source-uri",
        "Source code URI (§5.2.2)",
        lambda c, g: bool(c.source_uri),
        "CycloneDX externalReferences vcs / source-distribution; lockfiles give it only for "
        "git dependencies",
    ),
    _comp(
        "deployable-uri",
        "URI of the deployable form (§5.2.2)",
        lambda c, g: bool(c.distribution_uri),
        "CycloneDX externalReferences distribution (the download URL the lockfile resolved)",
    ),
    _comp(
        "other-identifiers",
        "Other unique identifiers: purl, CPE, SWID (§5.2.2)",
        IDENTIFIERS.comp_test or (lambda c, g: False),
        IDENTIFIERS.hint,
    ),
    _doc(
        "security-txt",
        "URL of the security.txt of the primary component's creator (§5.2.3, optional)",
        lambda d: d.root is not None and bool(d.root.security_txt),
        "pass --security-txt URL to steward sbom (CycloneDX externalReferences rfc-9116)",
        kind="optional",
    ),
)

NTIA_FIELDS: tuple[Field, ...] = (
    VALID,
    PRIMARY,
    _doc(
        "author",
        "Author of the SBOM data",
        lambda d: bool(d.authors),
        "pass --creator-name (and --creator-email) to steward sbom",
    ),
    TIMESTAMP,
    _comp(
        "supplier",
        "Supplier name",
        lambda c, g: bool(c.supplier),
        "lockfiles rarely name suppliers: add supplier/manufacturer names per component "
        "from the packages' metadata",
    ),
    NAME,
    VERSION,
    IDENTIFIERS,
    IN_GRAPH,
)

CISA_FIELDS: tuple[Field, ...] = (
    VALID,
    PRIMARY,
    _doc(
        "author",
        "SBOM author",
        lambda d: bool(d.authors),
        "pass --creator-name (and --creator-email) to steward sbom",
    ),
    TIMESTAMP,
    _doc(
        "tool-name",
        "Tool name",
        lambda d: bool(d.tools),
        "CycloneDX metadata.tools / SPDX Tool creator; steward sbom writes itself",
    ),
    _doc(
        "generation-context",
        "Generation context (before build, during build, after build ...)",
        lambda d: bool(d.lifecycles),
        "CycloneDX metadata.lifecycles / SPDX 3 sbomType; steward sbom writes pre-build "
        "(SPDX 2 cannot state it)",
    ),
    _comp(
        "software-producer",
        "Software producer",
        lambda c, g: bool(c.supplier),
        "add the producing organisation per component (supplier/manufacturer name) from the "
        "packages' metadata; lockfiles do not record it",
    ),
    NAME,
    VERSION,
    IDENTIFIERS,
    _comp(
        "component-hash",
        "Component hash",
        lambda c, g: bool(c.hashes or c.distribution_hashes),
        "use a lockfile that records hashes (package-lock, poetry, uv, Cargo.lock; "
        "requirements.txt with --hash)",
    ),
    _comp(
        "licence",
        "Licence",
        lambda c, g: bool(c.declared_licenses or c.concluded_licenses or c.other_licenses),
        "add licences per component (CycloneDX licenses / SPDX licenseDeclared); most "
        "lockfiles do not carry them",
    ),
    IN_GRAPH,
)

FIELDS: dict[Standard, tuple[Field, ...]] = {
    Standard.TR_03183_2: TR_FIELDS,
    Standard.NTIA: NTIA_FIELDS,
    Standard.CISA_2025: CISA_FIELDS,
}


@dataclass
class FieldResult:
    field: Field
    present: int
    total: int
    missing: list[str] = dataclasses.field(default_factory=list)  # component labels
    #: the verdict could not be established (``note`` says why); left out of the score
    unknown: bool = False
    note: str = ""
    missing_refs: list[str] = dataclasses.field(default_factory=list)  # bom-refs / SPDXIDs

    @property
    def coverage(self) -> float:
        """Share of checked items that have the field; 0 when there is nothing to check."""
        return self.present / self.total if self.total else 0.0


@dataclass
class StandardResult:
    standard: Standard
    fields: list[FieldResult]

    def _score(self, kind: str) -> float | None:
        scored = [f for f in self.fields if f.field.kind == kind and not f.unknown]
        if not scored:
            return None
        return round(100.0 * sum(f.coverage for f in scored) / len(scored), 1)

    @property
    def score(self) -> float:
        """Mean coverage of the required fields in per cent (0 when none could be decided)."""
        return self._score("required") or 0.0

    @property
    def additional_score(self) -> float | None:
        """Mean coverage of the optional fields, or None when the profile has none."""
        return self._score("optional")


@dataclass
class QualityReport:
    document: SbomDocument
    results: list[StandardResult]
    validation: Validation | None = None

    @property
    def score(self) -> float:
        """The lowest score among the standards checked."""
        return min(r.score for r in self.results)

    @property
    def checked(self) -> int:
        """Components checked: the primary component (if any) and every other one."""
        return len(self.document.components) + (self.document.root is not None)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        validation = self.validation
        return {
            "file": doc.path,
            "format": f"{doc.standard} {doc.spec_version} ({doc.encoding})",
            "components": len(doc.components),
            "primary_component": label(doc.root) if doc.root else None,
            "validation": None
            if validation is None
            else {
                "valid": validation.valid,
                "validator": validation.validator,
                "errors": validation.errors,
                **({"reason": validation.reason} if validation.reason else {}),
            },
            "score": self.score,
            "standards": [
                {
                    "standard": str(r.standard),
                    "title": STANDARD_TITLES[r.standard],
                    "score": r.score,
                    "optional_score": r.additional_score,
                    "fields": [
                        {
                            "id": f.field.id,
                            "title": f.field.title,
                            "level": f.field.level,
                            "kind": f.field.kind,
                            "required": f.field.required,
                            "present": f.present,
                            "total": f.total,
                            "coverage": None if f.unknown else round(100.0 * f.coverage, 1),
                            "missing": f.missing,
                            **({"note": f.note} if f.note else {}),
                            **({"hint": f.field.hint} if f.missing or f.unknown else {}),
                        }
                        for f in r.fields
                    ],
                }
                for r in self.results
            ],
        }


def label(comp: DocComponent) -> str:
    """How a component is named in reports: its purl, else name@version, else its ref."""
    if comp.purl:
        return comp.purl
    if comp.name:
        return f"{comp.name}@{comp.version}" if comp.version else comp.name
    return comp.ref


def check(
    doc: SbomDocument, standards: list[Standard], validation: Validation | None = None
) -> QualityReport:
    """Check ``doc`` against each standard; ``validation`` decides the "valid" field
    (None: not validated, reported as unknown)."""
    graph = Graph.of(doc)
    checked = ([doc.root] if doc.root is not None else []) + doc.components
    primary = doc.root.ref if doc.root is not None else None

    def name(comp: DocComponent) -> str:
        return f"{label(comp)} (primary)" if comp.ref == primary else label(comp)

    results = []
    for standard in standards:
        fields = []
        for spec in FIELDS[standard]:
            if spec is VALID:
                fields.append(_validity(validation))
                continue
            if spec.level == "document":
                ok = spec.doc_test(doc) if spec.doc_test else False
                fields.append(FieldResult(spec, int(ok), 1, [] if ok else ["(document)"]))
                continue
            test = spec.comp_test
            assert test is not None
            lacking = [c for c in checked if not test(c, graph)]
            total = len(checked)
            note = "" if total else "no components to check: 0 of 0 is not coverage"
            fields.append(
                FieldResult(
                    spec,
                    total - len(lacking),
                    total,
                    [name(c) for c in lacking],
                    note=note,
                    missing_refs=[c.ref for c in lacking],
                )
            )
        results.append(StandardResult(standard, fields))
    return QualityReport(doc, results, validation)


def _validity(validation: Validation | None) -> FieldResult:
    if validation is None or validation.valid is None:
        reason = "not validated" if validation is None else validation.reason
        return FieldResult(VALID, 0, 1, [], unknown=True, note=f"unknown: {reason}")
    if validation.valid:
        return FieldResult(VALID, 1, 1, [], note=validation.validator)
    first = validation.errors[0] if validation.errors else "invalid"
    return FieldResult(VALID, 0, 1, ["(document)"], note=f"{validation.validator}: {first}")
