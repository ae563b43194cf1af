"""Kind 5 of issue 18: resource exhaustion. Every limit hit says which limit, exit 2.

Deeply nested TOML in the five TOML lockfile formats, YAML aliases that expand to millions
of nodes (OSV import and lockfiles), and nesting in steward's other TOML readers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.errors import UnsafeInputError
from steward.safeio import check_depth, loads_yaml

DEEP = "[" * 5000 + "1" + "]" * 5000
TOML_LOCKFILES = {
    "Cargo.lock": f'version = 3\n[[package]]\nname = "a"\nversion = "1.0.0"\nx = {DEEP}\n',
    "poetry.lock": f'[[package]]\nname = "a"\nversion = "1.0.0"\nx = {DEEP}\n',
    "uv.lock": f'version = 1\n[[package]]\nname = "a"\nversion = "1.0.0"\nx = {DEEP}\n',
    "pdm.lock": f'[[package]]\nname = "a"\nversion = "1.0.0"\nx = {DEEP}\n',
    "pylock.toml": f'lock-version = "1.0"\n[[packages]]\nname = "a"\nx = {DEEP}\n',
}


@pytest.mark.parametrize("name", sorted(TOML_LOCKFILES))
def test_deep_toml_lockfiles(cli, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(TOML_LOCKFILES[name])
    result = cli("sbom", str(tmp_path))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert f"{name}: nested more than 200 levels deep (limit on nesting)" in result.stderr


def test_deep_pyproject_beside_a_lockfile(cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'p'\nx = {DEEP}\n")
    (tmp_path / "requirements.txt").write_text("requests==2.0.0\n")
    result = cli("sbom", str(tmp_path))
    assert result.exit_code == 0, result.stderr


def test_check_depth_skips_strings_and_comments() -> None:
    check_depth("a = \"[[[[[[\"\nb = '{{{{'\n# [[[[[[\nc = [[1]]\n", source="x", max_depth=2)
    with pytest.raises(UnsafeInputError, match="x: nested more than 2"):
        check_depth("a = 1\nb = [[[1]]]\n", source="x", max_depth=2)


BOMB = (
    "id: PYSEC-0\nmodified: 2024-01-01T00:00:00Z\n"
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
)


def test_yaml_alias_expansion_is_bounded(cli, tmp_path: Path) -> None:
    """Fewer than 60 aliases (far under the alias limit) expand to over a million nodes."""
    assert BOMB.count("*") < 60 and len(BOMB) < 600
    record = tmp_path / "PYSEC-0.yaml"
    record.write_text(BOMB)
    result = cli("db", "import", str(record), "--db", str(tmp_path / "v.db"))
    assert result.exit_code == 2, result.stderr
    assert "aliases expand to more than 100000 nodes" in result.stderr
    assert "PYSEC-0.yaml" in result.stderr
    (tmp_path / "pnpm-lock.yaml").write_text("lockfileVersion: '9.0'\n" + BOMB)
    result = cli("sbom", str(tmp_path))
    assert result.exit_code == 2 and "aliases expand to more than" in result.stderr


def test_ordinary_aliases_still_load() -> None:
    text = "base: &b {runs-on: ubuntu-latest, steps: [a, b]}\njob1: *b\njob2:\n  <<: *b\n"
    assert loads_yaml(text, source="ci.yml")["job1"] == {
        "runs-on": "ubuntu-latest",
        "steps": ["a", "b"],
    }


def test_deep_cyclonedx_xml_and_json(cli, tmp_path: Path) -> None:
    inner = '<component type="library"><name>x</name><version>1</version><components>'
    xml = tmp_path / "deep.cdx.xml"
    xml.write_text(
        '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">'
        "<components>" + inner * 600 + "</components></component>" * 600 + "</components></bom>"
    )
    result = cli("sbom", "check", str(xml))
    assert result.exit_code == 2, result.stderr
    assert "deep.cdx.xml: XML nested more than 200 levels deep (limit on nesting)" in result.stderr
    component = '{"type": "library", "name": "x", "version": "1", "components": ['
    deep_json = tmp_path / "deep.cdx.json"
    deep_json.write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": ['
        + component * 500
        + "]}" * 500
        + "]}"
    )
    result = cli("sbom", "check", str(deep_json))  # read whole, or refused naming the limit
    assert result.exit_code in (0, 2), result.stderr
    assert "internal error" not in result.stderr


def test_deep_csaf_branches(cli, tmp_path: Path) -> None:
    branch = (
        '{"category": "product_version", "name": "1", "product": {"product_id": "P1", "name": "p"}}'
    )
    for i in range(200):
        branch = f'{{"category": "vendor", "name": "v{i}", "branches": [{branch}]}}'
    doc = tmp_path / "deep-csaf.json"
    doc.write_text(
        '{"document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "t",'
        ' "publisher": {"category": "vendor", "name": "x", "namespace": "https://x.example"},'
        ' "tracking": {"id": "x", "status": "final", "version": "1",'
        ' "initial_release_date": "2024-01-01T00:00:00Z",'
        ' "current_release_date": "2024-01-01T00:00:00Z", "revision_history":'
        ' [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "s"}]}},'
        f' "product_tree": {{"branches": [{branch}]}},'
        ' "vulnerabilities": [{"cve": "CVE-2024-0001",'
        ' "product_status": {"known_not_affected": ["P1"]}}]}'
    )
    result = cli("csaf", "validate", str(doc))
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


LONG = "a" * (1024 * 1024 + 10)
LINE_FORMATS = {
    "requirements.txt": f"requests==2.0.0\nx==1 {LONG}\n",
    "go.mod": f"module x\nrequire {LONG} v1.0.0\n",
    "yarn.lock": f'a@^1:\n  version "1.0.0"\n{LONG}:\n',
    "Gemfile.lock": f"GEM\n  specs:\n    {LONG} (1.0)\n",
    "gradle.lockfile": f"com.a:b:1.0=runtimeClasspath\n{LONG}\n",
    "mix.lock": f'%{{"a": {{:hex, :a, "1.0.0", "{LONG}"}}}}\n',
}


@pytest.mark.parametrize("name", sorted(LINE_FORMATS))
def test_line_length_limit(cli, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(LINE_FORMATS[name])
    result = cli("sbom", str(tmp_path))
    assert result.exit_code == 2, result.stderr
    assert f"{name}:" in result.stderr
    assert "line longer than 1048576 characters (limit on line length)" in result.stderr


MEMORY_PROBE = """
import json, resource, sys, tempfile
from pathlib import Path
from steward.sbom.ecosystems import parser_for
folder = Path(tempfile.mkdtemp())
name = sys.argv[1]
lock = folder / name
big = "x" * 8_000_000
docs = {
    "package-lock.json": {"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"a": "1"}},
        "node_modules/a": {"version": "1.0.0", "resolved": big},
        "node_modules/b": {"version": "1.0.0"}}},
    "bun.lock": {"lockfileVersion": 1, "workspaces": {"": {"name": "x"}},
                 "packages": {"a": ["a@1.0.0", big, {}, "sha512-AAAA"]}},
}
lock.write_text(json.dumps(docs[name], separators=(",", ":")))
parser = parser_for(lock)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = parser.parse(lock)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(len(result.components), grown)
"""


@pytest.mark.parametrize("name", ["package-lock.json", "bun.lock"])
def test_long_json_string_costs_linear_memory(name: str) -> None:
    """An 8 MB string in a one-line lockfile: the key scans used ~130 bytes per input byte
    (1 GB) through backtracking state; now a small multiple of the input at most."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, name], capture_output=True, text=True, check=True
    )
    components, grown = map(int, done.stdout.split())
    assert components >= 1
    assert grown < 150_000_000, f"{name}: parsing grew memory by {grown} bytes"


@pytest.mark.parametrize("option", ["--epss", "--euvd"])
def test_feed_csv_with_a_huge_field(cli, tmp_path: Path, option: str) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("a" * (2 * 1024 * 1024) + "\n")
    result = cli("db", "import", option, str(feed), "--db", str(tmp_path / "v.db"))
    assert result.exit_code == 2, result.stderr
    assert "feed.csv:1: not a readable CSV: field larger than field limit" in result.stderr
    assert not (tmp_path / "v.db").exists()


def test_assess_many_list_line_limit(cli, tmp_path: Path) -> None:
    repos = tmp_path / "repos.txt"
    repos.write_text("https://github.com/a/b\nhttps://github.com/" + "a" * 2 * 1024 * 1024 + "\n")
    result = cli("assess-many", str(repos), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 2, result.stderr
    assert "repos.txt:2: line longer than 8192 characters (limit on line length)" in result.stderr
