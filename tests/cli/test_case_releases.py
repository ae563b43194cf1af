"""What a recorded release establishes: the product's fixed version in reports and advisories.

Found by trying issue 15 as a PSIRT (helper break15): after ``case release --version 3.2.1``
the final report said "fixed in: — (no fixed version recorded)" and the CSAF advisory said
"No fix or mitigation is available yet" — a document contradicting the recorded timeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(path))
    return path


def _case(cli, *products: str) -> str:
    assert (
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
        ).exit_code
        == 0
    )
    created = cli(
        "case",
        "new",
        "Proxy credentials leak",
        "--product",
        "Acme Gateway",
        "--product-version",
        "3.2.0",
        "--component",
        "urllib3",
        "--component-version",
        "1.26.15",
        "--component-ecosystem",
        "PyPI",
        "--component-fixed",
        "1.26.17",
    )
    assert created.exit_code == 0, created.stderr
    case_id = created.stdout.strip()
    for name in products:
        added = cli("case", "add-product", case_id, "--product", name, "--product-version", "1.0")
        assert added.exit_code == 0, added.stderr
    for kind in ("exploitation_aware", "confirmed"):
        assert cli("case", "event", case_id, kind).exit_code == 0
    return case_id


def test_a_fixed_release_is_the_products_fixed_version(cli, db: Path, tmp_path: Path) -> None:
    case_id = _case(cli)
    released = cli(
        "case", "release", case_id, "--version", "3.2.1", "--description", "Ships urllib3 1.26.17"
    )
    assert released.exit_code == 0, released.stderr
    report = json.loads(
        cli("case", "report", case_id, "--type", "final-report", "-f", "json").stdout
    )
    assert report["products"][0]["fixed_versions"] == ["3.2.1"]
    markdown = cli("case", "report", case_id, "--type", "final-report").stdout
    assert "fixed in: 3.2.1" in markdown and "no fixed version recorded" not in markdown
    out = tmp_path / "adv.json"
    assert cli("case", "advisory", case_id, "-f", "csaf", "-o", str(out)).exit_code == 0
    vuln = json.loads(out.read_text())["vulnerabilities"][0]
    assert vuln["product_status"].get("fixed"), vuln["product_status"]
    categories = [r["category"] for r in vuln["remediations"]]
    assert "vendor_fix" in categories and "none_available" not in categories


def test_a_mitigation_is_not_reported_as_nothing_available(cli, db: Path, tmp_path: Path) -> None:
    case_id = _case(cli)
    released = cli("case", "release", case_id, "--mitigation", "--description", "Disable redirects")
    assert released.exit_code == 0, released.stderr
    out = tmp_path / "adv.json"
    assert cli("case", "advisory", case_id, "-f", "csaf", "-o", str(out)).exit_code == 0
    vuln = json.loads(out.read_text())["vulnerabilities"][0]
    by_category = {r["category"]: r for r in vuln["remediations"]}
    assert "none_available" not in by_category, vuln["remediations"]
    assert "Disable redirects" in by_category["mitigation"]["details"]
    assert "fixed" not in vuln["product_status"]


def test_a_release_names_its_product_when_the_case_has_several(cli, db: Path) -> None:
    case_id = _case(cli, "Acme Router")
    ambiguous = cli("case", "release", case_id, "--version", "3.2.1")
    assert ambiguous.exit_code == 2
    assert "--product" in ambiguous.stderr and "Acme Router" in ambiguous.stderr
    named = cli("case", "release", case_id, "--version", "3.2.1", "--product", "Acme Gateway")
    assert named.exit_code == 0, named.stderr
    unknown = cli("case", "release", case_id, "--version", "9", "--product", "Nope")
    assert unknown.exit_code == 2 and "Nope" in unknown.stderr
    # a product named without versions, or for a mitigation, is a product of the case too
    for extra in ((), ("--mitigation",)):
        stray = cli("case", "release", case_id, *extra, "--description", "x", "--product", "Nope")
        assert stray.exit_code == 2 and "has no product 'Nope'" in stray.stderr, stray.stderr
    case = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]
    fixed = {p["name"]: p["fixed"] for p in case["products"]}
    assert fixed == {"Acme Gateway": ["3.2.1"], "Acme Router": []}
    # the second product's release comes later: a fixed case takes a further release
    router = cli("case", "release", case_id, "--version", "1.0.1", "--product", "Acme Router")
    assert router.exit_code == 0, router.stderr
    case = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]
    assert {p["name"]: p["fixed"] for p in case["products"]} == {
        "Acme Gateway": ["3.2.1"],
        "Acme Router": ["1.0.1"],
    }


def test_a_release_is_a_corrective_measure_taken(cli, db: Path) -> None:
    # SRP v18 (obligatory at 72 h) asks for the corrective measures taken; a release recorded
    # before the notification is one, and the date it became available (v21) was already
    # taken from it — the report must not call v18 missing while giving v21
    case_id = _case(cli)
    released = cli(
        "case", "release", case_id, "--version", "3.2.1", "--description", "Ships urllib3 1.26.17"
    )
    assert released.exit_code == 0, released.stderr
    report = json.loads(
        cli("case", "report", case_id, "--type", "notification", "-f", "json").stdout
    )
    assert report["corrective_measures_taken"] == ["Fixed in 3.2.1: Ships urllib3 1.26.17"]
    assert report["measure_available_at"] is not None
    assert not [m for m in report["missing"] if m.startswith("corrective_measures_taken")]
    # what the team wrote comes first, and a mitigation is named as one
    assert cli("case", "set", case_id, "--corrective-measure", "Hotfix deployed").exit_code == 0
    assert (
        cli("case", "release", case_id, "--mitigation", "--description", "WAF rule").exit_code == 0
    )
    report = json.loads(
        cli("case", "report", case_id, "--type", "notification", "-f", "json").stdout
    )
    assert report["corrective_measures_taken"] == [
        "Hotfix deployed",
        "Fixed in 3.2.1: Ships urllib3 1.26.17",
        "Mitigation: WAF rule",
    ]


def test_releases_on_two_branches_of_a_product_without_ranges_still_report(
    cli, db: Path, tmp_path: Path
) -> None:
    assert (
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
        ).exit_code
        == 0
    )
    case_id = cli("case", "new", "Auth bypass", "--product", "Acme Gateway").stdout.strip()
    for args in (("exploitation_aware",), ("confirmed",)):
        assert cli("case", "event", case_id, *args).exit_code == 0
    for version in ("3.2.1", "3.1.9"):
        assert cli("case", "release", case_id, "--version", version).exit_code == 0
    report = cli("case", "report", case_id, "--type", "final-report", "-f", "json")
    assert report.exit_code == 0, report.stderr
    product = json.loads(report.stdout)["products"][0]
    assert product["fixed_versions"] == ["3.2.1", "3.1.9"] and product["affected_versions"] == []
    # an advisory needs the ranges: one line naming what to record
    out = tmp_path / "adv.json"
    advisory = cli("case", "advisory", case_id, "-f", "csaf", "-o", str(out))
    assert advisory.exit_code == 2 and "per release branch" in advisory.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "title", ["ok\n## Malicious actor\nNation state X", "ok\u2028x", "ok\x85x", "ok\x1bx"]
)
def test_a_changed_title_is_one_line_like_a_new_one(cli, db: Path, title: str) -> None:
    # `case new` refused a line break in the title, `case set --title` took it: a title heads
    # the Markdown report, so the break started a section nobody recorded
    case_id = cli("case", "new", "Proxy credentials leak").stdout.strip()
    refused = cli("case", "set", case_id, "--title", title)
    assert refused.exit_code == 2
    assert "one line" in refused.stderr or "control character" in refused.stderr
    assert cli("case", "new", title).exit_code == 2
    case = json.loads(cli("case", "show", case_id, "--format", "json").stdout)["case"]
    assert case["title"] == "Proxy credentials leak"
