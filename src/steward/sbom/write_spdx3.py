"""SPDX 3.0.1 JSON-LD writer (Core and Software profiles, licences as simple expressions).

BSI TR-03183-2 v2 accepts SPDX only from 3.0.1 on, so this is the SPDX output for CRA use.
Written as plain dicts (same reason as the SPDX 2.3 writer: speed and byte-stable output); the
tests read it back with the SPDX project's own generated bindings (spdx-python-model), which
check every property name, type and enumeration value and the required properties on
re-serialisation, and that every reference resolves.

Graph: one ``CreationInfo`` (blank node), the tool and the creating organisation, the
``SpdxDocument`` with one ``software_Sbom`` whose root element is the project package; one
``software_Package`` per component (version, purl as ``software_packageUrl`` and external
identifier, download location, home page, source repository as an ``ExternalRef`` of type
``vcs``, hashes as ``verifiedUsing``, supplier) and, where
the file name of its deployable form is known, a ``software_File`` (purpose archive, with
that file's digests) linked by ``hasDistributionArtifact``; one
``dependsOn`` relationship per component (``completeness: complete`` when its lockfile
records its full dependency list, ``incomplete`` when only some of its dependencies were
found, ``noAssertion`` when the format records no graph; a leaf depends on ``NoneElement``
only when proven, on ``NoAssertionElement`` otherwise); declared
licences as ``simplelicensing_LicenseExpression`` elements linked by
``hasDeclaredLicense``. Identifiers are derived from the document namespace and the
component refs, so the same input gives the same document.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from steward.sbom.component import SPDX3_HASH_NAMES, Component, Hash, Scope
from steward.sbom.model import Sbom
from steward.sbom.write_cyclonedx import _filename, is_local, project_url, serial_number
from steward.sbom.write_spdx import spdx_expression

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPEC_VERSION = "3.0.1"
CREATION = "_:creationinfo"


def _id(namespace: str, kind: str, key: str) -> str:
    return f"{namespace}#{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _verified(hashes: tuple[Hash, ...]) -> list[dict[str, str]]:
    """``verifiedUsing`` entries for the digests SPDX 3 has a name for."""
    return [
        {"type": "Hash", "algorithm": SPDX3_HASH_NAMES[h.algorithm], "hashValue": h.value}
        for h in hashes
        if h.algorithm in SPDX3_HASH_NAMES
    ]


def _package(comp: Component, spdx_id: str, supplier: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "software_Package",
        "spdxId": spdx_id,
        "creationInfo": CREATION,
        "name": comp.name,
        "software_primaryPurpose": "library",
    }
    if comp.version:
        out["software_packageVersion"] = comp.version
    if comp.purl:
        out["software_packageUrl"] = comp.purl
        out["externalIdentifier"] = [
            {
                "type": "ExternalIdentifier",
                "externalIdentifierType": "packageUrl",
                "identifier": comp.purl,
            }
        ]
        if not is_local(comp):
            out["software_additionalPurpose"] = ["archive"]
    if comp.download_url and comp.download_url.startswith(("http://", "https://")):
        out["software_downloadLocation"] = comp.download_url
    page = project_url(comp)
    if page:
        out["software_homePage"] = page
    if comp.vcs_url:  # the source repository (CycloneDX externalReferences vcs)
        out["externalRef"] = [
            {"type": "ExternalRef", "externalRefType": "vcs", "locator": [comp.vcs_url]}
        ]
    verified = _verified(comp.download_hashes or comp.hashes)
    if verified:
        out["verifiedUsing"] = verified
    if supplier:
        out["suppliedBy"] = supplier
    notes = []
    if comp.version_range:
        notes.append(f"unresolved: version range {comp.version_range}")
    if comp.location is not None:
        notes.append(f"source: {comp.location}")
    if comp.scope is not Scope.RUNTIME:
        notes.append(f"scope: {comp.scope}")
    if notes:
        out["comment"] = "; ".join(notes)
    return out


def to_dict(sbom: Sbom) -> dict[str, Any]:
    """The SPDX 3.0.1 JSON-LD document of ``sbom``."""
    meta = sbom.metadata
    uid = serial_number(sbom).rsplit(":", 1)[-1]
    namespace = f"https://spdx.org/spdxdocs/steward/{uid}"
    tool_id = f"{namespace}#tool"
    creators: list[str] = []
    graph: list[dict[str, Any]] = []
    organisations: dict[str, str] = {}

    def organisation(name: str, email: str | None = None) -> str:
        key = f"{name}|{email or ''}"
        if key not in organisations:
            ident = _id(namespace, "org", key)
            element: dict[str, Any] = {
                "type": "Organization",
                "spdxId": ident,
                "creationInfo": CREATION,
                "name": name,
            }
            if email:
                element["externalIdentifier"] = [
                    {
                        "type": "ExternalIdentifier",
                        "externalIdentifierType": "email",
                        "identifier": email,
                    }
                ]
            graph.append(element)
            organisations[key] = ident
        return organisations[key]

    if meta.creator_name or meta.creator_email or meta.creator_url:
        name = meta.creator_name or meta.creator_email or meta.creator_url or ""
        creators.append(organisation(name, meta.creator_email))
    else:
        creators.append(organisation("Unknown (the SBOM's creator was not given)"))
    creation: dict[str, Any] = {
        "type": "CreationInfo",
        "@id": CREATION,
        "specVersion": SPEC_VERSION,
        "created": meta.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "createdBy": creators,
        "createdUsing": [tool_id],
    }
    if meta.sources:
        creation["comment"] = "Built from: " + ", ".join(meta.sources)
    graph.insert(0, creation)
    graph.append(
        {
            "type": "Tool",
            "spdxId": tool_id,
            "creationInfo": CREATION,
            "name": f"{meta.tool_name} {meta.tool_version}".strip(),
        }
    )
    ids = {c.ref: _id(namespace, "pkg", c.ref) for c in sbom.components}
    root_id = _id(namespace, "pkg", sbom.root.ref)
    graph.append(
        {
            "type": "software_Package",
            "spdxId": root_id,
            "creationInfo": CREATION,
            "name": sbom.root.name,
            **({"software_packageVersion": sbom.root.version} if sbom.root.version else {}),
            "software_primaryPurpose": "application",
            **(
                {
                    "externalRef": [
                        {
                            "type": "ExternalRef",
                            "externalRefType": "securityOther",
                            "locator": [meta.security_txt],
                            "comment": "security.txt (RFC 9116)",
                        }
                    ]
                }
                if meta.security_txt
                else {}
            ),
        }
    )
    licences: dict[str, str] = {}
    relationships: list[dict[str, Any]] = []
    for comp in sbom.components:
        supplier = organisation(comp.supplier) if comp.supplier else None
        graph.append(_package(comp, ids[comp.ref], supplier))
        filename = _filename(comp)
        if filename:  # the deployable form: a file with its own name and digests
            file_id = _id(namespace, "file", comp.ref)
            artifact: dict[str, Any] = {
                "type": "software_File",
                "spdxId": file_id,
                "creationInfo": CREATION,
                "name": filename,
                "software_primaryPurpose": "archive",
            }
            digests = _verified(comp.download_hashes or comp.hashes)
            if digests:
                artifact["verifiedUsing"] = digests
            graph.append(artifact)
            relationships.append(
                {
                    "type": "Relationship",
                    "spdxId": _id(namespace, "rel", f"artifact|{comp.ref}"),
                    "creationInfo": CREATION,
                    "from": ids[comp.ref],
                    "relationshipType": "hasDistributionArtifact",
                    "to": [file_id],
                }
            )
        expression = spdx_expression(" AND ".join(comp.licenses)) if comp.licenses else None
        if expression:
            if expression not in licences:
                licences[expression] = _id(namespace, "license", expression)
                graph.append(
                    {
                        "type": "simplelicensing_LicenseExpression",
                        "spdxId": licences[expression],
                        "creationInfo": CREATION,
                        "simplelicensing_licenseExpression": expression,
                    }
                )
            relationships.append(
                {
                    "type": "Relationship",
                    "spdxId": _id(namespace, "rel", f"license|{comp.ref}"),
                    "creationInfo": CREATION,
                    "from": ids[comp.ref],
                    "relationshipType": "hasDeclaredLicense",
                    "to": [licences[expression]],
                }
            )
    for item in [sbom.root, *sbom.components]:
        resolved = [ids[t] for t in item.dependencies if t in ids]
        if item.dependencies_known:
            completeness = "complete"
        elif resolved:
            completeness = "incomplete"
        else:
            completeness = "noAssertion"
        if not resolved:  # a leaf: none when proven, unknown otherwise
            resolved = ["NoneElement" if item.dependencies_known else "NoAssertionElement"]
        relationships.append(
            {
                "type": "Relationship",
                "spdxId": _id(namespace, "rel", f"deps|{item.ref}"),
                "creationInfo": CREATION,
                "from": root_id if item is sbom.root else ids[item.ref],
                "relationshipType": "dependsOn",
                "to": resolved,
                "completeness": completeness,
            }
        )
    graph.extend(relationships)
    elements = [e["spdxId"] for e in graph if "spdxId" in e]
    sbom_id = f"{namespace}#sbom"
    graph.append(
        {
            "type": "software_Sbom",
            "spdxId": sbom_id,
            "creationInfo": CREATION,
            "rootElement": [root_id],
            "element": elements,
            "software_sbomType": ["source"],
            "profileConformance": ["core", "software", "simpleLicensing"],
        }
    )
    graph.append(
        {
            "type": "SpdxDocument",
            "spdxId": f"{namespace}#document",
            "creationInfo": CREATION,
            "name": f"{sbom.root.name} {sbom.root.version}".strip(),
            "rootElement": [sbom_id],
            "element": [*elements, sbom_id],
            "profileConformance": ["core", "software", "simpleLicensing"],
        }
    )
    return {"@context": CONTEXT, "@graph": graph}


def to_json(sbom: Sbom) -> bytes:
    """SPDX 3.0.1 JSON-LD, deterministic."""
    return orjson.dumps(to_dict(sbom), option=orjson.OPT_INDENT_2) + b"\n"
