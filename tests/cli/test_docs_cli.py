"""`steward docs NAME [PATH]`: formats, inputs by option, the attestation JSON, and bad input
(exit 2, one line naming the file or option, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.documents.conftest import FINDINGS
from tests.documents.project import ANSWERS, make_project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return make_project(tmp_path_factory.mktemp("docs") / "widget", shared_data, answers=ANSWERS)


def test_markdown_html_and_missing_count(cli, project: Path, tmp_path: Path) -> None:
    result = cli("docs", "annex-ii", str(project))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Information and instructions to the user")
    assert "Acme Widgets GmbH" in result.stdout
    out = tmp_path / "vii.html"
    result = cli("docs", "technical-documentation", str(project), "-f", "html", "-o", str(out),
                 "--vulns", str(FINDINGS))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert "annex-vii: 2 items missing (listed at the end of the document)" in result.stderr
    gate = cli("docs", "annex-vii", str(project), "--fail-on-missing", "-o", str(out))
    assert gate.exit_code == 1


def test_attestation_json_needs_every_control(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "attestation.json"
    result = cli("docs", "art25-attestation", str(project), "-o", str(out))
    assert result.exit_code == 2
    assert "art25-attestation: 3 items missing" in result.stderr and "--draft" in result.stderr
    assert "missing GV.02" in result.stderr
    assert not out.exists()  # nothing written half-way
    draft = cli("docs", "attestation", str(project), "--draft", "-o", str(out))
    assert draft.exit_code == 0
    data = json.loads(out.read_text())
    assert data["template"] == "template-lite" and "GV.02" not in data["controls"]
    assert "left out of the JSON" in draft.stderr


def test_assessment_given_by_file(cli, project: Path, tmp_path: Path) -> None:
    saved = tmp_path / "assessment.json"
    assert cli("assess", str(project), "--role", "manufacturer", "-f", "json", "-o",
               str(saved)).exit_code in (0, 1)  # fmt: skip
    result = cli("docs", "annex-v", str(project), "--assessment", str(saved))
    assert result.exit_code == 0, result.stderr
    assert "Assessment of widget" in result.stdout and str(saved) in result.stdout


def test_pdf(cli, project: Path, tmp_path: Path) -> None:
    from steward.documents.render import pdf_available

    if not pdf_available():
        pytest.skip("needs WeasyPrint")
    out = tmp_path / "vi.pdf"
    result = cli("docs", "annex-vi", str(project), "-f", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")


def test_bad_input(cli, project: Path, tmp_path: Path) -> None:
    not_json = tmp_path / "broken.json"
    not_json.write_text("{ nope")
    wrong_shape = tmp_path / "wrong.json"
    wrong_shape.write_text(json.dumps({"findings": "no"}))
    garbage_sbom = tmp_path / "sbom.json"
    garbage_sbom.write_text(json.dumps({"hello": 1}))
    bad_yml = tmp_path / "bad"
    bad_yml.mkdir()
    (bad_yml / "steward.yml").write_text("cra:\n  product:\n    support_period_end: soon\n")
    out = tmp_path / "out.md"
    cases = [
        (("docs", "annex-ix", str(project)), "unknown document 'annex-ix'"),
        (("docs", "annex-ii", str(tmp_path / "missing")), "missing: not a directory"),
        (("docs", "annex-ii", str(project), "-f", "json"), "only art25-attestation has a JSON"),
        (("docs", "annex-ii", str(project), "--assessment", str(not_json)),
         f"{not_json}:1: invalid JSON"),
        (("docs", "annex-ii", str(project), "--assessment", str(wrong_shape)),
         f"{wrong_shape}: not a Steward assessment"),
        (("docs", "annex-vii", str(project), "--vulns", str(wrong_shape)),
         f"{wrong_shape}: not a findings file"),
        (("docs", "annex-vii", str(project), "--vulns", str(tmp_path / "nope.json")),
         "nope.json: no such file"),
        (("docs", "annex-vii", str(project), "--sbom", str(garbage_sbom)),
         f"{garbage_sbom}: not an SBOM"),
        (("docs", "annex-vii", str(project), "--vex", str(garbage_sbom)),
         f"{garbage_sbom}: not a VEX document"),
        (("docs", "annex-vii", str(project), "--db", str(tmp_path / "none.sqlite")),
         "none.sqlite: no such case store"),
        (("docs", "annex-ii", str(bad_yml), "-o", str(out)),
         "steward.yml:3: cra.product.support_period_end: expected a date"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr, (message, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
