"""`steward catalog` commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def test_list_filters_and_formats(cli) -> None:
    result = cli("catalog", "list", "--level", "1", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    rows = data["requirements"]
    assert rows and all(r["level"] == 1 for r in rows)
    osps = json.loads(cli("catalog", "list", "--framework", "osps", "--format", "json").stdout)
    assert all(r["framework_ids"] for r in osps["requirements"])
    vul = cli("catalog", "list", "--family", "vul", "--format", "markdown").stdout
    assert vul.splitlines()[2].startswith("| id |") and "STW-VUL-03" in vul
    assert "STW-GOV" not in vul
    table = cli("catalog", "list")
    assert table.exit_code == 0 and "STW-VUL-01" in table.stdout
    assert "OSPS Baseline v2026.02.19" in " ".join(table.stdout.split())
    assert "\x1b[" not in table.stdout  # piped output carries no colour codes


def test_show_and_unknown_id(cli) -> None:
    shown = json.loads(cli("catalog", "show", "stw-vul-3", "--format", "json").stdout)
    assert shown["id"] == "STW-VUL-03"
    missing = cli("catalog", "show", "STW-VUL-99")
    assert missing.exit_code == 2
    assert "no requirement 'STW-VUL-99'" in missing.stderr and "Traceback" not in missing.stderr
    bad_family = cli("catalog", "list", "--family", "XYZ")
    assert bad_family.exit_code == 2 and "unknown family" in bad_family.stderr


def test_crosswalk(cli) -> None:
    data = json.loads(cli("catalog", "crosswalk", "--framework", "cra", "--format", "json").stdout)
    assert data["gaps"] == 0 and data["items"] == len(data["rows"])
    art14 = next(r for r in data["rows"] if r["item"] == "Art. 14(2)")
    assert "STW-RPT-01" in art14["requirements"]
    ssdf = json.loads(
        cli("catalog", "crosswalk", "--framework", "ssdf", "--gaps", "--format", "json").stdout
    )
    assert all(r["gap"] for r in ssdf["rows"]) and ssdf["gaps"] == len(ssdf["rows"])
    scorecard = cli(
        "catalog", "crosswalk", "--framework", "scorecard", "--format", "markdown"
    ).stdout
    assert "| Webhooks |" in scorecard and "out of scope" in scorecard


def test_export_to_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "catalog.oscal.json"
    assert cli("catalog", "export", "--format", "oscal", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["catalog"]["metadata"]["oscal-version"] == "1.1.3"
    bad = cli("catalog", "export", "--format", "pdf")
    assert bad.exit_code == 2


def test_every_view_names_the_catalog_and_framework_versions(cli, tmp_path: Path) -> None:
    """Item: every `steward catalog` view and export names the catalog version and the
    edition of each mapped framework."""
    from steward.catalog.loader import load_catalog

    catalog = load_catalog()
    osps = catalog.framework("osps")
    assert osps is not None
    listed = json.loads(cli("catalog", "list", "--format", "json").stdout)
    assert listed["catalog"]["version"] == catalog.version
    assert {f["id"]: f["version"] for f in listed["frameworks"]}["osps"] == osps.version
    shown = json.loads(cli("catalog", "show", "STW-VUL-01", "--format", "json").stdout)
    assert shown["catalog"]["version"] == catalog.version and shown["frameworks"]
    text = cli("catalog", "show", "STW-VUL-01", "--format", "markdown").stdout
    assert f"Steward catalog {catalog.version}" in text and osps.version in text
    markdown = cli("catalog", "list", "--format", "markdown").stdout
    assert markdown.startswith(f"Steward catalog {catalog.version}")
    exported = json.loads(cli("catalog", "export", "--format", "json").stdout)
    assert exported["version"] == catalog.version
    assert {f["id"] for f in exported["frameworks"]} >= {"cra", "osps", "ssdf", "scorecard"}
    assert osps.version in cli("catalog", "export", "--format", "markdown").stdout
    oscal = json.loads(cli("catalog", "export", "--format", "oscal").stdout)["catalog"]
    props = {p["value"] for p in oscal["metadata"]["props"] if p["name"] == "framework-version"}
    assert f"osps {osps.version}" in props
    titles = [r["title"] for r in oscal["back-matter"]["resources"]]
    assert any(osps.version in t for t in titles)


def test_crosswalk_through_the_published_osps_mappings(cli) -> None:
    data = json.loads(
        cli("catalog", "crosswalk", "--framework", "tr-03185-2", "--format", "json").stdout
    )
    assert data["edition"]["version"] == "v1.1.0"
    assert data["published_mappings"]["status"].startswith("draft")
    assert data["catalog"]["version"] and data["gaps"] == 0
    vm01 = next(r for r in data["rows"] if r["item"] == "VM.01")
    link = next(k for k in vm01["links"] if k["requirement"] == "STW-VUL-01")
    assert link == {
        "requirement": "STW-VUL-01",
        "source": "published",
        "via": ["OSPS-VM-01.01"],
        "reason": "",
    }
    cra = cli("catalog", "crosswalk", "--framework", "cra", "--format", "markdown").stdout
    assert "STW-VUL-03 (via OSPS-VM-03.01)" in cra and "draft" in cra
    assert "Published links not taken over:" in cra
    scorecard = json.loads(
        cli("catalog", "crosswalk", "--framework", "scorecard", "-f", "json").stdout
    )
    rejected = {(r["requirement"], r["item"]): r["reason"] for r in scorecard["rejected"]}
    assert "Security-Policy check" in rejected[("STW-DEP-06", "Security-Policy")]
    assert cra.startswith("cra: Regulation (EU) 2024/2847")
    vsa = cli("catalog", "crosswalk", "--framework", "orc-vsa", "--format", "markdown").stdout
    assert "| AU.01 |" in vsa and "out of scope" in vsa and "revision 0.1" in vsa
    samm = cli("catalog", "crosswalk", "--framework", "samm")
    assert samm.exit_code == 0 and "Software Assurance Maturity Model" in samm.stdout
    unknown = cli("catalog", "crosswalk", "--framework", "iso-27001")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr


def test_diff_command(cli, tmp_path: Path) -> None:
    result = cli("catalog", "diff", "1.0.0", "current", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["old"] == "1.0.0" and any(r["id"] == "STW-VUL-16" for r in data["added"])
    text = cli("catalog", "diff", "1.0.0").stdout
    assert text.startswith("Steward catalog 1.0.0 -> ") and "| added | STW-VUL-16 |" in text
    assessment = tmp_path / "assessment.json"
    assessment.write_text(
        json.dumps(
            {
                "catalog_version": "1.0.0",
                "findings": [{"requirement_id": "STW-VUL-01", "status": "pass"}],
            }
        )
    )
    reread = cli("catalog", "diff", "1.0.0", "--assessment", str(assessment), "-f", "json")
    assert reread.exit_code == 0
    reread_data = json.loads(reread.stdout)
    states = {r["id"]: r["state"] for r in reread_data["assessment"]}
    assert states["STW-VUL-01"] == "carried" and states["STW-VUL-16"] == "not-assessed"
    assert "STW-VUL-16" in reread_data["assess_again"]
    markdown = cli("catalog", "diff", "1.0.0", "-a", str(assessment), "-f", "markdown").stdout
    assert "Assess again: steward assess PATH --only " in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["0.0.1"], "no catalog version or file '0.0.1'"),
        (["1.0.0", "--assessment", "missing.json"], "missing.json: no such file"),
        (["1.0.0", "--assessment", "bad.json"], "bad.json: not JSON"),
        (["1.0.0", "--assessment", "newer.json"], "made against catalog 1.1.0, not 1.0.0"),
        (["bad.json"], "bad.json: not JSON"),
        (["1.0.0", "--assessment", "fifo"], "fifo: not a regular file"),
        (["1.0.0", "--assessment", "."], "is a directory"),
    ],
)
def test_diff_bad_input(cli, tmp_path: Path, monkeypatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "newer.json").write_text('{"catalog_version": "1.1.0", "findings": []}')
    os.mkfifo(tmp_path / "fifo")
    result = cli("catalog", "diff", *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
