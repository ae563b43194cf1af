"""SBOM quality: what BSI TR-03183-2 (v2.1) and the NTIA minimum elements require, field by field.

Each :class:`Field` is one data field of a guideline, at document or component level, with
the test that decides whether an SBOM (or a component in it) has it. A field is ``required``
(the guideline's MUST) or ``additional`` (TR-03183-2's "MUST if it exists" fields: reported,
and scored separately). The score of a standard is the mean coverage of its required fields
in per cent: a document field counts 0 or 1, a component field the share of components that
have it.

TR-03183-2 v2 names the formats it accepts: CycloneDX 1.6 or later, SPDX 3.0.1 or later.
Documents in older versions get their fields checked all the same, but fail the format field.
Fields a format cannot express (the ``bsi:component:*`` properties in SPDX 2.x) are reported
missing; the guideline leaves no other way to state them. In SPDX 3 the reader derives the
executable and archive properties from the software purposes (an ``application`` or
``executable`` purpose is executable; an ``archive`` purpose, or a distribution artifact
file with that purpose, is an archive); "structured" has no SPDX 3 counterpart Steward can
read, so it is reported missing there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from steward.sbom.read import DocComponent, SbomDocument


class Standard(StrEnum):
    TR_03183_2 = "tr-03183-2"
    NTIA = "ntia"


STANDARD_TITLES = {
    Standard.TR_03183_2: "BSI TR-03183-2 v2.1",
    Standard.NTIA: "NTIA minimum elements (2021)",
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


def _in_graph(doc: SbomDocument) -> Callable[[DocComponent], bool]:
    listed = set(doc.dependencies)
    for targets in doc.dependencies.values():
        listed.update(targets)
    return lambda comp: comp.ref in listed


@dataclass(frozen=True)
class Field:
    """One data field of a guideline and how to tell whether it is present."""

    id: str
    title: str
    level: str  # "document" or "component"
    required: bool
    doc_test: Callable[[SbomDocument], bool] | None = None
    comp_test: Callable[[DocComponent], bool] | None = None
    graph_test: bool = False  # component test that needs the document's graph
    hint: str = ""


TR_FIELDS: tuple[Field, ...] = (
    Field(
        "format",
        "Format: CycloneDX >= 1.6 or SPDX >= 3.0.1",
        "document",
        True,
        doc_test=_format_ok,
        hint="produce CycloneDX 1.6 or SPDX 3.0.1 (steward sbom -f cyclonedx-json|spdx3-json)",
    ),
    Field(
        "sbom-creator",
        "Creator of the SBOM (e-mail or URL)",
        "document",
        True,
        doc_test=lambda d: _has_contact(d.creator_contacts),
        hint="pass --creator-email or --creator-url",
    ),
    Field(
        "timestamp",
        "Timestamp of the SBOM",
        "document",
        True,
        doc_test=lambda d: bool(d.timestamp),
    ),
    Field(
        "sbom-uri",
        "SBOM URI (serial number / document namespace)",
        "document",
        False,
        doc_test=lambda d: bool(d.uri),
    ),
    Field(
        "component-creator",
        "Component creator (e-mail or URL)",
        "component",
        True,
        comp_test=lambda c: _has_contact(c.creator_contacts),
    ),
    Field("component-name", "Component name", "component", True, comp_test=lambda c: bool(c.name)),
    Field(
        "component-version",
        "Component version",
        "component",
        True,
        comp_test=lambda c: bool(c.version),
    ),
    Field(
        "filename",
        "Filename of the component (bsi:component:filename)",
        "component",
        True,
        comp_test=lambda c: bool(c.filename),
    ),
    Field(
        "dependencies",
        "Dependencies enumerated (component in the dependency graph)",
        "component",
        True,
        graph_test=True,
    ),
    Field(
        "distribution-licences",
        "Distribution licences (declared)",
        "component",
        True,
        comp_test=lambda c: bool(c.declared_licenses),
    ),
    Field(
        "hash",
        "SHA-512 hash of the deployable form",
        "component",
        True,
        comp_test=_sha512,
    ),
    Field(
        "executable",
        "Executable property (bsi:component:executable)",
        "component",
        True,
        comp_test=lambda c: _bool_property(c, "bsi:component:executable"),
    ),
    Field(
        "archive",
        "Archive property (bsi:component:archive)",
        "component",
        True,
        comp_test=lambda c: _bool_property(c, "bsi:component:archive"),
    ),
    Field(
        "structured",
        "Structured property (bsi:component:structured)",
        "component",
        True,
        comp_test=lambda c: _bool_property(c, "bsi:component:structured"),
    ),
    Field(
        "source-uri",
        "Source code URI",
        "component",
        False,
        comp_test=lambda c: bool(c.source_uri),
    ),
    Field(
        "deployable-uri",
        "URI of the deployable form",
        "component",
        False,
        comp_test=lambda c: bool(c.distribution_uri),
    ),
    Field(
        "other-identifiers",
        "Other unique identifiers (purl or CPE)",
        "component",
        False,
        comp_test=lambda c: bool(c.purl or c.cpe),
    ),
    Field(
        "concluded-licences",
        "Original (concluded) licences",
        "component",
        False,
        comp_test=lambda c: bool(c.concluded_licenses),
    ),
)

NTIA_FIELDS: tuple[Field, ...] = (
    Field(
        "author",
        "Author of the SBOM data",
        "document",
        True,
        doc_test=lambda d: bool(d.authors),
        hint="pass --creator-name",
    ),
    Field("timestamp", "Timestamp", "document", True, doc_test=lambda d: bool(d.timestamp)),
    Field(
        "supplier",
        "Supplier name",
        "component",
        True,
        comp_test=lambda c: bool(c.supplier),
    ),
    Field("component-name", "Component name", "component", True, comp_test=lambda c: bool(c.name)),
    Field(
        "version",
        "Version of the component",
        "component",
        True,
        comp_test=lambda c: bool(c.version),
    ),
    Field(
        "unique-identifiers",
        "Other unique identifiers (purl, CPE)",
        "component",
        True,
        comp_test=lambda c: bool(c.purl or c.cpe),
    ),
    Field("dependency-relationship", "Dependency relationship", "component", True, graph_test=True),
)

FIELDS: dict[Standard, tuple[Field, ...]] = {
    Standard.TR_03183_2: TR_FIELDS,
    Standard.NTIA: NTIA_FIELDS,
}


@dataclass
class FieldResult:
    field: Field
    present: int
    total: int
    missing: list[str] = dataclasses.field(default_factory=list)  # component labels

    @property
    def coverage(self) -> float:
        return 1.0 if self.total == 0 else self.present / self.total


@dataclass
class StandardResult:
    standard: Standard
    fields: list[FieldResult]

    @property
    def score(self) -> float:
        required = [f for f in self.fields if f.field.required]
        if not required:
            return 100.0
        return round(100.0 * sum(f.coverage for f in required) / len(required), 1)

    @property
    def additional_score(self) -> float:
        extra = [f for f in self.fields if not f.field.required]
        if not extra:
            return 100.0
        return round(100.0 * sum(f.coverage for f in extra) / len(extra), 1)


@dataclass
class QualityReport:
    document: SbomDocument
    results: list[StandardResult]

    @property
    def score(self) -> float:
        """The lowest score among the standards checked."""
        return min(r.score for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "file": doc.path,
            "format": f"{doc.standard} {doc.spec_version} ({doc.encoding})",
            "components": len(doc.components),
            "score": self.score,
            "standards": [
                {
                    "standard": str(r.standard),
                    "title": STANDARD_TITLES[r.standard],
                    "score": r.score,
                    "additional_score": r.additional_score,
                    "fields": [
                        {
                            "id": f.field.id,
                            "title": f.field.title,
                            "level": f.field.level,
                            "required": f.field.required,
                            "present": f.present,
                            "total": f.total,
                            "coverage": round(100.0 * f.coverage, 1),
                            "missing": f.missing,
                            **({"hint": f.field.hint} if f.field.hint else {}),
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


def check(doc: SbomDocument, standards: list[Standard]) -> QualityReport:
    """Check ``doc`` against each standard in ``standards``."""
    in_graph = _in_graph(doc)
    results = []
    for standard in standards:
        fields = []
        for spec in FIELDS[standard]:
            if spec.level == "document":
                ok = spec.doc_test(doc) if spec.doc_test else False
                fields.append(FieldResult(spec, int(ok), 1, [] if ok else ["(document)"]))
                continue
            test = in_graph if spec.graph_test else spec.comp_test
            assert test is not None
            missing = [label(c) for c in doc.components if not test(c)]
            total = len(doc.components)
            fields.append(FieldResult(spec, total - len(missing), total, missing))
        results.append(StandardResult(standard, fields))
    return QualityReport(doc, results)
