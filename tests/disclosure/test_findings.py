"""Opening a case from a finding: the product is the manufacturer's, the fix is the branch's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steward.disclosure.events import EventKind
from steward.disclosure.findings import ProductRef, branch_fix, drafts_from_finding, load_finding
from steward.errors import InputError


@pytest.mark.parametrize(
    ("ecosystem", "installed", "fixed", "expected"),
    [
        ("PyPI", "1.26.15", ["2.0.6", "1.26.17"], ["1.26.17"]),
        ("PyPI", "2.0.4", ["2.0.6", "1.26.17"], ["2.0.6"]),
        ("npm", "4.17.20", ["5.0.0", "4.17.21"], ["4.17.21"]),
        ("Maven", "2.14.1", ["2.3.1", "2.12.2", "2.15.0"], ["2.15.0"]),
        ("Go", "v0.9.0", ["v0.17.0", "v0.10.1"], ["v0.10.1"]),
        ("PyPI", "3.0", ["2.0.6", "1.26.17"], ["2.0.6", "1.26.17"]),  # nothing above: keep all
        ("NoSuchEcosystem", "1.0", ["2.0", "1.1"], ["2.0", "1.1"]),  # unknown order: keep all
        ("npm", "not a version!", ["2.0.0", "1.1.0"], ["2.0.0", "1.1.0"]),
    ],
)
def test_the_fix_for_the_shipped_branch(
    ecosystem: str, installed: str, fixed: list[str], expected: list[str]
) -> None:
    assert branch_fix(ecosystem, installed, fixed) == expected


def _finding() -> dict:
    return {
        "id": "GHSA-v845-jxx5-vc9f",
        "aliases": ["CVE-2023-43804"],
        "package": {
            "ecosystem": "PyPI",
            "name": "urllib3",
            "version": "1.26.15",
            "purl": "pkg:pypi/urllib3@1.26.15",
        },
        "fixed_versions": ["2.0.6", "1.26.17"],
        "exploited": {"kev": None, "euvd": {"listed": True, "exploited_since": "2026-11-01"}},
    }


def test_the_product_comes_from_the_findings_file(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps({"product": {"name": "gateway", "version": "3.2.0"}, "findings": [_finding()]})
    )
    finding, product = load_finding(path, "CVE-2023-43804")
    assert product == ProductRef(name="gateway", version="3.2.0")
    title, drafts = drafts_from_finding(finding, product, source=str(path))
    added = next(d for d in drafts if d.kind is EventKind.PRODUCT_ADDED).data["product"]
    assert added["name"] == "gateway" and added["affected"] == ["==3.2.0"]
    assert added["components"] == [
        {
            "name": "urllib3",
            "version": "1.26.15",
            "affected": ["==1.26.15"],
            "ecosystem": "PyPI",
            "purl": "pkg:pypi/urllib3",
            "fixed": ["1.26.17"],
        }
    ]
    aware = next(d for d in drafts if d.kind is EventKind.EXPLOITATION_AWARE)
    assert aware.data["evidence"] == "listed as exploited in ENISA EUVD (2026-11-01)"
    assert title == "GHSA-v845-jxx5-vc9f in urllib3 1.26.15"


def test_without_a_product_the_finding_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="name no scanned product"):
        drafts_from_finding(_finding(), None, source="f.json")
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"product": {"version": "1"}, "findings": [_finding()]}))
    with pytest.raises(InputError, match="'product' must be an object with a 'name'"):
        load_finding(path, "CVE-2023-43804")
