"""Opening a case from a ``steward vulns --format json`` finding.

A manufacturer reports its own product, not the component that carries the vulnerability:
the case records the product (the scanned product — the root component the findings file
names under ``product`` — or the one given on the command line) with the finding's package
as the vulnerable component inside it. Without a product the reader refuses rather than
report a third party's package as the manufacturer's product.

The component's fixed version is the one for the release branch the product ships: the
smallest fixed version above the installed one in the ecosystem's version order (urllib3
1.26.15 is fixed in 1.26.17, not in 2.0.6 even if the advisory lists 2.0.6 first). Where the
ecosystem's order is unknown, every fixed version is kept.

The reader is tolerant about layout (a list of findings, or an object with ``findings``) and
strict about content: the finding must name a package, and every value goes through the same
event validation as hand-entered data. A finding flagged as known-exploited (CISA KEV or ENISA
EUVD) records ``exploitation_aware`` now — that is when the manufacturer became aware — which
starts the Art. 14 clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from steward.disclosure.cases import Draft
from steward.disclosure.events import EventKind
from steward.errors import InputError, NotFoundError
from steward.safeio import load_json
from steward.shapes import ANY, OneOf, require


@dataclass(frozen=True)
class ProductRef:
    """The manufacturer's product as the findings file or the command line names it."""

    name: str
    version: str | None = None
    purl: str | None = None
    ecosystem: str | None = None


#: the shape of one finding of ``steward vulns -f json`` that a case is made from
#: (:mod:`steward.shapes`); a finding that does not fit is refused, naming the field
FINDING_SPEC = {
    "id": str,
    "aliases": [str],
    "summary": str,
    "details": str,
    "package": {"name": str, "version": str, "ecosystem": str, "purl": str},
    "fixed_versions": [(str, int, float)],
    "references": [OneOf(str, {"url": str, "type": str})],
    "cwes": [str],
    "severity": ANY,
    "exploited": ANY,
    "product": {"name": str, "version": (str, int, float), "purl": str, "ecosystem": str},
}


def load_finding(path: Path, wanted: str) -> tuple[dict[str, Any], ProductRef | None]:
    """The finding whose id or one of whose aliases is ``wanted``, and the scanned product.

    The finding is checked against :data:`FINDING_SPEC` first: a value of the wrong type
    (``"aliases": 5``, ``"package": {"name": []}``) is an InputError naming the field.
    """
    data = load_json(path)
    findings = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(findings, list):
        raise InputError("expected a list of findings or an object with 'findings'", source=path)
    top = _product(data.get("product"), source=path) if isinstance(data, dict) else None
    for item in findings:
        if not isinstance(item, dict):
            raise InputError("a finding is not a JSON object", source=path)
        aliases = item.get("aliases")
        ids = [item.get("id"), *(aliases if isinstance(aliases, list) else [])]
        if wanted in ids:
            require(item, FINDING_SPEC, source=f"{path}: finding {wanted}")
            return item, _product(item.get("product"), source=path) or top
    raise NotFoundError(f"no finding {wanted!r}", source=path)


def _product(value: Any, *, source: Path) -> ProductRef | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"]:
        raise InputError("'product' must be an object with a 'name'", source=source)
    version, purl, ecosystem = (value.get(k) for k in ("version", "purl", "ecosystem"))
    return ProductRef(
        name=value["name"],
        version=str(version) if version else None,
        purl=_bare_purl(purl, source=str(source)) if isinstance(purl, str) and purl else None,
        ecosystem=str(ecosystem) if ecosystem else None,
    )


def _bare_purl(purl: str, *, source: str) -> str:
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        raise InputError(f"invalid purl {purl!r}", source=source) from None
    return str(
        PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name).to_string()
    )


def _cvss(finding: dict[str, Any]) -> str | None:
    severity = finding.get("severity")
    if isinstance(severity, dict):
        for key in ("cvss_vector", "vector"):
            if isinstance(severity.get(key), str):
                return str(severity[key])
        vectors = severity.get("vectors") or severity.get("cvss")
        if isinstance(vectors, list) and vectors and isinstance(vectors[0], str):
            return str(vectors[0])
    return None


