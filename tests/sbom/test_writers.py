"""CycloneDX 1.6 (JSON, XML) and SPDX 2.3 output: valid per the official schemas, deterministic.

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

from steward.sbom import write_cyclonedx, write_spdx
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


def test_cyclonedx_json_validates(monorepo: Path) -> None:
    data = write_cyclonedx.to_json(_build(monorepo))
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(data.decode())
    assert error is None, error
    doc = json.loads(data)
    refs = {c["bom-ref"] for c in doc["components"]} | {doc["metadata"]["component"]["bom-ref"]}
    for dep in doc["dependencies"]:
        assert dep["ref"] in refs and set(dep["dependsOn"]) <= refs
    # the npm fixture's integrity values are SHA-512: they must reach the SBOM as hex
    sha512 = [h for c in doc["components"] for h in c.get("hashes", []) if h["alg"] == "SHA-512"]
    assert sha512 and all(len(h["content"]) == 128 for h in sha512)


def test_cyclonedx_xml_validates(monorepo: Path) -> None:
    data = write_cyclonedx.to_xml(_build(monorepo))
    error = XmlValidator(SchemaVersion.V1_6).validate_str(data.decode())
    assert error is None, error


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
