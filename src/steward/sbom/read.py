"""Reading any SBOM — CycloneDX JSON/XML (1.2-1.7), SPDX 2.x JSON and tag-value, SPDX 3.0.x
JSON-LD — into one model.

The quality check and the vulnerability matcher both work from :class:`SbomDocument`, so
they see every format the same way. CycloneDX XML is mapped to the shape of CycloneDX JSON
and SPDX tag-value is parsed by spdx-tools and converted to the shape of SPDX JSON, so there
is one mapping per standard. JSON is mapped by hand rather than through
cyclonedx-python-lib's / spdx-tools' object models because those take seconds per 10,000
components and stop at the first field they do not know; a quality check must report
missing and odd fields, not refuse the document.

Every problem is an :class:`~steward.errors.InputError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import orjson

from steward.errors import InputError, UnsafeInputError
from steward.safeio import MiB, as_dict, as_list, parse_xml, read_bytes
from steward.sbom.component import SPDX2_HASH_NAMES, SPDX3_HASH_NAMES, Component, Hash, Scope
from steward.sbom.purl import PURL_TYPE_TO_ECOSYSTEM
from steward.sbom.read_shapes import SPDX2, SPDX3, require_cyclonedx
from steward.shapes import require

MAX_SBOM_BYTES = 1024 * MiB
_CDX_NS = re.compile(r"^\{http://cyclonedx\.org/schema/bom/(\d+\.\d+)\}")
# starts only where an address can start (not inside a run of address characters): the
# unanchored pattern retried from every character of a long "1.1.1..." (quadratic)
_EMAIL = re.compile(r"(?<![^@\s()<>])[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+")
_SPDX_ACTOR = re.compile(r"^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^)]*)\))?\s*$")
_NO_VALUE = {"", "NOASSERTION", "NONE"}


@dataclass
class DocComponent:
    """One component as an SBOM describes it (only what the checks and the matcher use)."""

    ref: str
    name: str
    version: str | None = None
    group: str | None = None
    purl: str | None = None
    cpe: str | None = None
    supplier: str | None = None  # a name: supplier, manufacturer, publisher or author
    creator_contacts: list[str] = field(default_factory=list)  # e-mail addresses and URLs
    filename: str | None = None
    hashes: list[Hash] = field(default_factory=list)
    distribution_hashes: list[Hash] = field(default_factory=list)
    declared_licenses: list[str] = field(default_factory=list)
    concluded_licenses: list[str] = field(default_factory=list)
    other_licenses: list[str] = field(default_factory=list)  # no acknowledgement given
    source_uri: str | None = None
    distribution_uri: str | None = None
    scope: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    #: other software identifiers: SWID tag ids, OmniBOR ids, SWHIDs
    other_ids: list[str] = field(default_factory=list)
    security_txt: str | None = None  # URL of the creator's security.txt (RFC 9116)


@dataclass
class SbomDocument:
    """An SBOM read from a file, whatever its format."""

    path: str
    standard: str  # "CycloneDX" or "SPDX"
    spec_version: str
    encoding: str  # "json", "xml" or "tag-value"
    uri: str | None = None  # serial number / document namespace
    timestamp: str | None = None
    authors: list[str] = field(default_factory=list)  # people/organisations, not tools
    creator_contacts: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    root: DocComponent | None = None
    components: list[DocComponent] = field(default_factory=list)
    dependencies: dict[str, list[str]] = field(default_factory=dict)
    complete_refs: set[str] = field(default_factory=set)  # graph stated complete for these
    incomplete_refs: set[str] = field(default_factory=set)
    #: refs whose own dependency list the document states (possibly as empty or unknown)
    stated_refs: set[str] = field(default_factory=set)
    #: the SDLC phase(s) the SBOM was made in (CycloneDX lifecycles, SPDX 3 sbomType)
    lifecycles: list[str] = field(default_factory=list)
    #: vulnerability records carried in the SBOM itself (CycloneDX ``vulnerabilities``,
    #: SPDX 3 ``security_Vulnerability``, SPDX 2 advisory/fix references)
    vulnerabilities: int = 0


def read_sbom(path: str | Path) -> SbomDocument:
    """Read a CycloneDX (JSON/XML) or SPDX (JSON/tag-value) SBOM.

    Components nested past the interpreter's recursion limit (JSON nests up to 1024 levels;
    XML is refused past :data:`steward.safeio.DEFAULT_MAX_DEPTH` when parsed) are an
    :class:`~steward.errors.UnsafeInputError` naming the file.
    """
    try:
        return _read_sbom(path)
    except RecursionError:
        raise UnsafeInputError("nested too deeply (limit on nesting)", source=path) from None


def _read_sbom(path: str | Path) -> SbomDocument:
    data = read_bytes(path, max_bytes=MAX_SBOM_BYTES)
    text_start = data.lstrip()[:200]
    if text_start.startswith(b"\xef\xbb\xbf"):
        data = data.lstrip()[3:]
        text_start = data.lstrip()[:200]
    if text_start.startswith((b"{", b"[")):
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc}", source=path) from None
        if not isinstance(doc, dict):
            raise InputError("not an SBOM: the JSON document is not an object", source=path)
        if doc.get("bomFormat") == "CycloneDX":
            require_cyclonedx(doc, path)
            return _from_cyclonedx(doc, str(path), "json")
        if isinstance(doc.get("spdxVersion"), str):
            return _from_spdx(require(doc, SPDX2, source=path), str(path), "json")
        if "@context" in doc and "spdx.org/rdf/3" in str(doc.get("@context")):
            return _from_spdx3(require(doc, SPDX3, source=path), str(path))
        raise InputError(
            "not an SBOM: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)", source=path
        )
    if text_start.startswith(b"<"):
        root = parse_xml(data, source=path)
        match = _CDX_NS.match(root.tag)
        if match is None or not root.tag.endswith("}bom"):
            raise InputError("not a CycloneDX XML document (no CycloneDX bom element)", source=path)
        mapped = _cdx_xml_to_dict(root, match.group(1))
        require_cyclonedx(mapped, path)
        return _from_cyclonedx(mapped, str(path), "xml")
    if re.search(rb"^\s*SPDXVersion\s*:", data[:4096], re.MULTILINE):
        converted = require(_spdx_tag_value(data, path), SPDX2, source=path)
        return _from_spdx(converted, str(path), "tag-value")
    raise InputError("not an SBOM: expected CycloneDX JSON/XML or SPDX JSON/tag-value", source=path)


def to_components(doc: SbomDocument) -> list[Component]:
    """The components that have a purl, as :class:`Component` (for vulnerability matching)."""
    from packageurl import PackageURL

    out: list[Component] = []
    for item in doc.components:
        if not item.purl:
            continue
        try:
            purl = PackageURL.from_string(item.purl)
        except ValueError:
            continue
        ecosystem = PURL_TYPE_TO_ECOSYSTEM.get(purl.type, purl.type)
        if ecosystem == "Maven" and purl.namespace:
            name = f"{purl.namespace}:{purl.name}"
        elif purl.namespace and ecosystem != "PyPI":
            name = f"{purl.namespace}/{purl.name}"
        else:
            name = purl.name
        scope = Scope.DEV if item.scope == "excluded" else Scope.RUNTIME
        out.append(
            Component(
                name=name,
                version=purl.version or item.version or "",
                ecosystem=ecosystem,
                purl=item.purl,
                ref=item.ref,
                scope=scope,
                hashes=tuple(item.hashes),
            )
        )
    return out


# ------------------------------------------------------------------------------ CycloneDX


def _s(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _cdx_hashes(items: Any) -> list[Hash]:
    out = []
    for item in as_list(items):
        alg, content = _s(as_dict(item).get("alg")), _s(as_dict(item).get("content"))
        if alg and content:
            out.append(Hash(alg.upper().replace("BLAKE2B", "BLAKE2b"), content.lower()))
    return out


def _entity_contacts(entity: dict[str, Any]) -> list[str]:
    contacts = [u for u in (_s(x) for x in as_list(entity.get("url"))) if u]
    for contact in as_list(entity.get("contact")):
        email = _s(as_dict(contact).get("email"))
        if email:
            contacts.append(email)
    email = _s(entity.get("email"))
    if email:
        contacts.append(email)
    return contacts


def _cdx_component(data: dict[str, Any], index: int) -> DocComponent:
    name = _s(data.get("name")) or ""
    comp = DocComponent(
        ref=_s(data.get("bom-ref")) or f"#component-{index}",
        name=name,
        version=_s(data.get("version")),
        group=_s(data.get("group")),
        purl=_s(data.get("purl")),
        cpe=_s(data.get("cpe")),
        scope=_s(data.get("scope")),
    )
    for key in ("manufacturer", "supplier"):
        entity = as_dict(data.get(key))
        comp.creator_contacts += _entity_contacts(entity)
        if comp.supplier is None and _s(entity.get("name")):
            comp.supplier = _s(entity.get("name"))
    for author in as_list(data.get("authors")):
        comp.creator_contacts += _entity_contacts(as_dict(author))
        comp.supplier = comp.supplier or _s(as_dict(author).get("name"))
    comp.supplier = comp.supplier or _s(data.get("publisher")) or _s(data.get("author"))
    if isinstance(data.get("author"), str):
        comp.creator_contacts += _EMAIL.findall(data["author"])
    comp.hashes = _cdx_hashes(data.get("hashes"))
    for entry in as_list(data.get("licenses")):
        entry = as_dict(entry)
        value: str | None
        if "expression" in entry:
            value = _s(entry.get("expression"))
            ack = _s(entry.get("acknowledgement"))
        else:
            lic = as_dict(entry.get("license"))
            value = _s(lic.get("id")) or _s(lic.get("name"))
            ack = _s(lic.get("acknowledgement"))
        if not value:
            continue
        if ack == "declared":
            comp.declared_licenses.append(value)
        elif ack == "concluded":
            comp.concluded_licenses.append(value)
        else:
            comp.other_licenses.append(value)
    for ref in as_list(data.get("externalReferences")):
        ref = as_dict(ref)
        kind, url = _s(ref.get("type")), _s(ref.get("url"))
        if kind in ("vcs", "source-distribution") and url and comp.source_uri is None:
            comp.source_uri = url
        elif kind == "distribution" and url:
            comp.distribution_uri = comp.distribution_uri or url
            comp.distribution_hashes += _cdx_hashes(ref.get("hashes"))
        elif kind == "website" and url:
            comp.creator_contacts.append(url)
        elif kind == "rfc-9116" and url:
            comp.security_txt = comp.security_txt or url
    for prop in as_list(data.get("properties")):
        name_, value_ = _s(as_dict(prop).get("name")), as_dict(prop).get("value")
        if name_ and isinstance(value_, str):
            comp.properties.setdefault(name_, value_)
    comp.filename = comp.properties.get("bsi:component:filename")
    swid = _s(as_dict(data.get("swid")).get("tagId"))
    comp.other_ids = [swid] if swid else []
    for key in ("omniborId", "swhid"):
        comp.other_ids += [x for x in (_s(v) for v in as_list(data.get(key))) if x]
    return comp


def _walk_cdx(items: Any, out: list[DocComponent]) -> None:
    for item in as_list(items):
        if isinstance(item, dict):
            out.append(_cdx_component(item, len(out)))
            _walk_cdx(item.get("components"), out)


def _from_cyclonedx(data: dict[str, Any], path: str, encoding: str) -> SbomDocument:
    spec = _s(data.get("specVersion"))
    if spec is None:
        raise InputError("CycloneDX document without specVersion", source=path)
    doc = SbomDocument(
        path=path,
        standard="CycloneDX",
        spec_version=spec,
        encoding=encoding,
        uri=_s(data.get("serialNumber")),
    )
    meta = as_dict(data.get("metadata"))
    doc.timestamp = _s(meta.get("timestamp"))
    entities = [as_dict(a) for a in as_list(meta.get("authors"))]
    entities += [as_dict(meta.get(k)) for k in ("manufacturer", "manufacture", "supplier")]
    for entity in entities:
        contacts = _entity_contacts(entity)
        name = _s(entity.get("name")) or next(iter(contacts), None)
        if name:  # an entity known only by its e-mail address or URL still authored it
            doc.authors.append(name)
        doc.creator_contacts += contacts
    tools = meta.get("tools")
    tool_items = (
        as_list(tools) if isinstance(tools, list) else as_list(as_dict(tools).get("components"))
    )
    for tool in tool_items:
        name = _s(as_dict(tool).get("name"))
        if name:
            doc.tools.append(f"{name} {_s(as_dict(tool).get('version')) or ''}".strip())
    if isinstance(meta.get("component"), dict):
        doc.root = _cdx_component(meta["component"], -1)
        doc.root.ref = _s(meta["component"].get("bom-ref")) or "#root"
    _walk_cdx(data.get("components"), doc.components)
    for phase in as_list(meta.get("lifecycles")):
        name = _s(as_dict(phase).get("phase")) or _s(as_dict(phase).get("name"))
        if name:
            doc.lifecycles.append(name)
    doc.vulnerabilities = len(as_list(data.get("vulnerabilities")))
    for dep in as_list(data.get("dependencies")):
        dep = as_dict(dep)
        ref = _s(dep.get("ref"))
        if ref:
            targets = [t for t in (_s(x) for x in as_list(dep.get("dependsOn"))) if t]
            doc.dependencies.setdefault(ref, []).extend(targets)
            if "dependsOn" in dep:
                doc.stated_refs.add(ref)
    for composition in as_list(data.get("compositions")):
        composition = as_dict(composition)
        aggregate = _s(composition.get("aggregate")) or "unknown"
        refs = {r for r in (_s(x) for x in as_list(composition.get("dependencies"))) if r}
        refs |= {r for r in (_s(x) for x in as_list(composition.get("assemblies"))) if r}
        deps = {r for r in (_s(x) for x in as_list(composition.get("dependencies"))) if r}
        doc.stated_refs |= deps  # a stated completeness, even "unknown", is a statement
        if aggregate == "complete":
            doc.complete_refs |= refs
        else:
            doc.incomplete_refs |= refs
    return doc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _xml_entity(element: Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if _child_text(element, "name"):
        out["name"] = _child_text(element, "name")
    urls = [(u.text or "").strip() for u in _children(element, "url")]
    out["url"] = [u for u in urls if u]
    out["contact"] = [{"email": _child_text(c, "email")} for c in _children(element, "contact")]
    if _child_text(element, "email"):
        out["email"] = _child_text(element, "email")
    return out


def _xml_hashes(element: Element | None) -> list[dict[str, str]]:
    if element is None:
        return []
    return [{"alg": h.get("alg", ""), "content": (h.text or "").strip()} for h in element]


def _first(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _xml_component(element: Element) -> dict[str, Any]:
    out: dict[str, Any] = {"bom-ref": element.get("bom-ref")}
    for key in ("group", "name", "version", "scope", "purl", "cpe", "publisher", "author"):
        value = _child_text(element, key)
        if value:
            out[key] = value
    for key in ("supplier", "manufacturer"):
        entity = _first(element, key)
        if entity is not None:
            out[key] = _xml_entity(entity)
    authors = _first(element, "authors")
    if authors is not None:
        out["authors"] = [_xml_entity(a) for a in authors]
    out["hashes"] = _xml_hashes(_first(element, "hashes"))
    licenses: list[dict[str, Any]] = []
    container = _first(element, "licenses")
    for entry in container if container is not None else []:
        if _local(entry.tag) == "expression":
            licenses.append(
                {
                    "expression": (entry.text or "").strip(),
                    "acknowledgement": entry.get("acknowledgement"),
                }
            )
        elif _local(entry.tag) == "license":
            licenses.append(
                {
                    "license": {
                        "id": _child_text(entry, "id"),
                        "name": _child_text(entry, "name"),
                        "acknowledgement": entry.get("acknowledgement"),
                    }
                }
            )
    out["licenses"] = licenses
    refs = _first(element, "externalReferences")
    out["externalReferences"] = [
        {
            "type": r.get("type"),
            "url": _child_text(r, "url"),
            "hashes": _xml_hashes(_first(r, "hashes")),
        }
        for r in (refs if refs is not None else [])
    ]
    props = _first(element, "properties")
    out["properties"] = [
        {"name": p.get("name"), "value": (p.text or "").strip()}
        for p in (props if props is not None else [])
    ]
    nested = _first(element, "components")
    if nested is not None:
        out["components"] = [_xml_component(c) for c in _children(nested, "component")]
    swid = _first(element, "swid")
    if swid is not None and swid.get("tagId"):
        out["swid"] = {"tagId": swid.get("tagId")}
    for key in ("omniborId", "swhid"):
        values = [(c.text or "").strip() for c in _children(element, key)]
        if any(values):
            out[key] = [v for v in values if v]
    return out


def _cdx_xml_to_dict(root: Element, spec: str) -> dict[str, Any]:
    out: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": spec}
    if root.get("serialNumber"):
        out["serialNumber"] = root.get("serialNumber")
    vulnerabilities = _first(root, "vulnerabilities")
    if vulnerabilities is not None:
        out["vulnerabilities"] = [{} for _ in _children(vulnerabilities, "vulnerability")]
    meta_el = _first(root, "metadata")
    if meta_el is not None:
        meta: dict[str, Any] = {"timestamp": _child_text(meta_el, "timestamp")}
        lifecycles = _first(meta_el, "lifecycles")
        if lifecycles is not None:
            meta["lifecycles"] = [
                {"phase": _child_text(c, "phase"), "name": _child_text(c, "name")}
                for c in _children(lifecycles, "lifecycle")
            ]
        authors = _first(meta_el, "authors")
        if authors is not None:
            meta["authors"] = [_xml_entity(a) for a in authors]
        for key in ("manufacturer", "manufacture", "supplier"):
            entity = _first(meta_el, key)
            if entity is not None:
                meta[key] = _xml_entity(entity)
        tools = _first(meta_el, "tools")
        if tools is not None:
            items = _children(tools, "tool")
            nested = _first(tools, "components")
            items += _children(nested, "component") if nested is not None else []
            meta["tools"] = [
                {"name": _child_text(t, "name"), "version": _child_text(t, "version")}
                for t in items
            ]
        component = _first(meta_el, "component")
        if component is not None:
            meta["component"] = _xml_component(component)
        out["metadata"] = meta
    components = _first(root, "components")
    out["components"] = [
        _xml_component(c)
        for c in (_children(components, "component") if components is not None else [])
    ]
    dependencies = _first(root, "dependencies")
    # an XML <dependency ref="x"/> states "no dependencies" as JSON's dependsOn: [] does
    out["dependencies"] = [
        {"ref": d.get("ref"), "dependsOn": [x.get("ref") for x in _children(d, "dependency")]}
        for d in (_children(dependencies, "dependency") if dependencies is not None else [])
    ]
    compositions = _first(root, "compositions")
    out["compositions"] = []
    for comp in _children(compositions, "composition") if compositions is not None else []:
        assemblies = _first(comp, "assemblies")
        deps = _first(comp, "dependencies")
        out["compositions"].append(
            {
                "aggregate": _child_text(comp, "aggregate"),
                "assemblies": [
                    a.get("ref") for a in (assemblies if assemblies is not None else [])
                ],
                "dependencies": [d.get("ref") for d in (deps if deps is not None else [])],
            }
        )
    return out


# ----------------------------------------------------------------------------------- SPDX

_SPDX_ALGORITHMS = {spdx: ours for ours, spdx in SPDX2_HASH_NAMES.items()}
#: relationship types whose direction is "element depends on related element"
_FORWARD = {"DEPENDS_ON", "CONTAINS", "HAS_PREREQUISITE", "STATIC_LINK", "DYNAMIC_LINK"}
#: relationship types whose direction is "related element depends on element"
_BACKWARD = {
    "DEPENDENCY_OF",
    "DEV_DEPENDENCY_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "BUILD_DEPENDENCY_OF",
    "TEST_DEPENDENCY_OF",
    "RUNTIME_DEPENDENCY_OF",
    "PROVIDED_DEPENDENCY_OF",
    "CONTAINED_BY",
    "PREREQUISITE_FOR",
}


def _actor(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(kind, name, email) of an SPDX actor string."""
    if not text or text.strip() in _NO_VALUE:
        return None, None, None
    match = _SPDX_ACTOR.match(text)
    if match is None:
        return None, text.strip(), None
    return match.group(1), match.group(2) or None, (match.group(3) or "").strip() or None


