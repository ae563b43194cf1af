"""The OSPS Baseline's published mapping documents, imported as data.

The OSPS Baseline publishes its crosswalks to 14 other frameworks as Gemara ``MappingDocument``
YAML files (``baseline/mappings/osps-to-*.yaml`` in ossf/security-baseline; at the time of
writing only in the unmerged pull request 527, a draft). Each mapping goes from one OSPS
*control* (``OSPS-VM-01``, not an assessment requirement) to entries of the target framework
with a relationship (all ``relates-to`` today, strength and rationale unset).

:func:`import_documents` reads such a directory, checks each document's shape and renders the
compact data file the package ships (``data/osps_mappings.json``, JSON because it is generated
and read on every crosswalk: orjson parses it about 50 times faster than YAML);
:func:`load_osps_mappings` reads that file. A test re-imports the published documents and
compares, so the packaged copy cannot drift from its source. Steward derives its crosswalks to
CRA, SSDF, Scorecard, BSI TR-03185-2 and the other targets through these documents
(``steward.catalog.crosswalk``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson

from steward.errors import InputError
from steward.safeio import loads_yaml

PACKAGED = "osps_mappings.json"
_CONTROL = re.compile(r"^OSPS-[A-Z]{2}-\d{2}$")
# Framework keys as the documents' file names spell them, with the one alias Steward uses.
_KEY_ALIASES = {"bsi-tr-03185-2": "tr-03185-2"}


@dataclass(frozen=True, slots=True)
class MappingDocument:
    """One imported mapping document.

    ``key``: Steward's framework key (``cra``, ``tr-03185-2``, ``samm`` ...);
    ``target``: the document's ``mapping-references`` entry for the target framework
    (``id``, ``title``, ``version``, ``url``); ``mappings``: OSPS control id →
    ((relationship, entry id), ...) in document order.
    """

    key: str
    document: str
    id: str
    draft: bool
    target: dict[str, str]
    mappings: dict[str, tuple[tuple[str, str], ...]]

    def targets(self, control: str) -> tuple[str, ...]:
        """The target entry ids a control relates to (empty when unmapped)."""
        return tuple(entry for _, entry in self.mappings.get(control, ()))

    def entries(self) -> list[str]:
        """Every target entry id the document uses, in first-use order."""
        seen: dict[str, None] = {}
        for pairs in self.mappings.values():
            for _, entry in pairs:
                seen.setdefault(entry, None)
        return list(seen)


def _fail(path: Path, message: str) -> InputError:
    return InputError(message, source=path)


def _parse(path: Path) -> MappingDocument:
    raw = loads_yaml(path.read_bytes(), source=path)
    if not isinstance(raw, dict):
        raise _fail(path, "not a mapping document (expected a YAML mapping)")
    meta = raw.get("metadata")
    if not isinstance(meta, dict) or meta.get("type") != "MappingDocument":
        raise _fail(path, "metadata.type is not 'MappingDocument'")
    source = raw.get("source-reference")
    target = raw.get("target-reference")
    if not isinstance(source, dict) or source.get("reference-id") != "osps-baseline":
        raise _fail(path, "source-reference is not the OSPS Baseline ('osps-baseline')")
    if not isinstance(target, dict) or not isinstance(target.get("reference-id"), str):
        raise _fail(path, "target-reference.reference-id is missing")
    references = {
        str(r.get("id")): r for r in meta.get("mapping-references") or [] if isinstance(r, dict)
    }
    framework = references.get(target["reference-id"])
    if framework is None:
        raise _fail(path, f"no mapping-reference for target {target['reference-id']!r}")
    mappings: dict[str, tuple[tuple[str, str], ...]] = {}
    for index, mapping in enumerate(raw.get("mappings") or []):
        where = f"mappings[{index}]"
        if not isinstance(mapping, dict):
            raise _fail(path, f"{where}: not a mapping")
        control = str(mapping.get("source", ""))
        if not _CONTROL.match(control):
            raise _fail(path, f"{where}: source {control!r} is not an OSPS control id")
        relationship = str(mapping.get("relationship") or "")
        if not relationship:
            raise _fail(path, f"{where}: relationship is missing")
        pairs = []
        for target_entry in mapping.get("targets") or []:
            entry = target_entry.get("entry-id") if isinstance(target_entry, dict) else None
            if entry is None or str(entry).strip() == "":
                raise _fail(path, f"{where}: a target has no entry-id")
            pairs.append((relationship, str(entry)))
        if not pairs:
            raise _fail(path, f"{where}: no targets")
        mappings[control] = mappings.get(control, ()) + tuple(pairs)
    stem = path.name.removesuffix(".yaml").removesuffix(".yml").removeprefix("osps-to-")
    return MappingDocument(
        key=_KEY_ALIASES.get(stem, stem),
        document=path.name,
        id=str(meta.get("id", "")),
        draft=bool(meta.get("draft", False)),
        target={k: str(framework[k]) for k in ("id", "title", "version", "url") if k in framework},
        mappings=mappings,
    )


def import_documents(directory: Path) -> list[MappingDocument]:
    """Read every ``osps-to-*.yaml`` MappingDocument in ``directory``, sorted by key.

    Errors: InputError naming the file (not a directory, no documents, a malformed document).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("not a directory", source=directory)
    paths = sorted(directory.glob("osps-to-*.y*ml"))
    if not paths:
        raise InputError("no osps-to-*.yaml mapping documents", source=directory)
    documents = [_parse(p) for p in paths]
    return sorted(documents, key=lambda d: d.key)


