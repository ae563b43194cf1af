"""The evidence pack's advisories for published cases: a manufacturer's product is not an OSV
package, so its advisory is CSAF; a case whose advisory cannot be built is listed as missing,
not a failed pack.

Found by trying issue 15 as a PSIRT (helper break15): one published case about the
manufacturer's own product (``case new --product "Acme Gateway"``, item 3) made
``steward evidence pack`` exit 2 with OSV's "not a package" refusal.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(path))
    return path


def _published(cli, *args: str) -> str:
    case_id = cli("case", "new", *args).stdout.strip()
    for kind in ("confirmed", "published"):
        assert cli("case", "event", case_id, kind).exit_code == 0
    return case_id


def test_published_product_cases_get_a_csaf_advisory_in_the_pack(
    cli, db: Path, tmp_path: Path
) -> None:
    profile = ("case", "profile", "set", "--name", "Acme GmbH", "--country", "DE")
    assert cli(*profile).exit_code == 0
    product = _published(
        cli, "Proxy credentials leak", "--product", "Acme Gateway", "--product-version", "3.2.0"
    )
    package = _published(
        cli, "Path traversal", "--product", "acmetool", "--ecosystem", "PyPI", "--fixed", "2.3.1"
    )
    project = tmp_path / "project"
    project.mkdir()
    out = tmp_path / "pack.zip"
    # without a website CSAF has no publisher namespace: the pack says so and is still built
    built = cli("evidence", "pack", str(project), "--db", str(db), "-o", str(out))
    assert built.exit_code == 0, built.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert f"advisories/{package}.osv.json" in names
    assert not [n for n in names if n.startswith(f"advisories/{product}")]
    missing = [m for m in manifest["missing"] if product in m["what"]]
    assert missing and "website" in missing[0]["what"]
    assert product in missing[0]["supply"]
    # with one, the product's advisory is a valid CSAF document
    assert cli(*profile, "--website", "https://acme.example").exit_code == 0
    out.unlink()
    built = cli("evidence", "pack", str(project), "--db", str(db), "-o", str(out))
    assert built.exit_code == 0, built.stderr
    with zipfile.ZipFile(out) as zf:
        csaf = json.loads(zf.read(f"advisories/{product}.csaf.json"))
    from steward.disclosure.advisories.csaf_validate import validate

    assert validate(csaf) == []
    tree = csaf["product_tree"]["branches"][0]
    assert tree["name"] == "Acme GmbH" and tree["branches"][0]["name"] == "Acme Gateway"
