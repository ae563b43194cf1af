"""The common standard: schema, cross references, and coverage checked against the real
OSPS Baseline catalog and Scorecard's check list (../shared/data)."""

from __future__ import annotations

import shutil
from importlib.resources import as_file, files
from pathlib import Path

import pytest
import yaml

from steward.catalog.crosswalk import Framework, crosswalk
from steward.catalog.loader import (
    load_catalog,
    load_catalog_from,
    load_cra_items,
    load_osps_requirements,
    load_probe_vocabulary,
    load_scorecard_checks,
    load_scorecard_out_of_scope,
)
from steward.errors import InputError


def osps_from_baseline(shared_data: Path) -> dict[str, int]:
    levels: dict[str, int] = {}
    for path in sorted((shared_data / "osps-baseline" / "baseline").glob("OSPS-*.yaml")):
        for control in yaml.safe_load(path.read_text())["controls"]:
            for req in control["assessment-requirements"]:
                levels[req["id"]] = min(int(a.split("-")[1]) for a in req["applicability"])
    return levels


def test_catalog_loads_and_is_substantial() -> None:
    catalog = load_catalog()
    assert len(catalog.requirements) >= 60
    assert {f.id for f in catalog.families} == {r.family for r in catalog.requirements}
    ids = [r.id for r in catalog.requirements]
    assert len(ids) == len(set(ids))
    for r in catalog.requirements:
        assert "MUST" in r.text or "SHOULD" in r.text, r.id
        assert r.verification.probes or r.verification.attestation, r.id


def test_framework_editions_are_pinned_and_licensed(shared_data: Path) -> None:
    """Every framework a requirement maps to names its edition, date and licence; the OSPS
    data carries the licence of the repository it comes from (Apache-2.0)."""
    catalog = load_catalog()
    ids = {f.id for f in catalog.frameworks}
    assert {"cra", "osps", "ssdf", "scorecard"} <= ids
    for f in catalog.frameworks:
        assert f.version and f.licence and f.url.startswith("https://"), f.id
    osps = catalog.framework("osps")
    assert osps is not None and osps.licence == "Apache-2.0"
    licence = (shared_data / "osps-baseline" / "LICENSE").read_text()
    assert "Apache License" in licence and "Version 2.0" in licence
    assert catalog.framework("ssdf").version == "1.1"  # type: ignore[union-attr]
    provenance = catalog.provenance()
    assert provenance["catalog"] == {
        "title": catalog.title,
        "version": catalog.version,
        "released": catalog.released,
        "licence": "Apache-2.0",
    }
    line = catalog.versions_line()
    assert line.startswith(f"Steward catalog {catalog.version}") and "SSDF 1.1" in line


def test_every_osps_requirement_is_covered(shared_data: Path) -> None:
    baseline = osps_from_baseline(shared_data)
    assert len(baseline) == 65
    assert load_osps_requirements() == baseline  # our packaged list is the published one
    covered = {o for r in load_catalog().requirements for o in r.mappings.osps}
    assert sorted(set(baseline) - covered) == []


def test_levels_are_no_stricter_than_osps(shared_data: Path) -> None:
    """An OSPS requirement that applies at maturity N is met by one of our requirements at
    level N or below, so a project at our level N also meets OSPS level N."""
    baseline = osps_from_baseline(shared_data)
    lowest: dict[str, int] = {}
    for r in load_catalog().requirements:
        for o in r.mappings.osps:
            lowest[o] = min(lowest.get(o, 9), r.level)
    too_strict = {o: (lowest[o], baseline[o]) for o in lowest if lowest[o] > baseline[o]}
    assert too_strict == {}


def test_every_cra_item_is_covered() -> None:
    items = load_cra_items()
    required = (
        ["Annex I Part I (1)"]
        + [f"Annex I Part I (2)({c})" for c in "abcdefghijklm"]
        + [f"Annex I Part II ({n})" for n in range(1, 9)]
        + [
            "Art. 13(5)",
            "Art. 13(6)",
            "Art. 13(8)",
            "Art. 14(1)",
            "Art. 14(2)",
            "Art. 14(3)",
            "Art. 14(4)",
            "Art. 14(8)",
            "Art. 24(1)",
            "Art. 24(2)",
            "Art. 24(3)",
        ]
    )
    assert set(required) <= set(items)
    covered = {c for r in load_catalog().requirements for c in r.mappings.cra}
    assert sorted(set(items) - covered) == []


