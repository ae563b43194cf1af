"""CSAF 2.0 validation: the official JSON schema plus the mandatory tests of section 6.1.

The schema is OASIS's CSAF 2.0 JSON schema with FIRST's CVSS v2.0/v3.0/v3.1 schemas it
references, taken from the ``csaf-lib`` package (which ships them unchanged), resolved
offline through a registry. Validation uses ``jsonschema-rs``: importing the pure-Python
``jsonschema`` builds every format checker's grammar at import time (about 3 CPU seconds,
which every command paid at start-up), while ``jsonschema-rs`` loads in milliseconds and
gives the same verdicts on the whole OASIS corpus (tested).

The mandatory tests are written here, one small function per test, because no maintained
Python library implements them (csaf-lib covers a handful of them). Each returns problems
with the JSON path and a message. Flags' product and group references are checked by
6.1.1/6.1.4 too, as the official test cases (which follow the CSAF 2.0 errata) expect.
Implemented: every test of 6.1 (6.1.1–6.1.33 including
all profile tests 6.1.27.1–6.1.27.11). 6.1.11 checks CWE names against the ``cwe2`` CWE list
and 6.1.12 checks language tags with ``langcodes`` (IANA subtag registry).

Version numbers in ``/document/tracking`` are either integers or semantic versions (CSAF's
``version_t``); a minimal SemVer 2.0 precedence key is written here because it is ten lines
and the comparison must follow the CSAF definition exactly.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from steward.disclosure.advisories.cwe import cwe_name
from steward.safeio import loads_json

Json = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """One failed check: which test, where in the document, and what is wrong."""

    test: str  # "schema" or a test id such as "6.1.6"
    path: str
    message: str

    def __str__(self) -> str:
        return f"[{self.test}] {self.path}: {self.message}"


# ------------------------------------------------------------------------------ schema


@cache
def schema_dir() -> Traversable:
    """csaf-lib's directory of schemas, found without importing ``csaf_lib.verification``.

    That package's ``__init__`` loads csaf-lib's verifier and pydantic models (about 0.1 CPU
    s of every `csaf validate` and `case advisory -f csaf`), none of which is used here: the
    directory is looked up from where ``csaf_lib`` is installed, or, if csaf-lib is packed
    some other way (a zip), through :func:`importlib.resources.files` as before.
    """
    from importlib.util import find_spec

    spec = find_spec("csaf_lib")  # a top-level package: found, not imported
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(location) / "verification" / "schemas"
        if (candidate / "csaf_2_0.json").is_file():
            return candidate
    return files("csaf_lib.verification.schemas")


def _schema(name: str) -> Any:
    return loads_json(schema_dir().joinpath(name).read_bytes(), source=name)


_CVSS_SCHEMAS = {
    "2.0": ("cvss_v2_0.json", "https://www.first.org/cvss/cvss-v2.0.json"),
    "3.0": ("cvss_v3_0.json", "https://www.first.org/cvss/cvss-v3.0.json"),
    "3.1": ("cvss_v3_1.json", "https://www.first.org/cvss/cvss-v3.1.json"),
}


@cache
def _validator() -> Any:
    import jsonschema_rs

    registry = jsonschema_rs.Registry(
        [(url, _schema(name)) for name, url in _CVSS_SCHEMAS.values()]
    )
    return jsonschema_rs.validator_for(
        _schema("csaf_2_0.json"), registry=registry, validate_formats=True
    )


def _cvss_schema(version: str) -> Any:
    return _cvss_validator(version) if version in _CVSS_SCHEMAS else None


@cache
def _cvss_validator(version: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_schema(_CVSS_SCHEMAS[version][0]))


def schema_problems(document: Json) -> list[Problem]:
    """Violations of the CSAF 2.0 JSON schema."""
    problems = []
    errors = sorted(
        _validator().iter_errors(document), key=lambda e: list(map(str, e.instance_path))
    )
    for error in errors:
        path = "/" + "/".join(str(p) for p in error.instance_path)
        problems.append(Problem("schema", path, str(error.message)[:300]))
    return problems


# ------------------------------------------------------------------------------- walkers


def _branches(tree: Json) -> Iterator[tuple[str, Json]]:
    stack = [(f"/product_tree/branches/{i}", b) for i, b in enumerate(tree.get("branches", []))]
    while stack:
        path, branch = stack.pop(0)
        yield path, branch
        for i, child in enumerate(branch.get("branches", []) or []):
            stack.append((f"{path}/branches/{i}", child))


def _full_product_names(doc: Json) -> Iterator[tuple[str, Json]]:
    tree = doc.get("product_tree") or {}
    for path, branch in _branches(tree):
        if isinstance(branch.get("product"), dict):
            yield f"{path}/product", branch["product"]
    for i, fpn in enumerate(tree.get("full_product_names", []) or []):
        yield f"/product_tree/full_product_names/{i}", fpn
    for i, rel in enumerate(tree.get("relationships", []) or []):
        if isinstance(rel.get("full_product_name"), dict):
            yield f"/product_tree/relationships/{i}/full_product_name", rel["full_product_name"]


_STATUS_KEYS = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)


def _vulns(doc: Json) -> list[Json]:
    vulns = doc.get("vulnerabilities")
    return vulns if isinstance(vulns, list) else []


def _product_references(doc: Json) -> Iterator[tuple[str, str]]:
    tree = doc.get("product_tree") or {}
    for i, group in enumerate(tree.get("product_groups", []) or []):
        for j, pid in enumerate(group.get("product_ids", []) or []):
            yield f"/product_tree/product_groups/{i}/product_ids/{j}", pid
    for i, rel in enumerate(tree.get("relationships", []) or []):
        for key in ("product_reference", "relates_to_product_reference"):
            if key in rel:
                yield f"/product_tree/relationships/{i}/{key}", rel[key]
    for v, vuln in enumerate(_vulns(doc)):
        status = vuln.get("product_status") or {}
        for key in _STATUS_KEYS:
            for j, pid in enumerate(status.get(key, []) or []):
                yield f"/vulnerabilities/{v}/product_status/{key}/{j}", pid
        for listname, key in (
            ("flags", "product_ids"),
            ("remediations", "product_ids"),
            ("scores", "products"),
            ("threats", "product_ids"),
        ):
            for i, item in enumerate(vuln.get(listname, []) or []):
                for j, pid in enumerate(item.get(key, []) or []):
                    yield f"/vulnerabilities/{v}/{listname}/{i}/{key}/{j}", pid


def _groups(doc: Json) -> dict[str, set[str]]:
    tree = doc.get("product_tree") or {}
    groups: dict[str, set[str]] = {}
    for group in tree.get("product_groups", []) or []:
        groups.setdefault(group.get("group_id", ""), set()).update(
            group.get("product_ids", []) or []
        )
    return groups


def _members(item: Json, groups: dict[str, set[str]]) -> set[str]:
    members = set(item.get("product_ids", []) or [])
    for gid in item.get("group_ids", []) or []:
        members |= groups.get(gid, set())
    return members


# ---------------------------------------------------------------------------- versions

_INT = re.compile(r"^(0|[1-9][0-9]*)$")
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def _is_int(version: str) -> bool:
    return bool(_INT.match(version))


def _semver(version: str) -> re.Match[str] | None:
    return _SEMVER.match(version)


def _version_key(version: str) -> tuple[Any, ...]:
    """Precedence key: integers numerically; SemVer by SemVer 2.0 rules (build ignored)."""
    if _is_int(version):
        return (int(version), 0, 0, (1,))
    match = _semver(version)
    if match is None:
        return (-1, 0, 0, (0,))
    major, minor, patch, pre = int(match[1]), int(match[2]), int(match[3]), match[4]
    if pre is None:
        return (major, minor, patch, (1,))
    idents = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (major, minor, patch, (0, idents))


def _strip_build(version: str) -> str:
    return version.split("+", 1)[0]


def _has_prerelease(version: str) -> bool:
    match = _semver(version)
    return bool(match and match[4])


def _is_zero(version: str) -> bool:
    if _is_int(version):
        return version == "0"
    match = _semver(version)
    return bool(match and match[1] == "0")


def _major(version: str) -> int | None:
    if _is_int(version):
        return int(version)
    match = _semver(version)
    return int(match[1]) if match else None


def _parse_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        return None


def _sorted_history(doc: Json) -> list[Json]:
    history = ((doc.get("document") or {}).get("tracking") or {}).get("revision_history") or []
    dated = [
        (d, i, item) for i, item in enumerate(history) if (d := _parse_date(item.get("date", "")))
    ]
    dated.sort(key=lambda t: (t[0], _version_key(str(t[2].get("number", "")))))
    return [item for _, _, item in dated]


# ---------------------------------------------------------------------- mandatory tests

Test = Callable[[Json], Iterator[Problem]]
MANDATORY: dict[str, Test] = {}


def _test(test_id: str) -> Callable[[Test], Test]:
    def register(fn: Test) -> Test:
        MANDATORY[test_id] = fn
        return fn

    return register


@_test("6.1.1")
def _missing_product_id(doc: Json) -> Iterator[Problem]:
    defined = {fpn.get("product_id") for _, fpn in _full_product_names(doc)}
    for path, pid in _product_references(doc):
        if pid not in defined:
            yield Problem("6.1.1", path, f"product id {pid!r} is not defined in the product tree")


@_test("6.1.2")
def _multiple_product_id(doc: Json) -> Iterator[Problem]:
    seen: set[Any] = set()
    for path, fpn in _full_product_names(doc):
        pid = fpn.get("product_id")
        if pid in seen:
            yield Problem("6.1.2", f"{path}/product_id", f"product id {pid!r} is defined twice")
        seen.add(pid)


@_test("6.1.3")
def _circular_product_id(doc: Json) -> Iterator[Problem]:
    relationships = (doc.get("product_tree") or {}).get("relationships", []) or []
    edges: dict[str, set[str]] = defaultdict(set)
    for rel in relationships:
        new = (rel.get("full_product_name") or {}).get("product_id")
        if new:
            edges[new].update(
                r
                for r in (rel.get("product_reference"), rel.get("relates_to_product_reference"))
                if r
            )
    for i, rel in enumerate(relationships):
        start = (rel.get("full_product_name") or {}).get("product_id")
        if not start:
            continue
        stack, seen = list(edges.get(start, ())), set()
        while stack:
            node = stack.pop()
            if node == start:
                yield Problem(
                    "6.1.3",
                    f"/product_tree/relationships/{i}/full_product_name/product_id",
                    f"product id {start!r} is defined through itself (circular)",
                )
                break
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))


@_test("6.1.4")
def _missing_group_id(doc: Json) -> Iterator[Problem]:
    groups = _groups(doc)
    for v, vuln in enumerate(_vulns(doc)):
        for listname in ("flags", "remediations", "threats"):
            for i, item in enumerate(vuln.get(listname, []) or []):
                for j, gid in enumerate(item.get("group_ids", []) or []):
                    if gid not in groups:
                        yield Problem(
                            "6.1.4",
                            f"/vulnerabilities/{v}/{listname}/{i}/group_ids/{j}",
                            f"group id {gid!r} is not defined in the product tree",
                        )


@_test("6.1.5")
def _multiple_group_id(doc: Json) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, group in enumerate((doc.get("product_tree") or {}).get("product_groups", []) or []):
        gid = group.get("group_id")
        if gid in seen:
            yield Problem(
                "6.1.5",
                f"/product_tree/product_groups/{i}/group_id",
                f"group id {gid!r} is defined twice",
            )
        seen.add(gid)


_CONTRADICTION_GROUPS = {
    "affected": ("first_affected", "known_affected", "last_affected"),
    "not affected": ("known_not_affected",),
    "fixed": ("first_fixed", "fixed"),
    "under investigation": ("under_investigation",),
}


@_test("6.1.6")
def _contradicting_status(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        status = vuln.get("product_status") or {}
        owner: dict[str, str] = {}
        for group, keys in _CONTRADICTION_GROUPS.items():
            members = {pid for key in keys for pid in status.get(key, []) or []}
            for pid in sorted(members):
                if pid in owner:
                    yield Problem(
                        "6.1.6",
                        f"/vulnerabilities/{v}/product_status",
                        f"product {pid!r} is both {owner[pid]!r} and {group!r}",
                    )
                else:
                    owner[pid] = group


@_test("6.1.7")
def _multiple_scores(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        seen: Counter[tuple[str, str]] = Counter()
        for score in vuln.get("scores", []) or []:
            for key in ("cvss_v2", "cvss_v3"):
                if isinstance(score.get(key), dict):
                    version = str(score[key].get("version"))
                    for pid in score.get("products", []) or []:
                        seen[(pid, version)] += 1
        for (pid, version), count in sorted(seen.items()):
            if count > 1:
                yield Problem(
                    "6.1.7",
                    f"/vulnerabilities/{v}/scores",
                    f"{count} CVSS v{version} scores for product {pid!r}",
                )


def _cvss_objects(doc: Json) -> Iterator[tuple[str, str, Json]]:
    for v, vuln in enumerate(_vulns(doc)):
        for s, score in enumerate(vuln.get("scores", []) or []):
            for key in ("cvss_v2", "cvss_v3"):
                if isinstance(score.get(key), dict):
                    yield f"/vulnerabilities/{v}/scores/{s}/{key}", key, score[key]


@_test("6.1.8")
def _invalid_cvss(doc: Json) -> Iterator[Problem]:
    for path, key, obj in _cvss_objects(doc):
        version = str(obj.get("version", ""))
        validator = _cvss_schema(version) if key == "cvss_v3" or version == "2.0" else None
        if validator is None:
            yield Problem("6.1.8", path, f"unknown CVSS version {version!r}")
            continue
        for error in validator.iter_errors(obj):
            yield Problem("6.1.8", path, str(error.message)[:200])


def _computed(key: str, obj: Json) -> Json | None:
    from cvss import CVSS2, CVSS3  # only a document with CVSS scores needs it
    from cvss.exceptions import CVSSError

    vector = str(obj.get("vectorString", ""))
    try:
        if key == "cvss_v3":
            return dict(CVSS3(vector).as_json())
        computed = dict(CVSS2(vector).as_json())
    except (CVSSError, ValueError, KeyError):
        return None
    # the cvss library reports 0.0 for v2 temporal/environmental scores when those metrics
    # are not defined; the specification's value is then the base score
    metrics = set(re.findall(r"(\w+):", vector))
    if not metrics & {"E", "RL", "RC"}:
        computed["temporalScore"] = computed["baseScore"]
    if not metrics & {"CDP", "TD", "CR", "IR", "AR"}:
        computed["environmentalScore"] = computed.get("temporalScore", computed["baseScore"])
    return computed


_SCORE_FIELDS = (
    "baseScore",
    "baseSeverity",
    "temporalScore",
    "temporalSeverity",
    "environmentalScore",
    "environmentalSeverity",
)


@_test("6.1.9")
def _invalid_cvss_computation(doc: Json) -> Iterator[Problem]:
    for path, key, obj in _cvss_objects(doc):
        computed = _computed(key, obj)
        if computed is None:
            yield Problem("6.1.9", f"{path}/vectorString", "the CVSS vector cannot be computed")
            continue
        for field in _SCORE_FIELDS:
            if field in obj and field in computed and obj[field] != computed[field]:
                yield Problem(
                    "6.1.9",
                    f"{path}/{field}",
                    f"is {obj[field]!r}, the vector gives {computed[field]!r}",
                )


# The metric abbreviation of each CVSS JSON property (FIRST's CVSS JSON schemas); 6.1.10
# compares a property with the vector only where the vector states that metric.
_V3_ABBREVIATIONS = {
    "attackVector": "AV",
    "attackComplexity": "AC",
    "privilegesRequired": "PR",
    "userInteraction": "UI",
    "scope": "S",
    "confidentialityImpact": "C",
    "integrityImpact": "I",
    "availabilityImpact": "A",
    "exploitCodeMaturity": "E",
    "remediationLevel": "RL",
    "reportConfidence": "RC",
    "confidentialityRequirement": "CR",
    "integrityRequirement": "IR",
    "availabilityRequirement": "AR",
    "modifiedAttackVector": "MAV",
    "modifiedAttackComplexity": "MAC",
    "modifiedPrivilegesRequired": "MPR",
    "modifiedUserInteraction": "MUI",
    "modifiedScope": "MS",
    "modifiedConfidentialityImpact": "MC",
    "modifiedIntegrityImpact": "MI",
    "modifiedAvailabilityImpact": "MA",
}
_V2_ABBREVIATIONS = {
    "accessVector": "AV",
    "accessComplexity": "AC",
    "authentication": "Au",
    "confidentialityImpact": "C",
    "integrityImpact": "I",
    "availabilityImpact": "A",
    "exploitability": "E",
    "remediationLevel": "RL",
    "reportConfidence": "RC",
    "collateralDamagePotential": "CDP",
    "targetDistribution": "TD",
    "confidentialityRequirement": "CR",
    "integrityRequirement": "IR",
    "availabilityRequirement": "AR",
}


@_test("6.1.10")
def _inconsistent_cvss(doc: Json) -> Iterator[Problem]:
    for path, key, obj in _cvss_objects(doc):
        computed = _computed(key, obj)
        if computed is None:
            continue
        stated = set(re.findall(r"(?:^|/)([A-Za-z]+):", str(obj.get("vectorString", ""))))
        names = _V3_ABBREVIATIONS if key == "cvss_v3" else _V2_ABBREVIATIONS
        for field, value in obj.items():
            if names.get(field) not in stated:
                continue  # not in the vector: nothing to be inconsistent with
            if field in computed and computed[field] != value:
                yield Problem(
                    "6.1.10",
                    f"{path}/{field}",
                    f"is {value!r}, the vector says {computed[field]!r}",
                )


@_test("6.1.11")
def _cwe(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        cwe = vuln.get("cwe")
        if not isinstance(cwe, dict):
            continue
        official = cwe_name(str(cwe.get("id", "")))
        if official is None:
            yield Problem(
                "6.1.11",
                f"/vulnerabilities/{v}/cwe/id",
                f"{cwe.get('id')!r} is not in the CWE list",
            )
        elif official != cwe.get("name"):
            yield Problem(
                "6.1.11",
                f"/vulnerabilities/{v}/cwe/name",
                f"the name of {cwe.get('id')} is {official!r}",
            )


#: language tags most advisories carry, valid in the IANA subtag registry (a test asks
#: ``langcodes`` about each): a document with only these needs no registry (``langcodes``
#: compiles the whole registry when imported, about 0.04 CPU s of `csaf validate`)
COMMON_LANGUAGE_TAGS = frozenset(
    {"en", "en-US", "en-GB", "de", "de-DE", "de-AT", "de-CH", "fr", "fr-FR", "es", "es-ES"}
    | {"it", "it-IT", "nl", "nl-NL", "pt", "pt-PT", "pl", "sv", "da", "fi", "cs", "ja", "zh"}
)


def language_tag_is_valid(tag: str) -> bool:
    """Whether ``tag`` is a valid BCP 47 language tag (IANA subtag registry, ``langcodes``)."""
    if tag in COMMON_LANGUAGE_TAGS:
        return True
    import langcodes  # the IANA subtag registry: loaded only for other tags

    return bool(langcodes.tag_is_valid(tag))


@_test("6.1.12")
def _language(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    for key in ("lang", "source_lang"):
        if key in document and not language_tag_is_valid(str(document[key])):
            yield Problem(
                "6.1.12", f"/document/{key}", f"{document[key]!r} is not a valid language tag"
            )


@_test("6.1.13")
def _purl(doc: Json) -> Iterator[Problem]:
    for path, fpn in _full_product_names(doc):
        purl = (fpn.get("product_identification_helper") or {}).get("purl")
        if purl is None:
            continue
        try:
            PackageURL.from_string(str(purl))
        except ValueError as exc:
            yield Problem(
                "6.1.13", f"{path}/product_identification_helper/purl", f"invalid purl: {exc}"
            )


@_test("6.1.14")
def _sorted_revision_history(doc: Json) -> Iterator[Problem]:
    history = _sorted_history(doc)
    for earlier, later in pairwise(history):
        if _version_key(str(earlier.get("number"))) > _version_key(str(later.get("number"))):
            yield Problem(
                "6.1.14",
                "/document/tracking/revision_history",
                f"version {earlier.get('number')} is dated before {later.get('number')}",
            )


def _tracking(doc: Json) -> Json:
    return (doc.get("document") or {}).get("tracking") or {}


@_test("6.1.15")
def _translator(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    if (document.get("publisher") or {}).get("category") == "translator" and not document.get(
        "source_lang"
    ):
        yield Problem(
            "6.1.15", "/document/source_lang", "a translator's document needs source_lang"
        )


@_test("6.1.16")
def _latest_version(doc: Json) -> Iterator[Problem]:
    tracking = _tracking(doc)
    history = _sorted_history(doc)
    if not history or "version" not in tracking:
        return
    draft = tracking.get("status") == "draft"

    def norm(version: str) -> str:
        version = _strip_build(version)
        return version.split("-", 1)[0] if draft and _semver(version) else version

    last = str(history[-1].get("number"))
    if norm(last) != norm(str(tracking["version"])):
        yield Problem(
            "6.1.16",
            "/document/tracking/version",
            f"is {tracking['version']!r}, the latest revision is {last!r}",
        )


@_test("6.1.17")
def _status_draft(doc: Json) -> Iterator[Problem]:
    tracking = _tracking(doc)
    version = str(tracking.get("version", ""))
    if (_is_zero(version) or _has_prerelease(version)) and tracking.get("status") != "draft":
        yield Problem(
            "6.1.17", "/document/tracking/status", f"must be 'draft' for version {version!r}"
        )


@_test("6.1.18")
def _released_revision_history(doc: Json) -> Iterator[Problem]:
    tracking = _tracking(doc)
    if tracking.get("status") not in ("final", "interim"):
        return
    for i, item in enumerate(tracking.get("revision_history", []) or []):
        if _is_zero(str(item.get("number", ""))):
            yield Problem(
                "6.1.18",
                f"/document/tracking/revision_history/{i}/number",
                "a released document has a revision 0",
            )


@_test("6.1.19")
def _prerelease_revisions(doc: Json) -> Iterator[Problem]:
    for i, item in enumerate(_tracking(doc).get("revision_history", []) or []):
        if _has_prerelease(str(item.get("number", ""))):
            yield Problem(
                "6.1.19",
                f"/document/tracking/revision_history/{i}/number",
                "a revision number has a pre-release part",
            )


@_test("6.1.20")
def _non_draft_version(doc: Json) -> Iterator[Problem]:
    tracking = _tracking(doc)
    if tracking.get("status") in ("final", "interim") and _has_prerelease(
        str(tracking.get("version", ""))
    ):
        yield Problem(
            "6.1.20",
            "/document/tracking/version",
            "a released document's version has a pre-release part",
        )


@_test("6.1.21")
def _missing_revision(doc: Json) -> Iterator[Problem]:
    majors = [_major(str(item.get("number", ""))) for item in _sorted_history(doc)]
    if not majors or any(m is None for m in majors):
        return
    numbers = [m for m in majors if m is not None]
    if numbers[0] not in (0, 1):
        yield Problem(
            "6.1.21",
            "/document/tracking/revision_history",
            f"the first revision is {numbers[0]}, not 0 or 1",
        )
    for earlier, later in pairwise(numbers):
        if later > earlier + 1:
            yield Problem(
                "6.1.21",
                "/document/tracking/revision_history",
                f"revision {earlier + 1} is missing",
            )


@_test("6.1.22")
def _duplicate_revisions(doc: Json) -> Iterator[Problem]:
    counts = Counter(
        str(item.get("number")) for item in _tracking(doc).get("revision_history", []) or []
    )
    for number, count in sorted(counts.items()):
        if count > 1:
            yield Problem(
                "6.1.22",
                "/document/tracking/revision_history",
                f"revision {number} appears {count} times",
            )


@_test("6.1.23")
def _duplicate_cve(doc: Json) -> Iterator[Problem]:
    counts = Counter(v.get("cve") for v in _vulns(doc) if v.get("cve"))
    for cve, count in sorted(counts.items()):
        if count > 1:
            yield Problem(
                "6.1.23", "/vulnerabilities", f"{cve} is used in {count} vulnerability items"
            )


@_test("6.1.24")
def _duplicate_involvements(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        counts = Counter(
            (i.get("party"), i.get("date")) for i in vuln.get("involvements", []) or []
        )
        for (party, date), count in counts.items():
            if count > 1:
                yield Problem(
                    "6.1.24",
                    f"/vulnerabilities/{v}/involvements",
                    f"party {party!r} at {date!r} appears {count} times",
                )


@_test("6.1.25")
def _duplicate_hash_algorithm(doc: Json) -> Iterator[Problem]:
    for path, fpn in _full_product_names(doc):
        hashes = (fpn.get("product_identification_helper") or {}).get("hashes", []) or []
        for h, item in enumerate(hashes):
            counts = Counter(
                str(fh.get("algorithm", "")).lower() for fh in item.get("file_hashes", []) or []
            )
            for algorithm, count in counts.items():
                if count > 1:
                    yield Problem(
                        "6.1.25",
                        f"{path}/product_identification_helper/hashes/{h}/file_hashes",
                        f"hash algorithm {algorithm!r} is used {count} times",
                    )


_PROFILES = {
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
}
_PROFILE_NAMES = (
    "Security incident response",
    "Informational Advisory",
    "Security Advisory",
    "VEX",
)


def _squash(text: str) -> str:
    return re.sub(r"[-\s_]", "", text).lower()


@_test("6.1.26")
def _prohibited_category(doc: Json) -> Iterator[Problem]:
    category = str((doc.get("document") or {}).get("category", ""))
    if category in _PROFILES:
        return
    squashed = _squash(category)
    forbidden = {_squash(p.removeprefix("csaf_")) for p in _PROFILES - {"csaf_base"}}
    forbidden |= {_squash(p) for p in _PROFILES - {"csaf_base"}}
    forbidden |= {_squash(n) for n in _PROFILE_NAMES}
    if squashed in forbidden:
        yield Problem(
            "6.1.26", "/document/category", f"{category!r} is the name of another profile"
        )
    elif category.lower().startswith("csaf_"):
        yield Problem(
            "6.1.26", "/document/category", f"{category!r} uses the reserved prefix 'csaf_'"
        )


def _category(doc: Json) -> str:
    return str((doc.get("document") or {}).get("category", ""))


@_test("6.1.27.1")
def _document_notes(doc: Json) -> Iterator[Problem]:
    if _category(doc) not in ("csaf_informational_advisory", "csaf_security_incident_response"):
        return
    notes = (doc.get("document") or {}).get("notes", []) or []
    if not any(
        n.get("category") in ("description", "details", "general", "summary") for n in notes
    ):
        yield Problem(
            "6.1.27.1",
            "/document/notes",
            "no note of category description, details, general or summary",
        )


@_test("6.1.27.2")
def _document_references(doc: Json) -> Iterator[Problem]:
    if _category(doc) not in ("csaf_informational_advisory", "csaf_security_incident_response"):
        return
    references = (doc.get("document") or {}).get("references", []) or []
    if not any(r.get("category") == "external" for r in references):
        yield Problem("6.1.27.2", "/document/references", "no reference of category external")


@_test("6.1.27.3")
def _informational_without_vulnerabilities(doc: Json) -> Iterator[Problem]:
    if _category(doc) == "csaf_informational_advisory" and "vulnerabilities" in doc:
        yield Problem(
            "6.1.27.3", "/vulnerabilities", "an informational advisory has no vulnerabilities"
        )


@_test("6.1.27.4")
def _product_tree_exists(doc: Json) -> Iterator[Problem]:
    if _category(doc) in ("csaf_security_advisory", "csaf_vex") and "product_tree" not in doc:
        yield Problem("6.1.27.4", "/product_tree", "is missing")


@_test("6.1.27.5")
def _vulnerability_notes(doc: Json) -> Iterator[Problem]:
    if _category(doc) in ("csaf_security_advisory", "csaf_vex"):
        for v, vuln in enumerate(_vulns(doc)):
            if "notes" not in vuln:
                yield Problem("6.1.27.5", f"/vulnerabilities/{v}/notes", "is missing")


@_test("6.1.27.6")
def _product_status_exists(doc: Json) -> Iterator[Problem]:
    if _category(doc) == "csaf_security_advisory":
        for v, vuln in enumerate(_vulns(doc)):
            if "product_status" not in vuln:
                yield Problem("6.1.27.6", f"/vulnerabilities/{v}/product_status", "is missing")


@_test("6.1.27.7")
def _vex_product_status(doc: Json) -> Iterator[Problem]:
    if _category(doc) != "csaf_vex":
        return
    for v, vuln in enumerate(_vulns(doc)):
        status = vuln.get("product_status") or {}
        if not any(
            k in status
            for k in ("fixed", "known_affected", "known_not_affected", "under_investigation")
        ):
            yield Problem(
                "6.1.27.7",
                f"/vulnerabilities/{v}/product_status",
                "has none of fixed, known_affected, known_not_affected, under_investigation",
            )


@_test("6.1.27.8")
def _vulnerability_id(doc: Json) -> Iterator[Problem]:
    if _category(doc) != "csaf_vex":
        return
    for v, vuln in enumerate(_vulns(doc)):
        if "cve" not in vuln and "ids" not in vuln:
            yield Problem("6.1.27.8", f"/vulnerabilities/{v}", "has neither cve nor ids")


@_test("6.1.27.9")
def _impact_statement(doc: Json) -> Iterator[Problem]:
    if _category(doc) != "csaf_vex":
        return
    groups = _groups(doc)
    for v, vuln in enumerate(_vulns(doc)):
        covered: set[str] = set()
        for flag in vuln.get("flags", []) or []:
            covered |= _members(flag, groups)
        for threat in vuln.get("threats", []) or []:
            if threat.get("category") == "impact":
                covered |= _members(threat, groups)
        for pid in (vuln.get("product_status") or {}).get("known_not_affected", []) or []:
            if pid not in covered:
                yield Problem(
                    "6.1.27.9", f"/vulnerabilities/{v}", f"no impact statement for {pid!r}"
                )


@_test("6.1.27.10")
def _action_statement(doc: Json) -> Iterator[Problem]:
    if _category(doc) != "csaf_vex":
        return
    groups = _groups(doc)
    for v, vuln in enumerate(_vulns(doc)):
        covered: set[str] = set()
        for remediation in vuln.get("remediations", []) or []:
            covered |= _members(remediation, groups)
        for pid in (vuln.get("product_status") or {}).get("known_affected", []) or []:
            if pid not in covered:
                yield Problem(
                    "6.1.27.10", f"/vulnerabilities/{v}", f"no action statement for {pid!r}"
                )


@_test("6.1.27.11")
def _vulnerabilities_exist(doc: Json) -> Iterator[Problem]:
    if _category(doc) in ("csaf_security_advisory", "csaf_vex") and "vulnerabilities" not in doc:
        yield Problem("6.1.27.11", "/vulnerabilities", "is missing")


@_test("6.1.28")
def _translation(doc: Json) -> Iterator[Problem]:
    document = doc.get("document") or {}
    lang, source = document.get("lang"), document.get("source_lang")
    if lang and source and str(lang).lower() == str(source).lower():
        yield Problem("6.1.28", "/document/source_lang", f"equals the document language {lang!r}")


@_test("6.1.29")
def _remediation_product_reference(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        for i, item in enumerate(vuln.get("remediations", []) or []):
            if "product_ids" not in item and "group_ids" not in item:
                yield Problem(
                    "6.1.29", f"/vulnerabilities/{v}/remediations/{i}", "names no product or group"
                )


@_test("6.1.30")
def _mixed_versioning(doc: Json) -> Iterator[Problem]:
    tracking = _tracking(doc)
    values = [str(i.get("number", "")) for i in tracking.get("revision_history", []) or []]
    if "version" in tracking:
        values.append(str(tracking["version"]))
    kinds = {"integer" if _is_int(v) else "semver" for v in values if _is_int(v) or _semver(v)}
    if len(kinds) > 1:
        yield Problem("6.1.30", "/document/tracking", "mixes integer and semantic versioning")


# The symbols count anywhere; the words only as whole words (the official test case
# "after-eight" is a valid version name, so "after" inside a hyphenated word does not count).
_RANGE_SYMBOLS = ("<", ">")
_RANGE_WORDS = re.compile(
    r"(?<![\w-])(after|all|before|earlier|later|prior|versions)(?![\w-])", re.IGNORECASE
)


@_test("6.1.31")
def _range_in_product_version(doc: Json) -> Iterator[Problem]:
    for path, branch in _branches(doc.get("product_tree") or {}):
        if branch.get("category") == "product_version":
            name = str(branch.get("name", ""))
            if any(sym in name for sym in _RANGE_SYMBOLS) or _RANGE_WORDS.search(name):
                yield Problem(
                    "6.1.31", f"{path}/name", f"product_version {branch.get('name')!r} is a range"
                )


@_test("6.1.32")
def _flag_product_reference(doc: Json) -> Iterator[Problem]:
    for v, vuln in enumerate(_vulns(doc)):
        for i, item in enumerate(vuln.get("flags", []) or []):
            if "product_ids" not in item and "group_ids" not in item:
                yield Problem(
                    "6.1.32", f"/vulnerabilities/{v}/flags/{i}", "names no product or group"
                )


VEX_JUSTIFICATIONS = frozenset(
    {
        "component_not_present",
        "inline_mitigations_already_exist",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_not_present",
    }
)


@_test("6.1.33")
def _multiple_vex_flags(doc: Json) -> Iterator[Problem]:
    groups = _groups(doc)
    for v, vuln in enumerate(_vulns(doc)):
        counts: Counter[str] = Counter()
        for flag in vuln.get("flags", []) or []:
            if flag.get("label") in VEX_JUSTIFICATIONS:
                counts.update(_members(flag, groups))
        for pid, count in sorted(counts.items()):
            if count > 1:
                yield Problem(
                    "6.1.33",
                    f"/vulnerabilities/{v}/flags",
                    f"{count} VEX justification flags for {pid!r}",
                )


# -------------------------------------------------------------------------------- entry


def mandatory_problems(document: Json, tests: list[str] | None = None) -> list[Problem]:
    """Run the mandatory tests (all, or the ids in ``tests``) on a document."""
    problems: list[Problem] = []
    for test_id, fn in MANDATORY.items():
        if tests is None or test_id in tests:
            problems.extend(fn(document))
    return problems


def validate(document: Json) -> list[Problem]:
    """Schema violations and mandatory-test failures; empty means a valid CSAF 2.0 document.

    Mandatory tests run only on a document that passes the schema (their paths assume it).
    """
    problems = schema_problems(document)
    if problems:
        return problems
    return mandatory_problems(document)
