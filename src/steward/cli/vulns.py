"""`steward vulns`: which components carry known vulnerabilities, offline.

Input is a project tree, one lockfile, or an SBOM (CycloneDX or SPDX); output a table, JSON,
Markdown, SARIF, CycloneDX VEX or OpenVEX. ``--reportable`` keeps what triggers a CRA Art. 14
report; ``--fail-on`` sets the exit-code threshold for CI. Every format states the feeds used
and their age, and lists the components that could not be checked.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from steward.cli.console import emit, info, out, progress, warn
from steward.errors import EXIT_FINDINGS, InputError
from steward.sbom.component import Scope

if TYPE_CHECKING:
    from steward.vuln.inputs import ScanInput
    from steward.vuln.matcher import Finding, MatchResult
    from steward.vuln.summary import Context


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


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def _scan_input(path: Path, include_vendored: bool, include_tests: bool = False) -> ScanInput:
    """Components of a tree, a lockfile or an SBOM, and what the scan is of."""
    from steward.sbom.assemble import sbom_for_tree
    from steward.sbom.ecosystems import parser_for
    from steward.vuln.inputs import ScanInput, from_sbom, product_of_tree, require_usable

    if path.is_file() and parser_for(path) is None:
        from steward.sbom.read import read_sbom

        return require_usable(from_sbom(read_sbom(path)), path)
    from steward.sbom.assemble import describe_left_out

    built = sbom_for_tree(path, include_vendored=include_vendored, include_tests=include_tests)
    if built and built[0][1].left_out:
        info(describe_left_out(path, built[0][1].left_out))
    scan = ScanInput(components=[])
    for _directory, sbom in built:
        for diagnostic in sbom.diagnostics:
            warn(str(diagnostic))
        scan.components.extend(sbom.components)
    if len(built) == 1:
        scan.product = product_of_tree(built[0][1].root)
    return scan


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


def _fails(
    result: MatchResult, findings: list[Finding], threshold: FailOn, unknown_as: str
) -> bool:
    from steward.vuln.matcher import SEVERITY_ORDER
    from steward.vuln.summary import rank

    active = [f for f in findings if f.suppressed is None]
    if threshold is FailOn.NONE:
        return False
    if threshold is FailOn.ANY:
        return bool(active)
    if threshold is FailOn.EXPLOITED:
        return any(f.exploited for f in active)
    if threshold is FailOn.REPORTABLE:
        return any(f.reportable for f in active)
    floor = SEVERITY_ORDER.index(threshold.value)
    return any(rank(f, unknown_as) >= floor for f in active)


def _table(
    result: MatchResult, findings: list[Finding], show_suppressed: bool, context: Context
) -> str:
    from rich.console import Console  # here: the other formats need no rich
    from rich.table import Table

    from steward.vuln.summary import (
        describe_feeds,
        feed_sentence,
        not_checked_line,
        not_checked_rows,
        summary,
    )

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(out().width, 120),
        no_color=out().no_color,
        markup=False,
        emoji=False,
    )
    table = Table(title_justify="left")
    for column in ("package", "version", "vulnerability", "severity", "fixed in", "exploited"):
        table.add_column(column)
    table.add_column("EPSS", justify="right")
    for item in findings:
        if item.suppressed is not None and not show_suppressed:
            continue
        comp = item.component
        severity = item.severity.rating
        if item.severity.score is not None:
            severity += f" {item.severity.score:.1f}"
        flags = list(item.exploited_by)
        if item.reportable:
            flags.append("Art.14")
        vuln = item.id + (f" ({', '.join(item.aliases[:2])})" if item.aliases else "")
        if item.suppressed is not None:
            vuln += f" [suppressed: {item.suppressed.justification or item.suppressed.status}]"
        elif item.vex is not None:
            vuln += f" [VEX: {item.vex.status.replace('_', ' ')}]"
        table.add_row(
            comp.name + (" (dev)" if comp.scope is Scope.DEV else ""),
            comp.version + (" (assumed)" if item.version_note else ""),
            vuln,
            severity,
            ", ".join(item.fixed_versions) or "-",
            " ".join(flags) or "-",
            f"{item.epss[0]:.3f}" if item.epss else "-",
        )
    console.print(table)
    counts = summary(result, context)
    exploited = "unknown" if counts["exploited"] is None else counts["exploited"]
    reportable = "unknown" if counts["reportable"] is None else counts["reportable"]
    console.print(
        f"{counts['findings']} "
        f"{'vulnerability' if counts['findings'] == 1 else 'vulnerabilities'} in "
        f"{counts['components']} components ({exploited} known exploited, {reportable} "
        f"reportable under CRA Art. 14, {counts['suppressed']} suppressed by VEX, "
        f"{counts['unrated']} without a severity, counted as {counts['unknown_as']} for "
        f"--fail-on)",
        highlight=False,
    )
    console.print(feed_sentence(describe_feeds(result, context.now)), highlight=False)
    rows = not_checked_rows(result)
    if rows:
        console.print(f"Not checked ({len(rows)}):", highlight=False)
        for row in rows:
            console.print(f"  {not_checked_line(row)}", highlight=False, markup=False)
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
        str | None, typer.Option("--db", help="Vulnerability database (steward db import).")
    ] = None,
    vex: Annotated[
        list[Path] | None,
        typer.Option(
            "--vex",
            help="OpenVEX, CycloneDX VEX or CSAF VEX document (repeatable). The newest "
            "statement about a component and vulnerability decides, across all files.",
        ),
    ] = None,
    reportable: Annotated[
        bool,
        typer.Option(
            "--reportable",
            help="Only findings that trigger a CRA Art. 14 report (exploited, shipped, not "
            "VEXed); exit 1 if there are any. Exit 2 when no CISA KEV or ENISA EUVD data "
            "was imported: what is reportable cannot be known then.",
        ),
    ] = False,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding reaches this level. Findings without a severity "
            "count as --unknown-as. exploited/reportable exit 2 without KEV or EUVD data.",
        ),
    ] = FailOn.NONE,
    unknown_as: Annotated[
        Level,
        typer.Option(
            "--unknown-as",
            help="Severity that findings without one (no CVSS, no label) count as for --fail-on.",
        ),
    ] = Level.CRITICAL,
    go_directive_as_toolchain: Annotated[
        bool,
        typer.Option(
            "--go-directive-as-toolchain/--no-go-directive-as-toolchain",
            help="Without a toolchain directive, take go.mod's go directive as the Go "
            "version of stdlib (marked assumed); --no-... leaves stdlib not checked, as "
            "osv-scanner >= 2.4 does.",
        ),
    ] = True,
    exclude_dev: Annotated[
        bool, typer.Option("--exclude-dev", help="Leave out development-only dependencies.")
    ] = False,
    include_vendored: Annotated[
        bool, typer.Option("--include-vendored", help="Also read vendored trees.")
    ] = False,
    include_tests: Annotated[
        bool,
        typer.Option(
            "--include-tests",
            help="Also read lockfiles under test, fixture and example directories.",
        ),
    ] = False,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed", help="List VEX-suppressed findings in the table.")
    ] = False,
    author: Annotated[str, typer.Option(help="Author named in OpenVEX output.")] = "Unknown author",
) -> None:
    """Match a project's components against the offline vulnerability database.

    Exit codes: 0 no finding at the --fail-on level, 1 findings at or above it (or, with
    --reportable, any reportable finding), 2 bad input or an empty database, or
    --reportable / --fail-on exploited|reportable without any CISA KEV or ENISA EUVD data.
    """
    import gc

    # the run allocates a million small acyclic objects: the cyclic collector would spend
    # 40% of the time scanning them; afterwards they are frozen (exempt from later scans)
    # rather than scanned once more when the collector comes back
    enabled = gc.isenabled()
    gc.disable()
    try:
        _run(
            path,
            output_format,
            output,
            db,
            vex,
            reportable,
            fail_on,
            unknown_as,
            go_directive_as_toolchain,
            exclude_dev,
            include_vendored,
            show_suppressed,
            author,
            include_tests,
        )
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _run(
    path: Path,
    output_format: VulnFormat,
    output: Path | None,
    db: str | None,
    vex: list[Path] | None,
    reportable: bool,
    fail_on: FailOn,
    unknown_as: Level,
    go_directive_as_toolchain: bool,
    exclude_dev: bool,
    include_vendored: bool,
    show_suppressed: bool,
    author: str,
    include_tests: bool = False,
) -> None:
    from steward.sbom.assemble import build_timestamp
    from steward.store.vulndb import VulnDB
    from steward.vuln import report
    from steward.vuln.inputs import apply_go_directive_policy
    from steward.vuln.matcher import match
    from steward.vuln.summary import Context, describe_feeds, feed_warnings, not_checked_rows
    from steward.vuln.vex import apply, load_vex

    scan = _scan_input(path, include_vendored, include_tests)
    components = scan.components
    if exclude_dev:
        components = [c for c in components if c.scope is not Scope.DEV]
    components, dropped = apply_go_directive_policy(
        components, directive_as_toolchain=go_directive_as_toolchain
    )
    documents = [load_vex(file, index=n) for n, file in enumerate(vex or [])]
    threshold = FailOn.REPORTABLE if reportable and fail_on is FailOn.NONE else fail_on
    with VulnDB(db, must_exist=db is not None) as database:
        if database.count() == 0:
            raise InputError(
                "the vulnerability database is empty: "
                "run `steward db import` or `steward db update`",
                source=database.path,
            )
        if threshold in (FailOn.EXPLOITED, FailOn.REPORTABLE):
            feeds = database.feeds()
            if not any((feeds.get(name) or {}).get("count") for name in ("kev", "euvd")):
                raise InputError(
                    "cannot tell what is exploited or reportable: no CISA KEV or ENISA EUVD "
                    "data imported (steward db import --kev/--euvd, or steward db update)",
                    source=database.path,
                )
        with progress("Matching components", total=len(components)) as bar:
            task = bar.tasks[0].id
            result = match(
                database, components, progress=lambda done: bar.update(task, completed=done)
            )
    result.not_checked[:0] = [*scan.not_checked, *dropped]
    result.components += len(scan.not_checked) + len(dropped)
    reports = apply(result.findings, documents, scan.subject)
    context = Context(
        now=build_timestamp(),
        unknown_as=unknown_as.value,
        vex=[r.to_dict() | {"line": r.line()} for r in reports],
        product=scan.product,
    )
    for item in reports:
        (info if item.matched else warn)(item.line())
    findings = [f for f in result.findings if f.reportable] if reportable else result.findings
    if output_format is VulnFormat.JSON:
        emit(report.to_json(result, findings, context), output)
    elif output_format is VulnFormat.MARKDOWN:
        emit(report.to_markdown(result, findings, context), output)
    elif output_format is VulnFormat.SARIF:
        prefix, source = _sarif_paths(path, scan.sbom_path)
        sarif = report.to_sarif(findings, source=source, prefix=prefix)
        emit(report.annotate_sarif(sarif, result, context), output)
    elif output_format is VulnFormat.CYCLONEDX_VEX:
        emit(
            report.to_cyclonedx_vex(
                findings, timestamp=context.now, result=result, context=context
            ),
            output,
        )
    elif output_format is VulnFormat.OPENVEX:
        emit(
            report.to_openvex(
                findings, timestamp=context.now, author=author, result=result, context=context
            ),
            output,
        )
    else:
        emit(_table(result, findings, show_suppressed, context), output)
    for warning in feed_warnings(describe_feeds(result, context.now)):
        warn(warning)
    if output_format is not VulnFormat.TABLE:
        for row in not_checked_rows(result)[:20]:
            warn(
                f"not checked: {row['name']} {row['version'] or ''}".rstrip() + f": {row['reason']}"
            )
        if len(result.not_checked) > 20:
            warn(f"... and {len(result.not_checked) - 20} more components not checked")
    if _fails(result, findings, threshold, unknown_as.value):
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add the `vulns` command to the root app."""
    app.command("vulns")(vulns)
