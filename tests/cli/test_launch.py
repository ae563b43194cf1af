"""The `steward sbom` fast path (steward.cli.launch) does what the typer command does.

The same command lines run both ways — through launch's own reader and through the typer
application — on self-written projects (package-lock.json, pnpm-lock.yaml, Cargo.lock with
their manifests): same exit code, same stdout, same SBOM bytes, same messages. Command
lines the reader must leave to typer (help, unknown or repeated options, bad choices,
``--``, ``sbom check``) are left to it, so their wording stays typer's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from steward.cli import app as app_module
from steward.cli import launch
from tests.conftest import CliResult

LEFT_PAD = (
    "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQUGMd9E2HiXaJh"
    "ZiHRyuUtYWFAKR4PN6pvuq+NvaMyd5PzJA=="
)
MS = (
    "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5"
    "xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA=="
)
DEBUG = (
    "sha512-PRWFHuSU3eDtQJPvnNY7Jcket1j0t5OuOsFzPPzsekD52Zl8qUfFI"
    "PEiswXqIvHWGVHOgX+7G/vCNNhehwxfkQ=="
)
PACKAGE_LOCK = {
    "name": "shop",
    "version": "1.2.0",
    "lockfileVersion": 3,
    "packages": {
        "": {
            "name": "shop",
            "version": "1.2.0",
            "dependencies": {"left-pad": "^1.3.0"},
            "devDependencies": {"@types/node": "^20.0.0"},
        },
        "node_modules/left-pad": {
            "version": "1.3.0",
            "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
            "integrity": LEFT_PAD,
        },
        "node_modules/@types/node": {"version": "20.11.5", "dev": True},
    },
}
PNPM_LOCK = f"""lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      ms:
        specifier: ^2.1.3
        version: 2.1.3
    devDependencies:
      debug:
        specifier: ^4.3.4
        version: 4.3.4
packages:
  ms@2.1.3:
    resolution: {{integrity: {MS}}}
  debug@4.3.4:
    resolution: {{integrity: {DEBUG}}}
snapshots:
  ms@2.1.3: {{}}
  debug@4.3.4:
    dependencies:
      ms: 2.1.3
"""
CARGO_LOCK = """version = 4

[[package]]
name = "demo"
version = "0.3.0"
dependencies = ["libc"]

