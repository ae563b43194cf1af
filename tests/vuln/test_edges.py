"""Matching edges: Go toolchain pre-releases and assumed stdlib versions, unrated findings and
``--fail-on``, npm name case, garbage versions, and components that could not be checked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from steward.sbom.assemble import sbom_for_tree
from steward.sbom.component import Component
from steward.sbom.read import read_sbom
from steward.store.vulndb import VulnDB
from steward.vuln.inputs import from_sbom
from steward.vuln.matcher import match
from steward.vuln.osv_import import import_osv
from tests.vuln.reference import affected

# ------------------------------------------------------------------------ Go toolchains


@pytest.fixture(scope="module")
def stdlib_records(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Go vulnerability database's standard-library records."""
    folder = tmp_path_factory.mktemp("stdlib")
    with zipfile.ZipFile(shared_data / "osv" / "Go" / "all.zip") as archive:
        for info in archive.infolist():
            record = json.loads(archive.read(info))
            if any(a["package"]["name"] == "stdlib" for a in record.get("affected") or []):
                (folder / info.filename).write_bytes(archive.read(info))
    return folder


@pytest.fixture(scope="module")
def go_db(stdlib_records: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("godb") / "db.sqlite"
    with VulnDB(path) as db:
        import_osv(db, [stdlib_records])
    return path


def _expected_stdlib(records: Path, version: str) -> set[str]:
    """Advisories whose stdlib entry affects ``version``, by the independent evaluator."""
    out = set()
    for path in sorted(records.glob("*.json")):
        record = json.loads(path.read_text())
        for entry in record["affected"]:
            if entry["package"]["name"] == "stdlib" and affected(entry, version):
                out.add(record["id"])
    return out


def _stdlib_ids(db_path: Path, tree: Path) -> tuple[str, set[str]]:
    components = [c for _d, s in sbom_for_tree(tree) for c in s.components]
    stdlib = next(c for c in components if c.name == "stdlib")
    with VulnDB(db_path) as db:
        result = match(db, [stdlib])
    return stdlib.version, {a for f in result.findings for a in f.advisories}


def test_go_pre_release_toolchain_keeps_its_pre_release(
    go_db: Path, stdlib_records: Path, tmp_path: Path
) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/app\n\ngo 1.24rc1\n\ntoolchain go1.24rc2\n"
    )
    version, found = _stdlib_ids(go_db, tmp_path)
    assert version == "1.24.0-rc.2"
    expected = _expected_stdlib(stdlib_records, "1.24.0-rc.2")
    assert "GO-2025-3447" in expected and found == expected
    # what reading it as the release would have said: GO-2025-3447 missing, others wrong
    release = _expected_stdlib(stdlib_records, "1.24.0")
    assert "GO-2025-3447" not in release and release - expected
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.24rc1\n")
    version, found = _stdlib_ids(go_db, tmp_path)
    assert version == "1.24.0-rc.1" and found == _expected_stdlib(stdlib_records, "1.24.0-rc.1")


def test_stdlib_version_from_the_go_directive_is_marked_assumed(
    cli: Any, go_db: Path, tmp_path: Path
) -> None:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22.1\n")
    data = json.loads(cli("vulns", str(tmp_path), "--db", str(go_db), "-f", "json").stdout)
    assert data["findings"]
    assert all("go directive" in f["package"]["version_assumed"] for f in data["findings"])
    table = cli("vulns", str(tmp_path), "--db", str(go_db)).stdout
    assert "1.22.1 (assumed)" in table
    strict = cli(
        "vulns", str(tmp_path), "--db", str(go_db), "--no-go-directive-as-toolchain", "-f", "json"
    )
    data = json.loads(strict.stdout)
    assert data["findings"] == []
    assert [r["name"] for r in data["not_checked"]] == ["stdlib"]
    assert "minimum language version" in data["not_checked"][0]["reason"]
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22.1\n\ntoolchain go1.22.3\n")
    data = json.loads(cli("vulns", str(tmp_path), "--db", str(go_db), "-f", "json").stdout)
    assert data["findings"] and not any("version_assumed" in f["package"] for f in data["findings"])


