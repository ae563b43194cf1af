"""The shapes :mod:`steward.vuln.vex_formats` accepts, checked with :mod:`steward.shapes`
before a statement is read.

A VEX document decides which vulnerabilities are reported: a status the reader does not
know (``"status": "bogus"``) silently read as "no statement" would report as affected what
the author meant otherwise, or the reverse. So every field the reader uses has its declared
type and every enumeration is closed; a document that does not fit is refused as a whole
(:class:`~steward.errors.InputError`: one line naming the file and the field, exit 2).

Enumerations (sources):

- OpenVEX 0.2.0 §4.3 status and §4.4 justification labels;
- CycloneDX 1.6 ``vulnerability.analysis`` state, justification, response, and
  ``affects[].versions[].status``;
- CSAF 2.0 §3.2.3.9 ``product_status`` (its eight keys, no others), §3.2.3.5 flag labels,
  §3.2.3.12 threat categories.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steward.errors import InputError
from steward.sbom.read_shapes import require_cyclonedx
from steward.shapes import ANY, UNKNOWN, Choice, OneOf, Spec, require
from steward.shapes import kind as kind_of

OPENVEX_STATUS = Choice("not_affected", "affected", "fixed", "under_investigation")
VEX_JUSTIFICATION = Choice(
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
)

_OPENVEX_IDS: Spec = {"purl": str, "cpe23": str, "@cpe23": str, "cpe22": str, "@cpe22": str}
_OPENVEX_SUB: Spec = OneOf(str, {"@id": str, "identifiers": _OPENVEX_IDS})
_OPENVEX_PRODUCT: Spec = OneOf(
    str, {"@id": str, "identifiers": _OPENVEX_IDS, "subcomponents": [_OPENVEX_SUB]}
)

OPENVEX: Spec = {
    "@context": str,
    "timestamp": str,
    "last_updated": str,
    "statements": [
        {
            "vulnerability": OneOf(str, {"name": str, "@id": str, "aliases": [str]}),
            "products": [_OPENVEX_PRODUCT],
            "subcomponents": [_OPENVEX_SUB],
            "status": OPENVEX_STATUS,
            "justification": VEX_JUSTIFICATION,
            "impact_statement": str,
            "status_notes": str,
            "action_statement": str,
            "timestamp": str,
            "last_updated": str,
        }
    ],
}

CDX_STATE = Choice(
    "resolved", "resolved_with_pedigree", "exploitable", "in_triage", "false_positive",
    "not_affected",
)  # fmt: skip
CDX_JUSTIFICATION = Choice(
    "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
    "requires_environment", "protected_by_compiler", "protected_at_runtime",
    "protected_at_perimeter", "protected_by_mitigating_control",
)  # fmt: skip
CDX_RESPONSE = Choice("can_not_fix", "will_not_fix", "update", "rollback", "workaround_available")

CYCLONEDX_VEX: Spec = {
    "serialNumber": str,
    "metadata": {"timestamp": str, "component": ANY},  # components: require_cyclonedx
    "components": [ANY],
    "vulnerabilities": [
        {
            "id": str,
            "references": [{"id": str}],
            "updated": str,
            "published": str,
            "analysis": {
                "state": CDX_STATE,
                "justification": CDX_JUSTIFICATION,
                "response": [CDX_RESPONSE],
                "detail": str,
                "firstIssued": str,
                "lastUpdated": str,
            },
            "affects": [
                {
                    "ref": str,
                    "versions": [
                        {
                            "version": str,
                            "range": str,
                            "status": Choice("affected", "unaffected", "unknown"),
                        }
                    ],
                }
            ],
        }
    ],
}

CSAF_PRODUCT_STATUS: Spec = {
    key: [str]
    for key in (
        "first_affected", "first_fixed", "fixed", "known_affected", "known_not_affected",
        "last_affected", "recommended", "under_investigation",
    )
} | {"*": UNKNOWN}  # fmt: skip

_CSAF_HELPER: Spec = {"purl": str, "cpe": str}
_CSAF_FULL_NAME: Spec = {
    "product_id": str,
    "name": str,
    "product_identification_helper": _CSAF_HELPER,
}
_CSAF_IDS: Spec = {"product_ids": [str], "group_ids": [str]}

CSAF: Spec = {
    "document": {"category": str, "tracking": {"current_release_date": str}},
    "product_tree": {
        "branches": [ANY],  # nested branches: checked one by one (vex_formats)
        "full_product_names": [_CSAF_FULL_NAME],
        "relationships": [
            {
                "category": str,
                "product_reference": str,
                "relates_to_product_reference": str,
                "full_product_name": _CSAF_FULL_NAME,
            }
        ],
        "product_groups": [{"group_id": str, "product_ids": [str]}],
    },
    "vulnerabilities": [
        {
            "cve": str,
            "ids": [{"system_name": str, "text": str}],
            "flags": [{**_CSAF_IDS, "label": VEX_JUSTIFICATION}],
            "threats": [
                {
                    **_CSAF_IDS,
                    "category": Choice("exploit_status", "impact", "target_set"),
                    "details": str,
                }
            ],
            "product_status": CSAF_PRODUCT_STATUS,
        }
    ],
}

#: one CSAF branch, without its nested ``branches``
CSAF_BRANCH: Spec = {"category": str, "name": str, "product": _CSAF_FULL_NAME, "branches": [ANY]}


def require_vex(kind: str, data: dict[str, Any], source: str | Path) -> None:
    """Refuse a VEX document of ``kind`` ("OpenVEX", "CycloneDX" or "CSAF") that does not
    fit its shape: :class:`~steward.errors.InputError` naming the file and the field."""
    if kind == "OpenVEX":
        require(data, OPENVEX, source=source)
    elif kind == "CycloneDX":
        require(data, CYCLONEDX_VEX, source=source)
        require_cyclonedx(data, source)
    else:
        require(data, CSAF, source=source)
        tree = data.get("product_tree") or {}
        stack = [
            (f"product_tree.branches[{i}]", b) for i, b in enumerate(tree.get("branches") or [])
        ]
        while stack:  # nested branches one at a time: no recursion, no depth limit here
            where, branch = stack.pop()
            if not isinstance(branch, dict):
                raise InputError(f"{where} is {kind_of(branch)}, expected a mapping", source=source)
            require(branch, CSAF_BRANCH, source=source, at=where)
            nested = branch.get("branches") or []
            stack += [(f"{where}.branches[{i}]", b) for i, b in enumerate(nested)]
