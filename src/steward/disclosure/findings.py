"""Opening a case from a ``steward vulns --format json`` finding.

The reader is tolerant about layout (a list of findings, or an object with ``findings``) and
strict about content: the finding must name a package, and every value goes through the same
event validation as hand-entered data. A finding flagged as known-exploited (CISA KEV or ENISA
EUVD) records ``exploitation_aware`` now — that is when the manufacturer became aware — which
starts the Art. 14 clocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packageurl import PackageURL

from steward.disclosure.cases import Draft
from steward.disclosure.events import EventKind
from steward.errors import InputError, NotFoundError
from steward.safeio import load_json


def load_finding(path: Path, wanted: str) -> dict[str, Any]:
    """The finding whose id or one of whose aliases is ``wanted``."""
    data = load_json(path)
    findings = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(findings, list):
        raise InputError("expected a list of findings or an object with 'findings'", source=path)
    for item in findings:
        if not isinstance(item, dict):
            raise InputError("a finding is not a JSON object", source=path)
        ids = [item.get("id"), *(item.get("aliases") or [])]
        if wanted in ids:
            return item
    raise NotFoundError(f"no finding {wanted!r}", source=path)


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
        return bool(value.get("listed", value.get("exploited", True))), value.get(
            "date_added"
        ) or value.get("dateAdded")
    return bool(value), None


def drafts_from_finding(finding: dict[str, Any], *, source: str) -> tuple[str, list[Draft]]:
    """The case title and the events that record a finding."""
    package = finding.get("package")
    if not isinstance(package, dict) or not package.get("name"):
        raise InputError("the finding names no package", source=source)
    vuln_id = finding.get("id")
    if not isinstance(vuln_id, str):
        raise InputError("the finding has no id", source=source)
    name = str(package["name"])
    version = package.get("version")
    purl = package.get("purl")
    if isinstance(purl, str):
        try:
            parsed = PackageURL.from_string(purl)
        except ValueError:
            raise InputError(f"invalid purl {purl!r}", source=source) from None
        purl = PackageURL(
            type=parsed.type, namespace=parsed.namespace, name=parsed.name
        ).to_string()
    product: dict[str, Any] = {"name": name}
    if package.get("ecosystem"):
        product["ecosystem"] = str(package["ecosystem"])
    if purl:
        product["purl"] = purl
    if version:
        product["affected"] = [f"=={version}"]
    fixed = [str(v) for v in finding.get("fixed_versions") or []]
    if fixed:
        product["fixed"] = fixed[:1]
    drafts = [Draft(EventKind.PRODUCT_ADDED, {"product": product})]
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
    title = str(finding.get("summary") or f"{vuln_id} in {name} {version or ''}".strip())
    return title, drafts
