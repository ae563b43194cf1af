"""What every advisory format needs from a case: package identity, CVSS, ids, timestamps.

CVSS vectors are parsed and scored with the ``cvss`` library (v2, v3.0/3.1, v4.0); an invalid
vector is an input error naming the case, never a document with a made-up score. The
``cvss`` and ``packageurl`` libraries load on first use: a report of a case without a CVSS
vector, or one that only needs :data:`CVE_RE`, does not pay for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from steward.errors import InputError
from steward.sbom.purl import ECOSYSTEM_TO_PURL_TYPE, PURL_TYPE_TO_ECOSYSTEM

if TYPE_CHECKING:
    from steward.disclosure.model import AffectedProduct, CaseSnapshot

CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$")
CWE_RE = re.compile(r"^CWE-[1-9]\d*$")


@dataclass(frozen=True)
class Cvss:
    """A parsed CVSS vector with its base score and rating."""

    version: str  # "2.0", "3.0", "3.1", "4.0"
    vector: str
    base_score: float
    severity: str  # upper case: NONE, LOW, MEDIUM, HIGH, CRITICAL
    first_json: dict[str, Any]  # the FIRST JSON-schema form (v2/v3; minimal for v4)


def parse_cvss(vector: str, *, source: str) -> Cvss:
    """Parse and score a CVSS vector; an invalid one is an InputError naming ``source``."""
    from cvss import CVSS2, CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    text = vector.strip()
    try:
        if text.startswith("CVSS:4.0/"):
            v4 = CVSS4(text)
            score = float(v4.base_score)
            severity = str(v4.severity).upper()
            return Cvss(
                "4.0",
                v4.clean_vector(),
                score,
                severity,
                {
                    "version": "4.0",
                    "vectorString": v4.clean_vector(),
                    "baseScore": score,
                    "baseSeverity": severity,
                },
            )
        if text.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            v3 = CVSS3(text)
            data = v3.as_json(minimal=True)
            return Cvss(
                str(data["version"]),
                str(data["vectorString"]),
                float(data["baseScore"]),
                str(data["baseSeverity"]).upper(),
                data,
            )
        v2 = CVSS2(text)
        data = v2.as_json(minimal=True)
        score = float(data["baseScore"])
        return Cvss("2.0", str(data["vectorString"]), score, _v2_rating(score), data)
    except CVSSError as exc:
        raise InputError(f"invalid CVSS vector {vector!r}: {exc}", source=source) from None


def _v2_rating(score: float) -> str:
    # CVSS v2 has no official rating; NVD's bands are the common convention.
    if score >= 7.0:
        return "HIGH"
    return "MEDIUM" if score >= 4.0 else "LOW"


@dataclass(frozen=True)
class PackageIdentity:
    """How a product is named in package-oriented formats (OSV)."""

    ecosystem: str
    name: str
    purl: str | None


def package_identity(product: AffectedProduct, *, case_id: str) -> PackageIdentity:
    """The OSV ecosystem and package name of a product, from its fields or its purl."""
    from packageurl import PackageURL

    purl = product.purl
    ecosystem = product.ecosystem
    name = product.name
    if purl:
        try:
            parsed = PackageURL.from_string(purl)
        except ValueError as exc:
            raise InputError(
                f"product {name!r}: invalid purl {purl!r}: {exc}", source=case_id
            ) from None
        ecosystem = ecosystem or PURL_TYPE_TO_ECOSYSTEM.get(parsed.type)
        if parsed.type == "maven" and parsed.namespace:
            name = f"{parsed.namespace}:{parsed.name}"
        elif parsed.namespace and parsed.type in ("npm", "golang", "composer", "github"):
            name = f"{parsed.namespace}/{parsed.name}"
        else:
            name = parsed.name
        purl = PackageURL(
            type=parsed.type, namespace=parsed.namespace, name=parsed.name
        ).to_string()  # OSV wants the purl without version
    if not ecosystem:
        raise InputError(
            f"product {product.name!r} has neither an ecosystem nor a purl; a package "
            "advisory needs one (e.g. --ecosystem PyPI or --purl pkg:pypi/name)",
            source=case_id,
        )
    if ecosystem not in ECOSYSTEM_TO_PURL_TYPE and not purl:
        purl = None
    return PackageIdentity(ecosystem=ecosystem, name=name, purl=purl)


def cve_ids(snapshot: CaseSnapshot) -> list[str]:
    """The case's CVE identifiers, in the order recorded."""
    return [a for a in snapshot.aliases if CVE_RE.match(a)]


def iso(ts: datetime) -> str:
    """RFC 3339 UTC timestamp with a ``Z`` suffix (second precision)."""
    return ts.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def classify_reference(url: str) -> str:
    """An OSV reference type guessed from the URL's shape (WEB when nothing fits)."""
    lower = url.lower()
    if "/security/advisories/" in lower or "/advisories/" in lower:
        return "ADVISORY"
    if re.search(r"/commit/[0-9a-f]{7,}|/pull/\d+|/merge_requests/\d+", lower):
        return "FIX"
    if "/issues/" in lower:
        return "REPORT"
    if lower.endswith((".tar.gz", ".zip", ".whl")) or "/releases/" in lower:
        return "PACKAGE"
    return "WEB"
