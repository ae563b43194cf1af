"""Reading VEX documents: OpenVEX (0.0.1-0.2.0), CycloneDX VEX (1.4-1.7), CSAF 2.0 VEX.

Each document becomes a :class:`~steward.vuln.vex_model.VexDocument` of statements with
normalised statuses and their time (see :mod:`steward.vuln.vex` for how they are applied).
A document's fields are checked against its format's shape and enumerations first
(:mod:`steward.vuln.vex_shapes`): a wrong type or an unknown status is an
:class:`~steward.errors.InputError` naming the file and the field, as is a file that is not
VEX at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from steward.errors import InputError, UnsafeInputError
from steward.safeio import as_dict, as_list, load_json
from steward.vuln.vex_model import (
    CSAF_STATUSES,
    STATUS_WORDS,
    ProductRef,
    VersionSpec,
    VexDocument,
    VexStatement,
)
from steward.vuln.vex_shapes import require_vex

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
                status=STATUS_WORDS.get(raw_status),
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
                status=STATUS_WORDS.get(raw_status),
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
        for csaf_status in CSAF_STATUSES:
            for pid in _strs(status.get(csaf_status)):
                ref = products.get(pid, ProductRef(label=pid))
                statements.append(
                    VexStatement(
                        ids=frozenset(i for i in ids if i),
                        products=(ref,),
                        status=STATUS_WORDS.get(csaf_status),
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
    try:
        return _load(data, source, index)
    except RecursionError:
        raise UnsafeInputError("nested too deeply (limit on nesting)", source=path) from None


def _usable(doc: VexDocument, items: int, source: str) -> VexDocument:
    """``doc`` unless it states ``items`` statements and none can be applied (no
    vulnerability id, no product or no status): that yields nothing, which must not read
    as "no VEX statements"; a document without statements is genuinely empty."""
    if items == 0 or any(s.ids and s.products and s.status for s in doc.statements):
        return doc
    first = next(iter(doc.statements), None)
    if first is None:
        why = "none states a product status"
    elif not first.ids:
        why = "the first names no vulnerability"
    elif not first.products:
        why = "the first names no product"
    else:
        why = "the first has no status"
    raise InputError(
        f"none of its {items} {doc.format} statements can be applied ({why})", source=source
    )


def _load(data: dict[str, Any], source: str, index: int) -> VexDocument:
    path = source
    context = str(data.get("@context", ""))
    if "openvex" in context:
        require_vex("OpenVEX", data, source)
        items = len(data.get("statements") or [])
        return _usable(_openvex(data, source, index), items, source)
    if data.get("bomFormat") == "CycloneDX":
        require_vex("CycloneDX", data, source)
        items = len(data.get("vulnerabilities") or [])
        return _usable(_cyclonedx(data, source, index), items, source)
    category = str(as_dict(data.get("document")).get("category", ""))
    if category.startswith("csaf_"):
        require_vex("CSAF", data, source)
        items = len(data.get("vulnerabilities") or [])
        return _usable(_csaf(data, source, index), items, source)
    raise InputError(
        "not a VEX document: expected OpenVEX, CycloneDX (vulnerabilities) or CSAF", source=path
    )
