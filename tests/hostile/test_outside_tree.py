"""Reading outside the tree (issue 18, kind 3): includes and parents stay inside the scan root.

A canary file outside the scanned directory holds a requirement line (``hostilecanary9f3e==6.6.6``)
that would appear in the SBOM if it were read; it must never appear in any output, and the
refusal is a warning naming the including file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import CANARY, Outcome, Sandbox


def _sbom(run: Callable[..., Outcome], box: Sandbox, *extra: str) -> tuple[Outcome, str]:
    result = run("sbom", str(box.root), "-o", str(box.out), *extra)
    written = box.out.read_text() if box.out.is_file() else ""
    return result, written


@pytest.mark.parametrize(
    "include",
    ["-r {canary}", "-r ../outside/secret.txt", "--requirement=../../box/outside/secret.txt",
     "-r link.txt", "-c ../outside/secret.txt"],
    ids=["absolute", "dotdot", "long-option", "through-symlink", "constraint"],
)  # fmt: skip
def test_requirements_includes_stay_inside(
    include: str, sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "link.txt").symlink_to(sandbox.canary_file)
    (sandbox.root / "requirements.txt").write_text(
        f"flask==3.0.0\n{include.format(canary=sandbox.canary_file)}\n"
    )
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code == 0, result.stderr
    assert '"flask"' in written
    assert CANARY not in (written + result.text).lower()
    if not include.startswith("-c"):
        assert "requirements.txt:2" in result.stderr, result.stderr
        assert "outside the scanned directory" in result.stderr


def test_an_include_inside_is_still_read(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "base.txt").write_text("requests==2.31.0\n")
    (sandbox.root / "requirements.txt").write_text("flask==3.0.0\n-r base.txt\n")
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code == 0 and '"requests"' in written, result.stderr


def test_allow_outside_reads_it_for_a_trusted_run(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "requirements.txt").write_text("flask==3.0.0\n-r ../outside/secret.txt\n")
    result, written = _sbom(run_guarded, sandbox, "--allow-outside")
    assert result.exit_code == 0 and CANARY in written


def test_a_symlinked_lockfile_leading_out_is_not_read(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "sub").mkdir()
    (sandbox.root / "sub" / "requirements.txt").symlink_to(sandbox.canary_file)
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code in (0, 2)
    assert CANARY not in (written + result.text).lower()
    assert "sub/requirements.txt" in result.stderr


def test_a_symlinked_sibling_manifest_is_not_read(
    sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    """package.json beside a lockfile names the direct dependencies: never read through a
    link out of the tree."""
    (sandbox.outside / "package.json").write_text(
        '{"name": "hostilecanary9f3e", "dependencies": {"hostilecanary9f3e": "1.0.0"}}'
    )
    (sandbox.root / "package.json").symlink_to(sandbox.outside / "package.json")
    (sandbox.root / "package-lock.json").write_text(
        '{"name": "demo", "lockfileVersion": 3, "packages": {"": {"name": "demo"},'
        ' "node_modules/left-pad": {"version": "1.3.0"}}}'
    )
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code == 0, result.stderr
    assert "left-pad" in written
    assert CANARY not in (written + result.text).lower()


_POM = """<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.acme</groupId>
    <artifactId>{parent}</artifactId>
    <version>1.0</version>
    <relativePath>{relative}</relativePath>
  </parent>
  <artifactId>app</artifactId>
  <dependencies>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
      <version>2.0.9</version></dependency>
  </dependencies>
</project>
"""

_PARENT = """<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.acme</groupId>
  <artifactId>{parent}</artifactId>
  <version>1.0</version>
  <dependencies>
    <dependency><groupId>org.acme</groupId><artifactId>hostilecanary9f3e</artifactId>
      <version>6.6.6</version></dependency>
  </dependencies>
</project>
"""


@pytest.mark.parametrize("relative", ["../outside/pom.xml", "{outside}/pom.xml", "../outside"])
def test_maven_parent_outside_is_not_read(
    relative: str, sandbox: Sandbox, run_guarded: Callable[..., Outcome]
) -> None:
    (sandbox.root / "requirements.txt").unlink()
    (sandbox.outside / "pom.xml").write_text(_PARENT.format(parent="parent"))
    rel = relative.format(outside=sandbox.outside)
    (sandbox.root / "pom.xml").write_text(_POM.format(parent="parent", relative=rel))
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code == 0, result.stderr
    assert "slf4j-api" in written
    assert CANARY not in (written + result.text).lower()
    assert "pom.xml:8" in result.stderr and "outside the scanned directory" in result.stderr


def test_maven_parent_inside_is_read(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    (sandbox.root / "requirements.txt").unlink()
    (sandbox.root / "app").mkdir()
    (sandbox.root / "pom.xml").write_text(
        _PARENT.format(parent="parent").replace("hostilecanary9f3e", "inherited-dep")
    )
    (sandbox.root / "app" / "pom.xml").write_text(
        _POM.format(parent="parent", relative="../pom.xml")
    )
    result, written = _sbom(run_guarded, sandbox)
    assert result.exit_code == 0, result.stderr
    assert "inherited-dep" in written


def test_vulns_reads_nothing_outside(sandbox: Sandbox, run_guarded: Callable[..., Outcome]) -> None:
    from tests.hostile.test_matrix import _OSV

    osv = sandbox.base / "osv.json"
    osv.write_bytes(_OSV.replace(b'"flask"', b'"hostilecanary9f3e"'))
    db = sandbox.base / "state" / "v.db"
    assert run_guarded("db", "import", str(osv), "--db", str(db)).exit_code == 0
    (sandbox.root / "requirements.txt").write_text("flask==3.0.0\n-r ../outside/secret.txt\n")
    result = run_guarded(
        "vulns", str(sandbox.root), "--db", str(db), "-f", "json", "-o", str(sandbox.out)
    )
    assert result.exit_code in (0, 1), result.stderr
    assert CANARY not in (sandbox.out.read_text() + result.text).lower()


def test_unknown_file_root(tmp_path: Path) -> None:
    """Outside a scan (a library call on one file) nothing is refused."""
    from steward.sbom.scanroot import current, is_outside

    assert current() is None and not is_outside(tmp_path / "anything")