def render(documents: list[MappingDocument], provenance: dict[str, str]) -> bytes:
    """The packaged data file for ``documents`` (deterministic JSON).

    ``provenance``: where the documents come from (repository, ref, date, status, licence).
    Shape: ``{"about", "source": {...}, "documents": {key: {"document", "id", "draft",
    "target", "mappings": {control: {relationship: [entry, ...]}}}}}``."""
    data: dict[str, Any] = {
        "about": (
            "The OSPS Baseline's Gemara MappingDocuments, imported by "
            "steward.catalog.mappings.import_documents; do not edit by hand (a test re-imports "
            "the published documents and compares). Mappings go from OSPS controls to target "
            "entries."
        ),
        "source": provenance,
        "documents": {},
    }
    for doc in documents:
        mappings: dict[str, dict[str, list[str]]] = {}
        for control, pairs in doc.mappings.items():
            for rel, entry in pairs:
                mappings.setdefault(control, {}).setdefault(rel, []).append(entry)
        data["documents"][doc.key] = {
            "document": doc.document,
            "id": doc.id,
            "draft": doc.draft,
            "target": doc.target,
            "mappings": mappings,
        }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass(frozen=True, slots=True)
class PackagedMappings:
    """The shipped import: where it came from and the documents by framework key."""

    source: dict[str, str]
    documents: dict[str, MappingDocument]


def _from_data(raw: Any, source: str) -> PackagedMappings:
    try:
        documents = {}
        for key, doc in raw["documents"].items():
            documents[str(key)] = MappingDocument(
                key=str(key),
                document=str(doc["document"]),
                id=str(doc["id"]),
                draft=bool(doc["draft"]),
                target={str(k): str(v) for k, v in doc["target"].items()},
                mappings={
                    str(control): tuple(
                        (str(rel), str(entry))
                        for rel, entries in by_relationship.items()
                        for entry in entries
                    )
                    for control, by_relationship in doc["mappings"].items()
                },
            )
        return PackagedMappings({str(k): str(v) for k, v in raw["source"].items()}, documents)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"invalid mapping data: {exc}", source=source) from None


@cache
def load_osps_mappings() -> PackagedMappings:
    """The packaged OSPS mapping documents (``data/osps_mappings.json``)."""
    name = f"catalog/data/{PACKAGED}"
    try:
        raw = orjson.loads((files("steward.catalog") / "data" / PACKAGED).read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(f"invalid mapping data: {exc}", source=name) from None
    return _from_data(raw, name)
