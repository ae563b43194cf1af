"""`steward case` end to end on a SQLite file: create, record, show, due, documents, errors."""

from __future__ import annotations

import json
import re
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
    assert re.fullmatch(r"STW-2026-[0-9A-HJKMNP-TV-Z]{6}", case_id)  # random: no case count
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
    assert any(
        m.startswith("corrective_measures_taken:")
        and m.endswith(
            f"steward case set {case_id} --corrective-measure TEXT "
            f"(or steward case release {case_id})"
        )
        for m in payload["missing"]
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
    no_product = cli("case", "new", "--from-finding", str(findings), "--finding", "CVE-2021-44228")
    assert no_product.exit_code == 2 and "--product NAME --product-version" in no_product.stderr
    created = cli(
        "case",
        "new",
        "--from-finding",
        str(findings),
        "--finding",
        "CVE-2021-44228",
        "--product",
        "Acme Reporting Server",
        "--product-version",
        "5.1.0",
    )
    assert created.exit_code == 0, created.stderr
    shown = json.loads(cli("case", "show", created.stdout.strip(), "--format", "json").stdout)
    case = shown["case"]
    assert case["title"] == "Remote code injection in Log4j"
    assert case["aliases"] == ["GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228"]
    assert case["exploitation"] == "actively_exploited"
    assert "CISA KEV" in case["exploitation_evidence"][0]
    product = case["products"][0]
    assert (product["name"], product["affected"]) == ("Acme Reporting Server", ["==5.1.0"])
    component = product["components"][0]
    assert component["purl"] == "pkg:maven/org.apache.logging.log4j/log4j-core"
    assert component["version"] == "2.14.1"
    assert component["affected"] == ["==2.14.1"] and component["fixed"] == ["2.15.0"]
    assert {c["report"]: c["status"] for c in shown["clocks"]}["early_warning"] == "running"
    missing = cli("case", "new", "--from-finding", str(findings), "--finding", "CVE-2000-0001")
    assert missing.exit_code == 2 and "no finding" in missing.stderr
    findings.write_text("[{]")
    bad = cli("case", "new", "--from-finding", str(findings), "--finding", "x")
    assert bad.exit_code == 2 and str(findings) in bad.stderr


# ------------------------------------------------------------------ issue 15 reproducers


def _findings(path: Path, *, product: dict | None) -> Path:
    """A `steward vulns --format json` file: urllib3 1.26.15 in a product, known exploited."""
    finding = {
        "id": "GHSA-v845-jxx5-vc9f",
        "aliases": ["CVE-2023-43804"],
        "advisories": ["GHSA-v845-jxx5-vc9f"],
        "summary": "Cookie request header is not stripped during cross-origin redirects",
        "details": "urllib3 does not strip the Cookie header on cross-origin redirects.",
        "package": {
            "ecosystem": "PyPI",
            "name": "urllib3",
            "version": "1.26.15",
            "purl": "pkg:pypi/urllib3@1.26.15",
            "scope": "runtime",
            "location": "requirements.txt",
        },
        "severity": {
            "cvss_vector": "CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N",
            "cvss_version": "3.1",
            "score": 4.4,
            "rating": "medium",
        },
        # in the advisory's order: the 2.x line's fix first, then the 1.26 line's
        "fixed_versions": ["2.0.6", "1.26.17"],
        "exploited": {"kev": {"listed": True, "date_added": "2026-11-20"}, "euvd": None},
        "epss": None,
        "reportable": True,
        "suppressed": None,
        "references": [
            "https://github.com/urllib3/urllib3/security/advisories/GHSA-v845-jxx5-vc9f"
        ],
        "cwes": ["CWE-200"],
        "published": "2023-10-02T00:00:00Z",
        "modified": "2024-01-01T00:00:00Z",
    }
    data: dict = {"findings": [finding]}
    if product is not None:
        data["product"] = product
    path.write_text(json.dumps(data))
    return path


def test_the_case_records_the_product_and_the_component_separately(
    cli, db: Path, tmp_path: Path
) -> None:
    findings = _findings(
        tmp_path / "findings.json",
        product={"name": "acme-gateway", "version": "3.2.0", "purl": "pkg:pypi/acme-gateway@3.2.0"},
    )
    created = cli("case", "new", "--from-finding", str(findings), "--finding", "CVE-2023-43804")
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    case = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]
    product = case["products"][0]
    assert (product["name"], product["affected"], product["purl"]) == (
        "acme-gateway",
        ["==3.2.0"],
        "pkg:pypi/acme-gateway",
    )
    component = product["components"][0]
    assert (component["name"], component["version"]) == ("urllib3", "1.26.15")
    assert component["fixed"] == ["1.26.17"]  # the 1.26 line's fix, not 2.0.6
    cli(
        "case",
        "profile",
        "set",
        "--name",
        "Acme GmbH",
        "--country",
        "DE",
        "--website",
        "https://acme.example",
    )
    report = json.loads(
        cli("case", "report", case_id, "--type", "early-warning", "-f", "json").stdout
    )
    assert report["products"][0]["name"] == "acme-gateway"
    assert report["products"][0]["components"][0]["name"] == "urllib3"
    assert cli("case", "event", case_id, "confirmed").exit_code == 0
    released = cli(
        "case", "release", case_id, "--version", "3.2.1", "--description", "Ships urllib3 1.26.17."
    )
    assert released.exit_code == 0, released.stderr
    assert (
        cli(
            "case",
            "add-product",
            case_id,
            "--product",
            "acme-gateway",
            "--fixed",
            "3.2.1",
            "--product-version",
            "3.2.0",
            "--component",
            "urllib3",
            "--component-version",
            "1.26.15",
            "--component-fixed",
            "1.26.17",
        ).exit_code
        == 0
    )
    csaf = cli("case", "advisory", case_id, "--format", "csaf")
    assert csaf.exit_code == 0, csaf.stderr
    tree = json.loads(csaf.stdout)["product_tree"]
    assert tree["branches"][0]["name"] == "Acme GmbH"
    assert tree["branches"][0]["branches"][0]["name"] == "acme-gateway"
    relation = tree["relationships"][0]
    assert relation["category"] == "default_component_of"
    assert (
        "urllib3 1.26.15 as a component of acme-gateway 3.2.0"
        in relation["full_product_name"]["name"]
    )