def test_every_scorecard_check_is_mapped_or_out_of_scope(shared_data: Path) -> None:
    checks = list(
        yaml.safe_load((shared_data / "scorecard-testdata" / "checks.yaml").read_text())["checks"]
    )
    assert sorted(load_scorecard_checks()) == sorted(checks)
    mapped = {s for r in load_catalog().requirements for s in r.mappings.scorecard}
    out_of_scope = load_scorecard_out_of_scope()
    assert all(len(reason) > 40 for reason in out_of_scope.values())
    assert not (mapped & set(out_of_scope))
    assert sorted(set(checks) - mapped - set(out_of_scope)) == []


def test_probes_are_from_the_vocabulary() -> None:
    vocabulary = load_probe_vocabulary()
    used = {p for r in load_catalog().requirements for p in r.verification.probes}
    assert used <= set(vocabulary)
    assert all(
        spec.needs and set(spec.needs) <= {"files", "git", "forge"} for spec in vocabulary.values()
    )


def test_crosswalks_have_no_gaps_where_coverage_is_required() -> None:
    catalog = load_catalog()
    for framework in (Framework.CRA, Framework.OSPS, Framework.SCORECARD):
        assert [r.item for r in crosswalk(catalog, framework) if r.gap] == []
    ssdf = crosswalk(catalog, Framework.SSDF)
    assert len(ssdf) == 42 and sum(1 for r in ssdf if r.requirements) >= 30


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    with as_file(files("steward.catalog") / "data") as source:
        target = tmp_path / "data"
        shutil.copytree(source, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "VUL.yaml",
            "probes: [security_policy_private_contact]",
            "probes: [no_such_probe]",
            "unknown probe",
        ),
        ("VUL.yaml", "level: 1", "level: 4", "level"),
        ("VUL.yaml", "id: STW-VUL-02", "id: STW-VUL-01", "defined again"),
        ("VUL.yaml", "id: STW-VUL-02", "id: STW-GOV-99", "family"),
        (
            "VUL.yaml",
            'cra: ["Annex I Part II (6)", "Annex I Part II (5)"]',
            'cra: ["Annex IX"]',
            "unknown CRA item",
        ),
        ("VUL.yaml", "osps: [OSPS-VM-02.01]", "osps: [OSPS-VM-99.01]", "unknown OSPS"),
        ("VUL.yaml", "ssdf: [RV.1.3]", "ssdf: [RV.9.9]", "unknown SSDF"),
        ("VUL.yaml", "rationale: CRA Annex I Part II (6)", "rationalle: x", "rationale"),
        ("VUL.yaml", "requirements:", "requirements: [unclosed", "invalid YAML"),
    ],
)
def test_broken_catalog_is_a_clear_error(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(data_copy / "requirements" / file, old, new)
    with pytest.raises(InputError, match=message) as info:
        load_catalog_from(data_copy)
    assert "VUL.yaml" in str(info.value)


def test_every_requirement_has_a_source_with_a_link() -> None:
    """Each requirement says where it comes from: a section of a foundation's published
    process, or the regulation / framework text (OSPS, ORC, CRA, SSDF, Scorecard)."""
    from steward.catalog.sources import sources_of

    catalog = load_catalog()
    frameworks = {f.id for f in catalog.frameworks}
    foundations = {f.id for f in catalog.foundations}
    missing = [r.id for r in catalog.requirements if not sources_of(r, catalog)]
    assert missing == []
    for r in catalog.requirements:
        for source in sources_of(r, catalog):
            assert source.url.startswith("https://"), (r.id, source)
            assert source.by in foundations | frameworks, (r.id, source)
    vul01 = sources_of(catalog.get("STW-VUL-01"), catalog)  # type: ignore[arg-type]
    assert {s.by for s in vul01} >= foundations  # all seven foundations publish a policy
    osps = next(s for s in vul01 if s.by == "osps")
    assert osps.url == "https://baseline.openssf.org/versions/2026-02-19#osps-vm-0101"
    cited = {s for r in catalog.requirements for s in r.sources}
    assert len(cited) >= 40


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "sources: [apache-report, eclipse-policy, psf-report",
            "sources: [no-such-section, eclipse-policy, psf-report",
            "unknown source 'no-such-section'",
        ),
        (
            "      foundations: [apache, eclipse, psf, rust, php, openssl, blender]\n"
            "  - id: STW-VUL-02",
            "      foundations: [apache]\n  - id: STW-VUL-02",
            "mappings.foundations must be the foundations",
        ),
    ],
)
def test_sources_and_foundation_claims_must_agree(
    data_copy: Path, old: str, new: str, message: str
) -> None:
    _edit(data_copy / "requirements" / "VUL.yaml", old, new)
    with pytest.raises(InputError, match=message):
        load_catalog_from(data_copy)
