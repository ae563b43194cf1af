"""CycloneDX 1.6 and 1.7 writers (JSON and XML).

Written directly (dicts → orjson, ElementTree → XML) instead of through cyclonedx-python-lib's
model because the library took 56 s to serialise 10,000 components on this machine (its
sorted sets and dependency registration are quadratic); this takes well under a second. The
library's official JSON schema and XSD validators check our output in the tests.

What goes in, per BSI TR-03183-2 v2.1 where the lockfiles allow it: the project as
``metadata.component``; ``metadata.manufacturer`` from the creator options (the SBOM creator);
the tool, timestamp and lifecycle; per component name, version, purl, scope (dev → excluded,
optional → optional), every hash the lockfile gives, declared licences, the deployable form's
URL with its hashes (``distribution``), the source repository (``vcs``), the
``bsi:component:*`` properties (filename; archive/executable/structured for registry packages,
which are all distributed as archives) and Steward's own properties (source file and line,
direct, groups, commit, package source, platforms, an unresolved version range).

Honest claims: ``dependsOn: []`` asserts "depends on nothing" (CycloneDX 1.6 §dependencies),
so ``dependsOn`` is written only for components whose lockfile records their complete
dependency list (empty or not); a component whose list is partial keeps the edges found and
no claim of completeness. ``compositions`` states per component whether its dependencies are
``complete``, ``incomplete`` (partial) or ``unknown`` (the format records no graph), and
whether the inventory (``assemblies``) is complete. The manufacturer of a component is
written only when the lockfile names it (Composer's authors) or gives its own repository: a
package index's page is not the component's creator, and the gap is left for
``sbom check`` to report.

Spec versions: ``1.6`` (default) and ``1.7``; both documents are validated against the
official schemas shipped with cyclonedx-python-lib in the tests.

Deterministic: bom-refs are the components' refs, the serial number is a UUIDv5 of the content,
components and properties are sorted, the timestamp comes from the metadata
(``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import TYPE_CHECKING, Any

import orjson

from steward.sbom.component import Component, Scope
from steward.sbom.model import Sbom
from steward.sbom.purl import split_name

if TYPE_CHECKING:  # ElementTree loads for XML output only
    import xml.etree.ElementTree as ET

SPEC_VERSION = "1.6"
SPEC_VERSIONS = ("1.6", "1.7")
_SCOPES = {Scope.RUNTIME: "required", Scope.OPTIONAL: "optional", Scope.DEV: "excluded"}
_NAMESPACE = uuid.UUID("3a9c4b8e-1f62-5d0e-b7c1-6a2f9e8d4c10")
_GROUPED = ("Maven", "npm", "Packagist", "Go")


def serial_number(sbom: Sbom) -> str:
    """``urn:uuid:`` of a UUIDv5 of the SBOM's content: same input, same serial number."""
    digest = hashlib.sha256()
    digest.update(f"{sbom.root.name}@{sbom.root.version}".encode())
    for comp in sbom.components:
        digest.update(f"\n{comp.ref}|{comp.scope}|{','.join(comp.dependencies)}".encode())
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, digest.hexdigest())}"


def project_url(comp: Component) -> str | None:
    """The component's own source repository URL (http/https), where the lockfile gives one."""
    if comp.vcs_url and comp.vcs_url.startswith(("https://", "http://")):
        return comp.vcs_url
    return None


_COMMIT_LIKE = re.compile(r"^[0-9a-f]{7,64}$")


def is_local(comp: Component) -> bool:
    """A package built from the project's own tree (a workspace member or path dependency:
    ``package-source`` ``local``), not a file downloaded from a registry: no archive, no
    registry file name."""
    return comp.properties.get("package-source") == "local"


