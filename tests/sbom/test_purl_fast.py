"""The purls written without packageurl-python (steward.sbom.purl._direct) are the library's.

Generated names over an alphabet with every character class the library treats specially
(case, ``_``, ``+``, ``%``, spaces, ``/``, ``@``, ``:``, non-ASCII) for every ecosystem, and
every (name, version) of the real lockfile corpus, are written both ways and compared.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from packageurl import PackageURL

from steward.sbom import purl as purl_module
from steward.sbom.purl import ECOSYSTEM_TO_PURL_TYPE, make_purl

_ALPHABET = "aZ09._~-+:/@% _ÄßЖ!#?&=\t"


def _via_library(
    ecosystem: str, name: str, version: str | None, qualifiers: dict[str, str] | None = None
) -> str | None:
    """make_purl with the direct writer switched off: the library writes every purl."""
    original = purl_module._direct
    purl_module._direct = lambda *args: None
    try:
        return make_purl(ecosystem, name, version, qualifiers)
    finally:
        purl_module._direct = original


def test_direct_writer_agrees_with_packageurl_on_generated_names() -> None:
    rng = random.Random(17)
    plain = "abcXYZ019._~-@+"
    checked = direct = 0
    for ecosystem in ECOSYSTEM_TO_PURL_TYPE:
        for _ in range(400):
            alphabet = plain if rng.random() < 0.6 else _ALPHABET
            name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            if rng.random() < 0.3:
                name = "".join(rng.choice(plain) for _ in range(4)) + "/" + name
            if ecosystem == "npm" and rng.random() < 0.3:
                name = "@" + name.replace("/", "") + "/pkg_" + name[:3]
            if ecosystem == "Maven" and rng.random() < 0.5:
                name = name.replace("/", ".") + ":Artifact_" + name[:2]
            version = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) or None
            expected = _via_library(ecosystem, name, version)
            assert make_purl(ecosystem, name, version) == expected, (ecosystem, name, version)
            checked += 1
            namespace, short = purl_module.split_name(ecosystem, name)
            purl_type = ECOSYSTEM_TO_PURL_TYPE[ecosystem]
            direct += purl_module._direct(purl_type, namespace, short, version) is not None
    assert checked == 400 * len(ECOSYSTEM_TO_PURL_TYPE)
    assert direct > checked // 3  # the direct writer is exercised, not only the fallback


def test_qualifiers_and_subpaths_still_go_through_the_library() -> None:
    qualifiers = {"repository_url": "https://example.org/r", "empty": ""}
    expected = PackageURL(
        type="maven",
        namespace="org.example",
        name="lib",
        version="1.0",
        qualifiers={"repository_url": "https://example.org/r"},
    ).to_string()
    assert make_purl("Maven", "org.example:lib", "1.0", qualifiers) == expected


def test_direct_writer_agrees_on_the_real_lockfile_corpus(shared_data: Path) -> None:
    expected = json.loads((shared_data / "lockfiles" / "expected.json").read_text())
    from steward.sbom.purl import PURL_TYPE_TO_ECOSYSTEM

    pairs = 0
    for spec in expected.values():
        for package in spec.get("packages") or []:
            ecosystem = PURL_TYPE_TO_ECOSYSTEM.get(package.get("purl_type", ""))
            if ecosystem is None:
                continue
            name, version = package["name"], package.get("version") or None
            assert make_purl(ecosystem, name, version) == _via_library(ecosystem, name, version)
            pairs += 1
    assert pairs > 500
