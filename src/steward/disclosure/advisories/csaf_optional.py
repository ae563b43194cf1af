"""CSAF 2.0 optional tests (section 6.2): what a valid document should still get right.

An optional test that fails is a warning, not an invalid document. One small function per
test, written here for the same reason as the mandatory tests (no maintained Python library
implements them), checked against the OASIS test corpus (every failing and valid example of
6.2.1-6.2.20). The tests walk the document with the helpers of
:mod:`steward.disclosure.advisories.csaf_validate`.

6.2.20 (additional properties) validates against a strict copy of the CSAF schema in which
every object that lists its properties admits no others.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from steward.disclosure.advisories.csaf import valid_filename
from steward.disclosure.advisories.csaf_validate import (
    Json,
    Problem,
    _branches,
    _full_product_names,
    _groups,
    _members,
    _parse_date,
    _product_references,
    _schema,
    _tracking,
    _vulns,
)

Test = Callable[[Json], Iterator[Problem]]
OPTIONAL: dict[str, Test] = {}


def _test(test_id: str) -> Callable[[Test], Test]:
    def register(fn: Test) -> Test:
        OPTIONAL[test_id] = fn
        return fn

    return register


_AFFECTED = ("first_affected", "known_affected", "last_affected")
_FIXED = ("first_fixed", "fixed")


def _status_ids(vuln: Json, keys: tuple[str, ...]) -> list[str]:
    status = vuln.get("product_status") or {}
    return [pid for key in keys for pid in status.get(key, []) or []]


@_test("6.2.1")
def _unused_product_id(doc: Json) -> Iterator[Problem]:
    if (doc.get("document") or {}).get("category") == "csaf_informational_advisory":
        return  # its products are not referenced by vulnerabilities: it has none
    used = {pid for _, pid in _product_references(doc)}
    for path, fpn in _full_product_names(doc):
        pid = fpn.get("product_id")
        if pid is not None and pid not in used:
            yield Problem("6.2.1", f"{path}/product_id", f"product id {pid!r} is never referenced")


@_test("6.2.2")
def _missing_remediation(doc: Json) -> Iterator[Problem]:
    groups = _groups(doc)
    for v, vuln in enumerate(_vulns(doc)):
        covered: set[str] = set()
        for item in vuln.get("remediations", []) or []:
            covered |= _members(item, groups)
        for pid in dict.fromkeys(_status_ids(vuln, _AFFECTED)):
            if pid not in covered:
                yield Problem(
                    "6.2.2", f"/vulnerabilities/{v}/product_status", f"no remediation for {pid!r}"
                )


@_test("6.2.3")
def _missing_score(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        scored = {pid for s in vuln.get("scores", []) or [] for pid in s.get("products", []) or []}
        for pid in dict.fromkeys(_status_ids(vuln, _AFFECTED)):
            if pid not in scored:
                yield Problem(
                    "6.2.3", f"/vulnerabilities/{v}/product_status", f"no score for {pid!r}"
                )


@_test("6.2.4")
def _build_metadata_in_history(doc: Json) -> Iterator[Problem]:
    for i, item in enumerate(_tracking(doc).get("revision_history", []) or []):
        if "+" in str(item.get("number", "")):
            yield Problem(
                "6.2.4",
                f"/document/tracking/revision_history/{i}/number",
                "a revision number carries build metadata",
            )


def _history_dates(doc: Json) -> list[Any]:
    dates = [
        _parse_date(str(i.get("date", "")))
        for i in _tracking(doc).get("revision_history", []) or []
    ]
    return [d for d in dates if d is not None]


@_test("6.2.5")
def _older_initial_release(doc: Json) -> Iterator[Problem]:
    initial = _parse_date(str(_tracking(doc).get("initial_release_date", "")))
    dates = _history_dates(doc)
    if initial is not None and dates and initial < min(dates):
        yield Problem(
            "6.2.5",
            "/document/tracking/initial_release_date",
            "is older than the oldest revision",
        )


@_test("6.2.6")
def _older_current_release(doc: Json) -> Iterator[Problem]:
    current = _parse_date(str(_tracking(doc).get("current_release_date", "")))
    dates = _history_dates(doc)
    if current is not None and dates and current < max(dates):
        yield Problem(
            "6.2.6",
            "/document/tracking/current_release_date",
            "is older than the newest revision",
        )


@_test("6.2.7")
def _involvement_without_date(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        for i, item in enumerate(vuln.get("involvements", []) or []):
            if "date" not in item:
                yield Problem("6.2.7", f"/vulnerabilities/{v}/involvements/{i}", "has no date")


def _weak_hashes(doc: Json, test_id: str, algorithm: str) -> Iterator[Problem]:
    for path, fpn in _full_product_names(doc):
        hashes = (fpn.get("product_identification_helper") or {}).get("hashes", []) or []
        for h, item in enumerate(hashes):
            used = {str(f.get("algorithm", "")).lower() for f in item.get("file_hashes", []) or []}
            if used == {algorithm}:
                yield Problem(
                    test_id,
                    f"{path}/product_identification_helper/hashes/{h}/file_hashes",
                    f"{algorithm} is the only hash algorithm",
                )


@_test("6.2.8")
def _md5_only(doc: Json) -> Iterator[Problem]:
    yield from _weak_hashes(doc, "6.2.8", "md5")


@_test("6.2.9")
def _sha1_only(doc: Json) -> Iterator[Problem]:
    yield from _weak_hashes(doc, "6.2.9", "sha1")


@_test("6.2.10")
def _missing_tlp(doc: Json) -> Iterator[Problem]:
    distribution = (doc.get("document") or {}).get("distribution") or {}
    if "label" not in (distribution.get("tlp") or {}):
        yield Problem("6.2.10", "/document/distribution/tlp/label", "is missing")


@_test("6.2.11")
def _missing_canonical_url(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    name = valid_filename(str(_tracking(doc).get("id", "")))
    for reference in document.get("references", []) or []:
        url = str(reference.get("url", ""))
        if (
            reference.get("category") == "self"
            and url.startswith("https://")
            and url.endswith("/" + name)
        ):
            return
    yield Problem("6.2.11", "/document/references", f"no self reference to https://.../{name}")


@_test("6.2.12")
def _missing_language(doc: Json) -> Iterator[Problem]:
    if "lang" not in (doc.get("document") or {}):
        yield Problem("6.2.12", "/document/lang", "is missing")


def _unsorted(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        keys = list(value)
        if keys != sorted(keys):
            yield path or "/"
        for key, child in value.items():
            yield from _unsorted(child, f"{path}/{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _unsorted(child, f"{path}/{i}")


@_test("6.2.13")
def _sorting(doc: Json) -> Iterator[Problem]:
    for path in _unsorted(doc, ""):
        yield Problem("6.2.13", path, "keys are not sorted alphabetically")


# BCP 47 private use: languages qaa-qtz, scripts Qaaa-Qabx, regions AA, QM-QZ, XA-XZ, ZZ
# (ISO 3166 user-assigned codes), and everything after the singleton "x"
_PRIVATE_LANGUAGE = re.compile(r"^q[a-t][a-z]$", re.IGNORECASE)
_PRIVATE_SCRIPT = re.compile(r"^qa(?:a[a-z]|b[a-x])$", re.IGNORECASE)
_PRIVATE_REGION = re.compile(r"^(?:aa|q[m-z]|x[a-z]|zz)$", re.IGNORECASE)


def _is_private(tag: str) -> bool:
    subtags = tag.split("-")
    if subtags[0].lower() == "x" or _PRIVATE_LANGUAGE.match(subtags[0]):
        return True
    for subtag in subtags[1:]:
        if subtag.lower() == "x":
            return True
        if _PRIVATE_SCRIPT.match(subtag) or _PRIVATE_REGION.match(subtag):
            return True
    return False


@_test("6.2.14")
def _private_language(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    for key in ("lang", "source_lang"):
        if key in document and _is_private(str(document[key])):
            yield Problem("6.2.14", f"/document/{key}", "uses a private-use language tag")


@_test("6.2.15")
def _default_language(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    for key in ("lang", "source_lang"):
        if str(document.get(key, "")).lower() == "i-default":
            yield Problem("6.2.15", f"/document/{key}", "is the default language i-default")


@_test("6.2.16")
def _missing_identification_helper(doc: Json) -> Iterator[Problem]:
    for path, fpn in _full_product_names(doc):
        if "product_identification_helper" not in fpn:
            yield Problem("6.2.16", path, "has no product identification helper")


_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")


@_test("6.2.17")
def _cve_in_ids(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        for i, item in enumerate(vuln.get("ids", []) or []):
            if _CVE.match(str(item.get("text", ""))):
                yield Problem(
                    "6.2.17", f"/vulnerabilities/{v}/ids/{i}/text", "a CVE id belongs in cve"
                )


@_test("6.2.18")
def _range_without_vers(doc: Json) -> Iterator[Problem]:
    for path, branch in _branches(doc.get("product_tree") or {}):
        if branch.get("category") == "product_version_range" and not str(
            branch.get("name", "")
        ).startswith("vers:"):
            yield Problem("6.2.18", f"{path}/name", "is not a vers: range")


_MODIFIED_V3 = {
    "modifiedAttackVector": (
        "MAV",
        {"NETWORK": "N", "ADJACENT_NETWORK": "A", "LOCAL": "L", "PHYSICAL": "P"},
    ),
    "modifiedAttackComplexity": ("MAC", {"LOW": "L", "HIGH": "H"}),
    "modifiedPrivilegesRequired": ("MPR", {"NONE": "N", "LOW": "L", "HIGH": "H"}),
    "modifiedUserInteraction": ("MUI", {"NONE": "N", "REQUIRED": "R"}),
    "modifiedScope": ("MS", {"UNCHANGED": "U", "CHANGED": "C"}),
    "modifiedConfidentialityImpact": ("MC", {"NONE": "N", "LOW": "L", "HIGH": "H"}),
    "modifiedIntegrityImpact": ("MI", {"NONE": "N", "LOW": "L", "HIGH": "H"}),
    "modifiedAvailabilityImpact": ("MA", {"NONE": "N", "LOW": "L", "HIGH": "H"}),
    "confidentialityRequirement": ("CR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
    "integrityRequirement": ("IR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
    "availabilityRequirement": ("AR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
}
_ENVIRONMENT_V2 = {
    "collateralDamagePotential": (
        "CDP",
        {"NONE": "N", "LOW": "L", "LOW_MEDIUM": "LM", "MEDIUM_HIGH": "MH", "HIGH": "H"},
    ),
    "targetDistribution": ("TD", {"NONE": "N", "LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
    "confidentialityRequirement": ("CR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
    "integrityRequirement": ("IR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
    "availabilityRequirement": ("AR", {"LOW": "L", "MEDIUM": "M", "HIGH": "H"}),
}


def _environmental_score(key: str, obj: Json) -> float | None:
    """The environmental score of a CVSS object: its vector with the environmental metrics
    its properties state (properties the vector leaves out still describe the product)."""
    from cvss import CVSS2, CVSS3
    from cvss.exceptions import CVSSError

    vector = str(obj.get("vectorString", ""))
    table = _MODIFIED_V3 if key == "cvss_v3" else _ENVIRONMENT_V2
    stated = dict(re.findall(r"([A-Za-z]+):([A-Za-z]+)", vector))
    for prop, (abbreviation, values) in table.items():
        value = values.get(str(obj.get(prop, "")))
        if value is not None and abbreviation not in stated:
            vector += f"/{abbreviation}:{value}"
    try:
        scores = CVSS3(vector).scores() if key == "cvss_v3" else CVSS2(vector).scores()
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    if scores[2] is not None:
        return float(scores[2])
    # CVSS v2 without environmental metrics: all "not defined", which leaves the temporal
    # (or, without temporal metrics, the base) score unchanged
    return float(scores[1] if scores[1] is not None else scores[0])


@_test("6.2.19")
def _cvss_for_fixed_products(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        fixed = set(_status_ids(vuln, _FIXED))
        for s, score in enumerate(vuln.get("scores", []) or []):
            if not fixed & set(score.get("products", []) or []):
                continue
            for key in ("cvss_v3", "cvss_v2"):
                obj = score.get(key)
                if not isinstance(obj, dict):
                    continue
                stated = obj.get("environmentalScore")
                computed = _environmental_score(key, obj)
                if (isinstance(stated, int | float) and stated > 0) or (computed or 0) > 0:
                    yield Problem(
                        "6.2.19",
                        f"/vulnerabilities/{v}/scores/{s}/{key}",
                        "a fixed product's environmental score should be 0",
                    )


def _strict(schema: Any) -> Any:
    """A copy of a schema in which every object listing its properties admits no others."""
    if isinstance(schema, dict):
        strict = {k: _strict(v) for k, v in schema.items()}
        if "properties" in strict and "additionalProperties" not in strict:
            strict["additionalProperties"] = False
        return strict
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@cache
def _strict_validator() -> Any:
    import jsonschema_rs

    from steward.disclosure.advisories.csaf_validate import _CVSS_SCHEMAS

    registry = jsonschema_rs.Registry(
        [(url, _schema(name)) for name, url in _CVSS_SCHEMAS.values()]
    )
    return jsonschema_rs.validator_for(
        _strict(copy.deepcopy(_schema("csaf_2_0.json"))), registry=registry
    )


@_test("6.2.20")
def _additional_properties(doc: Json) -> Iterator[Problem]:
    for error in _strict_validator().iter_errors(doc):
        if "Additional properties" in str(error.message):
            path = "/" + "/".join(str(p) for p in error.instance_path)
            yield Problem("6.2.20", path, str(error.message)[:200])


def optional_problems(document: Json, tests: list[str] | None = None) -> list[Problem]:
    """Run the optional tests (all, or the ids in ``tests``); each problem is a warning."""
    problems: list[Problem] = []
    for test_id, fn in OPTIONAL.items():
        if tests is None or test_id in tests:
            problems.extend(fn(document))
    return problems
