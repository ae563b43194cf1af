"""Kind 6 of issue 18: untyped data and silent empty results.

Values of the wrong type where text is expected are dropped at the parser's boundary
(:mod:`steward.shapes`) with a warning naming the file and the entry; packages without a
usable name are skipped with a warning; a lockfile that yields nothing because of such
problems is an error (exit 2) saying why, while a genuinely empty one is an empty SBOM.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steward import shapes
from steward.errors import InputError


def _sbom(cli, root: Path) -> tuple[int, str, dict | None]:
    out = root / "out.cdx.json"
    result = cli("sbom", str(root), "-o", str(out))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    doc = json.loads(out.read_text()) if out.exists() else None
    return result.exit_code, result.stderr, doc


def _purls(doc: dict | None) -> list[str]:
    return sorted(c.get("purl", "") for c in (doc or {}).get("components", []))


GOOD_NPM = {"version": "1.0.0", "integrity": "sha512-AAAA"}
#: file name → (lockfile text with one good package "a" and wrongly typed entries, the
#: part of the warning naming the dropped value)
WRONG_TYPES = {
    "package-lock.json": (
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {
                    "": {"dependencies": {"a": "1", "b": "1", "c": "1"}},
                    "node_modules/a": GOOD_NPM,
                    "node_modules/b": {"version": 5, "integrity": ["x"]},
                    "node_modules/c": {"version": "1.0.0", "name": [], "integrity": {"a": 1}},
                },
            }
        ),
        "packages['node_modules/b'].version is a number, expected text",
    ),
    "pnpm-lock.yaml": (
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n"
        "  b@1.0.0:\n    resolution: {integrity: [1, 2]}\n",
        "resolution.integrity is a list, expected text",
    ),
    "pubspec.lock": (
        "packages:\n  a:\n    dependency: direct main\n    source: hosted\n    version: '1.0.0'\n"
        "    description: {name: a, url: 'https://pub.dev'}\n"
        "  b:\n    dependency: [1]\n    source: hosted\n    version: {x: 1}\n"
        "    description: {name: [b], url: 'https://pub.dev'}\n",
        "packages.b.version is a mapping",
    ),
    "pdm.lock": (
        '[[package]]\nname = "a"\nversion = "1.0.0"\n\n[[package]]\nname = 5\nversion = "1"\n',
        "package[1].name is a number, expected text",
    ),
    "pylock.toml": (
        'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nversion = "1.0.0"\n'
        '[[packages]]\nname = "b"\nversion = ["1"]\n',
        "packages[1].version is a list, expected text",
    ),
    "poetry.lock": (
        '[[package]]\nname = "a"\nversion = "1.0.0"\nfiles = []\n\n'
        '[[package]]\nname = "b"\nversion = 2\nfiles = [{file = 1, hash = 2}]\n',
        "package[1].version is a number, expected text",
    ),
    "bun.lock": (
        '{"lockfileVersion": 1, "workspaces": {"": {"name": 5}},'
        ' "packages": {"a": ["a@1.0.0", "", {}, "sha512-AAAA"], "b": 7}}',
        "packages.b is a number, expected a list",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG_TYPES))
def test_wrong_types_are_dropped_with_a_warning(cli, tmp_path: Path, name: str) -> None:
    text, expected = WRONG_TYPES[name]
    (tmp_path / name).write_text(text)
    code, stderr, doc = _sbom(cli, tmp_path)
    assert code == 0, stderr
    assert expected in stderr and name in stderr, stderr
    assert any("/a@1.0.0" in p for p in _purls(doc)), _purls(doc)


EMPTY_NAMES = {
    "go.mod": ("module x\n\ngo 1.21\n\nrequire (\n\t/ v1.0.0\n\tgithub.com/a/b v1.2.3\n)\n", "'/'"),
    "composer.lock": (
        '{"packages": [{"name": "/", "version": "1.0"}, {"name": "a/b", "version": "1.0"}]}',
        "'/'",
    ),
    "yarn.lock": ('"@/":\n  version "1.0.0"\n"a@^1":\n  version "1.0.0"\n', "'@/'"),
    "gradle.lockfile": ("com.a:b:1.0=runtimeClasspath\n::1.0=runtimeClasspath\n", "'::1.0"),
}


@pytest.mark.parametrize("name", sorted(EMPTY_NAMES))
def test_empty_purl_names_are_skipped(cli, tmp_path: Path, name: str) -> None:
    text, expected = EMPTY_NAMES[name]
    (tmp_path / name).write_text(text)
    code, stderr, doc = _sbom(cli, tmp_path)
    assert code == 0, stderr
    assert expected in stderr, stderr
    assert all(p and "//" not in p.split("@")[0] for p in _purls(doc)), _purls(doc)


def test_yarn_entry_without_descriptor(cli, tmp_path: Path) -> None:
    (tmp_path / "yarn.lock").write_text('a@^1:\n  version "1.0.0"\n:\n  version "2.0.0"\n')
    code, stderr, _ = _sbom(cli, tmp_path)
    assert code == 0 and "yarn.lock:3: an entry without a package descriptor" in stderr


def test_nothing_usable_is_an_error_but_empty_is_not(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "package-lock.json").write_text(
        json.dumps({"lockfileVersion": 3, "packages": {"node_modules/": {"version": 5, "name": 1}}})
    )
    code, stderr, doc = _sbom(cli, broken)
    assert code == 2 and doc is None
    assert "nothing usable was read" in stderr and "package-lock.json" in stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {"": {}}}')
    code, stderr, doc = _sbom(cli, empty)
    assert code == 0 and doc is not None and _purls(doc) == []


def test_shapes_helper() -> None:
    data = {"a": {"x": 1, "y": "ok"}, "b": [1, "two", {"k": 3}], "c": None}
    problems = shapes.check(data, {"a": {"*": str}, "b": [str], "c": str}, source="f.json")
    assert data == {"a": {"y": "ok"}, "b": ["two"], "c": None}
    assert problems == [
        "a.x is a number, expected text; ignored",
        "b[0] is a number, expected text; ignored",
        "b[2] is a mapping, expected text; ignored",
    ]
    with pytest.raises(InputError, match=r"f\.json: the document is a list"):
        shapes.check([1], {"a": str}, source="f.json")
    one = shapes.OneOf(str, {"url": str})
    assert shapes.check({"d": {"url": 1}}, {"d": one}, source="f") == [
        "d.url is a number, expected text; ignored"
    ]
    assert shapes.check({"d": 5}, {"d": one}, source="f") == [
        "d is a number, expected text or a mapping; ignored"
    ]


def test_from_finding_input_is_shape_checked(cli, tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    findings.write_text(
        json.dumps(
            {
                "findings": [
                    {"id": "GHSA-1", "aliases": 5, "package": {"name": "a", "version": "1"}},
                    {"id": "GHSA-2", "aliases": ["CVE-2"], "package": {"name": ["a"]}},
                ]
            }
        )
    )
    db = str(tmp_path / "cases.db")
    for wanted, problem in (("GHSA-1", "aliases is a number"), ("CVE-2", "package.name is a list")):
        result = cli(
            "case", "new", "--from-finding", str(findings), "--finding", wanted, "--db", db
        )
        assert result.exit_code == 2, result.stderr
        assert f"finding {wanted}: {problem}" in result.stderr and "findings.json" in result.stderr


def test_deep_csaf_refused_before_schema_validation(cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"document": ' + "[" * 600 + "]" * 600 + "}")
    result = cli("csaf", "validate", str(deep))
    assert result.exit_code == 2, result.stderr
    assert "deep.json: nested more than 200 levels deep (limit on nesting)" in result.stderr


def test_a_null_item_of_a_list_is_no_entry() -> None:
    """``null`` is an absent field, but an item of a list that is null is no entry at all:
    removed and reported, so a parser never meets None where it declared text."""
    data = {"versions": ["1.0", None, "2.0"], "name": None, "any": [None]}
    spec = {"versions": [str], "name": str, "any": [shapes.ANY]}
    problems = shapes.check(data, spec, source="f.json")
    assert problems == ["versions[1] is null, expected text; ignored"]
    assert data == {"versions": ["1.0", "2.0"], "name": None, "any": [None]}
