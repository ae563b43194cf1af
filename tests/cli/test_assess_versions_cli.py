"""`steward assess`: every format names the catalog version and the mapped framework editions,
and `--format gemara` writes a valid Gemara EvaluationLog."""

from __future__ import annotations

import json
from pathlib import Path

from steward.catalog.loader import load_catalog
from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture
from tests.evaluate.test_gemara import validate


def test_every_format_names_catalog_and_framework_versions(cli, good_repo: Path) -> None:  # noqa: F811
    catalog = load_catalog()
    osps = catalog.framework("osps")
    assert osps is not None
    outputs = {
        fmt: cli("assess", str(good_repo), "--only", "VUL", "-f", fmt).stdout
        for fmt in ("table", "json", "markdown", "html", "sarif", "oscal", "gemara")
    }
    for fmt, text in outputs.items():
        assert catalog.version in text, fmt
        assert osps.version in " ".join(text.split()), fmt
    data = json.loads(outputs["json"])
    assert data["frameworks"]["osps"] == osps.version
    sarif = json.loads(outputs["sarif"])
    assert sarif["runs"][0]["properties"]["frameworks"]["ssdf"] == "1.1"
    oscal = json.loads(outputs["oscal"])
    props = oscal["assessment-results"]["metadata"]["props"]
    assert f"osps {osps.version}" in {p["value"] for p in props if p["name"] == "framework-version"}


def test_gemara_format(cli, good_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "evaluation.json"
    result = cli("assess", str(good_repo), "--format", "gemara", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    document = json.loads(target.read_text())
    validate(document)
    assert document["metadata"]["type"] == "EvaluationLog"
    assert len(document["evaluations"]) == len(load_catalog().requirements)
