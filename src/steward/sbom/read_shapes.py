"""The shapes :mod:`steward.sbom.read` accepts, checked at its boundary with
:mod:`steward.shapes` before any field is used.

An SBOM is untrusted input: ``"components": "x"``, ``"name": 5`` or ``"scope": "bogus"``
is refused as a whole (:class:`~steward.errors.InputError`, one line naming the file and
the field, exit 2) rather than read as "no components" — a quality verdict or a
vulnerability match over a document read half-way would be wrong without saying so. Only
the fields the reader uses are declared; others are not looked at. Enumerations are those
of the specifications: CycloneDX 1.6 ``component.scope`` (§ component), SPDX 2.3
``relationshipType`` is left open (unknown types are ignored, not guessed).

Nested CycloneDX components are checked one at a time with an explicit stack
(:func:`require_cyclonedx`), so nesting costs no recursion here and has no depth limit
beyond the parsers' own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.shapes import ANY, Choice, OneOf, Spec, kind, require

_ENTITY: Spec = {
    "name": str,
    "url": OneOf(str, [str]),
    "contact": [{"email": str, "name": str}],
    "email": str,
}
_HASHES: Spec = [{"alg": str, "content": str}]
_TOOL: Spec = {"name": str, "version": str}

#: a CycloneDX component, without its nested ``components`` (checked one by one)
CDX_COMPONENT: Spec = {
    "bom-ref": str,
    "name": str,
    "version": str,
    "group": str,
    "purl": str,
    "cpe": str,
    "scope": Choice("required", "optional", "excluded"),
    "publisher": str,
    "author": str,
    "supplier": _ENTITY,
    "manufacturer": _ENTITY,
    "authors": [_ENTITY],
    "hashes": _HASHES,
    "licenses": [
        {
            "expression": str,
            "acknowledgement": str,
            "license": {"id": str, "name": str, "acknowledgement": str},
        }
    ],
    "externalReferences": [{"type": str, "url": str, "hashes": _HASHES}],
    "properties": [{"name": str, "value": str}],
    "swid": {"tagId": str},
    "omniborId": [str],
    "swhid": [str],
    "components": [ANY],  # each checked by require_cyclonedx
}

CYCLONEDX: Spec = {
    "specVersion": str,
    "serialNumber": str,
    "metadata": {
        "timestamp": str,
        "authors": [_ENTITY],
        "manufacturer": _ENTITY,
        "manufacture": _ENTITY,
        "supplier": _ENTITY,
        "tools": OneOf([_TOOL], {"components": [_TOOL], "services": [ANY]}),
        "component": ANY,  # a component: checked by require_cyclonedx
        "lifecycles": [{"phase": str, "name": str}],
    },
    "components": [ANY],
    "dependencies": [{"ref": str, "dependsOn": [str]}],
    "compositions": [{"aggregate": str, "assemblies": [str], "dependencies": [str]}],
    "vulnerabilities": [ANY],
}


def require_cyclonedx(data: dict[str, Any], source: str | Path) -> None:
    """Refuse a CycloneDX document (JSON, or XML mapped to JSON's shape) whose fields are
    not of the declared shape: :class:`~steward.errors.InputError` naming the field."""
    require(data, CYCLONEDX, source=source)
    stack: list[tuple[str, Any]] = []
    meta = data.get("metadata")
    if isinstance(meta, dict) and meta.get("component") is not None:
        stack.append(("metadata.component", meta["component"]))
    stack += reversed([(f"components[{i}]", c) for i, c in enumerate(data.get("components") or [])])
    while stack:
        where, component = stack.pop()
        if not isinstance(component, dict):
            raise InputError(f"{where} is {kind(component)}, expected a mapping", source=source)
        require(component, CDX_COMPONENT, source=source, at=where)
        nested = component.get("components") or []
        stack += reversed([(f"{where}.components[{i}]", c) for i, c in enumerate(nested)])


_SPDX_PACKAGE: Spec = {
    "SPDXID": str,
    "name": str,
    "versionInfo": str,
    "packageFileName": str,
    "supplier": str,
    "originator": str,
    "homepage": str,
    "checksums": [{"algorithm": str, "checksumValue": str}],
    "licenseDeclared": str,
    "licenseConcluded": str,
    "downloadLocation": str,
    "externalRefs": [{"referenceCategory": str, "referenceType": str, "referenceLocator": str}],
}

#: SPDX 2.x JSON (and tag-value, converted to it)
SPDX2: Spec = {
    "spdxVersion": str,
    "documentNamespace": str,
    "creationInfo": {"created": str, "creators": [str]},
    "packages": [_SPDX_PACKAGE],
    "documentDescribes": [str],
    "relationships": [{"spdxElementId": str, "relationshipType": str, "relatedSpdxElement": str}],
}

_REFS: Spec = OneOf(str, [str])  # an agent: one (3.0 suppliedBy) or several

#: SPDX 3.0 JSON-LD: the elements of ``@graph`` and the fields the reader takes from them
SPDX3: Spec = {
    "@graph": [
        {
            "type": str,
            "spdxId": str,
            "@id": str,
            "name": str,
            "specVersion": str,
            "created": str,
            "createdBy": [str],
            "createdUsing": [str],
            "rootElement": [str],
            "software_sbomType": [str],
            "software_packageVersion": str,
            "software_packageUrl": str,
            "software_downloadLocation": str,
            "software_homePage": str,
            "software_primaryPurpose": str,
            "software_additionalPurpose": [str],
            "suppliedBy": _REFS,
            "originatedBy": _REFS,
            "from": str,
            "to": [str],
            "relationshipType": str,
            "completeness": str,
            "verifiedUsing": [{"algorithm": str, "hashValue": str}],
            "externalIdentifier": [{"externalIdentifierType": str, "identifier": str}],
            "externalRef": [{"externalRefType": str, "locator": [str]}],
            "simplelicensing_licenseExpression": str,
        }
    ],
}
