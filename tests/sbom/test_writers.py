"""CycloneDX 1.6/1.7 (JSON, XML) and SPDX 2.3 output: valid per the official schemas,
deterministic, and claiming no more about the dependency graph than the lockfiles prove.

Input: for every ecosystem in ../shared/data/lockfiles the fixture with the most packages,
copied into one tree under its canonical file name (a monorepo with 21 lockfile formats).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from cyclonedx.validation.xml import XmlValidator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from steward.sbom import write_cyclonedx, write_spdx, write_spdx3
from steward.sbom.assemble import sbom_for_tree
from steward.sbom.model import Sbom, SbomMetadata


def _largest_fixtures(shared_data: Path) -> dict[str, dict]:
    expected = json.loads((shared_data / "lockfiles" / "expected.json").read_text())
    best: dict[str, tuple[int, str]] = {}
    for fixture, spec in expected.items():
        if spec.get("expect_error"):
            continue
        directory = fixture.split("/")[0]
        count = len(spec["packages"])
        if count > best.get(directory, (0, ""))[0]:
            best[directory] = (count, fixture)
    return {d: expected[f] | {"fixture": f} for d, (_n, f) in best.items()}


@pytest.fixture(scope="module")
def monorepo(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("monorepo")
    for directory, spec in _largest_fixtures(shared_data).items():
        target = root / directory / spec["canonical_filename"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_data / "lockfiles" / spec["fixture"], target)
    return root


def _build(root: Path, **kw: object) -> Sbom:
    meta = SbomMetadata(
        timestamp=__import__("datetime").datetime(2026, 11, 1, tzinfo=__import__("datetime").UTC),
        tool_version="test",
        creator_email="security@example.org",
        creator_name="Example Steward",
    )
    [(_, sbom)] = sbom_for_tree(root, name="monorepo", version="1.0.0", metadata=meta, **kw)
    return sbom


def test_monorepo_reads_every_format(monorepo: Path, shared_data: Path) -> None:
    sbom = _build(monorepo)
    # per_req_options.txt holds deliberately malformed lines: reported, the rest still read
    assert all(d.path.endswith("requirements.txt") for d in sbom.diagnostics), sbom.diagnostics
    assert len(sbom.metadata.sources) == len(_largest_fixtures(shared_data))
    ecosystems = {c.ecosystem for c in sbom.components}
    assert {"PyPI", "npm", "crates.io", "Go", "Maven", "RubyGems", "NuGet", "Hex"} <= ecosystems
    assert sbom.root.dependencies, "the project must depend on the direct dependencies"


@pytest.mark.parametrize(
    ("spec", "schema"), [("1.6", SchemaVersion.V1_6), ("1.7", SchemaVersion.V1_7)]
)
def test_cyclonedx_json_validates(monorepo: Path, spec: str, schema: SchemaVersion) -> None:
    data = write_cyclonedx.to_json(_build(monorepo), spec)
    error = JsonStrictValidator(schema).validate_str(data.decode())
    assert error is None, error
    doc = json.loads(data)
    assert doc["specVersion"] == spec and doc["$schema"].endswith(f"bom-{spec}.schema.json")
    refs = {c["bom-ref"] for c in doc["components"]} | {doc["metadata"]["component"]["bom-ref"]}
    for dep in doc["dependencies"]:
        assert dep["ref"] in refs and set(dep.get("dependsOn", [])) <= refs
    # the npm fixture's integrity values are SHA-512: they must reach the SBOM as hex
    sha512 = [h for c in doc["components"] for h in c.get("hashes", []) if h["alg"] == "SHA-512"]
    assert sha512 and all(len(h["content"]) == 128 for h in sha512)


@pytest.mark.parametrize(
    ("spec", "schema"), [("1.6", SchemaVersion.V1_6), ("1.7", SchemaVersion.V1_7)]
)
def test_cyclonedx_xml_validates(monorepo: Path, spec: str, schema: SchemaVersion) -> None:
    data = write_cyclonedx.to_xml(_build(monorepo), spec)
    error = XmlValidator(schema).validate_str(data.decode())
    assert error is None, error
    assert f'xmlns="http://cyclonedx.org/schema/bom/{spec}"'.encode() in data


def test_spdx_json_validates(monorepo: Path, tmp_path: Path) -> None:
    path = tmp_path / "sbom.spdx.json"
    path.write_bytes(write_spdx.to_json(_build(monorepo)))
    messages = validate_full_spdx_document(parse_file(str(path)))
    assert messages == [], [m.validation_message for m in messages[:5]]


def test_output_is_deterministic(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = sbom_for_tree(monorepo)[0][1]
    second = sbom_for_tree(monorepo)[0][1]
    for writer in (write_cyclonedx.to_json, write_cyclonedx.to_xml, write_spdx.to_json):
        assert writer(first) == writer(second)
    doc = json.loads(write_cyclonedx.to_json(first))
    assert doc["metadata"]["timestamp"] == "2026-01-01T00:00:00Z"


def test_exclude_dev_and_split(monorepo: Path) -> None:
    everything = _build(monorepo)
    runtime = _build(monorepo, exclude_dev=True)
    assert len(runtime.components) < len(everything.components)
    assert all(c.scope != "dev" for c in runtime.components)
    parts = sbom_for_tree(monorepo, split=True)
    assert len(parts) == len({Path(s).parent for s in everything.metadata.sources})
    assert sum(len(s.components) for _, s in parts) >= len(everything.components)


def test_spdx3_validates_with_the_spdx_bindings(monorepo: Path) -> None:
    """Read back by the SPDX project's generated 3.0.1 bindings: every property name, type
    and enumeration value is checked, required properties on re-serialisation, and every
    reference must resolve."""
    import io

    from spdx_python_model import v3_0_1 as spdx3

    from steward.sbom import write_spdx3

    sbom = _build(monorepo)
    data = json.loads(write_spdx3.to_json(sbom))
    objects = spdx3.SHACLObjectSet()
    spdx3.JSONLDDeserializer().deserialize_data(data, objects)
    assert objects.link() == set()
    spdx3.JSONLDSerializer().write(objects, io.BytesIO())
    packages = list(objects.foreach_type(spdx3.software_Package))
    assert len(packages) == len(sbom.components) + 1
    assert write_spdx3.to_json(sbom) == write_spdx3.to_json(sbom)


HONEST_CLAIMS_PACKAGE_LOCK = {
    "name": "demo",
    "version": "4.2.0",
    "lockfileVersion": 3,
    "packages": {
        "": {
            "name": "demo",
            "version": "4.2.0",
            "dependencies": {"leaf-lib": "^1", "gap-lib": "^1"},
        },
        "node_modules/leaf-lib": {"version": "1.0.0"},
        "node_modules/gap-lib": {"version": "1.0.0", "dependencies": {"never-locked": "^2"}},
    },
}


def _claims(tmp_path: Path) -> Sbom:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package-lock.json").write_text(json.dumps(HONEST_CLAIMS_PACKAGE_LOCK))
    (tmp_path / "py").mkdir()
    (tmp_path / "py" / "requirements.txt").write_text("unpinned-lib>=2.20\npinned-lib==1.0\n")
    return _build(tmp_path)


def test_dependency_claims_are_honest(tmp_path: Path) -> None:
    """dependsOn: [] only where the lockfile proves it; otherwise omitted, and the
    composition says incomplete (some edges found) or unknown (no graph recorded)."""
    sbom = _claims(tmp_path)
    doc = json.loads(write_cyclonedx.to_json(sbom))
    by_name = {c["name"]: c["bom-ref"] for c in doc["components"]}
    deps = {d["ref"]: d for d in doc["dependencies"]}
    assert deps[by_name["leaf-lib"]]["dependsOn"] == []  # the lockfile records no dependencies
    assert "dependsOn" not in deps[by_name["pinned-lib"]]  # requirements.txt has no graph
    aggregates = {c["aggregate"]: c for c in doc["compositions"] if "dependencies" in c}
    assert by_name["leaf-lib"] in aggregates["complete"]["dependencies"]
    assert by_name["gap-lib"] not in aggregates["complete"]["dependencies"]
    assert by_name["pinned-lib"] in aggregates["unknown"]["dependencies"]
    inventory = next(c for c in doc["compositions"] if "assemblies" in c)
    assert inventory["aggregate"] == "incomplete"  # requirements.txt lists no transitives
    # the range is not written as a version
    unpinned = next(c for c in doc["components"] if c["name"] == "unpinned-lib")
    assert "version" not in unpinned and unpinned["purl"] == "pkg:pypi/unpinned-lib"
    props = {p["name"]: p["value"] for p in unpinned["properties"]}
    assert props["steward:unresolved-version-range"] == ">=2.20"
    # no registry page as the creator
    assert all("manufacturer" not in c for c in doc["components"])
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc))
    assert error is None, error


def test_spdx_dependency_claims_are_honest(tmp_path: Path) -> None:
    sbom = _claims(tmp_path)
    doc = write_spdx.to_dict(sbom)
    names = {p["SPDXID"]: p["name"] for p in doc["packages"]}
    leaves = {
        names[r["spdxElementId"]]: r["relatedSpdxElement"]
        for r in doc["relationships"]
        if r["relatedSpdxElement"] in ("NONE", "NOASSERTION")
    }
    assert leaves["leaf-lib"] == "NONE" and leaves["pinned-lib"] == "NOASSERTION"
    assert leaves["gap-lib"] == "NOASSERTION"  # its only dependency is not locked
    spdx3 = json.loads(write_spdx3.to_json(sbom))["@graph"]
    packages = {e["spdxId"]: e["name"] for e in spdx3 if e["type"] == "software_Package"}
    completeness = {
        packages[e["from"]]: (e["completeness"], e["to"])
        for e in spdx3
        if e["type"] == "Relationship" and e["relationshipType"] == "dependsOn"
    }
    assert completeness["leaf-lib"] == ("complete", ["NoneElement"])
    assert completeness["pinned-lib"] == ("noAssertion", ["NoAssertionElement"])
    assert completeness["gap-lib"][0] == "noAssertion"  # its only dependency is not locked


def test_root_version_from_the_manifest_not_a_commit(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "package-lock.json").write_text(json.dumps(HONEST_CLAIMS_PACKAGE_LOCK))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(tmp_path),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        check=True,
    )
    [(_, sbom)] = sbom_for_tree(tmp_path)
    assert (sbom.root.name, sbom.root.version) == ("demo", "4.2.0")  # from the lockfile root
    (tmp_path / "package-lock.json").unlink()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "tool"\nversion = "0.9.1"\n')
    (tmp_path / "requirements.txt").write_text("pinned-lib==1.0\n")
    [(_, sbom)] = sbom_for_tree(tmp_path)
    assert (sbom.root.name, sbom.root.version) == ("tool", "0.9.1")  # from Cargo.toml
    (tmp_path / "Cargo.toml").unlink()
    [(_, sbom)] = sbom_for_tree(tmp_path)
    assert sbom.root.version == ""  # no manifest, no tag on HEAD: no version, not a hash
    doc = json.loads(write_cyclonedx.to_json(sbom))
    assert "version" not in doc["metadata"]["component"]


def test_cyclonedx_1_7_is_read_everywhere_sboms_are_read(monorepo: Path, tmp_path: Path) -> None:
    from steward.sbom.read import read_sbom, to_components

    sbom = _build(monorepo)
    for writer, name in (
        (write_cyclonedx.to_json, "bom.json"),
        (write_cyclonedx.to_xml, "bom.xml"),
    ):
        path = tmp_path / name
        path.write_bytes(writer(sbom, "1.7"))
        doc = read_sbom(path)
        assert (doc.standard, doc.spec_version) == ("CycloneDX", "1.7")
        assert len(to_components(doc)) == sum(1 for c in sbom.components if c.purl)
        assert doc.root is not None and doc.lifecycles == ["pre-build"]


def test_deployable_filename_in_every_format(tmp_path: Path) -> None:
    """The deployable file's name (TR-03183-2 v2.1 ``filename``) is written by each writer that
    has a field for it, CycloneDX ``bsi:component:filename``, SPDX 2.3 ``packageFileName``, SPDX
    3 the distribution File, and ``sbom check`` reads it back from each."""
    from steward.sbom.quality import Standard, check
    from steward.sbom.read import read_sbom

    (tmp_path / "package-lock.json").write_text(json.dumps(HONEST_CLAIMS_PACKAGE_LOCK))
    sbom = _build(tmp_path)
    spdx2 = write_spdx.to_dict(sbom)
    leaf = next(p for p in spdx2["packages"] if p["name"] == "leaf-lib")
    assert leaf["packageFileName"] == "leaf-lib-1.0.0.tgz"
    (tmp_path / "bom.spdx.json").write_bytes(write_spdx.to_json(sbom))
    document = parse_file(str(tmp_path / "bom.spdx.json"))
    assert validate_full_spdx_document(document, "SPDX-2.3") == []
    counts = {}
    for name, data in (
        ("bom.cdx.json", write_cyclonedx.to_json(sbom)),
        ("bom.spdx.json", write_spdx.to_json(sbom)),
        ("bom.spdx3.json", write_spdx3.to_json(sbom)),
    ):
        (tmp_path / name).write_bytes(data)
        report = check(read_sbom(tmp_path / name), [Standard.TR_03183_2])
        [tr] = report.results
        item = next(f for f in tr.fields if f.field.id == "filename")
        counts[name] = (item.present, item.total)
    assert len(set(counts.values())) == 1, counts
    assert counts["bom.cdx.json"][0] > 0


LOCAL_PACKAGES_PACKAGE_LOCK = {
    "name": "svc",
    "version": "1.2.0",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "svc", "version": "1.2.0", "workspaces": ["packages/*"]},
        "node_modules/@app/util": {"resolved": "packages/util", "link": True},
        "packages/util": {"name": "@app/util", "version": "0.1.0"},
        "node_modules/leaf-lib": {
            "version": "1.0.0",
            "resolved": "https://registry.npmjs.org/leaf-lib/-/leaf-lib-1.0.0.tgz",
        },
    },
}


def test_local_packages_name_no_registry_file(tmp_path: Path) -> None:
    """A workspace member or path dependency is built from the project's tree: no registry
    file name (``util-0.1.0.tgz``, ``tool-core-0.9.1.crate`` exist nowhere) and no archive,
    in every format."""
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package-lock.json").write_text(json.dumps(LOCAL_PACKAGES_PACKAGE_LOCK))
    (tmp_path / "rs").mkdir()
    (tmp_path / "rs" / "Cargo.lock").write_text(
        'version = 4\n\n[[package]]\nname = "tool-core"\nversion = "0.9.1"\n'
    )
    sbom = _build(tmp_path)
    doc = json.loads(write_cyclonedx.to_json(sbom))
    props = {
        c["purl"].split("/")[-1].split("@")[0]: {p["name"]: p["value"] for p in c["properties"]}
        for c in doc["components"]
    }
    for local in ("util", "tool-core"):
        assert "bsi:component:filename" not in props[local], props[local]
        assert props[local]["bsi:component:archive"] == "false"
    assert props["leaf-lib"]["bsi:component:filename"] == "leaf-lib-1.0.0.tgz"
    spdx2 = {p["name"]: p for p in write_spdx.to_dict(sbom)["packages"]}
    assert "packageFileName" not in spdx2["@app/util"]
    assert spdx2["leaf-lib"]["packageFileName"] == "leaf-lib-1.0.0.tgz"
    spdx3 = json.loads(write_spdx3.to_json(sbom))["@graph"]
    util = next(e for e in spdx3 if e.get("name") == "@app/util")
    assert "archive" not in util.get("software_additionalPurpose", [])
    assert not any(e.get("name") == "util-0.1.0.tgz" for e in spdx3)


def test_source_code_uri_in_cyclonedx_and_spdx3(tmp_path: Path) -> None:
    """A package's source repository (composer ``source.url``) is TR-03183-2's source code
    URI: CycloneDX externalReferences vcs, SPDX 3 an ExternalRef vcs; the same lockfile
    scored it 1/2 in CycloneDX and 0/2 in SPDX 3."""
    from steward.sbom.quality import Standard, check
    from steward.sbom.read import read_sbom

    lock = {
        "packages": [
            {
                "name": "acme/http-kit",
                "version": "7.8.1",
                "source": {
                    "type": "git",
                    "url": "https://github.com/acme/http-kit.git",
                    "reference": "41042bc7ab002487b876a0683fc8dce04ddce104",
                },
                "dist": {
                    "type": "zip",
                    "url": "https://example.org/dist/http-kit-7.8.1.zip",
                    "shasum": "",
                },
            }
        ],
        "packages-dev": [],
    }
    (tmp_path / "composer.lock").write_text(json.dumps(lock))
    sbom = _build(tmp_path)
    counts = {}
    for name, data in (
        ("bom.cdx.json", write_cyclonedx.to_json(sbom)),
        ("bom.spdx3.json", write_spdx3.to_json(sbom)),
    ):
        (tmp_path / name).write_bytes(data)
        [tr] = check(read_sbom(tmp_path / name), [Standard.TR_03183_2]).results
        item = next(f for f in tr.fields if f.field.id == "source-uri")
        counts[name] = (item.present, item.total)
    assert counts["bom.cdx.json"] == counts["bom.spdx3.json"] == (1, 2), counts
    from steward.sbom.validate import validate

    path = tmp_path / "bom.spdx3.json"  # the SPDX 3 output stays valid
    assert validate(path, read_sbom(path)).valid is True
