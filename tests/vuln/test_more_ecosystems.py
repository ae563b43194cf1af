"""crates.io, npm and Maven: the real RustSec and GHSA records in ../shared/data/osv-more,
matched on lockfiles that name each package at every version its ranges mention.

What is expected comes from :mod:`tests.vuln.reference` (univers' version orderings, ranges
read as intervals), not from the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steward.sbom.assemble import sbom_for_tree
from steward.store.vulndb import VulnDB
from steward.vuln.matcher import match
from steward.vuln.osv_import import import_osv
from tests.vuln.reference import affected, event_versions

Pairs = dict[tuple[str, str], set[str]]


def _records(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _entries(records: list[dict[str, Any]], ecosystem: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for record in records:
        for entry in record.get("affected") or []:
            if entry.get("package", {}).get("ecosystem") == ecosystem:
                yield record["id"], entry


def _expected(records: list[dict[str, Any]], ecosystem: str) -> Pairs:
    """(package, version) → ids of the records the reference evaluator says affect it."""
    versions: dict[str, set[str]] = {}
    for _ident, entry in _entries(records, ecosystem):
        versions.setdefault(entry["package"]["name"], set()).update(event_versions(entry))
    expected: Pairs = {(n, v): set() for n, vs in versions.items() for v in vs}
    for ident, entry in _entries(records, ecosystem):
        name = entry["package"]["name"]
        for version in versions[name]:
            if affected(entry, version):
                expected[(name, version)].add(ident)
    return expected


def _found(db: VulnDB, tree: Path) -> tuple[Pairs, int]:
    components = [c for _d, sbom in sbom_for_tree(tree) for c in sbom.components]
    result = match(db, components)
    assert result.not_checked == [] and result.unknown == []
    found: Pairs = {(c.name, c.version): set() for c in components}
    for finding in result.findings:
        found[(finding.component.name, finding.component.version)].update(finding.advisories)
    return found, len(components)


def _db(tmp_path: Path, folder: Path) -> VulnDB:
    db = VulnDB(tmp_path / "db.sqlite")
    import_osv(db, [folder])
    return db


def _check(found: Pairs, expected: Pairs) -> None:
    assert found.keys() == expected.keys()
    wrong = {k: (found[k], expected[k]) for k in expected if found[k] != expected[k]}
    assert wrong == {}
    hit = sum(1 for ids in expected.values() if ids)
    assert hit and hit < len(expected)  # both affected and unaffected versions are checked


def test_crates_on_a_cargo_lock(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "osv-more" / "crates.io"
    records = _records(folder)
    assert len(records) == 150
    expected = _expected(records, "crates.io")
    lock = ["version = 3", ""]
    for name, version in sorted(expected):
        lock += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{version}"',
            'source = "registry+https://github.com/rust-lang/crates.io-index"',
            "",
        ]
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "Cargo.lock").write_text("\n".join(lock))
    found, count = _found(_db(tmp_path, folder), tmp_path / "tree")
    assert count == len(expected) > 300
    _check(found, expected)


def test_npm_on_a_package_lock(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "osv-more" / "npm"
    expected = _expected(_records(folder), "npm")
    packages: dict[str, Any] = {"": {"name": "app", "version": "1.0.0"}}
    counter: dict[str, int] = {}
    for name, version in sorted(expected):
        n = counter[name] = counter.get(name, -1) + 1
        path = f"node_modules/{name}" if n == 0 else f"node_modules/holder{n}/node_modules/{name}"
        packages[path] = {"version": version}
    tree = tmp_path / "tree"
    tree.mkdir()
    lock = {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}
    (tree / "package-lock.json").write_text(json.dumps(lock))
    found, _count = _found(_db(tmp_path, folder), tree)
    _check(found, expected)


def test_maven_on_poms(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "osv-more" / "maven"
    expected = _expected(_records(folder), "Maven")
    by_name: dict[str, list[str]] = {}
    for name, version in sorted(expected):
        by_name.setdefault(name, []).append(version)
    tree = tmp_path / "tree"
    for index in range(max(len(v) for v in by_name.values())):
        deps = "".join(
            f"<dependency><groupId>{n.split(':')[0]}</groupId><artifactId>{n.split(':')[1]}"
            f"</artifactId><version>{vs[index]}</version></dependency>"
            for n, vs in sorted(by_name.items())
            if index < len(vs)
        )
        module = tree / f"module{index}"
        module.mkdir(parents=True)
        (module / "pom.xml").write_text(
            '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0'
            f"</modelVersion><groupId>org.example</groupId><artifactId>m{index}</artifactId>"
            f"<version>1</version><dependencies>{deps}</dependencies></project>"
        )
    found, _count = _found(_db(tmp_path, folder), tree)
    _check(found, expected)


@pytest.mark.parametrize(
    ("version", "ids"),
    [
        ("5.2.19.RELEASE", {"GHSA-36p3-wjmg-h94x"}),
        ("5.2.20.RELEASE", set()),
        ("5.3.17", {"GHSA-36p3-wjmg-h94x"}),
        ("5.3.18", set()),
    ],
)
def test_spring_release_qualifiers(
    shared_data: Path, tmp_path: Path, version: str, ids: set[str]
) -> None:
    """Spring4Shell's ``.RELEASE`` versions (a dotted qualifier equal to the release)."""
    entries = [
        e
        for _i, e in _entries(_records(shared_data / "osv-more" / "maven"), "Maven")
        if e["package"]["name"] == "org.springframework:spring-beans"
    ]
    assert any(affected(e, version) for e in entries) is bool(ids)  # the reference agrees
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        "<groupId>o</groupId><artifactId>a</artifactId><version>1</version><dependencies>"
        "<dependency><groupId>org.springframework</groupId><artifactId>spring-beans</artifactId>"
        f"<version>{version}</version></dependency></dependencies></project>"
    )
    found, _count = _found(_db(tmp_path, shared_data / "osv-more" / "maven"), tree)
    assert found[("org.springframework:spring-beans", version)] == ids