def _spdx_package(data: dict[str, Any], index: int) -> DocComponent:
    comp = DocComponent(
        ref=_s(data.get("SPDXID")) or f"#package-{index}",
        name=_s(data.get("name")) or "",
        version=_s(data.get("versionInfo")),
        filename=_s(data.get("packageFileName")),
    )
    for key in ("supplier", "originator"):
        _kind, name, email = _actor(_s(data.get(key)))
        # the NTIA supplier is PackageSupplier (SPDX 2.3 Annex K); the originator made the
        # package: a creator contact for TR-03183-2, not the supplier
        if name and key == "supplier" and comp.supplier is None:
            comp.supplier = name
        if email:
            comp.creator_contacts.append(email)
    homepage = _s(data.get("homepage"))
    if homepage and homepage not in _NO_VALUE:
        comp.creator_contacts.append(homepage)
    for checksum in as_list(data.get("checksums")):
        alg = _s(as_dict(checksum).get("algorithm")) or ""
        value = _s(as_dict(checksum).get("checksumValue"))
        if value:
            comp.hashes.append(Hash(_SPDX_ALGORITHMS.get(alg, alg), value.lower()))
    declared = _s(data.get("licenseDeclared"))
    if declared and declared not in _NO_VALUE:
        comp.declared_licenses.append(declared)
    concluded = _s(data.get("licenseConcluded"))
    if concluded and concluded not in _NO_VALUE:
        comp.concluded_licenses.append(concluded)
    download = _s(data.get("downloadLocation"))
    if download and download not in _NO_VALUE:
        if download.startswith(("git+", "hg+", "svn+", "bzr+")):
            comp.source_uri = download
        else:
            comp.distribution_uri = download
            comp.distribution_hashes = list(comp.hashes)
    for ref in as_list(data.get("externalRefs")):
        kind = _s(as_dict(ref).get("referenceType")) or ""
        locator = _s(as_dict(ref).get("referenceLocator"))
        if kind == "purl" and locator and comp.purl is None:
            comp.purl = locator
        elif kind in ("cpe23Type", "cpe22Type") and locator and comp.cpe is None:
            comp.cpe = locator
    return comp


