"""VEX semantics: one sequence of statements, products as a whole, BOM-Links, CSAF details.

Advisories are the real PyPA records; the VEX documents are either self-written fixtures
(each one a reproducer of a defect kind) or the real CSAF and CycloneDX VEX examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from steward.sbom.component import Component
from steward.sbom.purl import make_purl
from steward.sbom.read import read_sbom
from steward.store.vulndb import VulnDB
from steward.vuln import report
from steward.vuln.feeds import import_kev
from steward.vuln.inputs import from_sbom
from steward.vuln.matcher import Finding, match
from steward.vuln.osv_import import import_osv
from steward.vuln.vex import Subject, apply, load_vex
from tests.vuln.test_matching import NOW, kev_feed

URLLIB3_CVE = "CVE-2023-43804"  # PYSEC-2023-192: urllib3 < 1.26.17
DJANGO_CVE = "CVE-2021-31542"  # PYSEC-2021-7: django 3.2 < 3.2.1
JACKSON_CVE = "CVE-2020-25649"
JACKSON = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"


@pytest.fixture(scope="module")
def db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> VulnDB:
    folder = tmp_path_factory.mktemp("vexdb")
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    jackson = folder / "GHSA-288c-cq4h-88gq.json"  # a self-written record for the real VEX
    jackson.write_text(
        json.dumps(
            {
                "id": "GHSA-288c-cq4h-88gq",
                "modified": "2024-01-01T00:00:00Z",
                "aliases": [JACKSON_CVE],
                "summary": "XXE in jackson-databind",
                "affected": [
                    {
                        "package": {
                            "ecosystem": "Maven",
                            "name": "com.fasterxml.jackson.core:jackson-databind",
                        },
                        "ranges": [
                            {
                                "type": "ECOSYSTEM",
                                "events": [{"introduced": "2.10.0"}, {"fixed": "2.10.5.1"}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    database = VulnDB(folder / "db.sqlite")
    import_osv(database, [pypa / "urllib3", pypa / "django", jackson])
    import_kev(database, kev_feed(folder / "kev.json", [URLLIB3_CVE]))
    return database


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data))
    return path


def _openvex(path: Path, statements: list[dict[str, Any]], timestamp: str) -> Path:
    return _write(
        path,
        {
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": f"https://example.org/vex/{path.stem}",
            "author": "PSIRT",
            "timestamp": timestamp,
            "version": 1,
            "statements": statements,
        },
    )


def _statement(purl: str, vuln: str, status: str, when: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "vulnerability": {"name": vuln},
        "products": [{"@id": purl}],
        "status": status,
    }
    if status == "not_affected":
        item["justification"] = "vulnerable_code_not_in_execute_path"
    if status == "affected":
        item["action_statement"] = "upgrade"
    if when:
        item["timestamp"] = when
    return item


def _components(*pairs: tuple[str, str]) -> list[Component]:
    return [
        Component(name, version, "PyPI", purl=make_purl("PyPI", name, version))
        for name, version in pairs
    ]


def _finding(findings: list[Finding], ident: str) -> Finding:
    return next(f for f in findings if ident in f.ids)


URLLIB3 = "pkg:pypi/urllib3@1.26.5"


# -------------------------------------------------------------- 1. statements are a sequence


def test_newer_affected_overrules_older_not_affected_in_one_file(
    db: VulnDB, tmp_path: Path
) -> None:
    vex = _openvex(
        tmp_path / "vex.json",
        [
            _statement(URLLIB3, URLLIB3_CVE, "not_affected", "2026-11-01T00:00:00Z"),
            _statement(URLLIB3, URLLIB3_CVE, "affected", "2026-11-20T00:00:00Z"),
        ],
        "2026-11-20T00:00:00Z",
    )
    result = match(db, _components(("urllib3", "1.26.5")))
    reports = apply(result.findings, [load_vex(vex)])
    finding = _finding(result.findings, URLLIB3_CVE)
    assert finding.suppressed is None and finding.reportable
    assert finding.vex is not None and finding.vex.status == "affected"
    assert reports[0].matched == 2 and reports[0].suppressed == 0


@pytest.mark.parametrize("order", ["old-first", "new-first"])
def test_newest_wins_across_files_whatever_their_order(
    db: VulnDB, tmp_path: Path, order: str
) -> None:
    old = _openvex(
        tmp_path / "old.json",
        [_statement(URLLIB3, URLLIB3_CVE, "not_affected")],
        "2026-11-01T00:00:00Z",
    )
    new = _openvex(
        tmp_path / "new.json",
        [_statement(URLLIB3, URLLIB3_CVE, "affected")],
        "2026-11-20T00:00:00Z",
    )
    files = [old, new] if order == "old-first" else [new, old]
    result = match(db, _components(("urllib3", "1.26.5")))
    apply(result.findings, [load_vex(f, index=n) for n, f in enumerate(files)])
    finding = _finding(result.findings, URLLIB3_CVE)
    assert finding.suppressed is None and finding.reportable
    assert finding.vex is not None and finding.vex.source.endswith("new.json")


def test_newer_not_affected_suppresses_and_ties_go_to_the_later_file(
    db: VulnDB, tmp_path: Path
) -> None:
    when = "2026-11-05T00:00:00Z"
    first = _openvex(tmp_path / "a.json", [_statement(URLLIB3, URLLIB3_CVE, "affected")], when)
    second = _openvex(tmp_path / "b.json", [_statement(URLLIB3, URLLIB3_CVE, "not_affected")], when)
    result = match(db, _components(("urllib3", "1.26.5")))
    apply(result.findings, [load_vex(first, index=0), load_vex(second, index=1)])
    finding = _finding(result.findings, URLLIB3_CVE)
    assert finding.suppressed is not None and finding.suppressed.source.endswith("b.json")
    assert not finding.reportable
    undated = _write(
        tmp_path / "c.json",
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [{"type": "library", "bom-ref": "u", "purl": URLLIB3, "name": "u"}],
            "vulnerabilities": [
                {"id": URLLIB3_CVE, "analysis": {"state": "exploitable"}, "affects": [{"ref": "u"}]}
            ],
        },
    )
    again = match(db, _components(("urllib3", "1.26.5")))
    apply(again.findings, [load_vex(undated, index=2), load_vex(second, index=1)])
    # an undated statement is older than any dated one, even later on the command line
    assert _finding(again.findings, URLLIB3_CVE).suppressed is not None


# ----------------------------------------------------------- 2. CycloneDX refs and BOM-Links


def _sbom(path: Path, serial: str, root: dict[str, Any], components: list[dict[str, Any]]) -> Path:
    return _write(
        path,
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": f"urn:uuid:{serial}",
            "version": 1,
            "metadata": {"component": root},
            "components": components,
        },
    )


SERIAL = "3f1b0c8e-2a4d-4f7e-9d61-0123456789ab"
OTHER = "9a9a9a9a-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("ref", "suppressed"),
    [
        ("lib-urllib3", True),  # a bare bom-ref of the scanned SBOM
        (f"urn:cdx:{SERIAL}/1#lib-urllib3", True),  # a BOM-Link to it
        (f"urn:cdx:{SERIAL}/2#lib-urllib3", True),  # another version of the same SBOM
        (f"urn:cdx:{OTHER}/1#lib-urllib3", False),  # a BOM-Link to another SBOM
        ("lib-nothing", False),
    ],
)
def test_cyclonedx_affects_ref(db: VulnDB, tmp_path: Path, ref: str, suppressed: bool) -> None:
    bom = _sbom(
        tmp_path / "bom.json",
        SERIAL,
        {"type": "application", "bom-ref": "app", "name": "app", "version": "1.0"},
        [{"type": "library", "bom-ref": "lib-urllib3", "name": "urllib3", "purl": URLLIB3}],
    )
    vex = _write(
        tmp_path / "vex.json",
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "vulnerabilities": [
                {
                    "id": URLLIB3_CVE,
                    "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                    "affects": [{"ref": ref}],
                }
            ],
        },
    )
    scan = from_sbom(read_sbom(bom))
    result = match(db, scan.components)
    reports = apply(result.findings, [load_vex(vex)], scan.subject)
    assert (_finding(result.findings, URLLIB3_CVE).suppressed is not None) is suppressed
    assert reports[0].matched == int(suppressed)
    if ref.startswith(f"urn:cdx:{OTHER}"):
        assert "another SBOM" in reports[0].line()


def test_real_cyclonedx_vex_names_another_sbom(db: VulnDB, shared_data: Path) -> None:
    """The CycloneDX example VEX's BOM-Link carries a serial that is not its bom.json's."""
    folder = shared_data / "sboms" / "cyclonedx-bom-examples" / "VEX"
    scan = from_sbom(read_sbom(folder / "bom.json"))
    result = match(db, scan.components)
    databind = _finding(result.findings, JACKSON_CVE)
    assert databind.component.purl == JACKSON
    reports = apply(result.findings, [load_vex(folder / "vex.json")], scan.subject)
    assert databind.suppressed is None
    assert reports[0].line() == (
        "VEX vex.json: 1 statements, 0 matched: "
        "BOM-Links to another SBOM (serial number differs from the scanned one)"
    )


@pytest.mark.parametrize(
    ("serial", "root", "suppressed", "status"),
    [
        ("2c385cf7-e1ee-46e9-a51c-13de1ecb380a", "acme-product-1", True, "not_affected"),
        ("6ffac0b2-5246-4fb9-a6fe-7993041856a0", "acme-product-2", True, "not_affected"),
        ("240b5b0b-917d-4f48-816c-97e1944d8079", "acme-product-3", False, "affected"),
        (OTHER, "acme-product-1", False, None),
    ],
)
def test_real_product_family_vex_applies_to_the_products_components(
    db: VulnDB,
    shared_data: Path,
    tmp_path: Path,
    serial: str,
    root: str,
    suppressed: bool,
    status: str | None,
) -> None:
    """Use case 13: not exploitable in products 1 and 2, exploitable in product 3."""
    vex = shared_data / "sboms" / "cyclonedx-bom-examples" / "VEX" / "Use-Cases" / "Case-13"
    bom = _sbom(
        tmp_path / "bom.json",
        serial,
        {"type": "application", "bom-ref": root, "name": root},
        [{"type": "library", "bom-ref": "jd", "name": "jackson-databind", "purl": JACKSON}],
    )
    scan = from_sbom(read_sbom(bom))
    result = match(db, scan.components)
    apply(result.findings, [load_vex(vex / "vex.json")], scan.subject)
    finding = _finding(result.findings, JACKSON_CVE)
    assert (finding.suppressed is not None) is suppressed
    assert (finding.vex.status if finding.vex else None) == status


# ------------------------------------------------------- 3. statements about the whole product


ROOT = "pkg:generic/acme/widget@2.0"


def _product_sbom(tmp_path: Path) -> Path:
    return _sbom(
        tmp_path / "bom.json",
        SERIAL,
        {"type": "application", "bom-ref": "root", "name": "widget", "purl": ROOT},
        [
            {"type": "library", "bom-ref": "a", "name": "urllib3", "purl": URLLIB3},
            {"type": "library", "bom-ref": "b", "name": "django", "purl": "pkg:pypi/django@3.2"},
        ],
    )


@pytest.mark.parametrize(
    ("product", "suppressed"),
    [(ROOT, True), ("pkg:generic/acme/widget", True), ("pkg:generic/acme/widget@1.0", False)],
)
def test_openvex_statement_about_the_root_applies_to_components(
    db: VulnDB, tmp_path: Path, product: str, suppressed: bool
) -> None:
    vex = _openvex(
        tmp_path / "vex.json",
        [_statement(product, URLLIB3_CVE, "not_affected")],
        "2026-11-01T00:00:00Z",
    )
    scan = from_sbom(read_sbom(_product_sbom(tmp_path)))
    result = match(db, scan.components)
    apply(result.findings, [load_vex(vex)], scan.subject)
    assert (_finding(result.findings, URLLIB3_CVE).suppressed is not None) is suppressed


def test_openvex_subcomponent_of_another_product_does_not_apply(db: VulnDB, tmp_path: Path) -> None:
    statement = _statement("pkg:generic/acme/other@1.0", URLLIB3_CVE, "not_affected")
    statement["products"][0]["subcomponents"] = [{"@id": "pkg:pypi/urllib3@1.26.5"}]
    vex = _openvex(tmp_path / "vex.json", [statement], "2026-11-01T00:00:00Z")
    scan = from_sbom(read_sbom(_product_sbom(tmp_path)))
    result = match(db, scan.components)
    apply(result.findings, [load_vex(vex)], scan.subject)
    assert _finding(result.findings, URLLIB3_CVE).suppressed is None
    # without a known root (a source tree) the subcomponent statement applies
    tree = match(db, _components(("urllib3", "1.26.5")))
    apply(tree.findings, [load_vex(vex)], Subject())
    assert _finding(tree.findings, URLLIB3_CVE).suppressed is not None


def _csaf(tmp_path: Path, vulnerabilities: list[dict[str, Any]]) -> Path:
    return _write(
        tmp_path / "csaf.json",
        {
            "document": {
                "category": "csaf_vex",
                "csaf_version": "2.0",
                "title": "Widget VEX",
                "tracking": {"current_release_date": "2026-11-10T00:00:00Z"},
            },
            "product_tree": {
                "branches": [
                    {
                        "category": "vendor",
                        "name": "Acme",
                        "branches": [
                            {
                                "category": "product_version",
                                "name": "2.0",
                                "product": {
                                    "product_id": "WIDGET-2",
                                    "name": "Widget 2.0",
                                    "product_identification_helper": {"purl": ROOT},
                                },
                            }
                        ],
                    }
                ],
                "product_groups": [{"group_id": "ALL", "product_ids": ["WIDGET-2"]}],
            },
            "vulnerabilities": vulnerabilities,
        },
    )


def test_csaf_root_product_statuses_group_ids_and_cyclonedx_output(
    db: VulnDB, tmp_path: Path
) -> None:
    csaf = _csaf(
        tmp_path,
        [
            {
                "cve": URLLIB3_CVE,
                "product_status": {"known_not_affected": ["WIDGET-2"]},
                "flags": [{"label": "vulnerable_code_not_in_execute_path", "group_ids": ["ALL"]}],
                "threats": [
                    {
                        "category": "impact",
                        "details": "Cookies are never sent.",
                        "group_ids": ["ALL"],
                    }
                ],
            },
            {"cve": DJANGO_CVE, "product_status": {"first_fixed": ["WIDGET-2"]}},
        ],
    )
    scan = from_sbom(read_sbom(_product_sbom(tmp_path)))
    result = match(db, scan.components)
    reports = apply(result.findings, [load_vex(csaf)], scan.subject)
    urllib3 = _finding(result.findings, URLLIB3_CVE)
    assert urllib3.suppressed is not None
    assert urllib3.suppressed.justification == "vulnerable_code_not_in_execute_path"
    assert urllib3.suppressed.statement == "Cookies are never sent."
    django = _finding(result.findings, DJANGO_CVE)
    assert django.suppressed is not None and django.suppressed.status == "fixed"
    assert reports[0].matched == 2
    bom = report.to_cyclonedx_vex(result.findings, timestamp=NOW)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom.decode()) is None
    analyses = {
        v["id"]: v["analysis"] for v in json.loads(bom)["vulnerabilities"] if "analysis" in v
    }
    assert analyses[URLLIB3_CVE]["justification"] == "code_not_reachable"
    assert analyses[URLLIB3_CVE]["state"] == "not_affected"
    assert analyses[DJANGO_CVE]["state"] == "resolved"
    openvex = json.loads(report.to_openvex(result.findings, timestamp=NOW, author="T"))
    by_id = {s["vulnerability"]["name"]: s for s in openvex["statements"]}
    assert by_id[URLLIB3_CVE]["justification"] == "vulnerable_code_not_in_execute_path"


# ----------------------------------------------------------------- 4. ecosystem version rules


@pytest.mark.parametrize(
    ("statement_version", "component_version", "suppressed"),
    [("3.2", "3.2.0", True), ("3.2.0", "3.2", True), ("3.2.0", "3.2.0.post0", False)],
)
def test_vex_versions_compare_with_the_ecosystem_scheme(
    db: VulnDB, tmp_path: Path, statement_version: str, component_version: str, suppressed: bool
) -> None:
    vex = _openvex(
        tmp_path / "vex.json",
        [_statement(f"pkg:pypi/django@{statement_version}", DJANGO_CVE, "not_affected")],
        "2026-11-01T00:00:00Z",
    )
    result = match(db, _components(("django", component_version)))
    apply(result.findings, [load_vex(vex)])
    assert (_finding(result.findings, DJANGO_CVE).suppressed is not None) is suppressed


# ------------------------------------------------- 5. a document that matches nothing says so


def _csaf_examples(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "csaf-2.0" / "examples" / "csaf" / "csaf_vex").glob("*.json"))


def test_the_thirteen_real_csaf_vex_examples_say_why_nothing_matched(
    db: VulnDB, shared_data: Path
) -> None:
    examples = _csaf_examples(shared_data)
    assert len(examples) == 13
    result = match(db, _components(("urllib3", "1.26.5"), ("django", "3.2")))
    documents = [load_vex(path, index=n) for n, path in enumerate(examples)]
    reports = apply(result.findings, documents)
    for path, document, item in zip(examples, documents, reports, strict=True):
        raw = json.loads(path.read_text())
        expected = sum(
            len(v.get("product_status", {}).get(status, []))
            for v in raw["vulnerabilities"]
            for status in v.get("product_status", {})
            if status != "recommended"
        )
        assert item.statements == len(document.statements) == expected > 0, path.name
        assert item.matched == 0
        assert item.line() == (
            f"VEX {path.name}: {expected} statements, 0 matched: "
            "products named without purl, CPE or bom-ref"
        )
    assert all(f.suppressed is None for f in result.findings)


def test_real_csaf_statuses_are_read(shared_data: Path) -> None:
    """The multi-status example: each CVE's status as the document states it."""
    example = next(p for p in _csaf_examples(shared_data) if p.name == "2022-evd-uc-03-ms-001.json")
    document = load_vex(example)
    statuses = {next(iter(s.ids)): str(s.status) for s in document.statements}
    assert statuses["CVE-2020-11896"] == "under_investigation"
    assert statuses["CVE-2020-11897"] == "not_affected"
    assert statuses["CVE-2020-11898"] == "affected"
    assert statuses["CVE-2020-11901"] == "fixed"
    secvisogram = load_vex(next(p for p in _csaf_examples(shared_data) if "sec-vex" in p.name))
    assert {s.justification for s in secvisogram.statements} == {"component_not_present"}
    assert all(s.detail and "No Java" in s.detail for s in secvisogram.statements)