[[package]]
name = "libc"
version = "0.2.155+build.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "97b3888a4aecf77e811145cadf6eef5901f4782c53886191b2f693f24761847c"
"""


@pytest.fixture
def projects(tmp_path: Path) -> dict[str, Path]:
    npm = tmp_path / "npm"
    npm.mkdir()
    (npm / "package-lock.json").write_text(json.dumps(PACKAGE_LOCK))
    (npm / "package.json").write_text(json.dumps({"name": "shop", "version": "1.2.0"}))
    pnpm = tmp_path / "pnpm"
    pnpm.mkdir()
    (pnpm / "pnpm-lock.yaml").write_text(PNPM_LOCK)
    (pnpm / "package.json").write_text(json.dumps({"name": "web", "version": "0.1.0"}))
    cargo = tmp_path / "cargo"
    cargo.mkdir()
    (cargo / "Cargo.lock").write_text(CARGO_LOCK)
    (cargo / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.3.0"\n')
    return {"npm": npm, "pnpm": pnpm, "cargo": cargo}


def _typer_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "run_fast", lambda argv: None)


def _both(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, args: list[str], out: Path
) -> tuple[tuple[int, str, str, bytes], tuple[int, str, str, bytes]]:
    """(fast, typer): exit code, stdout, stderr and the output file of each way."""
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                _typer_only(patch)
            out.unlink(missing_ok=True)
            done = cli(*[a.replace("OUT", str(out)) for a in args])
            written = out.read_bytes() if out.exists() else b""
            results.append((done.exit_code, done.stdout, done.stderr, written))
    return results[0], results[1]


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["-f", "cyclonedx-xml"],
        ["--format=spdx-json"],
        ["--format", "spdx3-json", "--exclude-dev"],
        ["--spec-version", "1.7", "--name", "shop", "--project-version", "9.9.9"],
        ["--creator-name", "ACME", "--creator-email", "sec@example.org"],
        ["--security-txt", "https://example.org/.well-known/security.txt"],
        ["--split"],
    ],
    ids=lambda extra: " ".join(extra) or "plain",
)
@pytest.mark.parametrize("kind", ["npm", "pnpm", "cargo"])
def test_fast_path_writes_what_the_typer_command_writes(
    kind: str,
    extra: list[str],
    projects: dict[str, Path],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = projects[kind]
    if "--split" in extra:
        out = tmp_path / "split-out"
        fast_dir, typer_dir = tmp_path / "fast", tmp_path / "typer"
        for target, quick in ((fast_dir, True), (typer_dir, False)):
            with monkeypatch.context() as patch:
                if not quick:
                    _typer_only(patch)
                done = cli("-q", "sbom", str(project), "--split", "-o", str(target))
                assert done.exit_code == 0, done.stderr
        assert sorted(p.name for p in fast_dir.iterdir()) == sorted(
            p.name for p in typer_dir.iterdir()
        )
        for produced in fast_dir.iterdir():
            assert produced.read_bytes() == (typer_dir / produced.name).read_bytes()
        assert out.exists() is False
        return
    assert launch.parse_sbom_args(["-q", "sbom", str(project), "-o", "OUT", *extra]) is not None
    args = ["-q", "sbom", str(project), "-o", "OUT", *extra]
    by_fast, by_typer = _both(cli, monkeypatch, args, tmp_path / "bom")
    assert by_fast == by_typer
    assert by_fast[0] == 0 and by_fast[3]


def test_fast_path_messages_and_errors_match(
    projects: dict[str, Path],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "bom.json"
    cases = [
        ["sbom", str(projects["npm"]), "-o", "OUT"],  # not quiet: the messages
        ["sbom", "generate", str(projects["pnpm"])],  # to stdout
        ["--no-color", "sbom", str(tmp_path / "missing")],  # no such path: exit 2
        ["sbom", str(projects["npm"]), "--security-txt", "http://insecure"],  # usage error
        ["sbom", str(projects["npm"]), "--parser", "no-such-parser"],
        ["sbom", str(projects["npm"]), "--spec-version", "1.7", "-f", "spdx-json"],
    ]
    for args in cases:
        assert launch.parse_sbom_args(args) is not None, args
        fast, typer = _both(cli, monkeypatch, args, out)
        assert fast == typer, args


@pytest.mark.parametrize(
    "args",
    [
        ["sbom", "--help"],
        ["sbom", "-h"],
        ["--version"],
        ["sbom", "check", "bom.json"],
        ["sbom", "generate", "--help"],
        ["sbom", ".", "--format", "cyclonedx"],  # not a choice
        ["sbom", ".", "--spec-version", "1.5"],
        ["sbom", ".", "--unknown"],
        ["sbom", ".", "-o"],  # a value missing
        ["sbom", ".", "-o", "a", "-o", "b"],  # repeated
        ["sbom", ".", "--split", "--split"],
        ["sbom", ".", "--", "x"],
        ["sbom", "a", "b"],  # two paths
        ["sbom", ".", "-o=x"],
        ["sbom", ".", "--name", "-q"],  # a value starting with "-"
        ["sbom", ".", "--output", ""],
        ["sbom", ".", "-q"],  # a root option after the command
        ["-qq", "sbom", "."],
        ["vulns", "."],
        [],
    ],
)
def test_other_command_lines_are_left_to_typer(args: list[str]) -> None:
    assert launch.parse_sbom_args(args) is None


def test_left_to_typer_keeps_typers_wording(
    projects: dict[str, Path], cli: Callable[..., CliResult]
) -> None:
    done = cli("sbom", str(projects["npm"]), "--format", "cyclonedx")
    assert done.exit_code == 2
    assert "cyclonedx" in done.stderr and "Usage" in done.stderr
