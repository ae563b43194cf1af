"""`steward db` and `steward vulns` end to end, on real PyPA advisories and a real lockfile."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.sarif_github import assert_uploadable
from tests.vuln.test_matching import EXPLOITED_CVE, kev_feed


@pytest.fixture
def setup(cli, shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    db = tmp_path / "vulns.sqlite"
    kev = kev_feed(tmp_path / "kev.json", [EXPLOITED_CVE])
    result = cli(
        "db",
        "import",
        str(pypa / "werkzeug"),
        str(pypa / "urllib3"),
        "--kev",
        str(kev),
        "--db",
        str(db),
    )
    assert result.exit_code == 0, result.stderr
    assert "added" in result.stderr and "KEV: 1" in result.stderr
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text(
        "werkzeug==2.2.2\n"
        "urllib3==1.26.17  # fixed for most, not for CVE-2023-45803\n"
        "flask==3.0.0\n"
    )
    return db, project


def test_db_status_and_incremental_import(cli, setup: tuple[Path, Path], shared_data: Path) -> None:
    db, _ = setup
    status = json.loads(cli("db", "status", "--db", str(db), "--json").stdout)
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    expected = len(list((pypa / "werkzeug").glob("*.yaml"))) + len(
        list((pypa / "urllib3").glob("*.yaml"))
    )
    assert status["advisories"] == expected
    assert status["feeds"]["kev"]["catalog_version"] == "2026.11.24"
    again = cli("db", "import", str(pypa / "werkzeug"), "--db", str(db))
    assert "0 added, 0 updated" in again.stderr


def test_vulns_table_json_and_gates(cli, setup: tuple[Path, Path]) -> None:
    db, project = setup
    table = cli("vulns", str(project), "--db", str(db))
    assert table.exit_code == 0, table.stderr
    assert EXPLOITED_CVE in table.stdout and "KEV" in table.stdout and "Art.14" in table.stdout
    data = json.loads(cli("vulns", str(project), "--db", str(db), "-f", "json").stdout)
    ids = {(f["package"]["name"], f["id"]) for f in data["findings"]}
    assert ("werkzeug", EXPLOITED_CVE) in ids
    assert ("urllib3", "CVE-2023-45803") in ids
    assert all(f["package"]["location"].startswith("requirements.txt:") for f in data["findings"])
    markdown = cli("vulns", str(project), "--db", str(db), "-f", "markdown").stdout
    assert markdown.startswith("# Known vulnerabilities")
    assert (
        f"| werkzeug | 2.2.2 | {EXPLOITED_CVE}" in markdown and "reportable (Art. 14)" in markdown
    )
    assert cli("vulns", str(project), "--db", str(db), "--fail-on", "high").exit_code == 1
    # findings without a severity count as critical unless --unknown-as says otherwise
    assert cli("vulns", str(project), "--db", str(db), "--fail-on", "critical").exit_code == 1
    lenient = ("--fail-on", "critical", "--unknown-as", "low")
    assert cli("vulns", str(project), "--db", str(db), *lenient).exit_code == 0
    reportable = cli("vulns", str(project), "--db", str(db), "--reportable", "-f", "json")
    assert reportable.exit_code == 1
    assert [f["id"] for f in json.loads(reportable.stdout)["findings"]] == [EXPLOITED_CVE]


def test_vulns_from_an_sbom_with_vex(cli, setup: tuple[Path, Path], tmp_path: Path) -> None:
    db, project = setup
    bom = tmp_path / "bom.cdx.xml"
    assert cli("sbom", str(project), "-f", "cyclonedx-xml", "-o", str(bom)).exit_code == 0
    from_sbom = json.loads(cli("vulns", str(bom), "--db", str(db), "-f", "json").stdout)
    from_tree = json.loads(cli("vulns", str(project), "--db", str(db), "-f", "json").stdout)
    assert {f["id"] for f in from_sbom["findings"]} == {f["id"] for f in from_tree["findings"]}
    openvex = tmp_path / "vex.json"
    openvex.write_text(
        json.dumps(
            {
                "@context": "https://openvex.dev/ns/v0.2.0",
                "@id": "https://example.org/vex/2",
                "author": "PSIRT",
                "timestamp": "2026-11-01T00:00:00Z",
                "version": 1,
                "statements": [
                    {
                        "vulnerability": {"name": EXPLOITED_CVE},
                        "products": [{"@id": "pkg:pypi/werkzeug"}],
                        "status": "not_affected",
                        "justification": "vulnerable_code_not_in_execute_path",
                    }
                ],
            }
        )
    )
    vexed = cli("vulns", str(bom), "--db", str(db), "--vex", str(openvex), "--reportable")
    assert vexed.exit_code == 0 and "1 findings suppressed" in vexed.stderr
    sarif = json.loads(
        cli("vulns", str(project), "--db", str(db), "--vex", str(openvex), "-f", "sarif").stdout
    )
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == [EXPLOITED_CVE]


def test_finding_opens_a_case(cli, setup: tuple[Path, Path], tmp_path: Path) -> None:
    db, project = setup
    findings = tmp_path / "findings.json"
    cli("vulns", str(project), "--db", str(db), "-f", "json", "-o", str(findings))
    store = tmp_path / "cases.sqlite"
    created = cli(
        "case",
        "new",
        "--from-finding",
        str(findings),
        "--finding",
        EXPLOITED_CVE,
        "--product",  # the manufacturer's product that ships the component (issue 15)
        "demo-product",
        "--db",
        f"sqlite:///{store}",
    )
    assert created.exit_code == 0, created.stderr


def test_errors(cli, tmp_path: Path) -> None:
    empty = cli("vulns", str(tmp_path), "--db", str(tmp_path / "empty.sqlite"))
    assert empty.exit_code == 2 and "Traceback" not in empty.stderr
    (tmp_path / "requirements.txt").write_text("requests==2.0.0\n")
    nodata = cli("vulns", str(tmp_path), "--db", str(tmp_path / "empty.sqlite"))
    # an explicit --db that does not exist is named, and reading never creates it
    assert nodata.exit_code == 2 and "empty.sqlite: no such database" in nodata.stderr
    assert not (tmp_path / "empty.sqlite").exists()
    sqlite3.connect(tmp_path / "empty.sqlite").execute("CREATE TABLE t (x)").connection.close()
    nodata = cli("vulns", str(tmp_path), "--db", str(tmp_path / "empty.sqlite"))
    assert nodata.exit_code == 2 and "database is empty" in nodata.stderr
    missing = cli("db", "import", str(tmp_path / "nope.zip"), "--db", str(tmp_path / "x.sqlite"))
    assert missing.exit_code == 2 and "nope.zip" in missing.stderr
    assert cli("db", "import", "--db", str(tmp_path / "x.sqlite")).exit_code == 2
    badvex = tmp_path / "vex.json"
    badvex.write_text('{"hello": 1}')
    assert cli("vulns", str(tmp_path), "--vex", str(badvex)).exit_code == 2


def test_sarif_locations_are_relative_to_the_repository_root(
    cli, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real lockfile (osv-scalibr fixture, nltk 3.2.2) in two service directories of one
    repository, matched against the real PyPA advisories for nltk."""
    db = tmp_path / "vulns.sqlite"
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    assert cli("db", "import", str(pypa / "nltk"), "--db", str(db)).exit_code == 0
    lockfile = (shared_data / "lockfiles" / "python-requirements" / "with_versions.txt").read_text()
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    for service in ("backend", "my service"):
        (repo / service).mkdir()
        (repo / service / "requirements.txt").write_text(lockfile)

    def locations(*args: str) -> set[tuple[str, int | None]]:
        result = cli("vulns", *args, "--db", str(db), "-f", "sarif")
        assert result.exit_code == 0, result.stderr
        log = assert_uploadable(result.stdout, str(tmp_path))
        results = log["runs"][0]["results"]
        assert results and all(r["ruleId"].startswith(("CVE-", "PYSEC-", "GHSA-")) for r in results)
        return {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        }

    monkeypatch.chdir(repo)
    assert locations("backend") == {("backend/requirements.txt", 1)}
    assert locations("my service") == {("my%20service/requirements.txt", 1)}
    assert locations("backend/requirements.txt") == {("backend/requirements.txt", 1)}
    monkeypatch.chdir(tmp_path)  # elsewhere: still relative to the repository root
    assert locations(str(repo / "my service")) == {("my%20service/requirements.txt", 1)}
    # an SBOM inside the repository is located at its path; one outside only by purl
    monkeypatch.chdir(repo)
    assert cli("sbom", "backend", "-o", "bom.cdx.json").exit_code == 0
    assert locations("bom.cdx.json") == {("bom.cdx.json", 1)}
    outside = tmp_path / "elsewhere.cdx.json"
    (repo / "bom.cdx.json").rename(outside)
    result = cli("vulns", str(outside), "--db", str(db), "-f", "sarif")
    assert result.exit_code == 0 and str(tmp_path) not in result.stdout
    for r in json.loads(result.stdout)["runs"][0]["results"]:
        [location] = r["locations"]
        assert "physicalLocation" not in location
        assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("pkg:pypi/nltk")
