"""`steward sbom` on a Python project with only a pyproject.toml: the declared dependencies,
as declared ranges (no version in the purl unless pinned), and no claim of completeness."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from steward.sbom.assemble import sbom_for_tree
from steward.sbom.component import Scope
from steward.sbom.ecosystems import parser_for
from steward.sbom.write_cyclonedx import compositions

PEP621 = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
version = "1.0"
dependencies = [
  "requests>=2.28,<3",
  "attrs==23.1.0",
  "build (>=1.2.1,<2.0.0)",
  "tomli; python_version < '3.11'",
  "private @ https://example.org/private-1.0.tar.gz",
]

[project.optional-dependencies]
cli = ["click>=8", "requests[socks]>=2.28"]

[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
"""

POETRY = """\
[tool.poetry]
name = "gadget"
version = "0.3.0"

[tool.poetry.dependencies]
python = "^3.10"
rich = "^13.0"
pinned = "1.2.3"
numpy = [
  { version = "^1.26", python = ">=3.10" },
  { version = "^2.0", python = ">=3.12" },
]
yaml-extra = { version = ">=6", optional = true, extras = ["c"] }
gitdep = { git = "https://github.com/o/gitdep.git", rev = "v1" }

[tool.poetry.group.dev.dependencies]
mypy = "*"
"""


def _tree(tmp_path: Path, text: str, **more: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text)
    for name, body in more.items():
        (tmp_path / name).write_text(body)
    return tmp_path


def _by_name(tmp_path: Path) -> tuple[Any, dict[str, Any]]:
    [(_, sbom)] = sbom_for_tree(tmp_path)
    return sbom, {c.name: c for c in sbom.components}


def test_pep621_dependencies_as_declared(tmp_path: Path) -> None:
    assert parser_for(Path("pyproject.toml")) is not None
    sbom, found = _by_name(_tree(tmp_path, PEP621))
    assert (sbom.root.name, sbom.root.version) == ("widget", "1.0")
    assert set(found) == {"requests", "attrs", "build", "tomli", "private", "click", "pytest",
                          "ruff"}  # fmt: skip
    requests = found["requests"]
    assert requests.version == "" and requests.purl == "pkg:pypi/requests"
    assert requests.version_range == "<3,>=2.28" and requests.scope is Scope.RUNTIME
    assert requests.location is not None and requests.location.line == 9  # the runtime entry
    assert found["attrs"].version == "23.1.0" and found["attrs"].purl == "pkg:pypi/attrs@23.1.0"
    assert found["build"].version_range == "<2.0.0,>=1.2.1"
    assert found["tomli"].version_range == "*"
    assert found["tomli"].properties["marker"] == 'python_version < "3.11"'
    assert found["private"].download_url == "https://example.org/private-1.0.tar.gz"
    assert found["private"].version_range is None
    assert found["click"].scope is Scope.OPTIONAL and found["click"].groups == ("cli",)
    assert found["click"].location is not None and found["click"].location.line == 17
    assert found["pytest"].scope is Scope.DEV and found["ruff"].scope is Scope.DEV
    # no graph: the inventory is incomplete, each component's dependencies unknown, and the
    # project's direct dependencies are exactly the declared ones
    assert not sbom.complete
    claims = {c["aggregate"]: c for c in compositions(sbom)}
    assert claims["incomplete"]["assemblies"] == [sbom.root.ref]
    assert claims["complete"]["dependencies"] == [sbom.root.ref]
    assert set(claims["unknown"]["dependencies"]) == {c.ref for c in sbom.components}
    assert set(sbom.root.dependencies) == {c.ref for c in sbom.components}


def test_poetry_dependencies(tmp_path: Path) -> None:
    sbom, found = _by_name(_tree(tmp_path, POETRY))
    assert (sbom.root.name, sbom.root.version) == ("gadget", "0.3.0")
    assert "python" not in found
    assert found["rich"].version_range == "^13.0" and found["rich"].purl == "pkg:pypi/rich"
    assert found["pinned"].version == "1.2.3"  # Poetry's bare version is an exact pin
    assert found["numpy"].version_range == "^1.26 || ^2.0" and found["numpy"].version == ""
    assert found["yaml-extra"].scope is Scope.OPTIONAL
    assert found["yaml-extra"].properties["extras"] == "c"
    assert found["gitdep"].vcs_url == "https://github.com/o/gitdep.git"
    assert found["mypy"].scope is Scope.DEV and found["mypy"].version_range == "*"
    assert found["rich"].location is not None and found["rich"].location.line == 7


def test_a_lockfile_beside_it_is_the_inventory(tmp_path: Path) -> None:
    _tree(tmp_path, PEP621, **{"requirements.txt": "requests==2.31.0\n"})
    _, found = _by_name(tmp_path)
    assert set(found) == {"requests"} and found["requests"].version == "2.31.0"


def test_cli_writes_declared_ranges(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "p").mkdir()
    root = _tree(tmp_path / "p", PEP621)
    out = tmp_path / "bom.json"
    done = cli("sbom", "generate", str(root), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    bom = json.loads(out.read_text())
    requests = next(c for c in bom["components"] if c["name"] == "requests")
    assert "version" not in requests and requests["purl"] == "pkg:pypi/requests"
    props = {p["name"]: p["value"] for p in requests["properties"]}
    assert props["steward:unresolved-version-range"] == "<3,>=2.28"
    assert bom["compositions"][0] == {"aggregate": "incomplete",
                                      "assemblies": ["root:widget"]}  # fmt: skip


def test_bad_pyproject(tmp_path: Path, cli: Callable[..., Any]) -> None:
    _tree(tmp_path, '[project]\nname = "x"\ndependencies = [\n  "ok>=1",\n  "not a req !!",\n]\n')
    [(_, sbom)] = sbom_for_tree(tmp_path)
    assert [c.name for c in sbom.components] == ["ok"]
    assert any("pyproject.toml:5" in str(d) for d in sbom.diagnostics), sbom.diagnostics
    (tmp_path / "pyproject.toml").write_text("[project\nname =")
    done = cli("sbom", "generate", str(tmp_path))
    assert done.exit_code == 2 and "pyproject.toml" in done.stderr
    assert "Traceback" not in done.stderr


def test_hostile_headers_are_read_in_linear_time(tmp_path: Path) -> None:
    long = "[" + " " * 200_000 + "\n"
    text = f'[project]\nname = "x"\ndescription = """\n{long}"""\ndependencies = ["a>=1"]\n'
    _tree(tmp_path, text)
    started = time.process_time()
    [(_, sbom)] = sbom_for_tree(tmp_path)
    assert time.process_time() - started < 5
    assert [c.name for c in sbom.components] == ["a"]
