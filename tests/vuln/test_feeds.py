"""Exploitation feeds and the Art. 14 "reportable" verdict: the real CISA KEV catalogue, ENISA
EUVD in each published format (self-written fixtures that follow ENISA's API documentation:
``/api/kev/dump``, ``/api/search``, ``/api/exploitedvulnerabilities``,
``/api/dump/cve-euvd-mapping``), EPSS, and what every report says about them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from steward.errors import InputError
from steward.sbom.component import Component
from steward.sbom.purl import make_purl
from steward.store.vulndb import VulnDB
from steward.vuln.feeds import import_epss, import_euvd, import_kev
from steward.vuln.matcher import match
from steward.vuln.osv_import import import_osv

URLLIB3_CVE = "CVE-2023-43804"


def kev_file(shared_data: Path) -> Path:
    return shared_data / "kev" / "known_exploited_vulnerabilities.json"


def _pypa_in_kev(shared_data: Path) -> list[tuple[str, str, str, str]]:
    """(package, affected version, CVE, KEV dateAdded) for PyPA records whose CVE CISA lists.

    Expected values come from the KEV file and the versions lists OSV.dev computed, not from
    our matcher.
    """
    kev = {v["cveID"]: v for v in json.loads(kev_file(shared_data).read_text())["vulnerabilities"]}
    out = []
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(pypa.glob("*/*.yaml")):
        text = path.read_text()
        if "CVE-" not in text:
            continue
        record = yaml.load(text, Loader=loader)
        if record.get("withdrawn"):
            continue
        for cve in (a for a in record.get("aliases") or [] if a in kev):
            for affected in record.get("affected") or []:
                versions = affected.get("versions") or []
                if versions:
                    name = affected["package"]["name"]
                    out.append((name, versions[-1], cve, kev[cve]["dateAdded"]))
    return out


@pytest.fixture(scope="module")
def listed(shared_data: Path) -> list[tuple[str, str, str, str]]:
    return _pypa_in_kev(shared_data)


@pytest.fixture(scope="module")
def real_kev_db(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, listed: list[Any]
) -> VulnDB:
    folder = tmp_path_factory.mktemp("kevdb")
    database = VulnDB(folder / "db.sqlite")
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    import_osv(database, sorted({pypa / name.lower() for name, *_ in listed}))
    assert import_kev(database, kev_file(shared_data)) == 1404
    return database


def test_real_kev_catalogue_is_described(real_kev_db: VulnDB, shared_data: Path) -> None:
    kev = real_kev_db.feeds()["kev"]
    assert kev is not None
    assert kev["count"] == 1404 and kev["catalog_version"] == "2025.08.25"
    assert kev["catalog_date"] == "2025-08-25"
    assert kev["source"] == str(kev_file(shared_data))
    assert real_kev_db.feeds()["euvd"] is None
    entry = real_kev_db.kev("CVE-2021-44228")
    assert entry is not None and entry["vendorProject"] == "Apache"


def test_real_kev_flags_every_listed_pypi_vulnerability(
    real_kev_db: VulnDB, listed: list[tuple[str, str, str, str]]
) -> None:
    assert len(listed) >= 3  # apache-airflow, pyspark and salt CVEs are in the catalogue
    components = [
        Component(name, version, "PyPI", purl=make_purl("PyPI", name, version))
        for name, version, _cve, _added in listed
    ]
    result = match(real_kev_db, components)
    assert result.exploitation_known
    for name, version, cve, added in listed:
        found = [
            f
            for f in result.findings
            if cve in f.ids and f.component.name == name and f.component.version == version
        ]
        assert found, (name, version, cve)
        assert found[0].kev is not None and found[0].kev["dateAdded"] == added
        assert found[0].reportable and found[0].exploited_by == ["CISA KEV"]
    not_listed = [f for f in result.findings if not set(f.ids) & {c for *_, c, _ in listed}]
    assert not_listed and not any(f.kev for f in not_listed)


# ------------------------------------------------------------------------------- EUVD

DUMP = [
    {
        "cveId": URLLIB3_CVE,
        "euvdId": "EUVD-2023-48340",
        "dateAdded": "2026-10-02",
        "sources": ["eukev_kev"],
        "vendorProject": "urllib3",
        "product": "urllib3",
    },
    {
        "cveId": "CVE-2021-44228",
        "euvdId": "EUVD-2021-29270",
        "dateAdded": "2021-12-10",
        "sources": ["cisa_kev", "eukev_kev"],
    },
    {
        "cveId": "CVE-2021-22555",
        "euvdId": "EUVD-2021-9696",
        "dateAdded": "2025-10-06",
        "sources": ["cisa_kev"],
    },
]


def _record(euvd_id: str, aliases: str, exploited: str | None) -> dict[str, Any]:
    return {
        "id": euvd_id,
        "enisaUuid": "00000000-0000-4000-8000-000000000000",
        "description": "example",
        "datePublished": "Oct 4, 2023, 5:15:00 PM",
        "dateUpdated": "Oct 4, 2023, 5:15:00 PM",
        "baseScore": 5.9,
        "baseScoreVersion": "3.1",
        "baseScoreVector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
        "references": "https://example.org/a\nhttps://example.org/b\n",
        "aliases": aliases,
        "assigner": "GitHub_M",
        "epss": 1.2,
        "exploitedSince": exploited,
        "enisaIdProduct": [],
        "enisaIdVendor": [],
    }


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def _urllib3(version: str) -> Component:
    return Component("urllib3", version, "PyPI", purl=f"pkg:pypi/urllib3@{version}")


@pytest.fixture
def pypa_db(shared_data: Path, tmp_path: Path) -> VulnDB:
    database = VulnDB(tmp_path / "db.sqlite")
    import_osv(database, [shared_data / "osv" / "pypa-advisory-database" / "vulns" / "urllib3"])
    return database


def test_euvd_kev_dump_keeps_the_lists_and_marks_findings(pypa_db: VulnDB, tmp_path: Path) -> None:
    done = import_euvd(pypa_db, _write(tmp_path / "dump.json", DUMP))
    assert done.complete and done.exploited == 3
    assert done.by_list == {"cisa_kev": 2, "eukev_kev": 2}
    entry = pypa_db.euvd(URLLIB3_CVE)
    assert entry is not None and entry["id"] == "EUVD-2023-48340"
    assert entry["lists"] == ["eukev_kev"] and entry["vendor_project"] == "urllib3"
    assert pypa_db.euvd("EUVD-2021-29270") is not None
    feed = pypa_db.feeds()["euvd"]
    assert feed is not None and feed["newest_entry"] == "2026-10-02" and feed["complete"]
    result = match(
        pypa_db, [Component("urllib3", "1.26.5", "PyPI", purl="pkg:pypi/urllib3@1.26.5")]
    )
    finding = next(f for f in result.findings if URLLIB3_CVE in f.ids)
    assert finding.exploited_by == ["EU KEV"] and finding.reportable and finding.kev is None
    assert "EUVD-2023-48340" in finding.aliases
    data = finding.to_dict()
    assert data["exploited"]["euvd"]["lists"] == ["eukev_kev"]
    assert data["exploited"]["euvd"]["date_added"] == "2026-10-02"


def test_euvd_search_pages_must_be_complete(pypa_db: VulnDB, tmp_path: Path) -> None:
    page0 = _write(
        tmp_path / "page0.json",
        {
            "items": [
                _record("EUVD-2023-48340", f"{URLLIB3_CVE}\nGHSA-v845-jxx5-vc9f\n", "2026-10-02"),
                _record("EUVD-2024-1", "CVE-2024-0001\n", "2026-01-01"),
            ],
            "total": 3,
        },
    )
    with pytest.raises(InputError, match="hold 2 of 3 records"):
        import_euvd(pypa_db, [page0])
    assert pypa_db.feeds()["euvd"] is None  # nothing stored
    page1 = _write(
        tmp_path / "page1.json",
        {"items": [_record("EUVD-2024-2", "CVE-2024-0002\n", None)], "total": 3},
    )
    done = import_euvd(pypa_db, [page0, page1])
    assert done.complete and done.exploited == 2 and done.ignored == 1
    entry = pypa_db.euvd("GHSA-v845-jxx5-vc9f")
    assert entry is not None and entry["lists"] == ["euvd"]
    assert entry["exploited_since"] == "2026-10-02"


def test_a_latest_exploited_list_is_merged_not_replacing(pypa_db: VulnDB, tmp_path: Path) -> None:
    import_euvd(pypa_db, _write(tmp_path / "dump.json", DUMP))
    latest = _write(
        tmp_path / "latest.json", [_record("EUVD-2026-5", "CVE-2026-0005\n", "2026-11-28")]
    )
    done = import_euvd(pypa_db, latest)
    assert not done.complete and done.given == 1 and done.exploited == 4
    assert pypa_db.euvd("CVE-2021-22555") is not None  # the dump's entries are still there
    again = import_euvd(pypa_db, _write(tmp_path / "dump2.json", DUMP[:1]))
    assert again.complete and again.exploited == 1  # a whole catalogue replaces


def test_euvd_mapping_gives_ids_to_findings_that_are_not_exploited(
    pypa_db: VulnDB, tmp_path: Path
) -> None:
    mapping = tmp_path / "cve-euvd-mapping.csv"
    mapping.write_text(
        "euvd_id,cve_id\nEUVD-2023-48340,CVE-2023-43804\nEUVD-2023-45977,CVE-2023-45803\n"
    )
    done = import_euvd(pypa_db, mapping)
    assert done.mapped == 2 and done.given == 0
    assert pypa_db.euvd_ids("CVE-2023-45803") == ["EUVD-2023-45977"]
    result = match(
        pypa_db, [Component("urllib3", "1.26.17", "PyPI", purl="pkg:pypi/urllib3@1.26.17")]
    )
    finding = next(f for f in result.findings if "CVE-2023-45803" in f.ids)
    assert "EUVD-2023-45977" in finding.aliases and not finding.exploited
    assert not result.exploitation_known  # a mapping says nothing about exploitation
    mapping.write_text("euvd_id,cve_id\nEUVD-1,not-a-cve\n")
    with pytest.raises(InputError) as err:
        import_euvd(pypa_db, mapping)
    assert err.value.line == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([{"cveId": None, "euvdId": None, "sources": []}], "neither euvdId nor cveId"),
        (
            [{"cveId": "CVE-1", "euvdId": "EUVD-1", "sources": "cisa_kev"}],
            r"\[0\]\.sources is text, expected a list",
        ),
        ([{"id": 5}], r"\[0\]\.id is a number, expected text"),
        ([{"id": "EUVD-1", "exploitedSince": 20240101}], r"exploitedSince is a number"),
        ({"items": [], "total": "many"}, "without a 'total'"),
        ({"hello": 1}, "not an EUVD export"),
    ],
)
def test_bad_euvd_files(pypa_db: VulnDB, tmp_path: Path, content: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        import_euvd(pypa_db, _write(tmp_path / "bad.json", content))


def test_epss_reimport_without_model_line_drops_the_old_date(
    pypa_db: VulnDB, tmp_path: Path
) -> None:
    epss = tmp_path / "epss.csv"
    epss.write_text(
        "#model_version:v2025.03.14,score_date:2026-11-28T00:00:00+0000\n"
        "cve,epss,percentile\nCVE-2023-43804,0.01,0.5\n"
    )
    import_epss(pypa_db, epss)
    feed = pypa_db.feeds()["epss"]
    assert feed is not None and feed["score_date"].startswith("2026-11-28")
    epss.write_text("cve,epss,percentile\nCVE-2023-43804,0.02,0.6\n")
    import_epss(pypa_db, epss)
    feed = pypa_db.feeds()["epss"]
    assert feed is not None and feed["score_date"] is None and feed["model_version"] is None
    assert pypa_db.epss("CVE-2023-43804") == (0.02, 0.6)


# ------------------------------------------------------------------------------ the CLI


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "requirements.txt").write_text("urllib3==1.26.5\njinja2<3\n")
    return folder


def _db_with(cli: Any, shared_data: Path, tmp_path: Path, *feeds: str) -> Path:
    db = tmp_path / "cli.sqlite"
    urllib3 = shared_data / "osv" / "pypa-advisory-database" / "vulns" / "urllib3"
    done = cli("db", "import", str(urllib3), *feeds, "--db", str(db))
    assert done.exit_code == 0, done.stderr
    return db


def test_reportable_without_exploitation_data_exits_2(
    cli: Any, shared_data: Path, tmp_path: Path, project: Path
) -> None:
    db = _db_with(cli, shared_data, tmp_path)
    done = cli("vulns", str(project), "--db", str(db), "--reportable", "-f", "json")
    assert done.exit_code == 2 and done.stdout == ""
    assert "no CISA KEV or ENISA EUVD data imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert cli("vulns", str(project), "--db", str(db), "--fail-on", "exploited").exit_code == 2
    plain = cli("vulns", str(project), "--db", str(db), "-f", "json")
    assert plain.exit_code == 0
    data = json.loads(plain.stdout)
    assert data["summary"]["reportable"] is None and data["summary"]["exploited"] is None
    assert data["feeds"]["kev"] is None and data["feeds"]["euvd"] is None
    assert "reportable (CRA Art. 14) verdicts are unknown" in plain.stderr
    table = cli("vulns", str(project), "--db", str(db)).stdout
    assert "unknown reportable under CRA Art. 14" in table
    assert "CISA KEV: not imported" in table


def test_every_format_states_the_feeds_and_their_age(
    cli: Any, shared_data: Path, tmp_path: Path, project: Path
) -> None:
    dump = _write(tmp_path / "dump.json", DUMP)
    db = _db_with(cli, shared_data, tmp_path, "--kev", str(kev_file(shared_data)),
                  "--euvd", str(dump))  # fmt: skip
    reportable = cli("vulns", str(project), "--db", str(db), "--reportable", "-f", "json")
    assert reportable.exit_code == 1
    data = json.loads(reportable.stdout)
    assert [f["id"] for f in data["findings"]] == [URLLIB3_CVE]
    assert data["findings"][0]["exploited"]["by"] == ["EU KEV"]
    assert data["feeds"]["kev"]["date"] == "2025-08-25" and data["feeds"]["kev"]["count"] == 1404
    assert data["feeds"]["euvd"]["lists"] == {"cisa_kev": 2, "eukev_kev": 2}
    age = data["feeds"]["kev"]["age_days"]
    assert age > 400 and "CISA KEV is" in reportable.stderr and "days old" in reportable.stderr
    sentence = f"CISA KEV: 1404 entries, of 2025-08-25 ({age} days old)"
    outputs = {
        fmt: cli("vulns", str(project), "--db", str(db), "-f", fmt).stdout
        for fmt in ("table", "markdown", "sarif", "cyclonedx-vex", "openvex")
    }
    assert sentence in outputs["table"].replace("\n", " ")
    assert sentence in outputs["markdown"]
    sarif = json.loads(outputs["sarif"])
    assert sarif["runs"][0]["properties"]["feeds"]["kev"]["age_days"] == age
    cdx = json.loads(outputs["cyclonedx-vex"])
    assert any(sentence in p["value"] for p in cdx["metadata"]["properties"])
    assert sentence in json.loads(outputs["openvex"])["tooling"]


def test_db_status_shows_every_feed(cli: Any, shared_data: Path, tmp_path: Path) -> None:
    dump = _write(tmp_path / "dump.json", DUMP)
    mapping = tmp_path / "map.csv"
    mapping.write_text("euvd_id,cve_id\nEUVD-2023-48340,CVE-2023-43804\n")
    epss = tmp_path / "epss.csv"
    epss.write_text("#model_version:v1,score_date:2026-11-28T00:00:00+0000\ncve,epss,percentile\n")
    db = _db_with(cli, shared_data, tmp_path, "--kev", str(kev_file(shared_data)),
                  "--euvd", str(dump), "--euvd", str(mapping), "--epss", str(epss))  # fmt: skip
    text = cli("db", "status", "--db", str(db)).stdout
    assert "CISA KEV: 1404 entries; dated 2025-08-25;" in text and "(stale)" in text
    assert "ENISA EUVD exploited list: 3 entries; dated 2026-10-02;" in text
    assert "lists cisa_kev 2, eukev_kev 2" in text
    assert "ENISA CVE-EUVD id mapping: 1 entries" in text
    assert "FIRST EPSS: 0 entries; dated 2026-11-28" in text
    assert f"from {dump}, {mapping}" in text
    status = json.loads(cli("db", "status", "--db", str(db), "--json").stdout)
    assert set(status["feeds"]) == {"osv", "kev", "euvd", "euvd_mapping", "epss"}
    assert all(status["feeds"][name]["imported_at"] for name in status["feeds"])


def test_db_update_fetches_the_whole_euvd_catalogue(
    cli: Any, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network in tests: the download function serves local files and records the URLs."""
    import shutil

    from steward.vuln import osv_import

    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns" / "urllib3"
    archive = tmp_path / "PyPI.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", pypa)
    mapping = tmp_path / "map.csv"
    mapping.write_text("euvd_id,cve_id\nEUVD-2023-48340,CVE-2023-43804\n")
    served = {
        "all.zip": archive,
        "known_exploited_vulnerabilities.json": kev_file(shared_data),
        "kev/dump": _write(tmp_path / "dump.json", DUMP),
        "cve-euvd-mapping": mapping,
    }
    asked: list[str] = []

    def fake_download(url: str, dest: str | Path, **_: Any) -> Path:
        asked.append(url)
        source = next(path for key, path in served.items() if url.endswith(key))
        shutil.copyfile(source, dest)
        return Path(dest)

    monkeypatch.setattr(osv_import, "download", fake_download)
    db = tmp_path / "update.sqlite"
    done = cli("db", "update", "-e", "PyPI", "--no-epss", "--db", str(db))
    assert done.exit_code == 0, done.stderr
    assert not any("exploitedvulnerabilities" in url for url in asked)
    assert any(url.endswith("/api/kev/dump") for url in asked)
    status = json.loads(cli("db", "status", "--db", str(db), "--json").stdout)
    assert status["feeds"]["euvd"]["count"] == 3 and status["feeds"]["euvd"]["complete"]
    assert status["feeds"]["euvd"]["source"].startswith("https://euvdservices.enisa.europa.eu/")
    assert status["feeds"]["euvd_mapping"]["count"] == 1