def test_real_cyclonedx_use_cases_without_purls_say_so(db: VulnDB, shared_data: Path) -> None:
    folder = shared_data / "sboms" / "cyclonedx-bom-examples" / "VEX" / "Use-Cases"
    result = match(db, _components(("urllib3", "1.26.5")))
    reports = apply(result.findings, [load_vex(folder / "Case-11" / "vex.json")])
    assert reports[0].line() == (
        "VEX vex.json: 19 statements, 0 matched: products named without purl, CPE or bom-ref"
    )


def test_cli_reports_each_vex_document(
    cli: Any, db: VulnDB, tmp_path: Path, shared_data: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("urllib3==1.26.5\n")
    example = _csaf_examples(shared_data)[0]
    vex = _openvex(
        tmp_path / "vex.json",
        [_statement(URLLIB3, URLLIB3_CVE, "not_affected")],
        "2026-11-01T00:00:00Z",
    )
    done = cli(
        "vulns", str(tmp_path), "--db", str(db.path), "--vex", str(example), "--vex", str(vex),
        "-f", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert f"VEX {example.name}: 1 statements, 0 matched" in done.stderr
    assert "VEX vex.json: 1 statements, 1 matched, 1 findings suppressed" in done.stderr
    data = json.loads(done.stdout)
    assert [v["matched"] for v in data["vex"]] == [0, 1]
    assert _by_id(data, URLLIB3_CVE)["suppressed"]["source"].endswith("vex.json")


def _by_id(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(f for f in data["findings"] if ident in [f["id"], *f["aliases"]])


@pytest.mark.parametrize(("root_version", "suppressed"), [("2.5.0", True), ("3.0.0", False)])
def test_cyclonedx_affects_versions_restrict_a_product_statement(
    db: VulnDB, tmp_path: Path, root_version: str, suppressed: bool
) -> None:
    """CycloneDX use case 4: not exploitable in the product's versions 2.2.0 through 2.4.0
    and 2.5.0 (the range written in vers), applied to a scanned product version."""
    bom = _sbom(
        tmp_path / "bom.json",
        SERIAL,
        {"type": "application", "bom-ref": "acme", "name": "acme", "version": root_version},
        [{"type": "library", "bom-ref": "u", "name": "urllib3", "purl": URLLIB3}],
    )
    vex = _write(
        tmp_path / "vex.json",
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "vulnerabilities": [
                {
                    "id": URLLIB3_CVE,
                    "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                    "affects": [
                        {
                            "ref": f"urn:cdx:{SERIAL}/1#acme",
                            "versions": [
                                {"range": "vers:semver/>=2.2.0|<=2.4.0", "status": "unaffected"},
                                {"version": "2.5.0", "status": "unaffected"},
                            ],
                        }
                    ],
                }
            ],
        },
    )
    scan = from_sbom(read_sbom(bom))
    result = match(db, scan.components)
    apply(result.findings, [load_vex(vex)], scan.subject)
    assert (_finding(result.findings, URLLIB3_CVE).suppressed is not None) is suppressed


def test_a_vex_document_without_statements_says_so(db: VulnDB, tmp_path: Path) -> None:
    empty = _openvex(tmp_path / "empty.json", [], "2026-11-01T00:00:00Z")
    result = match(db, _components(("urllib3", "1.26.5")))
    [report_] = apply(result.findings, [load_vex(empty)])
    assert report_.line() == (
        "VEX empty.json: 0 statements, 0 matched: the document holds no VEX statement"
    )
