"""Seed inputs of each fuzz family: real files from the shared corpora, plus small
self-written seeds for the families the corpora do not cover (VEX, steward.yml)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import _shared_data_dir

OPENVEX = {
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.org/vex/1",
    "author": "Example",
    "timestamp": "2026-01-01T00:00:00Z",
    "version": 1,
    "statements": [
        {
            "vulnerability": {"name": "CVE-2024-0001", "aliases": ["GHSA-xxxx-yyyy-zzzz"]},
            "products": [{"@id": "pkg:pypi/requests@2.0.0", "subcomponents": []}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_present",
        }
    ],
}
CYCLONEDX_VEX = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "components": [{"type": "library", "name": "requests", "version": "2.0.0",
                    "purl": "pkg:pypi/requests@2.0.0", "bom-ref": "r"}],
    "vulnerabilities": [
        {"id": "CVE-2024-0001", "affects": [{"ref": "r"}],
         "analysis": {"state": "not_affected", "justification": "code_not_present"}}
    ],
}  # fmt: skip
STEWARD_YML = b"""\
project:
  name: example
  version: 1.0.0
accept:
  - requirement: STW-DOC-01
    reason: documented elsewhere
    paths: ["docs/**"]
"""
WORKFLOW = b"""\
name: ci
on: [push, pull_request]
permissions: {contents: read}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e . && pytest
"""


def lockfiles() -> list[tuple[str, Path]]:
    """(canonical file name, fixture) for every lockfile in the corpus with a name."""
    base = _shared_data_dir() / "lockfiles"
    expected = base / "expected.json"
    if not expected.is_file():
        return []
    meta = json.loads(expected.read_text())
    return sorted(
        (m["canonical_filename"], base / key) for key, m in meta.items() if (base / key).is_file()
    )


def files(folder: str, *suffixes: str, limit: int = 60) -> list[Path]:
    base = _shared_data_dir() / folder
    if not base.is_dir():
        return []
    found = sorted(p for p in base.rglob("*") if p.is_file() and p.name.endswith(suffixes))
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def vex_seeds() -> list[tuple[str, bytes]]:
    seeds = [("openvex.json", json.dumps(OPENVEX).encode()),
             ("vex.cdx.json", json.dumps(CYCLONEDX_VEX).encode())]  # fmt: skip
    seeds += [("csaf.json", p.read_bytes()) for p in files("csaf-2.0/examples", ".json", limit=5)]
    return seeds