def test_euvd_ids_reach_the_advisory_of_a_case(
    cli: Any, shared_data: Path, tmp_path: Path, project: Path
) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text("euvd_id,cve_id\nEUVD-2023-48340,CVE-2023-43804\n")
    db = _db_with(cli, shared_data, tmp_path, "--euvd", str(_write(tmp_path / "d.json", DUMP)),
                  "--euvd", str(mapping))  # fmt: skip
    findings = tmp_path / "findings.json"
    done = cli("vulns", str(project), "--db", str(db), "-f", "json", "-o", str(findings))
    assert done.exit_code == 0, done.stderr
    finding = next(
        f for f in json.loads(findings.read_text())["findings"] if f["id"] == URLLIB3_CVE
    )
    assert "EUVD-2023-48340" in finding["aliases"]
    assert json.loads(findings.read_text())["product"] == {
        "name": "project", "version": None, "purl": None, "ecosystem": None
    }  # fmt: skip
    store = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    # the findings name the scanned project as the product: no --product needed
    created = cli("case", "new", "--from-finding", str(findings), "--finding",
                  "EUVD-2023-48340", "--db", store)  # fmt: skip
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    # the project is a product, not a package: its advisory is CSAF (OSV describes packages)
    profile = ("--name", "Example PSIRT", "--country", "NL", "--website", "https://example.org")
    assert cli("case", "profile", "set", *profile, "--db", store).exit_code == 0
    advisory = cli("case", "advisory", case_id, "-f", "csaf", "--db", store)
    assert advisory.exit_code == 0, advisory.stderr
    [vulnerability] = json.loads(advisory.stdout)["vulnerabilities"]
    assert vulnerability["cve"] == URLLIB3_CVE
    assert "EUVD-2023-48340" in [i["text"] for i in vulnerability["ids"]]