def _filename(comp: Component) -> str | None:
    """The deployable file's name: from the download URL, else the registry's naming rule.

    A URL whose last segment is a commit hash or has no file extension (GitHub's codeload
    tarballs) names no file; Go's standard library is not a downloaded file.
    """
    if is_local(comp):
        return None
    if comp.download_url:
        name = comp.download_url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if name and "." in name.strip(".") and not _COMMIT_LIKE.match(name):
            return name
        return None
    if not comp.purl or not comp.version or "repository_url=" in comp.purl or comp.vcs_url:
        return None
    base = comp.name.rsplit("/", 1)[-1]
    if comp.ecosystem == "npm":
        return f"{base}-{comp.version}.tgz"
    if comp.ecosystem == "crates.io":
        return f"{comp.name}-{comp.version}.crate"
    if comp.ecosystem == "RubyGems":
        return f"{comp.name}-{comp.version}.gem"
    if comp.ecosystem == "NuGet":
        return f"{comp.name.lower()}.{comp.version.lower()}.nupkg"
    if comp.ecosystem == "Hex":
        return f"{comp.name}-{comp.version}.tar"
    if comp.ecosystem == "Go":
        # the module zip as the Go module proxy serves it (``@v/v1.2.3.zip``)
        return None if comp.name == "stdlib" else f"v{comp.version.removeprefix('v')}.zip"
    if comp.ecosystem == "Maven" and ":" in comp.name:
        return f"{comp.name.split(':', 1)[1]}-{comp.version}.jar"
    return None


def _properties(comp: Component) -> list[tuple[str, str]]:
    props: list[tuple[str, str]] = []
    if comp.purl:
        props += [
            ("bsi:component:archive", str(not is_local(comp)).lower()),
            ("bsi:component:executable", "false"),
            ("bsi:component:structured", "false"),
        ]
    filename = _filename(comp)
    if filename:
        props.append(("bsi:component:filename", filename))
    if comp.location is not None:
        props.append(("steward:source", str(comp.location)))
    if comp.direct is not None:
        props.append(("steward:direct", str(comp.direct).lower()))
    if comp.groups:
        props.append(("steward:groups", ",".join(comp.groups)))
    if comp.commit:
        props.append(("steward:commit", comp.commit))
    if comp.version_range:
        props.append(("steward:unresolved-version-range", comp.version_range))
    for key in sorted(comp.properties):
        props.append((key if ":" in key else f"steward:{key}", comp.properties[key]))
    return props


def _name_group(comp: Component) -> tuple[str, str | None]:
    """CycloneDX name and group: the purl's namespace as the ecosystem spells it (npm scope,
    Go module path, Composer vendor, Maven groupId)."""
    if comp.purl and comp.ecosystem in _GROUPED:
        namespace, short = split_name(comp.ecosystem, comp.name)
        if namespace:
            return short, namespace
    return comp.name, None


def _component(comp: Component) -> dict[str, Any]:
    name, group = _name_group(comp)
    out: dict[str, Any] = {"type": "library", "bom-ref": comp.ref}
    page = project_url(comp)
    if comp.supplier or page:
        manufacturer: dict[str, Any] = {}
        if comp.supplier:
            manufacturer["name"] = comp.supplier
        if page:
            manufacturer["url"] = [page]
        out["manufacturer"] = manufacturer
    if group:
        out["group"] = group
    out["name"] = name
    if comp.version:
        out["version"] = comp.version
    if comp.scope in _SCOPES:
        out["scope"] = _SCOPES[comp.scope]
    hashes = [{"alg": h.algorithm, "content": h.value} for h in comp.hashes]
    if hashes:
        out["hashes"] = hashes
    if comp.licenses:
        out["licenses"] = [
            {"expression": value, "acknowledgement": "declared"} for value in comp.licenses
        ]
    if comp.purl:
        out["purl"] = comp.purl
    refs: list[dict[str, Any]] = []
    if comp.vcs_url:
        refs.append({"type": "vcs", "url": comp.vcs_url})
    if comp.download_url and comp.download_url.startswith(("http://", "https://")):
        ref: dict[str, Any] = {"type": "distribution", "url": comp.download_url}
        own = [{"alg": h.algorithm, "content": h.value} for h in comp.download_hashes]
        if own or hashes:
            ref["hashes"] = own or hashes
        refs.append(ref)
    if refs:
        out["externalReferences"] = refs
    props = _properties(comp)
    if props:
        out["properties"] = [{"name": n, "value": v} for n, v in props]
    return out


