"""Fuzz targets: one function per parser family, each raising only for a real defect.

A target runs the family's whole public path on one input (parse, and for lockfiles also
assemble and write the SBOM) and lets :class:`~steward.errors.InputError` pass: that is the
contract for bad input. Any other exception is a crash the fuzzer reports.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from steward.errors import InputError


def lockfile(path: Path) -> None:
    """Parse a lockfile by its name, assemble the SBOM and write CycloneDX JSON."""
    from steward.sbom.assemble import sbom_for_tree
    from steward.sbom.write_cyclonedx import to_json

    try:
        for _, sbom in sbom_for_tree(path):
            to_json(sbom)
    except InputError:
        pass


def sbom(path: Path) -> None:
    """Read an SBOM (CycloneDX JSON/XML, SPDX) and check its quality."""
    from steward.sbom.quality import Standard, check
    from steward.sbom.read import read_sbom, to_components

    try:
        document = read_sbom(path)
        to_components(document)
        check(document, list(Standard), None)
    except InputError:
        pass


def vex(path: Path) -> None:
    """Load an OpenVEX, CycloneDX VEX or CSAF VEX document."""
    from steward.vuln.vex_formats import load_vex

    with contextlib.suppress(InputError):
        load_vex(path)


def csaf(path: Path) -> None:
    """Validate a CSAF document the way ``steward csaf validate`` does."""
    _cli("csaf", "validate", str(path))


def osv(path: Path, db: Path) -> None:
    """Import OSV records (``steward db import``), then match a component against them."""
    _cli("db", "import", str(path), "--db", str(db))


def workflow(path: Path) -> None:
    """Parse a GitHub Actions workflow into its CI facts."""
    from steward.collect.ci import parse_github_workflow

    with contextlib.suppress(InputError):
        parse_github_workflow(".github/workflows/ci.yml", path.read_text("utf-8", "replace"))


def steward_yml(path: Path) -> None:
    """Parse a steward.yml project configuration."""
    from steward.projectconfig import parse_project_config

    with contextlib.suppress(InputError):
        parse_project_config(path.read_text("utf-8", "replace"), source=str(path))


class Crash(AssertionError):
    """A command ended in an internal error (exit 3) or an unexpected exit code."""


def _cli(*args: str) -> None:
    """Run a steward command in-process; exit codes 0, 1 and 2 are the contract."""
    import io

    from steward.cli.app import main

    err = io.StringIO()
    sink = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # commands write bytes to .buffer
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(sink):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
    if code not in (0, 1, 2) or "Traceback" in err.getvalue():
        raise Crash(f"steward {' '.join(args)}: exit {code}: {err.getvalue().strip()[:500]}")
