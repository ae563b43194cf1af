"""`steward vulns`: which components carry known vulnerabilities, offline.

Input is a project tree, one lockfile, or an SBOM (CycloneDX or SPDX); output a table, JSON,
SARIF, CycloneDX VEX or OpenVEX. ``--reportable`` keeps what triggers a CRA Art. 14 report;
``--fail-on`` sets the exit-code threshold for CI.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from steward.cli.console import emit, info, out, progress, warn
from steward.errors import EXIT_FINDINGS, InputError
from steward.sbom.component import Component, Scope


class VulnFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    CYCLONEDX_VEX = "cyclonedx-vex"
    OPENVEX = "openvex"


class FailOn(StrEnum):
    NONE = "none"
    ANY = "any"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"
    EXPLOITED = "exploited"
    REPORTABLE = "reportable"


def _components(path: Path, include_vendored: bool) -> tuple[list[Component], str | None]:
    """Components of a tree, a lockfile or an SBOM; and the SBOM path when it was one."""
    from steward.sbom.assemble import sbom_for_tree
    from steward.sbom.ecosystems import parser_for

    if path.is_file() and parser_for(path) is None:
        from steward.sbom.read import read_sbom, to_components

        return to_components(read_sbom(path)), str(path)
    built = sbom_for_tree(path, include_vendored=include_vendored)
    components: list[Component] = []
    for _directory, sbom in built:
        for diagnostic in sbom.diagnostics:
            warn(str(diagnostic))
        components.extend(sbom.components)
    return components, None


def _sarif_paths(path: Path, sbom_path: str | None) -> tuple[str, str | None]:
    """Where SARIF locations start. Lockfile paths are relative to the scanned directory, so
    they get that directory's path from its repository root as prefix. An SBOM is named by
    its path from the root of the repository the command runs in (None when it lies outside,
    e.g. a build directory elsewhere: its results are then located by purl only)."""
    from steward.sarif import relative_path, root_prefix, source_root

    if sbom_path is None:
        base = path if path.is_dir() else path.parent
        return root_prefix(base, source_root(base)), None
    return "", relative_path(Path(sbom_path), source_root(Path.cwd()))


def _fails(findings: list[object], threshold: FailOn) -> bool:
    from steward.vuln.matcher import SEVERITY_ORDER, Finding

    active = [f for f in findings if isinstance(f, Finding) and f.suppressed is None]
    if threshold is FailOn.NONE:
        return False
    if threshold is FailOn.ANY:
        return bool(active)
    if threshold is FailOn.EXPLOITED:
        return any(f.exploited for f in active)
    if threshold is FailOn.REPORTABLE:
        return any(f.reportable for f in active)
    floor = SEVERITY_ORDER.index(threshold.value)
    return any(
        f.severity.rating in SEVERITY_ORDER and SEVERITY_ORDER.index(f.severity.rating) >= floor
        for f in active
    )


def _table(findings: list[object], show_suppressed: bool, summary: dict[str, object]) -> str:
    from steward.vuln.matcher import Finding

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(out().width, 120), no_color=out().no_color)
    table = Table(title_justify="left")
    for column in ("package", "version", "vulnerability", "severity", "fixed in", "exploited"):
        table.add_column(column)
    table.add_column("EPSS", justify="right")
    for item in findings:
        if not isinstance(item, Finding):
            continue
        if item.suppressed is not None and not show_suppressed:
            continue
        comp = item.component
        severity = item.severity.rating
        if item.severity.score is not None:
            severity += f" {item.severity.score:.1f}"
        flags = []
        if item.kev is not None:
            flags.append("KEV")
        if item.euvd is not None:
            flags.append("EUVD")
        if item.reportable:
            flags.append("Art.14")
        vuln = item.id + (f" ({', '.join(item.aliases[:2])})" if item.aliases else "")
        if item.suppressed is not None:
            vuln += f" [suppressed: {item.suppressed.justification or item.suppressed.status}]"
        table.add_row(
            comp.name + (" (dev)" if comp.scope is Scope.DEV else ""),
            comp.version,
            vuln,
            severity,
            ", ".join(item.fixed_versions) or "-",
            " ".join(flags) or "-",
            f"{item.epss[0]:.3f}" if item.epss else "-",
        )
    console.print(table)
    console.print(
        f"{summary['findings']} "
        f"{'vulnerability' if summary['findings'] == 1 else 'vulnerabilities'} in "
        f"{summary['components']} components "
        f"({summary['exploited']} known exploited, {summary['reportable']} reportable under "
        f"CRA Art. 14, {summary['suppressed']} suppressed by VEX)"
    )
    return buffer.getvalue()


def vulns(
    path: Annotated[
        Path, typer.Argument(help="Project directory, lockfile, or SBOM (CycloneDX/SPDX).")
    ] = Path(),
    output_format: Annotated[
        VulnFormat, typer.Option("--format", "-f", help="Output format.")
    ] = VulnFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Vulnerability database (steward db import).")
    ] = None,
    vex: Annotated[
        list[Path] | None,
        typer.Option("--vex", help="OpenVEX, CycloneDX VEX or CSAF VEX document (repeatable)."),
    ] = None,
    reportable: Annotated[
        bool,
        typer.Option(
            "--reportable",
            help="Only findings that trigger a CRA Art. 14 report (exploited, shipped, not VEXed).",
        ),
    ] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding reaches this level.")
    ] = FailOn.NONE,
    exclude_dev: Annotated[
        bool, typer.Option("--exclude-dev", help="Leave out development-only dependencies.")
    ] = False,
    include_vendored: Annotated[
        bool, typer.Option("--include-vendored", help="Also read vendored trees.")
    ] = False,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed", help="List VEX-suppressed findings in the table.")
    ] = False,
    author: Annotated[str, typer.Option(help="Author named in OpenVEX output.")] = "Unknown author",
) -> None:
    """Match a project's components against the offline vulnerability database."""
    from steward.sbom.assemble import build_timestamp
    from steward.store.vulndb import VulnDB
    from steward.vuln import report
    from steward.vuln.matcher import match
    from steward.vuln.vex import apply, load_vex

    components, sbom_path = _components(path, include_vendored)
    if exclude_dev:
        components = [c for c in components if c.scope is not Scope.DEV]
    statements = [s for file in vex or [] for s in load_vex(file)]
    with VulnDB(db) as database:
        if database.count() == 0:
            raise InputError(
                "the vulnerability database is empty: "
                "run `steward db import` or `steward db update`",
                source=database.path,
            )
        with progress("Matching components", total=len(components)) as bar:
            task = bar.tasks[0].id
            result = match(
                database, components, progress=lambda done: bar.update(task, completed=done)
            )
    suppressed = apply(result.findings, statements)
    if statements:
        info(f"VEX: {len(statements)} statements, {suppressed} findings suppressed")
    findings = [f for f in result.findings if f.reportable] if reportable else result.findings
    summary = report.summary(result)
    timestamp = build_timestamp()
    if output_format is VulnFormat.JSON:
        emit(report.to_json(result, findings), output)
    elif output_format is VulnFormat.MARKDOWN:
        emit(report.to_markdown(result, findings), output)
    elif output_format is VulnFormat.SARIF:
        prefix, source = _sarif_paths(path, sbom_path)
        emit(report.to_sarif(findings, source=source, prefix=prefix), output)
    elif output_format is VulnFormat.CYCLONEDX_VEX:
        emit(report.to_cyclonedx_vex(findings, timestamp=timestamp), output)
    elif output_format is VulnFormat.OPENVEX:
        emit(report.to_openvex(findings, timestamp=timestamp, author=author), output)
    else:
        emit(_table(list(findings), show_suppressed, summary), output)
    if result.unknown:
        info(f"{len(result.unknown)} advisory/version pairs could not be evaluated (see JSON)")
    threshold = FailOn.REPORTABLE if reportable and fail_on is FailOn.NONE else fail_on
    if _fails(list(findings), threshold):
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add the `vulns` command to the root app."""
    app.command("vulns")(vulns)