def _document(sbom: Sbom, spec_version: str = SPEC_VERSION) -> dict[str, Any]:
    if spec_version not in SPEC_VERSIONS:
        raise ValueError(f"CycloneDX {spec_version} is not written (only {SPEC_VERSIONS})")
    meta = sbom.metadata
    metadata: dict[str, Any] = {
        "timestamp": meta.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lifecycles": [{"phase": "pre-build"}],
        "tools": {
            "components": [
                {
                    "type": "application",
                    "bom-ref": f"tool:{meta.tool_name}",
                    "name": meta.tool_name,
                    "version": meta.tool_version,
                }
            ]
        },
        "component": {
            "type": "application",
            "bom-ref": sbom.root.ref,
            "name": sbom.root.name,
            **({"version": sbom.root.version} if sbom.root.version else {}),
        },
    }
    if meta.security_txt:
        metadata["component"]["externalReferences"] = [
            {"type": "rfc-9116", "url": meta.security_txt}
        ]
    if meta.creator_email or meta.creator_url or meta.creator_name:
        manufacturer: dict[str, Any] = {}
        if meta.creator_name:
            manufacturer["name"] = meta.creator_name
        if meta.creator_url:
            manufacturer["url"] = [meta.creator_url]
        if meta.creator_email:
            manufacturer["contact"] = [{"email": meta.creator_email}]
        metadata["manufacturer"] = manufacturer
    if meta.sources:
        metadata["properties"] = [{"name": "steward:source-file", "value": s} for s in meta.sources]
    everything = [sbom.root, *sbom.components]
    dependencies = [_dependency(c) for c in everything]
    return {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec_version}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec_version,
        "serialNumber": serial_number(sbom),
        "version": 1,
        "metadata": metadata,
        "components": [_component(c) for c in sbom.components],
        "dependencies": dependencies,
        "compositions": compositions(sbom),
    }


def _dependency(comp: Component) -> dict[str, Any]:
    """``dependsOn`` only when the list is known complete or has edges (never a false ``[]``)."""
    if comp.dependencies_known or comp.dependencies:
        return {"ref": comp.ref, "dependsOn": list(comp.dependencies)}
    return {"ref": comp.ref}


def dependency_completeness(sbom: Sbom) -> dict[str, list[str]]:
    """Refs by how much is known of their dependencies: complete, incomplete, unknown."""
    out: dict[str, list[str]] = {"complete": [], "incomplete": [], "unknown": []}
    for comp in [sbom.root, *sbom.components]:
        if comp.dependencies_known:
            out["complete"].append(comp.ref)
        elif comp.dependencies:
            out["incomplete"].append(comp.ref)
        else:
            out["unknown"].append(comp.ref)
    return out


def compositions(sbom: Sbom) -> list[dict[str, Any]]:
    """The inventory's completeness, then each component's dependency completeness."""
    out: list[dict[str, Any]] = [
        {
            "aggregate": "complete" if sbom.complete else "incomplete",
            "assemblies": [sbom.root.ref],
        }
    ]
    for aggregate, refs in dependency_completeness(sbom).items():
        if refs:
            out.append({"aggregate": aggregate, "dependencies": refs})
    return out


def to_json(sbom: Sbom, spec_version: str = SPEC_VERSION) -> bytes:
    """CycloneDX JSON (``spec_version`` 1.6 or 1.7), deterministic."""
    return orjson.dumps(_document(sbom, spec_version), option=orjson.OPT_INDENT_2) + b"\n"