def _flag(value: Any) -> tuple[bool, str | None]:
    if isinstance(value, dict):
        when = value.get("date_added") or value.get("dateAdded") or value.get("exploited_since")
        return bool(value.get("listed", value.get("exploited", True))), when
    return bool(value), None


def branch_fix(ecosystem: str | None, installed: str | None, fixed: list[str]) -> list[str]:
    """The fixed version for the branch of ``installed``: the smallest fixed version above
    it in the ecosystem's order; every fixed version when that order is unknown."""
    if not installed or not ecosystem or len(fixed) < 2:
        return fixed
    from steward.vuln.versions import VersionError, scheme_for

    scheme = scheme_for(ecosystem)
    if not scheme.exact:
        return fixed
    try:
        above = [v for v in fixed if scheme.compare(v, installed) > 0]
    except VersionError:
        return fixed
    if not above:
        return fixed
    best = above[0]
    for candidate in above[1:]:
        if scheme.compare(candidate, best) < 0:
            best = candidate
    return [best]


def drafts_from_finding(
    finding: dict[str, Any], product: ProductRef | None, *, source: str
) -> tuple[str, list[Draft]]:
    """The case title and the events that record a finding in the manufacturer's product."""
    package = finding.get("package")
    if not isinstance(package, dict) or not package.get("name"):
        raise InputError("the finding names no package", source=source)
    vuln_id = finding.get("id")
    if not isinstance(vuln_id, str):
        raise InputError("the finding has no id", source=source)
    name = str(package["name"])
    if product is None:
        raise InputError(
            f"the findings name no scanned product; give the product that ships {name} "
            "(--product NAME --product-version VERSION)",
            source=source,
        )
    version = str(package["version"]) if package.get("version") else None
    ecosystem = str(package["ecosystem"]) if package.get("ecosystem") else None
    purl = package.get("purl")
    component: dict[str, Any] = {"name": name}
    if version:
        component["version"] = version
        component["affected"] = [f"=={version}"]
    if ecosystem:
        component["ecosystem"] = ecosystem
    if isinstance(purl, str) and purl:
        component["purl"] = _bare_purl(purl, source=source)
    fixed = branch_fix(ecosystem, version, [str(v) for v in finding.get("fixed_versions") or []])
    if fixed:
        component["fixed"] = fixed
    item: dict[str, Any] = {"name": product.name, "components": [component]}
    if product.version:
        item["affected"] = [f"=={product.version}"]
    if product.purl:
        item["purl"] = product.purl
    if product.ecosystem:
        item["ecosystem"] = product.ecosystem
    drafts = [Draft(EventKind.PRODUCT_ADDED, {"product": item})]
    for alias in [vuln_id, *(finding.get("aliases") or [])]:
        drafts.append(Draft(EventKind.ALIAS_ADDED, {"alias": str(alias)}))
    details: dict[str, Any] = {}
    if finding.get("details"):
        details["description"] = str(finding["details"])
    if finding.get("references"):
        details["references"] = [
            r if isinstance(r, str) else r.get("url") for r in finding["references"] if r
        ]
    if finding.get("cwes"):
        details["cwes"] = list(finding["cwes"])
    if details:
        drafts.append(Draft(EventKind.DETAILS_SET, details))
    vector = _cvss(finding)
    if vector:
        drafts.append(Draft(EventKind.SEVERITY_SET, {"cvss_vector": vector}))
    exploited = finding.get("exploited") or {}
    evidence = []
    if isinstance(exploited, dict):
        kev, kev_date = _flag(exploited.get("kev"))
        euvd, euvd_date = _flag(exploited.get("euvd"))
        if kev:
            evidence.append(
                "listed in the CISA KEV catalog" + (f" (added {kev_date})" if kev_date else "")
            )
        if euvd:
            evidence.append(
                "listed as exploited in ENISA EUVD" + (f" ({euvd_date})" if euvd_date else "")
            )
    if evidence:
        drafts.append(
            Draft(
                EventKind.EXPLOITATION_AWARE,
                {"evidence": "; ".join(evidence), "source": "steward vulns"},
            )
        )
    where = f"{name} {version or ''}".strip()
    title = str(finding.get("summary") or f"{vuln_id} in {where}")
    return title, drafts