def _from_spdx(data: dict[str, Any], path: str, encoding: str) -> SbomDocument:
    version = (_s(data.get("spdxVersion")) or "").removeprefix("SPDX-")
    doc = SbomDocument(
        path=path,
        standard="SPDX",
        spec_version=version,
        encoding=encoding,
        uri=_s(data.get("documentNamespace")),
    )
    creation = as_dict(data.get("creationInfo"))
    doc.timestamp = _s(creation.get("created"))
    for creator in as_list(creation.get("creators")):
        kind, name, email = _actor(_s(creator))
        if kind == "Tool" and name:
            doc.tools.append(name)
        elif name:
            doc.authors.append(name)
            if email:
                doc.creator_contacts.append(email)
    raw_packages = [as_dict(p) for p in as_list(data.get("packages"))]
    packages = [_spdx_package(p, i) for i, p in enumerate(raw_packages)]
    doc.vulnerabilities = sum(
        1
        for p in raw_packages
        for ref in as_list(p.get("externalRefs"))
        if _s(as_dict(ref).get("referenceType")) in ("advisory", "fix")
    )
    ids = {p.ref for p in packages}
    described = [x for x in as_list(data.get("documentDescribes")) if isinstance(x, str)]
    edges: dict[str, list[str]] = {}
    for rel in as_list(data.get("relationships")):
        rel = as_dict(rel)
        source = _s(rel.get("spdxElementId"))
        kind = _s(rel.get("relationshipType")) or ""
        target = _s(rel.get("relatedSpdxElement"))
        if not source or not target:
            continue
        if kind == "DESCRIBES" and source == "SPDXRef-DOCUMENT":
            described.append(target)
        elif kind == "DESCRIBED_BY" and target == "SPDXRef-DOCUMENT":
            described.append(source)
        elif kind in _FORWARD or kind in _BACKWARD:
            if kind in _BACKWARD:
                source, target = target, source
            doc.stated_refs.add(source)
            if target == "NONE":
                edges.setdefault(source, [])
                doc.complete_refs.add(source)
            elif target == "NOASSERTION":
                edges.setdefault(source, [])
                doc.incomplete_refs.add(source)
            else:
                edges.setdefault(source, []).append(target)
                edges.setdefault(target, [])
    doc.dependencies = edges
    root_id = next((d for d in described if d in ids), None)
    for package in packages:
        if package.ref == root_id and doc.root is None:
            doc.root = package
        else:
            doc.components.append(package)
    return doc


