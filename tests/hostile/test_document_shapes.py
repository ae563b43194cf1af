"""Untrusted documents are checked for shape and enumerations at the reader's boundary, and
an input that yields nothing usable is an error (issue 18, kind 6).

Each bad document gives one line naming the file and the field, exit 2, and nothing written;
a genuinely empty document is still read (exit 0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from steward.errors import InputError
from steward.sbom.read import read_sbom
from steward.vuln.vex_formats import load_vex

CDX: dict[str, Any] = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "metadata": {"component": {"type": "application", "name": "app", "version": "1"}},
    "components": [
        {
            "type": "library",
            "bom-ref": "pkg:npm/left-pad@1.3.0",
            "name": "left-pad",
            "version": "1.3.0",
            "purl": "pkg:npm/left-pad@1.3.0",
            "scope": "required",
            "components": [{"type": "file", "name": "index.js"}],
        }
    ],
    "dependencies": [{"ref": "pkg:npm/left-pad@1.3.0", "dependsOn": []}],
}
SPDX: dict[str, Any] = {
    "spdxVersion": "SPDX-2.3",
    "SPDXID": "SPDXRef-DOCUMENT",
    "documentNamespace": "https://example.org/x",
    "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: steward"]},
    "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1"}],
    "relationships": [],
}


def _with(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(doc))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


SBOM_CASES = [
    ("cdx components text", CDX, ("components",), "x", "components is text, expected a list"),
    ("cdx name number", CDX, ("components", 0, "name"), 5, "components[0].name is a number"),
    ("cdx scope bogus", CDX, ("components", 0, "scope"), "bogus", "components[0].scope is 'bogus'"),
    (
        "cdx nested component",
        CDX,
        ("components", 0, "components", 0, "version"),
        [1],
        "components[0].components[0].version is a list",
    ),
    ("cdx nested null", CDX, ("components", 0, "components", 0), None, "is null, expected a"),
    ("cdx metadata text", CDX, ("metadata",), "x", "metadata is text, expected a mapping"),
    ("cdx root name", CDX, ("metadata", "component", "name"), {}, "metadata.component.name"),
    ("cdx dependsOn", CDX, ("dependencies", 0, "dependsOn"), "a", "dependencies[0].dependsOn"),
    ("spdx packages", SPDX, ("packages",), {"a": 1}, "packages is a mapping, expected a list"),
    ("spdx version", SPDX, ("packages", 0, "versionInfo"), 1.0, "packages[0].versionInfo"),
    ("spdx creators", SPDX, ("creationInfo", "creators"), "Tool: x", "creationInfo.creators"),
]


@pytest.mark.parametrize(
    ("label", "doc", "where", "value", "message"), SBOM_CASES, ids=[c[0] for c in SBOM_CASES]
)
def test_sbom_reader_refuses_bad_shapes(
    tmp_path: Path,
    label: str,
    doc: dict[str, Any],
    where: tuple[Any, ...],
    value: Any,
    message: str,
) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(_with(doc, where, value)))
    with pytest.raises(InputError) as raised:
        read_sbom(path)
    assert message in str(raised.value), label
    assert str(path) in str(raised.value)


def test_good_sboms_still_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(CDX))
    doc = read_sbom(path)
    assert [c.name for c in doc.components] == ["left-pad", "index.js"]
    path.write_text(json.dumps(SPDX))
    assert [c.name for c in read_sbom(path).components] == ["a"]


def test_cyclonedx_xml_scope_is_an_enumeration(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>'
        '<component type="library"><name>a</name><scope>sometimes</scope></component>'
        "</components></bom>"
    )
    with pytest.raises(InputError, match=r"components\[0\]\.scope is 'sometimes'"):
        read_sbom(path)


def test_deeply_nested_components_are_checked_without_recursion(tmp_path: Path) -> None:
    component: dict[str, Any] = {"type": "library", "name": "leaf", "version": 7}
    for _ in range(300):
        component = {"type": "library", "name": "n", "components": [component]}
    path = tmp_path / "bom.json"
    path.write_text(
        json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]})
    )
    with pytest.raises(InputError, match=r"\.version is a number, expected text"):
        read_sbom(path)


OPENVEX: dict[str, Any] = {
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.org/vex-1",
    "author": "Example",
    "timestamp": "2024-01-01T00:00:00Z",
    "version": 1,
    "statements": [
        {
            "vulnerability": {"name": "CVE-2024-0001"},
            "products": [{"@id": "pkg:npm/left-pad@1.3.0"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_present",
        }
    ],
}
CDX_VEX: dict[str, Any] = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "vulnerabilities": [
        {
            "id": "CVE-2024-0001",
            "analysis": {
                "state": "not_affected",
                "justification": "code_not_reachable",
                "response": ["will_not_fix"],
            },
            "affects": [{"ref": "pkg:npm/left-pad@1.3.0"}],
        }
    ],
}
CSAF: dict[str, Any] = {
    "document": {"category": "csaf_vex", "tracking": {"current_release_date": "2024-01-01"}},
    "product_tree": {
        "branches": [
            {
                "category": "vendor",
                "name": "x",
                "branches": [
                    {
                        "category": "product_version",
                        "name": "1",
                        "product": {"product_id": "P1", "name": "x 1"},
                    }
                ],
            }
        ]
    },
    "vulnerabilities": [
        {
            "cve": "CVE-2024-0001",
            "product_status": {"known_not_affected": ["P1"]},
            "flags": [{"label": "component_not_present", "product_ids": ["P1"]}],
        }
    ],
}

VEX_CASES = [
    (
        "openvex status",
        OPENVEX,
        ("statements", 0, "status"),
        "bogus",
        "statements[0].status is 'bogus'",
    ),
    (
        "openvex justification",
        OPENVEX,
        ("statements", 0, "justification"),
        "because",
        "statements[0].justification is 'because'",
    ),
    ("openvex statements", OPENVEX, ("statements",), "x", "statements is text, expected a list"),
    ("openvex products", OPENVEX, ("statements", 0, "products", 0), 5, "products[0] is a number"),
    (
        "cdx state",
        CDX_VEX,
        ("vulnerabilities", 0, "analysis", "state"),
        "fine",
        "vulnerabilities[0].analysis.state is 'fine'",
    ),
    (
        "cdx justification",
        CDX_VEX,
        ("vulnerabilities", 0, "analysis", "justification"),
        "trust_me",
        "analysis.justification is 'trust_me'",
    ),
    (
        "cdx response",
        CDX_VEX,
        ("vulnerabilities", 0, "analysis", "response"),
        ["ignore"],
        "analysis.response[0] is 'ignore'",
    ),
    ("cdx components", CDX_VEX, ("components",), {"a": 1}, "components is a mapping"),
    (
        "csaf status key",
        CSAF,
        ("vulnerabilities", 0, "product_status"),
        {"probably_fine": ["P1"]},
        "product_status.probably_fine is not a known field",
    ),
    (
        "csaf status list",
        CSAF,
        ("vulnerabilities", 0, "product_status", "fixed"),
        "P1",
        "product_status.fixed is text, expected a list",
    ),
    (
        "csaf flag",
        CSAF,
        ("vulnerabilities", 0, "flags", 0, "label"),
        "meh",
        "flags[0].label is 'meh'",
    ),
    (
        "csaf nested branch",
        CSAF,
        ("product_tree", "branches", 0, "branches", 0, "product"),
        "P1",
        "product_tree.branches[0].branches[0].product is text",
    ),
]


@pytest.mark.parametrize(
    ("label", "doc", "where", "value", "message"), VEX_CASES, ids=[c[0] for c in VEX_CASES]
)
def test_vex_readers_refuse_bad_shapes_and_words(
    tmp_path: Path,
    label: str,
    doc: dict[str, Any],
    where: tuple[Any, ...],
    value: Any,
    message: str,
) -> None:
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(_with(doc, where, value)))
    with pytest.raises(InputError) as raised:
        load_vex(path)
    assert message in str(raised.value), label
    assert str(path) in str(raised.value)


@pytest.mark.parametrize("doc", [OPENVEX, CDX_VEX, CSAF], ids=["openvex", "cyclonedx", "csaf"])
def test_good_vex_still_read(tmp_path: Path, doc: dict[str, Any]) -> None:
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(doc))
    statements = load_vex(path).statements
    assert len(statements) == 1
    assert statements[0].status is not None
    assert "CVE-2024-0001" in statements[0].ids


def test_csaf_branches_200_deep_are_refused_or_read_without_recursion(tmp_path: Path) -> None:
    branch: dict[str, Any] = {
        "category": "product_version",
        "name": "1",
        "product": {"product_id": "P1"},
    }
    for _ in range(200):
        branch = {"category": "vendor", "name": "x", "branches": [branch]}
    doc = _with(CSAF, ("product_tree", "branches"), [branch])
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(doc))
    try:
        load_vex(path)
    except InputError as exc:  # the reader's own nesting limit, named
        assert str(path) in str(exc)


# ----------------------------------------------------------------- silent empty results


def test_vex_with_statements_none_applicable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(_with(OPENVEX, ("statements",), [{"products": []}])))
    with pytest.raises(InputError, match="none of its 1 OpenVEX statements can be applied"):
        load_vex(path)
    path.write_text(json.dumps(_with(CSAF, ("vulnerabilities", 0, "product_status"), {})))
    with pytest.raises(InputError, match="none of its 1 CSAF statements"):
        load_vex(path)


def test_genuinely_empty_vex_is_read(tmp_path: Path) -> None:
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(_with(OPENVEX, ("statements",), [])))
    assert load_vex(path).statements == []


def test_sbom_without_matchable_components_is_an_error(tmp_path: Path) -> None:
    from steward.vuln.inputs import from_sbom, require_usable

    path = tmp_path / "bom.json"
    components = [
        {"type": "library", "name": "a", "version": "1"},
        {"type": "library", "name": "b", "cpe": "cpe:2.3:a:x:b:1:*:*:*:*:*:*:*"},
    ]
    path.write_text(json.dumps(_with(CDX, ("components",), components)))
    with pytest.raises(
        InputError,
        match=r"none of its 2 components can be matched .*1 no purl; 1 identified by CPE only",
    ):
        require_usable(from_sbom(read_sbom(path)), path)
    path.write_text(json.dumps(_with(CDX, ("components",), [])))  # genuinely empty
    assert require_usable(from_sbom(read_sbom(path)), path).components == []


def test_osv_import_of_a_directory_without_records_is_an_error(tmp_path: Path) -> None:
    from steward.vuln.osv_import import iter_records

    (tmp_path / "README.md").write_text("advisories go here\n")
    with pytest.raises(InputError, match="no OSV records in the directory"):
        list(iter_records(tmp_path))


# ------------------------------------------------------------------------ through the CLI


def test_cli_bad_and_empty_inputs_exit_2_and_write_nothing(
    tmp_path: Path, run_guarded: Any
) -> None:
    osv = tmp_path / "osv"
    osv.mkdir()
    (osv / "GHSA-aaaa-bbbb-cccc.json").write_text(
        json.dumps(
            {
                "id": "GHSA-aaaa-bbbb-cccc",
                "modified": "2024-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": "npm", "name": "left-pad"},
                        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
                    }
                ],
            }
        )
    )
    db = tmp_path / "vulns.sqlite"
    assert run_guarded("db", "import", str(osv), "--db", str(db), limit=120).exit_code == 0
    bad = tmp_path / "bad.cdx.json"
    bad.write_text(json.dumps(_with(CDX, ("components",), "x")))
    nopurl = tmp_path / "nopurl.cdx.json"
    nopurl.write_text(json.dumps(_with(CDX, ("components",), [{"type": "library", "name": "a"}])))
    good = tmp_path / "good.cdx.json"
    good.write_text(json.dumps(CDX))
    vex = tmp_path / "vex.json"
    vex.write_text(json.dumps(_with(OPENVEX, ("statements", 0, "status"), "bogus")))
    report = tmp_path / "report.json"
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, named in [
        (("sbom", "check", str(bad)), bad),
        (("vulns", str(bad), "--db", str(db), "-o", str(report)), bad),
        (("vulns", str(nopurl), "--db", str(db), "-o", str(report)), nopurl),
        (("vulns", str(good), "--db", str(db), "--vex", str(vex), "-o", str(report)), vex),
        (("db", "import", str(empty), "--db", str(db)), empty),
    ]:
        outcome = run_guarded(*args, limit=120)
        assert outcome.exit_code == 2, (args, outcome.text)
        assert "Traceback" not in outcome.text
        assert str(named) in outcome.stderr, outcome.stderr
        assert not report.exists()
    assert run_guarded(
        "vulns", str(good), "--db", str(db), "-o", str(report), limit=120
    ).exit_code in (
        0,
        1,
    )
    assert report.exists()


# ------------------------------------------------------------------------ KEV and EUVD


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"vulnerabilities": [{"cveID": "CVE-2024-1", "dateAdded": 20240101}]},
            r"vulnerabilities\[0\]\.dateAdded is a number, expected text",
        ),
        ({"vulnerabilities": [{"cveID": "CVE-2024-1", "product": ["x"]}]}, r"product is a list"),
        ({"catalogVersion": 2025.1, "vulnerabilities": []}, "catalogVersion is a number"),
        ({"catalogVersion": "2025.08.25", "vulnerabilities": []}, "KEV catalog without entries"),
    ],
)
def test_kev_shapes_and_empty_catalog(tmp_path: Path, doc: dict[str, Any], message: str) -> None:
    from steward.store.vulndb import VulnDB
    from steward.vuln.feeds import import_kev

    path = tmp_path / "kev.json"
    path.write_text(json.dumps(doc))
    with VulnDB(tmp_path / "db.sqlite") as db, pytest.raises(InputError, match=message):
        import_kev(db, path)
