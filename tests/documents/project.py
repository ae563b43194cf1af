"""A realistic project for the document tests, and the answers a manufacturer would give.

``make_project``: the widget repository of the assessment tests (security policy with a
private contact, licence, CI with tests and CodeQL, Dependabot, a signed-off history and a
release tag), with a real uv.lock from the shared lockfile corpus and an ``origin`` on GitHub,
so evidence has web addresses. ``ANSWERS``: a complete ``cra:`` section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.collect.gitrepo import commit, git, init
from tests.evaluate.test_assess import GOOD_FILES, LICENSES

REPOSITORY = "https://github.com/acme/widget"

SCOPE_MANUFACTURER: dict[str, Any] = {
    "eu_market": True,
    "excluded_sector": False,
    "contributor_only": False,
    "charges_price": True,
    "own_name": True,
    "category": "none",
}

ANSWERS: dict[str, Any] = {
    "scope": SCOPE_MANUFACTURER,
    "manufacturer": {
        "name": "Acme Widgets GmbH",
        "address": "Hauptstrasse 1, 10115 Berlin, Germany",
        "email": "compliance@acme.example",
        "website": "https://acme.example",
        "country": "DE",
    },
    "product": {
        "type": "command-line library for parsing widget files",
        "version": "1.0.0",
        "identification": "pkg:pypi/widget@1.0.0",
        "intended_purpose": "Parse widget files on developer workstations and CI runners.",
        "security_environment": "Runs with the invoking user's rights; no network access.",
        "essential_functions": ["parse widget files", "validate widget files"],
        "security_properties": ["input size limits", "no code execution from input"],
        "foreseeable_risks": ["parsing files from untrusted sources without the size limit"],
        "support_type": "security updates for the latest minor release",
        "support_period_end": "2031-12-31",
        "support_period_rationale": "widget files are archived for five years",
        "declaration_url": "https://acme.example/widget/declaration",
        "sbom_location": "https://acme.example/widget/sbom.cdx.json",
        "hardware_illustrations": "not applicable: software only",
        "architecture": "a parser and a validator, both pure Python",
        "production_monitoring": "releases are built by CI from signed tags",
        "instructions": {
            "commissioning": "https://acme.example/widget/docs/secure-use",
            "data_changes": "configuration changes do not touch user data",
            "updates": "pip install --upgrade widget",
            "decommissioning": "pip uninstall widget; the library stores no data",
            "automatic_updates_off": "not applicable: updates are installed by the user",
            "integration": "https://acme.example/widget/docs/integration",
        },
    },
    "annex_i": {
        item: {"applies": True, "justification": f"assessed for item {item}"}
        for item in ["1", *(f"2({c})" for c in "abcdefghijklm")]
    },
    "standards": [{"reference": "EN 40000-1-2", "applied": "partial", "parts": "clause 5"}],
    "declaration": {
        "procedure": "internal control (module A)",
        "place": "Berlin",
        "date": "2027-12-01",
        "signatory": "A. Person",
        "function": "Managing director",
    },
    "steward": {
        "name": "Widget Foundation",
        "address": "1 Rue Exemple, Brussels",
        "email": "board@widget.example",
        "website": "https://widget.example",
    },
    "policy": {
        key: f"The foundation's commitment on {key.replace('_', ' ')}."
        for key in (
            "secure_development", "vulnerability_handling", "voluntary_reporting",
            "remediation", "information_sharing", "authority_cooperation",
            "incident_reporting", "review",
        )
    },
    "attestation": {
        "issuer": {
            "name": "Widget Foundation",
            "registered_address": "1 Rue Exemple, Brussels",
            "website": "https://widget.example",
        },
        "primary_contact": "A. Person",
        "organizational_role": "Security lead",
        "valid_for_versions": "1.0.0",
        "valid_for_dates": "2026-11-29 to 2027-11-28",
        "issued_on": "2026-11-29",
        "controls": {
            "LE.02": {"status": "met"},
            "QA.05": {"applies": False, "status": "not_applicable",
                      "note": "pure Python, no native code"},
        },
    },
}  # fmt: skip


def make_project(root: Path, shared_data: Path, *, answers: dict[str, Any] | None = None) -> Path:
    """The widget project at ``root`` (a git checkout), with ``answers`` as ``cra:``."""
    init(root)
    files: dict[str, str | bytes] = {**GOOD_FILES, "LICENSE": (LICENSES / "MIT").read_text()}
    files["uv.lock"] = (shared_data / "lockfiles/python-uvlock/grouped-packages.lock").read_bytes()
    if answers is not None:
        files["steward.yml"] = yaml.safe_dump({"cra": answers}, sort_keys=False)
    commit(root, "initial\n\nSigned-off-by: Alice <alice@example.org>", files, when=1764000000)
    commit(root, "fix\n\nSigned-off-by: Bob <bob@example.org>", {"src/widget/a.py": "x = 1\n"},
           author=("Bob", "bob@example.org"), when=1764100000)  # fmt: skip
    git(root, "tag", "-a", "v1.0.0", "-m", "1.0.0")
    git(root, "remote", "add", "origin", f"{REPOSITORY}.git")
    return root


def write_answers(root: Path, answers: dict[str, Any]) -> None:
    (root / "steward.yml").write_text(yaml.safe_dump({"cra": answers}, sort_keys=False))