# ------------------------------------------------------------- unrated findings, --fail-on


def test_go_findings_without_severity_fail_low_unless_told(
    cli: Any, go_db: Path, tmp_path: Path
) -> None:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.21.0\n\ntoolchain go1.21.0\n")
    done = cli("vulns", str(tmp_path), "--db", str(go_db), "-f", "json", "--fail-on", "low")
    data = json.loads(done.stdout)
    unrated = [f for f in data["findings"] if f["severity"]["rating"] == "unknown"]
    assert len(unrated) > 40 and len(unrated) == len(data["findings"])  # Go gives no CVSS
    assert (
        data["summary"]["unrated"] == len(unrated) and data["summary"]["unknown_as"] == "critical"
    )
    assert done.exit_code == 1
    args = ("vulns", str(tmp_path), "--db", str(go_db), "--fail-on")
    assert cli(*args, "critical").exit_code == 1
    assert cli(*args, "low", "--unknown-as", "none").exit_code == 0
    assert cli(*args, "medium", "--unknown-as", "medium").exit_code == 1
    assert cli(*args, "high", "--unknown-as", "medium").exit_code == 0
    table = cli("vulns", str(tmp_path), "--db", str(go_db)).stdout.replace("\n", " ")
    assert f"{len(unrated)} without a severity, counted as critical" in table
    bad = cli(*args, "low", "--unknown-as", "severe")
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr


# ----------------------------------------------------------------------------- npm case


@pytest.fixture
def npm_db(tmp_path: Path) -> Path:
    record = {
        "id": "GHSA-0000-json-case",
        "modified": "2026-01-01T00:00:00Z",
        "aliases": ["CVE-2026-0100"],
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "JSONStream"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.2"}]}],
            }
        ],
    }
    (tmp_path / "adv.json").write_text(json.dumps(record))
    path = tmp_path / "npm.sqlite"
    with VulnDB(path) as db:
        import_osv(db, [tmp_path / "adv.json"])
    return path


def _cdx(path: Path, components: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps(
            {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": components}
        )
    )
    return path


def test_npm_name_spelling_comes_from_the_component(npm_db: Path, tmp_path: Path) -> None:
    bom = _cdx(
        tmp_path / "bom.json",
        [
            {"type": "library", "name": "JSONStream", "version": "1.3.1",
             "purl": "pkg:npm/jsonstream@1.3.1"},
            {"type": "library", "name": "jsonstream", "version": "1.3.1",
             "purl": "pkg:npm/jsonstream@1.3.1", "bom-ref": "other"},
        ],
    )  # fmt: skip
    scan = from_sbom(read_sbom(bom))
    assert [c.name for c in scan.components] == ["JSONStream", "jsonstream"]
    with VulnDB(npm_db) as db:
        result = match(db, scan.components)
    # the lower-case package is a different npm package: no finding for it
    assert [(f.component.name, f.id) for f in result.findings] == [("JSONStream", "CVE-2026-0100")]


def test_npm_case_survives_our_own_sbom(cli: Any, npm_db: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "package-lock.json").write_text(
        json.dumps(
            {
                "name": "app",
                "version": "1.0.0",
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": "app", "version": "1.0.0"},
                    "node_modules/JSONStream": {"version": "1.3.1"},
                },
            }
        )
    )
    for fmt in ("cyclonedx-json", "spdx-json"):
        bom = tmp_path / f"bom-{fmt}.json"
        assert cli("sbom", str(project), "-f", fmt, "-o", str(bom)).exit_code == 0
        data = json.loads(cli("vulns", str(bom), "--db", str(npm_db), "-f", "json").stdout)
        assert [f["id"] for f in data["findings"]] == ["CVE-2026-0100"], fmt


# ------------------------------------------------------------------------ garbage versions


