"""VEX input: OpenVEX (0.0.1-0.2.0), CycloneDX VEX (1.4-1.6) and CSAF 2.0 VEX documents.

Each document becomes :class:`VexStatement` objects — vulnerability ids, the products (purls)
they speak about, a status and a justification. A statement that a product is not affected
(or that the finding is a false positive, or fixed in that version) suppresses the matching
findings; they stay in the output, marked suppressed with the reason and the file it came
from. Statements about other statuses (affected, under investigation) suppress nothing.

A statement's product matches a component when type, namespace and name of the purls agree
(names compared the way the ecosystem compares them) and, if the statement's purl has a
version, the versions are equal. Qualifiers and subpaths are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from steward.errors import InputError
from steward.safeio import as_dict, as_list, load_json
from steward.sbom.purl import PURL_TYPE_TO_ECOSYSTEM
from steward.vuln.matcher import Finding, Suppression
from steward.vuln.names import normalise_name

#: statuses (in each format's words) that mean "this finding does not apply"
SUPPRESSING = {
    "not_affected",  # OpenVEX, CycloneDX, CSAF known_not_affected
    "false_positive",  # CycloneDX
    "fixed",  # OpenVEX, CSAF
    "resolved",  # CycloneDX
    "resolved_with_pedigree",  # CycloneDX
}


@dataclass(frozen=True)
class VexStatement:
    ids: frozenset[str]
    products: tuple[str, ...]  # purls
    status: str
    justification: str | None
    detail: str | None
    source: str


def _purl_key(text: str) -> tuple[str, str, str, str | None] | None:
    try:
        purl = PackageURL.from_string(text)
    except ValueError:
        return None
    ecosystem = PURL_TYPE_TO_ECOSYSTEM.get(purl.type, purl.type)
    namespace = purl.namespace or ""
    if purl.type in ("pypi", "cargo", "nuget", "composer", "pub", "hex", "github"):
        namespace = namespace.lower()
    return purl.type, namespace, normalise_name(ecosystem, purl.name), purl.version


def product_matches(statement_purl: str, component_purl: str | None) -> bool:
    if not component_purl:
        return False
    want, have = _purl_key(statement_purl), _purl_key(component_purl)
    if want is None or have is None:
        return False
    if want[:3] != have[:3]:
        return False
    return want[3] is None or want[3] == have[3]


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strs(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _openvex(data: dict[str, Any], source: str) -> list[VexStatement]:
    out = []
    for item in as_list(data.get("statements")):
        if not isinstance(item, dict):
            continue
        vuln = item.get("vulnerability")
        ids: set[str] = set()
        if isinstance(vuln, str):
            ids.add(vuln)
        elif isinstance(vuln, dict):
            ids |= {v for v in [vuln.get("name"), vuln.get("@id")] if isinstance(v, str)}
            ids |= set(_strs(vuln.get("aliases")))
        products: list[str] = []
        for product in as_list(item.get("products")):
            if isinstance(product, str):
                products.append(product)
            elif isinstance(product, dict):
                ident = product.get("@id")
                helper = as_dict(product.get("identifiers")).get("purl")
                products += [p for p in (ident, helper) if isinstance(p, str)]
                for sub in as_list(product.get("subcomponents")):
                    if isinstance(sub, dict) and isinstance(sub.get("@id"), str):
                        products.append(sub["@id"])
        status = str(item.get("status", ""))
        detail = item.get("impact_statement") or item.get("status_notes")
        out.append(
            VexStatement(
                frozenset(ids),
                tuple(products),
                status,
                _opt(item.get("justification")),
                detail if isinstance(detail, str) else None,
                source,
            )
        )
    return out


def _cyclonedx(data: dict[str, Any], source: str) -> list[VexStatement]:
    refs: dict[str, str] = {}

    def walk(items: Any) -> None:
        for comp in as_list(items):
            if isinstance(comp, dict):
                if isinstance(comp.get("bom-ref"), str) and isinstance(comp.get("purl"), str):
                    refs[comp["bom-ref"]] = comp["purl"]
                walk(comp.get("components"))

    walk(data.get("components"))
    meta_comp = as_dict(data.get("metadata")).get("component")
    if isinstance(meta_comp, dict):
        walk([meta_comp])
    out = []
    for vuln in as_list(data.get("vulnerabilities")):
        if not isinstance(vuln, dict):
            continue
        ids = {vuln["id"]} if isinstance(vuln.get("id"), str) else set()
        ids |= {
            r["id"]
            for r in as_list(vuln.get("references"))
            if isinstance(as_dict(r).get("id"), str)
        }
        analysis = as_dict(vuln.get("analysis"))
        products = []
        for affect in as_list(vuln.get("affects")):
            ref = affect.get("ref") if isinstance(affect, dict) else None
            if not isinstance(ref, str):
                continue
            ref = ref.split("#", 1)[1] if ref.startswith("urn:cdx:") and "#" in ref else ref
            products.append(refs.get(ref, ref))
        out.append(
            VexStatement(
                frozenset(i for i in ids if isinstance(i, str)),
                tuple(products),
                str(analysis.get("state", "")),
                _opt(analysis.get("justification")),
                _opt(analysis.get("detail")),
                source,
            )
        )
    return out


def _csaf_products(tree: dict[str, Any]) -> dict[str, str]:
    purls: dict[str, str] = {}

    def product(item: Any) -> None:
        if isinstance(item, dict) and isinstance(item.get("product_id"), str):
            helper = as_dict(item.get("product_identification_helper"))
            if isinstance(helper.get("purl"), str):
                purls[item["product_id"]] = helper["purl"]

    def branches(items: Any) -> None:
        for branch in as_list(items):
            if isinstance(branch, dict):
                product(branch.get("product"))
                branches(branch.get("branches"))

    branches(tree.get("branches"))
    for item in as_list(tree.get("full_product_names")):
        product(item)
    for rel in as_list(tree.get("relationships")):
        if not isinstance(rel, dict):
            continue
        full = as_dict(rel.get("full_product_name"))
        component = rel.get("product_reference")
        if (
            isinstance(full.get("product_id"), str)
            and isinstance(component, str)
            and component in purls
        ):
            purls[full["product_id"]] = purls[component]
    return purls


def _csaf(data: dict[str, Any], source: str) -> list[VexStatement]:
    purls = _csaf_products(as_dict(data.get("product_tree")))
    out = []
    for vuln in as_list(data.get("vulnerabilities")):
        if not isinstance(vuln, dict):
            continue
        ids = {vuln["cve"]} if isinstance(vuln.get("cve"), str) else set()
        ids |= {
            i["text"] for i in as_list(vuln.get("ids")) if isinstance(as_dict(i).get("text"), str)
        }
        justifications: dict[str, str] = {}
        for flag in as_list(vuln.get("flags")):
            for pid in _strs(as_dict(flag).get("product_ids")):
                justifications[pid] = str(as_dict(flag).get("label"))
        details: dict[str, str] = {}
        for threat in as_list(vuln.get("threats")):
            if isinstance(threat, dict) and threat.get("category") == "impact":
                for pid in _strs(threat.get("product_ids")):
                    details[pid] = str(threat.get("details", ""))
        status = as_dict(vuln.get("product_status"))
        for csaf_status, ours in (("known_not_affected", "not_affected"), ("fixed", "fixed")):
            for pid in _strs(status.get(csaf_status)):
                if pid in purls:
                    out.append(
                        VexStatement(
                            frozenset(ids),
                            (purls[pid],),
                            ours,
                            justifications.get(pid),
                            details.get(pid),
                            source,
                        )
                    )
    return out


def load_vex(path: str | Path) -> list[VexStatement]:
    """The statements of one VEX document (format detected from its content)."""
    data = load_json(path)
    source = str(path)
    if not isinstance(data, dict):
        raise InputError("not a VEX document: expected a JSON object", source=path)
    context = str(data.get("@context", ""))
    if "openvex" in context:
        return _openvex(data, source)
    if data.get("bomFormat") == "CycloneDX":
        return _cyclonedx(data, source)
    category = str(as_dict(data.get("document")).get("category", ""))
    if category.startswith("csaf_"):
        return _csaf(data, source)
    raise InputError(
        "not a VEX document: expected OpenVEX, CycloneDX (vulnerabilities) or CSAF", source=path
    )


def apply(findings: Iterable[Finding], statements: list[VexStatement]) -> int:
    """Mark findings suppressed by a statement; returns how many were suppressed."""
    suppressed = 0
    for finding in findings:
        ids = set(finding.ids)
        for statement in statements:
            if statement.status not in SUPPRESSING or not (statement.ids & ids):
                continue
            if not any(product_matches(p, finding.component.purl) for p in statement.products):
                continue
            finding.suppressed = Suppression(
                statement.status, statement.justification, statement.source, statement.detail
            )
            suppressed += 1
            break
    return suppressed
