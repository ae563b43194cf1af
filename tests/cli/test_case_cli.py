"""`steward case` end to end on a SQLite file: create, record, show, due, documents, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(path))
    monkeypatch.setenv("STEWARD_USER", "alice")
    return path


def test_case_lifecycle_with_reports(cli, db: Path, tmp_path: Path) -> None:
    assert (
        cli(
            "case",
            "profile",
            "set",
            "--name",
            "Example Archive Project",
            "--country",
            "de",
            "--website",
            "https://example-archive.org",
        ).exit_code
        == 0
    )
    created = cli(
        "case",
        "new",
        "Path traversal in extract_all",
        "--product",
        "example-archive",
        "--ecosystem",
        "PyPI",
        "--purl",
        "pkg:pypi/example-archive",
        "--affected",
        ">=2.0,<2.3.1",
        "--fixed",
        "2.3.1",
        "--cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H",
        "--alias",
        "CVE-2026-31415",
        "--reporter",
        "Jane",
        "--received-at",
        "2026-11-20T09:00:00Z",
    )
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    assert case_id == "STW-2026-0001"
    for args in (
        ("confirmed",),
        (
            "exploitation_aware",
            "--at",
            "2026-11-24 21:40",
            "--tz",
            "Europe/Berlin",
            "--data",
            "evidence=honeypot",
        ),
        ("report_submitted", "--data", "report=early_warning", "--data", "reference=SRP-42"),
        (
            "details_set",
            "--json",
            json.dumps(
                {"description": "crafted archives escape the target", "sensitivity": "TLP:AMBER"}
            ),
        ),
    ):
        result = cli("case", "event", case_id, *args)
        assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("case", "show", case_id, "--format", "json").stdout)
    assert shown["case"]["state"] == "confirmed"
    assert shown["case"]["aware_at"] == "2026-11-24T20:40:00Z"
    clocks = {c["report"]: c for c in shown["clocks"]}
    assert clocks["early_warning"]["status"] in ("met", "met_late")
    assert clocks["notification"]["due_at"] == "2026-11-27T20:40:00Z"
    markdown = cli("case", "show", case_id, "--format", "markdown").stdout
    assert "| notification | Art. 14(2)(b) |" in markdown
    due = json.loads(cli("case", "due", "--format", "json").stdout)
    assert [d["report"] for d in due] == ["notification"]
    report = cli("case", "report", case_id, "--type", "notification", "--format", "json")
    assert report.exit_code == 0, report.stderr
    payload = json.loads(report.stdout)
    assert payload["report_type"] == "vulnerability_notification"
    assert payload["recipient"]["member_state"] == "DE"
    assert (
        "corrective_measures_taken: corrective or mitigating measures taken" in payload["missing"]
    )
    osv_out = tmp_path / "advisory.json"
    assert cli("case", "advisory", case_id, "--format", "osv", "-o", str(osv_out)).exit_code == 0
    assert json.loads(osv_out.read_text())["aliases"] == ["CVE-2026-31415"]
    csaf = cli("case", "advisory", case_id, "--format", "csaf-vex")
    assert csaf.exit_code == 0, csaf.stderr
    assert json.loads(csaf.stdout)["document"]["tracking"]["status"] == "draft"
    listed = json.loads(cli("case", "list", "--format", "json").stdout)
    assert listed[0]["id"] == case_id and listed[0]["next_report"] == "notification"


def test_bad_input_exits_2_and_writes_nothing(cli, db: Path) -> None:
    case_id = cli("case", "new", "x").stdout.strip()
    before = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]["timeline"]
    for args, message in (
        (("event", case_id, "severity_set", "--data", "cvss_vector=CVSS:3.1/AV:Q"), "invalid CVSS"),
        (("event", case_id, "published"), "cannot record 'published'"),
        (("event", case_id, "no_such_kind"), "unknown event kind"),
        (("event", case_id, "note", "--data", "text=x", "--at", "2026-01-01 10:00"), "no offset"),
        (("event", "STW-1999-0001", "note", "--data", "text=x"), "no case"),
        (("new", "y", "--cvss", "garbage"), "invalid CVSS"),
        (("due", "--within", "soon"), "duration"),
    ):
        result = cli("case", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    after = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]["timeline"]
    assert after == before
    assert [c["id"] for c in json.loads(cli("case", "list", "--format", "json").stdout)] == [
        case_id
    ]


def test_case_from_a_vulns_finding(cli, db: Path, tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    findings.write_text(
        json.dumps(
            {
                "findings": [
                    {
                        "id": "GHSA-jfh8-c2jp-5v3q",
                        "aliases": ["CVE-2021-44228"],
                        "summary": "Remote code injection in Log4j",
                        "package": {
                            "ecosystem": "Maven",
                            "name": "org.apache.logging.log4j:log4j-core",
                            "version": "2.14.1",
                            "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        },
                        "severity": {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"},
                        "fixed_versions": ["2.15.0"],
                        "exploited": {
                            "kev": {"listed": True, "date_added": "2021-12-10"},
                            "euvd": False,
                        },
                        "references": [
                            {"url": "https://logging.apache.org/log4j/2.x/security.html"}
                        ],
                    }
                ]
            }
        )
    )
    created = cli("case", "new", "--from-finding", str(findings), "--finding", "CVE-2021-44228")
    assert created.exit_code == 0, created.stderr
    shown = json.loads(cli("case", "show", created.stdout.strip(), "--format", "json").stdout)
    case = shown["case"]
    assert case["title"] == "Remote code injection in Log4j"
    assert case["aliases"] == ["GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228"]
    assert case["exploitation"] == "actively_exploited"
    assert "CISA KEV" in case["exploitation_evidence"][0]
    product = case["products"][0]
    assert product["purl"] == "pkg:maven/org.apache.logging.log4j/log4j-core"
    assert product["affected"] == ["==2.14.1"] and product["fixed"] == ["2.15.0"]
    assert {c["report"]: c["status"] for c in shown["clocks"]}["early_warning"] == "running"
    missing = cli("case", "new", "--from-finding", str(findings), "--finding", "CVE-2000-0001")
    assert missing.exit_code == 2 and "no finding" in missing.stderr
    findings.write_text("[{]")
    bad = cli("case", "new", "--from-finding", str(findings), "--finding", "x")
    assert bad.exit_code == 2 and str(findings) in bad.stderr