# ---------------------------------------------------------------------------------- XML


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    from xml.etree.ElementTree import SubElement

    element = SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _xml_component(parent: ET.Element, data: dict[str, Any]) -> None:
    element = _sub(parent, "component", type=data["type"], **{"bom-ref": data["bom-ref"]})
    if "manufacturer" in data:
        manufacturer = _sub(element, "manufacturer")
        if "name" in data["manufacturer"]:
            _sub(manufacturer, "name", data["manufacturer"]["name"])
        for url in data["manufacturer"].get("url", []):
            _sub(manufacturer, "url", url)
    for key in ("group", "name", "version", "scope"):
        if key in data:
            _sub(element, key, data[key])
    if "hashes" in data:
        hashes = _sub(element, "hashes")
        for h in data["hashes"]:
            _sub(hashes, "hash", h["content"], alg=h["alg"])
    if "licenses" in data:
        licenses = _sub(element, "licenses")
        for lic in data["licenses"]:
            _sub(licenses, "expression", lic["expression"], acknowledgement=lic["acknowledgement"])
    if "purl" in data:
        _sub(element, "purl", data["purl"])
    if "externalReferences" in data:
        refs = _sub(element, "externalReferences")
        for ref in data["externalReferences"]:
            reference = _sub(refs, "reference", type=ref["type"])
            _sub(reference, "url", ref["url"])
            if "hashes" in ref:
                hashes = _sub(reference, "hashes")
                for h in ref["hashes"]:
                    _sub(hashes, "hash", h["content"], alg=h["alg"])
    if "properties" in data:
        props = _sub(element, "properties")
        for prop in data["properties"]:
            _sub(props, "property", prop["value"], name=prop["name"])


def to_xml(sbom: Sbom, spec_version: str = SPEC_VERSION) -> bytes:
    """CycloneDX XML (``spec_version`` 1.6 or 1.7), deterministic."""
    import xml.etree.ElementTree as ET

    doc = _document(sbom, spec_version)
    namespace = f"http://cyclonedx.org/schema/bom/{spec_version}"
    root = ET.Element(
        "bom", {"xmlns": namespace, "serialNumber": doc["serialNumber"], "version": "1"}
    )
    meta = doc["metadata"]
    metadata = _sub(root, "metadata")
    _sub(metadata, "timestamp", meta["timestamp"])
    lifecycles = _sub(metadata, "lifecycles")
    _sub(_sub(lifecycles, "lifecycle"), "phase", "pre-build")
    tools = _sub(_sub(metadata, "tools"), "components")
    tool = meta["tools"]["components"][0]
    tool_el = _sub(tools, "component", type="application", **{"bom-ref": tool["bom-ref"]})
    _sub(tool_el, "name", tool["name"])
    _sub(tool_el, "version", tool["version"])
    component = meta["component"]
    root_el = _sub(metadata, "component", type="application", **{"bom-ref": component["bom-ref"]})
    _sub(root_el, "name", component["name"])
    if "version" in component:
        _sub(root_el, "version", component["version"])
    if "externalReferences" in component:
        refs = _sub(root_el, "externalReferences")
        for ref in component["externalReferences"]:
            _sub(_sub(refs, "reference", type=ref["type"]), "url", ref["url"])
    if "manufacturer" in meta:
        manufacturer = _sub(metadata, "manufacturer")
        if "name" in meta["manufacturer"]:
            _sub(manufacturer, "name", meta["manufacturer"]["name"])
        for url in meta["manufacturer"].get("url", []):
            _sub(manufacturer, "url", url)
        for contact in meta["manufacturer"].get("contact", []):
            _sub(_sub(manufacturer, "contact"), "email", contact["email"])
    if "properties" in meta:
        props = _sub(metadata, "properties")
        for prop in meta["properties"]:
            _sub(props, "property", prop["value"], name=prop["name"])
    components = _sub(root, "components")
    for data in doc["components"]:
        _xml_component(components, data)
    dependencies = _sub(root, "dependencies")
    for dep in doc["dependencies"]:
        if "dependsOn" not in dep:
            continue  # in XML an empty <dependency/> would claim "no dependencies"
        element = _sub(dependencies, "dependency", ref=dep["ref"])
        for target in dep.get("dependsOn", []):
            _sub(element, "dependency", ref=target)
    container = _sub(root, "compositions")
    for comp in doc["compositions"]:
        composition = _sub(container, "composition")
        _sub(composition, "aggregate", comp["aggregate"])
        if "assemblies" in comp:
            assemblies = _sub(composition, "assemblies")
            for ref in comp["assemblies"]:
                _sub(assemblies, "assembly", ref=ref)
        if "dependencies" in comp:
            refs = _sub(composition, "dependencies")
            for ref in comp["dependencies"]:
                _sub(refs, "dependency", ref=ref)
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
