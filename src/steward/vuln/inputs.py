"""What ``steward vulns`` scans: components from an SBOM or a source tree, and the subject.

From an SBOM (:func:`from_sbom`) every component becomes a :class:`Component`:

- identified by its purl (read with :func:`steward.vuln.purls.parse_purl`); its CPE, if any,
  is kept as the ``cpe`` property for VEX statements that name products by CPE;
- npm names are case-sensitive but the purl specification lower-cases them, so when the
  SBOM's component name equals the purl's name ignoring case, the component's spelling is
  used (``pkg:npm/jsonstream@1.3.1`` named ``JSONStream`` matches advisories for
  ``JSONStream``, including Steward's own SBOMs);
- a component without a usable purl cannot be matched: it is returned in ``not_checked``
  with the reason, so every report can list it rather than silently leave it out.

The :class:`~steward.vuln.vex.Subject` (serial number, root component) lets VEX statements
about the product as a whole, and BOM-Links, find the scanned SBOM.

Go's ``stdlib`` component takes its version from go.mod's ``toolchain`` directive, else from
the ``go`` directive, which is only the minimum language version: such a version is marked
assumed (property ``steward:version_assumed``). :func:`apply_go_directive_policy` drops that
assumption on request (osv-scanner >= 2.4 behaviour), leaving ``stdlib`` not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from steward.errors import InputError
from steward.sbom.component import Component, Scope
from steward.sbom.ecosystems.go_mod import STDLIB_VERSION_FROM
from steward.sbom.read import SbomDocument
from steward.vuln.purls import parse_purl
from steward.vuln.vex import Subject

#: a finding's component property: why its version is an assumption
ASSUMED = "steward:version_assumed"


@dataclass
class ScanInput:
    """Components to match, components that cannot be, and what the scan is of."""

    components: list[Component]
    not_checked: list[tuple[Component, str]] = field(default_factory=list)
    subject: Subject = field(default_factory=Subject)
    sbom_path: str | None = None
    #: the scanned product (the SBOM's root component, or the project a tree was assembled
    #: into): ``{"name", "version", "purl", "ecosystem"}``, what ``case new --from-finding``
    #: records as the manufacturer's product; None when the scan names none
    product: dict[str, str | None] | None = None


def require_usable(scan: ScanInput, source: str | Path) -> ScanInput:
    """``scan`` if something in it can be matched, or an SBOM without components (genuinely
    empty). An SBOM whose components all lack a usable purl yields no result at all, which
    must not read as "no vulnerabilities": :class:`InputError` saying why (issue 18)."""
    if scan.components or not scan.not_checked:
        return scan
    reasons: dict[str, int] = {}
    for _component, reason in scan.not_checked:
        key = "invalid purl" if reason.startswith("invalid purl") else reason
        reasons[key] = reasons.get(key, 0) + 1
    why = "; ".join(f"{count} {reason}" for reason, count in reasons.items())
    raise InputError(
        f"none of its {len(scan.not_checked)} components can be matched against advisories ({why})",
        source=source,
    )


def from_sbom(doc: SbomDocument) -> ScanInput:
    """The components of an SBOM read by :func:`steward.sbom.read.read_sbom`."""
    out = ScanInput(components=[], sbom_path=doc.path)
    for item in doc.components:
        scope = Scope.DEV if item.scope == "excluded" else Scope.RUNTIME
        purl = parse_purl(item.purl) if item.purl else None
        if purl is None:
            comp = Component(
                name=item.name or item.ref,
                version=item.version or "",
                ecosystem="",
                ref=item.ref,
                scope=scope,
            )
            if item.cpe:
                comp.properties["cpe"] = item.cpe
            if item.purl:
                reason = f"invalid purl {item.purl!r}"
            elif item.cpe:
                reason = "identified by CPE only (OSV advisories are matched by purl)"
            else:
                reason = "no purl"
            out.not_checked.append((comp, reason))
            continue
        name = purl.package_name()
        if purl.type == "npm":
            name = _npm_spelling(purl.namespace, purl.name, item.group, item.name) or name
        comp = Component(
            name=name,
            version=purl.version or item.version or "",
            ecosystem=purl.ecosystem,
            purl=item.purl,
            ref=item.ref,
            scope=scope,
            hashes=tuple(item.hashes),
        )
        if item.cpe:
            comp.properties["cpe"] = item.cpe
        if STDLIB_VERSION_FROM in item.properties:
            comp.properties[STDLIB_VERSION_FROM] = item.properties[STDLIB_VERSION_FROM]
        out.components.append(comp)
    root = doc.root
    serial = _uuid(doc.uri) if doc.standard == "CycloneDX" else None
    if root is None:
        out.subject = Subject(serial=serial)
        return out
    version = root.version
    if not version and root.purl:
        parsed = parse_purl(root.purl)
        version = parsed.version if parsed is not None else None
    out.subject = Subject(
        serial=serial,
        root_ref=root.ref,
        root_purl=root.purl,
        root_cpe=root.cpe,
        root_version=version,
    )
    if root.name:
        parsed = parse_purl(root.purl) if root.purl else None
        out.product = {
            "name": root.name,
            "version": version,
            "purl": root.purl if parsed is not None else None,
            "ecosystem": parsed.ecosystem if parsed is not None else None,
        }
    return out


def product_of_tree(root: Component) -> dict[str, str | None]:
    """The project a source tree was assembled into (``steward sbom``'s root component)."""
    return {
        "name": root.name,
        "version": None if root.version in ("", "unversioned") else root.version,
        "purl": root.purl,
        "ecosystem": root.ecosystem or None,
    }


def _uuid(serial: str | None) -> str | None:
    if not serial:
        return None
    return serial.strip().lower().removeprefix("urn:uuid:") or None


def _npm_spelling(
    namespace: str, name: str, group: str | None, item_name: str | None
) -> str | None:
    """The npm package name in the SBOM component's spelling, when only case differs."""
    if not item_name:
        return None
    wanted = f"{namespace}/{name}" if namespace else name
    candidates = [item_name]
    if group:
        candidates.insert(0, f"{group}/{item_name}")
    for candidate in candidates:
        if candidate.lower() == wanted.lower():
            return candidate
    return None


def apply_go_directive_policy(
    components: list[Component], *, directive_as_toolchain: bool
) -> tuple[list[Component], list[tuple[Component, str]]]:
    """Mark (or, when not wanted, leave out) ``stdlib`` versions taken from the go directive.

    Returns the components to match and the ``stdlib`` components left out with the reason.
    """
    keep: list[Component] = []
    dropped: list[tuple[Component, str]] = []
    for comp in components:
        if (
            comp.ecosystem == "Go"
            and comp.name == "stdlib"
            and comp.properties.get(STDLIB_VERSION_FROM) == "go"
        ):
            if not directive_as_toolchain:
                dropped.append(
                    (
                        comp,
                        "no toolchain directive, and the go directive is only the minimum "
                        "language version (--no-go-directive-as-toolchain)",
                    )
                )
                continue
            comp.properties[ASSUMED] = (
                f"Go toolchain assumed to be {comp.version}: go.mod has no toolchain "
                "directive, so the go directive (minimum language version) was used"
            )
        keep.append(comp)
    return keep, dropped