def _spdx_tag_value(data: bytes, path: str | Path) -> dict[str, Any]:
    """Parse SPDX tag-value with spdx-tools and convert to the SPDX JSON shape."""
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", source=path) from None
    try:
        document = Parser().parse(text)  # type: ignore[no-untyped-call]
    except SPDXParsingError as exc:
        messages: list[str] = exc.get_messages()  # type: ignore[no-untyped-call]
        first = messages[0] if messages else "unknown problem"
        raise InputError(f"invalid SPDX tag-value: {first}", source=path) from None
    except Exception as exc:
        raise InputError(f"invalid SPDX tag-value: {exc}", source=path) from None
    converter = DocumentConverter()  # type: ignore[no-untyped-call]
    converted: dict[str, Any] = converter.convert(document)
    return converted


# --------------------------------------------------------------------------------- SPDX 3

_SPDX3_ALGORITHMS = {spdx: ours for ours, spdx in SPDX3_HASH_NAMES.items()}
_EXECUTABLE = {"executable", "application", "firmware", "operatingSystem", "install"}


def _local_name(value: Any) -> str:
    """``software_Package`` or its full IRI → ``software_Package``; enum IRIs → last segment."""
    text = value if isinstance(value, str) else ""
    return text.rsplit("/", 1)[-1]