def test_product_options_replace_undocumented_json(cli, db: Path) -> None:
    created = cli(
        "case",
        "new",
        "Signing key exposed",
        "--kind",
        "severe-incident",
        "--product",
        "Acme Gateway",
        "--product-version",
        "3.2.0",
        "--product-version",
        "3.1.4",
        "--member-state",
        "de",
        "--member-state",
        "FR",
        "--product-class",
        "important-class-i",
        "--tz",
        "Europe/Berlin",
    )
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    setting = cli(
        "case",
        "set",
        case_id,
        "--description",
        "CI runner compromised",
        "--suspected-malicious",
        "--severity-assessment",
        "High",
        "--impact",
        "Keys exposed",
        "--root-cause",
        "Unpatched runner",
        "--corrective-measure",
        "Key revoked",
        "--user-mitigation",
        "Verify signatures with the new key",
        "--sensitivity",
        "TLP:AMBER",
        "--member-state",
        "NL",
    )
    assert setting.exit_code == 0, setting.stderr
    case = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]
    assert case["products"][0]["affected"] == ["==3.2.0", "==3.1.4"]
    assert case["products"][0]["cra_class"] == "important_class_i"
    assert case["member_states"] == ["DE", "FR", "NL"]
    assert case["timezone"] == "Europe/Berlin"
    assert case["suspected_malicious"] is True and case["severity_assessment"] == "High"
    for args, message in (
        (("set", case_id, "--member-state", "US"), "not an EU Member State"),
        (("set", case_id, "--timezone", "Mars/Base"), "not an IANA time zone"),
        (("set", case_id), "nothing to set"),
        (("new", "x", "--product-version", "1.0"), "need --product"),
        (("new", "x", "--product", "p", "--component-version", "1.0"), "need --component"),
        (("new", "x", "--tz", "Nowhere/Else"), "unknown time zone"),
    ):
        result = cli("case", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_clock_inputs_are_refused_where_they_would_mislead(cli, db: Path) -> None:
    case_id = cli("case", "new", "Exploited parser bug").stdout.strip()
    incident = cli("case", "new", "CI compromise", "--kind", "severe-incident").stdout.strip()
    for args, message in (
        (
            (
                "event",
                case_id,
                "note",
                "--data",
                "text=x",
                "--at",
                "2026-03-29 02:30",
                "--tz",
                "Europe/Berlin",
            ),
            "does not exist",
        ),
        (
            (
                "event",
                case_id,
                "note",
                "--data",
                "text=x",
                "--at",
                "2026-10-25 02:30",
                "--tz",
                "Europe/Berlin",
            ),
            "happens twice",
        ),
        (
            ("event", case_id, "note", "--data", "text=x", "--at", "0001-01-01T00:00:00+01:00"),
            "out of range",
        ),
        (
            ("event", case_id, "note", "--data", "text=x", "--at", "0001-01-01T00:00:00Z"),
            "before 1970",
        ),
        (("new", "y", "--embargo-until", "9999-12-31T23:59:59-01:00"), "out of range"),
        (("event", case_id, "incident_aware"), "record exploitation_aware"),
        (("event", incident, "exploitation_aware"), "record incident_aware"),
        (
            (
                "event",
                case_id,
                "correction",
                "--json",
                '{"corrects": 1, "occurred_at": "2099-01-01T00:00:00Z"}',
            ),
            "in the future",
        ),
    ):
        result = cli("case", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    shown = json.loads(cli("case", "show", case_id, "--format", "json").stdout)
    assert [e["kind"] for e in shown["case"]["timeline"]] == ["received"]


def test_publication_ends_the_embargo_and_advisories_under_embargo_warn(
    cli, db: Path, tmp_path: Path
) -> None:
    cli(
        "case",
        "profile",
        "set",
        "--name",
        "Acme GmbH",
        "--country",
        "DE",
        "--website",
        "https://acme.example",
    )
    case_id = cli(
        "case",
        "new",
        "Heap overflow",
        "--product",
        "acme-lib",
        "--ecosystem",
        "PyPI",
        "--affected",
        "<2.0.1",
        "--fixed",
        "2.0.1",
        "--embargo-until",
        "2030-01-01T00:00:00Z",
        "--reporter",
        "Jane",
        "--reporter-contact",
        "jane@example.net",
        "--alias",
        "CVE-2026-40001",
    ).stdout.strip()
    assert cli("case", "set", case_id, "--sensitivity", "TLP:AMBER").exit_code == 0
    draft = cli("case", "advisory", case_id, "--format", "osv")
    assert draft.exit_code == 0 and "under embargo" in draft.stderr
    osv = json.loads(draft.stdout)
    assert osv["credits"] == [{"name": "Jane", "type": "FINDER"}]  # no private contact
    assert "jane@example.net" not in draft.stdout
    csaf_draft = json.loads(cli("case", "advisory", case_id, "--format", "csaf").stdout)
    assert csaf_draft["document"]["distribution"]["tlp"]["label"] == "AMBER"
    assert cli("case", "event", case_id, "confirmed").exit_code == 0
    published = cli(
        "case", "event", case_id, "published", "--data", "url=https://acme.example/sa-1"
    )
    assert published.exit_code == 0 and "publication ended the embargo" in published.stderr
    listed = json.loads(cli("case", "list", "--format", "json").stdout)
    assert listed[0]["embargoed"] is False
    final = cli("case", "advisory", case_id, "--format", "csaf")
    assert final.exit_code == 0 and "embargo" not in final.stderr
    document = json.loads(final.stdout)["document"]
    assert document["tracking"]["status"] == "final"
    assert document["distribution"]["tlp"]["label"] == "WHITE"  # TLP:CLEAR
    consent = cli(
        "case",
        "new",
        "Another",
        "--product",
        "acme-lib",
        "--ecosystem",
        "PyPI",
        "--affected",
        "<2.0.2",
        "--reporter",
        "Ann",
        "--reporter-contact",
        "https://ann.example",
        "--publish-reporter-contact",
    ).stdout.strip()
    shared = json.loads(cli("case", "advisory", consent, "--format", "osv").stdout)
    assert shared["credits"] == [
        {"name": "Ann", "type": "FINDER", "contact": ["https://ann.example"]}
    ]


def test_invalid_advisories_exit_2_and_write_nothing(cli, db: Path, tmp_path: Path) -> None:
    cli(
        "case",
        "profile",
        "set",
        "--name",
        "Acme GmbH",
        "--country",
        "DE",
        "--website",
        "https://acme.example",
    )
    case_id = cli(
        "case",
        "new",
        "Heap overflow",
        "--product",
        "acme-lib",
        "--ecosystem",
        "pypi",
        "--affected",
        "<2.0.1",
        "--alias",
        "CVE-2026-40002",
    ).stdout.strip()
    cli("case", "set", case_id, "--reference", "https://acme.example/sa-2")
    target = tmp_path / "out.json"
    for args, message in (
        (("--format", "osv"), "'pypi' is not an OSV ecosystem (did you mean PyPI?)"),
        (("--format", "osv", "--id", "ACME-1"), "registered with OSV"),
        (
            ("--format", "cve", "--cna-org-id", "not-a-uuid", "--cna-short-name", "acme"),
            "is not a UUID",
        ),
        (
            (
                "--format",
                "cve",
                "--cna-org-id",
                "b3476cb9-2e3d-41a6-98d0-0f47421a65b6",
                "--cna-short-name",
                "a",
            ),
            "2 to 32 characters",
        ),
        (
            (
                "--format",
                "cve",
                "--id",
                "CVE-26-1",
                "--cna-org-id",
                "b3476cb9-2e3d-41a6-98d0-0f47421a65b6",
                "--cna-short-name",
                "acme",
            ),
            "not a CVE id",
        ),
    ):
        result = cli("case", "advisory", case_id, *args, "-o", str(target))
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert not target.exists()
    good = cli(
        "case",
        "advisory",
        case_id,
        "--format",
        "cve",
        "--cna-org-id",
        "b3476cb9-2e3d-41a6-98d0-0f47421a65b6",
        "--cna-short-name",
        "acme",
        "-o",
        str(target),
    )
    assert good.exit_code == 0, good.stderr
    assert json.loads(target.read_text())["cveMetadata"]["cveId"] == "CVE-2026-40002"


def test_reports_use_the_srp_fields_and_a_stewards_legal_basis(cli, db: Path) -> None:
    cli("case", "profile", "set", "--name", "Example Foundation", "--country", "NL", "--steward")
    case_id = cli(
        "case", "new", "RCE in template engine", "--product", "tmpl", "--product-version", "4.0.0"
    ).stdout.strip()
    assert (
        cli("case", "event", case_id, "exploitation_aware", "--data", "evidence=honeypot").exit_code
        == 0
    )
    bad_due = cli("case", "request-report", case_id, "--due", "soon")
    assert bad_due.exit_code == 2 and "--due" in bad_due.stderr
    assert (
        cli(
            "case", "request-report", case_id, "--due", "2026-12-24T12:00:00Z", "--by", "NCSC-NL"
        ).exit_code
        == 0
    )
    report = cli("case", "report", case_id, "--type", "intermediate-report", "-f", "json")
    assert report.exit_code == 0, report.stderr
    payload = json.loads(report.stdout)
    assert payload["legal_basis"] == "Art. 24(3) and Art. 14(6) Regulation (EU) 2024/2847"
    assert payload["due_at"] == "2026-12-24T12:00:00Z"
    markdown = cli("case", "report", case_id, "--type", "early-warning").stdout
    assert "## Checklist for the single reporting platform" in markdown
    assert f"steward case set {case_id} --member-state XX" in markdown
    clocks = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["clocks"]
    # a steward's Art. 14 duties apply through Art. 24(3) from 11 December 2027
    assert clocks[0]["status"] == "not_applicable" and "Art. 71(2)" in clocks[0]["note"]


def test_csaf_advisory_url_is_checked(cli, db: Path, tmp_path: Path) -> None:
    cli(
        "case",
        "profile",
        "set",
        "--name",
        "Acme GmbH",
        "--country",
        "DE",
        "--website",
        "https://acme.example",
    )
    case_id = cli(
        "case",
        "new",
        "Heap overflow",
        "--product",
        "acme-lib",
        "--ecosystem",
        "PyPI",
        "--affected",
        "<2.0.1",
        "--fixed",
        "2.0.1",
    ).stdout.strip()
    target = tmp_path / "csaf.json"
    wrong = cli(
        "case",
        "advisory",
        case_id,
        "-f",
        "csaf",
        "--url",
        "https://acme.example/sa.json",
        "-o",
        str(target),
    )
    assert wrong.exit_code == 2 and f"{case_id.lower()}.json" in wrong.stderr
    assert not target.exists()
    osv = cli("case", "advisory", case_id, "-f", "osv", "--url", "https://acme.example/x.json")
    assert osv.exit_code == 2 and "--url applies to CSAF" in osv.stderr
    url = f"https://acme.example/csaf/{case_id.lower()}.json"
    good = cli("case", "advisory", case_id, "-f", "csaf", "--url", url, "-o", str(target))
    assert good.exit_code == 0, good.stderr
    document = json.loads(target.read_text())
    assert document["document"]["references"][0]["url"] == url
    assert list(document) == sorted(document)


def test_submissions_and_embargoes_have_their_own_commands(cli, db: Path) -> None:
    case_id = cli("case", "new", "Exploited parser bug").stdout.strip()
    assert cli("case", "event", case_id, "exploitation_aware").exit_code == 0
    sent = cli("case", "submitted", case_id, "--report", "early-warning", "--reference", "SRP-7")
    assert sent.exit_code == 0, sent.stderr
    clocks = json.loads(cli("case", "show", case_id, "-f", "json").stdout)["clocks"]
    assert clocks[0]["status"] == "met"
    assert (
        cli(
            "case", "embargo", case_id, "--until", "2031-01-01T00:00:00Z", "--party", "CERT-Bund"
        ).exit_code
        == 0
    )
    case = json.loads(cli("case", "show", case_id, "-f", "json").stdout)["case"]
    assert case["embargo"] == {"until": "2031-01-01T00:00:00Z", "parties": ["CERT-Bund"]}
    assert cli("case", "embargo", case_id, "--lift").exit_code == 0
    assert json.loads(cli("case", "show", case_id, "-f", "json").stdout)["case"]["embargo"] is None
    for args, message in (
        (("submitted", case_id, "--report", "weekly"), "weekly"),
        (("embargo", case_id, "--lift", "--party", "x"), "--lift takes no"),
        (("embargo", case_id, "--until", "tomorrow"), "--until"),
    ):
        result = cli("case", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_the_recorded_author_is_the_os_account_not_a_declared_name(
    cli, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local store records the operating-system account as author; STEWARD_USER (set to
    "alice" by the fixture) or any other declared name does not change it (issue 15, item 1)."""
    import getpass

    monkeypatch.setenv("STEWARD_USER", "mallory")
    created = cli("case", "new", "Heap overflow", "--product", "p")
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    shown = cli("case", "show", case_id, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    actors = {e["actor"] for e in json.loads(shown.stdout)["case"]["timeline"]}
    assert actors == {getpass.getuser()}


def test_a_correction_with_bad_data_is_refused_in_one_line(cli, db: Path) -> None:  # type: ignore[no-untyped-def]
    """The corrected event's model refuses the data: one line naming the field (pydantic's
    own text of the error spans four lines and a documentation link)."""
    case_id = cli("case", "new", "x").stdout.strip()
    for data in ({"unknown": 1}, {"note": ["not", "text"]}):
        refused = cli("case", "event", case_id, "correction", "--json",
                      json.dumps({"corrects": 1, "data": data}))  # fmt: skip
        assert refused.exit_code == 2
        assert refused.stderr.count("\n") == 1, refused.stderr
        assert refused.stderr.startswith("steward: error: correction of event 1 (received): ")
    shown = json.loads(cli("case", "show", case_id, "-f", "json").stdout)
    assert [e["kind"] for e in shown["case"]["timeline"]] == ["received"]
