"""Reading CycloneDX/SPDX in every encoding, and the TR-03183-2 / NTIA quality check."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_file

from steward.errors import InputError, UnsafeInputError
from steward.sbom import write_cyclonedx, write_spdx, write_spdx3
from steward.sbom.assemble import sbom_for_tree
from steward.sbom.model import Sbom, SbomMetadata
from steward.sbom.quality import Standard, check
from steward.sbom.read import SbomDocument, read_sbom, to_components


@pytest.fixture(scope="module")
def sbom(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Sbom:
    root = tmp_path_factory.mktemp("project")
    lockfiles = shared_data / "lockfiles"
    shutil.copyfile(
        lockfiles / "javascript-packagelockjson/nested-dependencies-dup.v2.json",
        root / "package-lock.json",
    )
    (root / "rust").mkdir()
    shutil.copyfile(lockfiles / "rust-cargolock/many-packages.lock", root / "rust/Cargo.lock")
    meta = SbomMetadata(
        timestamp=datetime(2026, 11, 1, tzinfo=UTC),
        tool_version="test",
        creator_email="psirt@example.org",
        creator_name="Example",
    )
    return sbom_for_tree(root, name="demo", version="2.0", metadata=meta)[0][1]


def _written(sbom: Sbom, tmp_path: Path) -> dict[str, Path]:
    paths = {
        "cdx-json": tmp_path / "bom.cdx.json",
        "cdx-xml": tmp_path / "bom.cdx.xml",
        "spdx-json": tmp_path / "bom.spdx.json",
    }
    paths["cdx-json"].write_bytes(write_cyclonedx.to_json(sbom))
    paths["cdx-xml"].write_bytes(write_cyclonedx.to_xml(sbom))
    paths["spdx-json"].write_bytes(write_spdx.to_json(sbom))
    paths["spdx3"] = tmp_path / "bom.spdx3.json"
    paths["spdx3"].write_bytes(write_spdx3.to_json(sbom))
    # tag-value written by spdx-tools itself from our JSON: a document we did not serialise
    paths["spdx-tv"] = tmp_path / "bom.spdx"
    write_document_to_file(parse_file(str(paths["spdx-json"])), str(paths["spdx-tv"]))
    return paths


def _edges(doc: SbomDocument) -> set[tuple[str, str]]:
    names = {c.ref: c.purl or c.name for c in doc.components}
    if doc.root is not None:
        names[doc.root.ref] = "ROOT"
    return {(names.get(s, s), names.get(t, t)) for s, ts in doc.dependencies.items() for t in ts}


def test_every_encoding_reads_the_same(sbom: Sbom, tmp_path: Path) -> None:
    docs = {kind: read_sbom(path) for kind, path in _written(sbom, tmp_path).items()}
    purls = {c.purl for c in sbom.components}
    for kind, doc in docs.items():
        assert {c.purl for c in doc.components} == purls, kind
        assert doc.root is not None and doc.root.name == "demo", kind
        assert doc.timestamp and doc.timestamp.startswith("2026-11-01"), kind
        assert "psirt@example.org" in doc.creator_contacts, kind
    assert docs["cdx-json"].standard == "CycloneDX" and docs["cdx-xml"].encoding == "xml"
    assert docs["spdx-tv"].standard == "SPDX" and docs["spdx-tv"].encoding == "tag-value"
    assert docs["spdx3"].spec_version == "3.0.1" and docs["spdx3"].encoding == "json-ld"
    assert _edges(docs["spdx3"]) == _edges(docs["cdx-json"])
    assert _edges(docs["cdx-json"]) == _edges(docs["cdx-xml"])
    # SPDX keeps the same graph (dev edges from the root are reversed DEV_DEPENDENCY_OF)
    assert _edges(docs["spdx-json"]) == _edges(docs["spdx-tv"])
    assert {e for e in _edges(docs["cdx-json"]) if e[0] != "ROOT"} == {
        e for e in _edges(docs["spdx-json"]) if e[0] != "ROOT"
    }
    npm = [c for c in to_components(docs["cdx-xml"]) if c.ecosystem == "npm"]
    assert npm and all(c.version for c in npm)


def test_quality_of_our_cyclonedx(sbom: Sbom, tmp_path: Path) -> None:
    report = check(read_sbom(_written(sbom, tmp_path)["cdx-json"]), list(Standard))
    tr = {f.field.id: f for f in report.results[0].fields}
    for field_id in ("format", "sbom-creator", "timestamp", "sbom-uri", "component-name"):
        assert tr[field_id].coverage == 1.0, field_id
    for field_id in ("executable", "archive", "structured"):
        assert tr[field_id].present == tr[field_id].total - 1, field_id  # all but the primary
    # the (trimmed) package-lock's root depends on nothing: its packages are orphans, which
    # are not in the dependency graph whatever the format says about them
    orphans = {m for m in tr["dependencies"].missing if m.startswith("pkg:npm/")}
    assert orphans == {"pkg:npm/supports-color@2.0.0", "pkg:npm/supports-color@6.1.0"}
    assert not any(m.startswith("pkg:cargo/") for m in tr["dependencies"].missing)
    # lockfiles do not name a package's creator; a registry page is not one: a reported gap
    assert tr["component-creator"].coverage == 0.0
    # npm integrity is mostly SHA-512 (old packages: SHA-1), Cargo.lock has SHA-256 only
    sha512 = {c.purl for c in sbom.components if any(h.algorithm == "SHA-512" for h in c.hashes)}
    assert sha512 and tr["hash"].present == len(sha512)
    assert "pkg:npm/supports-color@2.0.0" in tr["hash"].missing  # sha1-only integrity
    assert any(m.startswith("pkg:cargo/") for m in tr["hash"].missing)
    ntia = {f.field.id: f for f in report.results[1].fields}
    assert ntia["author"].coverage == 1.0 and ntia["supplier"].coverage == 0.0
    assert report.checked == len(sbom.components) + 1  # the primary component counts
    assert 0 < report.score < 100


def test_quality_of_our_spdx3(sbom: Sbom, tmp_path: Path) -> None:
    paths = _written(sbom, tmp_path)
    spdx3 = check(read_sbom(paths["spdx3"]), [Standard.TR_03183_2]).results[0]
    cdx = check(read_sbom(paths["cdx-json"]), [Standard.TR_03183_2]).results[0]

    def others(fields: list) -> dict[str, list[str]]:  # the primary's purposes differ
        return {f.field.id: [m for m in f.missing if "(primary)" not in m] for f in fields}

    ours = {f.field.id: f.coverage for f in spdx3.fields}
    ours_missing, theirs_missing = others(spdx3.fields), others(cdx.fields)
    assert ours["format"] == 1.0 and ours["structured"] == 0.0
    for field_id in (
        "sbom-creator",
        "timestamp",
        "component-creator",
        "filename",
        "hash",
        "dependencies",
        "executable",
        "archive",
        "distribution-licences",
    ):
        assert ours_missing[field_id] == theirs_missing[field_id], field_id


def test_spdx_2_fails_the_format_field(sbom: Sbom, tmp_path: Path) -> None:
    report = check(read_sbom(_written(sbom, tmp_path)["spdx-json"]), [Standard.TR_03183_2])
    fields = {f.field.id: f for f in report.results[0].fields}
    assert fields["format"].coverage == 0.0  # TR-03183-2 v2 wants SPDX >= 3.0.1
    assert fields["executable"].coverage == 0.0  # not expressible in SPDX 2.3


OLD_CDX = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.4",
    "version": 1,
    "metadata": {"tools": [{"vendor": "x", "name": "old-tool", "version": "1"}]},
    "components": [
        {
            "type": "library",
            "bom-ref": "a",
            "name": "left-pad",
            "version": "1.3.0",
            "author": "Jane Doe <jane@example.org>",
            "licenses": [{"license": {"id": "WTFPL"}}],
            "components": [{"type": "library", "name": "nested", "bom-ref": "n"}],
        },
        {"type": "library", "bom-ref": "b", "name": "no-version"},
    ],
    "dependencies": [{"ref": "a", "dependsOn": ["n"]}],
}


def test_quality_of_a_poor_old_sbom(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(OLD_CDX))
    doc = read_sbom(path)
    assert [c.name for c in doc.components] == ["left-pad", "nested", "no-version"]
    assert doc.tools == ["old-tool 1"] and doc.authors == []
    report = check(doc, list(Standard))
    tr = {f.field.id: f for f in report.results[0].fields}
    assert tr["format"].coverage == 0 and tr["timestamp"].coverage == 0
    assert tr["component-version"].missing == ["nested", "no-version"]
    # no primary component: nothing is reachable from it, so nothing is in the graph
    assert tr["primary-component"].coverage == 0
    assert tr["dependencies"].missing == ["left-pad@1.3.0", "nested", "no-version"]
    assert tr["component-creator"].present == 1  # the e-mail inside the author string
    assert tr["distribution-licences"].present == 0  # no acknowledgement: not "declared"
    ntia = {f.field.id: f for f in report.results[1].fields}
    assert ntia["supplier"].present == 1  # the author's name
    assert report.score < 50


@pytest.mark.parametrize(
    ("content", "message", "error"),
    [
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [',
            "invalid JSON",
            InputError,
        ),
        (b'{"hello": "world"}', "not an SBOM", InputError),
        (b"[1, 2]", "not an object", InputError),
        (b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}', "SPDX 3", InputError),
        (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.6">&b;</bom>',
            "unsafe XML",
            UnsafeInputError,
        ),
        (b"<html><body>hi</body></html>", "not a CycloneDX XML", InputError),
        (
            b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nPackageName: x\n",
            "SPDX tag-value",
            InputError,
        ),
        (b"\x00\x01binary", "not an SBOM", InputError),
    ],
)
def test_bad_sboms_are_one_line_errors(
    tmp_path: Path, content: bytes, message: str, error: type[Exception]
) -> None:
    path = tmp_path / "input.sbom"
    path.write_bytes(content)
    with pytest.raises(error) as info:
        read_sbom(path)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)