def _spdx3_hashes(element: dict[str, Any]) -> list[Hash]:
    out = []
    for method in as_list(element.get("verifiedUsing")):
        method = as_dict(method)
        alg = _SPDX3_ALGORITHMS.get(_local_name(method.get("algorithm")))
        value = _s(method.get("hashValue"))
        if alg and value:
            out.append(Hash(alg, value.lower()))
    return out


def _identifiers(element: dict[str, Any], kind: str) -> list[str]:
    return [
        str(item.get("identifier"))
        for item in (as_dict(x) for x in as_list(element.get("externalIdentifier")))
        if _local_name(item.get("externalIdentifierType")) == kind and _s(item.get("identifier"))
    ]


def _from_spdx3(data: dict[str, Any], path: str) -> SbomDocument:
    """SPDX 3.0.x JSON-LD (compact form, as the SPDX context writes it)."""
    graph = [as_dict(x) for x in as_list(data.get("@graph"))]
    if not graph:
        raise InputError("SPDX 3 document without an @graph", source=path)
    by_id: dict[str, dict[str, Any]] = {}
    for element in graph:
        ident = _s(element.get("spdxId")) or _s(element.get("@id"))
        if ident:
            by_id[ident] = element
    kinds = [_local_name(e.get("type")) for e in graph]
    creations = [e for e, k in zip(graph, kinds, strict=True) if k == "CreationInfo"]
    creation = creations[0] if creations else {}
    doc = SbomDocument(
        path=path,
        standard="SPDX",
        spec_version=_s(creation.get("specVersion")) or "3",
        encoding="json-ld",
    )
    doc.timestamp = _s(creation.get("created"))
    for agent_id in as_list(creation.get("createdBy")):
        agent = by_id.get(str(agent_id), {})
        name = _s(agent.get("name"))
        contacts = _identifiers(agent, "email") + _identifiers(agent, "urlScheme")
        if name:
            doc.authors.append(name)
        doc.creator_contacts += contacts
    for tool_id in as_list(creation.get("createdUsing")):
        name = _s(by_id.get(str(tool_id), {}).get("name"))
        if name:
            doc.tools.append(name)
    documents = [e for e, k in zip(graph, kinds, strict=True) if k == "SpdxDocument"]
    if documents:
        doc.uri = _s(documents[0].get("spdxId"))
    relationships = [e for e, k in zip(graph, kinds, strict=True) if k == "Relationship"]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for rel in relationships:
        source = _s(rel.get("from"))
        if source:
            by_source.setdefault(source, []).append(rel)

    def related(source: str, kind: str) -> list[dict[str, Any]]:
        out = []
        for rel in by_source.get(source, []):
            if _local_name(rel.get("relationshipType")) == kind:
                out += [by_id.get(str(t), {}) for t in as_list(rel.get("to"))]
        return out

    def expressions(source: str, kind: str) -> list[str]:
        values = [_s(e.get("simplelicensing_licenseExpression")) for e in related(source, kind)]
        return [v for v in values if v]

    roots: list[str] = []
    for sbom_element in (e for e, k in zip(graph, kinds, strict=True) if k == "software_Sbom"):
        roots += [str(r) for r in as_list(sbom_element.get("rootElement"))]
        doc.lifecycles += [_local_name(t) for t in as_list(sbom_element.get("software_sbomType"))]
        doc.uri = _s(sbom_element.get("spdxId")) or doc.uri
    # without a software_Sbom naming a package as its root, the primary component is the
    # SpdxDocument's rootElement, or what the document (or an Sbom) ``describes`` (SPDX 3.0.1
    # Core/ElementCollection rootElement, RelationshipType describes)
    packages = {
        str(e.get("spdxId")) for e, k in zip(graph, kinds, strict=True) if k == "software_Package"
    }
    if not packages & set(roots):
        for container in documents + [
            e for e, k in zip(graph, kinds, strict=True) if k == "software_Sbom"
        ]:
            roots += [str(r) for r in as_list(container.get("rootElement"))]
            ident = _s(container.get("spdxId"))
            if ident:
                roots += [str(e.get("spdxId")) for e in related(ident, "describes")]
    doc.vulnerabilities = sum(1 for k in kinds if k == "security_Vulnerability")
    for index, (element, kind) in enumerate(zip(graph, kinds, strict=True)):
        if kind != "software_Package":
            continue
        ident = _s(element.get("spdxId")) or f"#package-{index}"
        purls = _identifiers(element, "packageUrl")
        comp = DocComponent(
            ref=ident,
            name=_s(element.get("name")) or "",
            version=_s(element.get("software_packageVersion")),
            purl=_s(element.get("software_packageUrl")) or next(iter(purls), None),
            cpe=next(iter(_identifiers(element, "cpe23")), None),
        )
        for key in ("suppliedBy", "originatedBy"):
            values = element.get(key)
            for agent_id in values if isinstance(values, list) else [values]:
                agent = by_id.get(str(agent_id), {}) if agent_id else {}
                # the NTIA supplier is suppliedBy, as PackageSupplier in SPDX 2 (not the
                # originator, who made the package: a creator contact for TR-03183-2)
                if agent and key == "suppliedBy" and comp.supplier is None:
                    comp.supplier = _s(agent.get("name"))
                comp.creator_contacts += _identifiers(agent, "email")
        homepage = _s(element.get("software_homePage"))
        if homepage:
            comp.creator_contacts.append(homepage)
        for ref in (as_dict(x) for x in as_list(element.get("externalRef"))):
            if _local_name(ref.get("externalRefType")) in ("vcs", "sourceArtifact"):
                # the source code URI, as CycloneDX externalReferences vcs
                comp.source_uri = comp.source_uri or next(
                    (str(u) for u in as_list(ref.get("locator")) if _s(u)), None
                )
            if _local_name(ref.get("externalRefType")) == "securityOther":
                comp.security_txt = comp.security_txt or next(
                    (str(u) for u in as_list(ref.get("locator")) if _s(u)), None
                )
        comp.hashes = _spdx3_hashes(element)
        download = _s(element.get("software_downloadLocation"))
        if download and download.startswith(("git+", "hg+", "svn+", "bzr+")):
            comp.source_uri = download
        elif download:
            comp.distribution_uri = download
        artifacts = related(ident, "hasDistributionArtifact")
        if artifacts:
            comp.filename = _s(artifacts[0].get("name"))
            comp.distribution_hashes = _spdx3_hashes(artifacts[0])
        comp.declared_licenses = expressions(ident, "hasDeclaredLicense")
        comp.concluded_licenses = expressions(ident, "hasConcludedLicense")
        purposes = {_local_name(element.get("software_primaryPurpose"))}
        purposes |= {_local_name(p) for p in as_list(element.get("software_additionalPurpose"))}
        purposes |= {_local_name(a.get("software_primaryPurpose")) for a in artifacts}
        purposes.discard("")
        if purposes:
            executable = bool(purposes & _EXECUTABLE)
            comp.properties["bsi:component:executable"] = str(executable).lower()
            comp.properties["bsi:component:archive"] = str("archive" in purposes).lower()
        if ident in roots and doc.root is None:
            doc.root = comp
        else:
            doc.components.append(comp)
    for rel in relationships:
        if _local_name(rel.get("relationshipType")) != "dependsOn":
            continue
        source = _s(rel.get("from"))
        if not source:
            continue
        doc.stated_refs.add(source)
        targets = [str(t) for t in as_list(rel.get("to"))]
        pseudo = {_local_name(t) for t in targets} & {"NoneElement", "NoAssertionElement"}
        targets = [t for t in targets if _local_name(t) not in pseudo]
        doc.dependencies.setdefault(source, []).extend(targets)
        if "NoAssertionElement" in pseudo:
            doc.incomplete_refs.add(source)
        completeness = _local_name(rel.get("completeness"))
        if completeness == "complete":
            doc.complete_refs.add(source)
        elif completeness:
            doc.incomplete_refs.add(source)
    return doc