@pytest.fixture
def pypa_db(shared_data: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pypa.sqlite"
    with VulnDB(path) as db:
        import_osv(db, [shared_data / "osv" / "pypa-advisory-database" / "vulns" / "urllib3"])
    return path


def test_a_garbage_pypi_version_is_not_evaluated(pypa_db: Path) -> None:
    garbage = Component(
        "urllib3", "not a version", "PyPI", purl="pkg:pypi/urllib3@not%20a%20version"
    )
    legacy = Component("urllib3", "1.0-beta", "PyPI")  # legacy, still ordered (before 1.0)
    with VulnDB(pypa_db) as db:
        result = match(db, [garbage, legacy])
    assert not [f for f in result.findings if f.component is garbage]
    assert result.not_checked == [(garbage, "'not a version' is not a valid PyPI version")]
    assert [f for f in result.findings if f.component is legacy]


# --------------------------------------------------------- components that were not checked


def test_components_not_checked_are_listed_in_every_format(
    cli: Any, pypa_db: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("urllib3==1.26.5\njinja2<3\n")
    (project / "package-lock.json").write_text(
        json.dumps(
            {"name": "app", "version": "1.0.0", "lockfileVersion": 3,
             "packages": {"": {"name": "app"}, "node_modules/left-pad": {"version": "1.3.0"}}}
        )
    )  # fmt: skip
    reasons = {
        "jinja2": "no pinned version (requirement jinja2<3)",
        "left-pad": "the database holds no npm advisories (steward db update -e npm)",
    }
    run = ("vulns", str(project), "--db", str(pypa_db), "-f")
    data = json.loads(cli(*run, "json").stdout)
    assert {r["name"]: r["reason"] for r in data["not_checked"]} == reasons
    assert data["summary"]["not_checked"] == 2
    assert data["not_checked"][0]["location"] == "requirements.txt:2"
    texts = {fmt: cli(*run, fmt) for fmt in ("table", "markdown", "sarif", "cyclonedx-vex")}
    for fmt, done in texts.items():
        flat = done.stdout.replace("\n", " ")
        for reason in reasons.values():
            assert reason in flat, fmt
    notes = json.loads(texts["sarif"].stdout)["runs"][0]["invocations"][0]
    assert (
        sum("not checked" in n["message"]["text"] for n in notes["toolExecutionNotifications"]) == 2
    )
    openvex = cli(*run, "openvex")
    assert "2 components not checked" in json.loads(openvex.stdout)["tooling"]
    assert "not checked: jinja2: no pinned version" in openvex.stderr
    bom = _cdx(
        tmp_path / "bom.json",
        [
            {"type": "library", "name": "mystery", "version": "1.0"},
            {"type": "library", "name": "thing", "version": "2.0", "purl": "pkg:generic/thing@2.0"},
            {"type": "library", "name": "broken", "purl": "pkg:"},
        ],
    )
    data = json.loads(cli("vulns", str(bom), "--db", str(pypa_db), "-f", "json").stdout)
    assert {r["name"]: r["reason"] for r in data["not_checked"]} == {
        "mystery": "no purl",
        "thing": "unknown ecosystem 'generic'",
        "broken": "invalid purl 'pkg:'",
    }
    assert data["summary"]["components"] == 3


def test_the_scanned_product_is_named_for_case_new(tmp_path: Path) -> None:
    bom = tmp_path / "bom.json"
    bom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "version": 1,
                "metadata": {
                    "component": {
                        "type": "application",
                        "bom-ref": "r",
                        "name": "widget",
                        "purl": "pkg:pypi/widget@2.1",
                    }
                },
                "components": [],
            }
        )
    )
    assert from_sbom(read_sbom(bom)).product == {
        "name": "widget", "version": "2.1", "purl": "pkg:pypi/widget@2.1", "ecosystem": "PyPI"
    }  # fmt: skip
    bom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}))
    assert from_sbom(read_sbom(bom)).product is None
