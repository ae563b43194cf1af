"""`steward sbom`: build an SBOM from a project's lockfiles, and check any SBOM's quality.

``steward sbom PATH`` is short for ``steward sbom generate PATH``; ``steward sbom check FILE``
reads a CycloneDX or SPDX document and reports against BSI TR-03183-2 and the NTIA minimum
elements. Arguments only; the work is done in :mod:`steward.sbom`.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from typer.core import TyperGroup

from steward.cli.console import emit, info, out
from steward.cli.sbom_generate import CycloneDXVersion, SbomFormat
from steward.cli.sbom_generate import generate as run_generate
from steward.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from steward.sbom.quality import QualityReport, Standard


class DefaultGenerateGroup(TyperGroup):
    """A group where an unknown first word is a PATH for ``generate``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["generate", *args]
        result: list[str] = super().parse_args(ctx, args)
        return result


sbom_app = typer.Typer(
    cls=DefaultGenerateGroup,
    help="Build an SBOM from lockfiles (steward sbom PATH), or check one (steward sbom check).",
)


class CheckFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class StandardChoice(StrEnum):
    ALL = "all"
    TR_03183_2 = "tr-03183-2"
    NTIA = "ntia"
    CISA_2025 = "cisa-2025"


@sbom_app.command("generate")
def generate(
    path: Annotated[
        Path, typer.Argument(help="Project directory, or one lockfile / manifest.")
    ] = Path(),
    output_format: Annotated[
        SbomFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SbomFormat.CYCLONEDX_JSON,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (a directory with --split)."),
    ] = None,
    upload: Annotated[
        str | None,
        typer.Option(
            help="Also send it to the portfolio service: https://HOST/api/v1/projects/ID "
            "(token in STEWARD_TOKEN)."
        ),
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="One SBOM per directory that holds lockfiles.")
    ] = False,
    include_vendored: Annotated[
        bool,
        typer.Option(
            "--include-vendored", help="Also read node_modules, vendor, .venv and similar trees."
        ),
    ] = False,
    exclude_dev: Annotated[
        bool, typer.Option("--exclude-dev", help="Leave out development-only dependencies.")
    ] = False,
    include_tests: Annotated[
        bool,
        typer.Option(
            "--include-tests",
            help="Also read lockfiles under test, fixture and example directories.",
        ),
    ] = False,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="Follow includes, parent POMs and symlinks out of PATH (trusted local runs).",
        ),
    ] = False,
    name: Annotated[str | None, typer.Option(help="Project name (root component).")] = None,
    version: Annotated[
        str | None, typer.Option("--project-version", help="Project version (root component).")
    ] = None,
    creator_email: Annotated[
        str | None, typer.Option(help="E-mail address of the SBOM's creator (TR-03183-2).")
    ] = None,
    creator_url: Annotated[str | None, typer.Option(help="URL of the SBOM's creator.")] = None,
    creator_name: Annotated[
        str | None, typer.Option(help="Name of the organisation creating the SBOM (NTIA author).")
    ] = None,
    parser: Annotated[
        str | None,
        typer.Option(help="Read PATH with this parser, whatever its file name says."),
    ] = None,
    security_txt: Annotated[
        str | None,
        typer.Option(
            "--security-txt",
            help="URL of the product's security.txt (RFC 9116; TR-03183-2 v2.1 field).",
        ),
    ] = None,
    spec_version: Annotated[
        CycloneDXVersion | None,
        typer.Option("--spec-version", help="CycloneDX version to write (default 1.6)."),
    ] = None,
) -> None:
    """Build an SBOM (CycloneDX 1.6/1.7, SPDX 2.3 or SPDX 3.0.1) from the lockfiles under PATH."""
    run_generate(
        path=path,
        output_format=output_format,
        output=output,
        upload=upload,
        split=split,
        include_vendored=include_vendored,
        exclude_dev=exclude_dev,
        allow_outside=allow_outside,
        name=name,
        version=version,
        creator_email=creator_email,
        creator_url=creator_url,
        creator_name=creator_name,
        parser=parser,
        security_txt=security_txt,
        spec_version=spec_version,
        include_tests=include_tests,
    )


def _standards(choice: StandardChoice) -> list[Standard]:
    from steward.sbom.quality import Standard

    if choice is StandardChoice.ALL:
        return list(Standard)
    return [Standard(choice.value)]


def _heading(report: QualityReport) -> list[str]:
    from steward.sbom.quality import label

    doc = report.document
    primary = label(doc.root) if doc.root is not None else "none"
    lines = [
        f"{doc.path}: {doc.standard} {doc.spec_version} ({doc.encoding}), primary component "
        f"{primary}, {len(doc.components)} other components"
    ]
    validation = report.validation
    if validation is None or validation.valid is None:
        reason = validation.reason if validation else "not validated"
        lines.append(f"validation: unknown ({reason})")
    elif validation.valid:
        lines.append(f"validation: valid ({validation.validator})")
    else:
        lines.append(f"validation: INVALID ({validation.validator})")
        lines += [f"  {error}" for error in validation.errors[:10]]
    return lines


def _table(report: QualityReport, show_missing: int) -> str:
    from rich.console import Console
    from rich.table import Table

    from steward.sbom.quality import STANDARD_TITLES

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(out().width, 100),
        no_color=out().no_color,
        markup=False,
        emoji=False,
    )
    for line in _heading(report):
        console.print(line, markup=False, highlight=False)
    for result in report.results:
        optional = result.additional_score
        table = Table(
            title=f"{STANDARD_TITLES[result.standard]}: score {result.score:.1f}/100"
            + ("" if optional is None else f" (optional fields {optional:.1f})"),
            title_justify="left",
        )
        table.add_column("field")
        table.add_column("kind")
        table.add_column("present", justify="right")
        table.add_column("%", justify="right")
        table.add_column("missing in / how to supply it")
        for item in result.fields:
            missing = item.missing[:show_missing]
            more = len(item.missing) - len(missing)
            where = ", ".join(missing) + (f" … and {more} more" if more > 0 else "")
            if item.note and (item.missing or item.unknown or not item.total):
                where = f"{where} [{item.note}]".strip()
            if item.missing or item.unknown:
                where += f" (fix: {item.field.hint})"
            table.add_row(
                item.field.title,
                f"{item.field.kind} ({item.field.level})",
                "?" if item.unknown else f"{item.present}/{item.total}",
                "?" if item.unknown else f"{100.0 * item.coverage:.0f}",
                where,
            )
        console.print(table)
    return buffer.getvalue()


def _markdown(report: QualityReport) -> str:
    from steward.sbom.quality import STANDARD_TITLES

    doc = report.document
    lines = [f"# SBOM quality: `{doc.path}`", ""]
    lines += [
        line if not line.startswith("  ") else f"- `{line.strip()}`" for line in _heading(report)
    ]
    for result in report.results:
        lines += [
            "",
            f"## {STANDARD_TITLES[result.standard]}: {result.score:.1f}/100",
            "",
            "| Field | Kind | Present | % | How to supply it |",
            "|---|---|---|---|---|",
        ]
        for item in result.fields:
            present = "?" if item.unknown else f"{item.present}/{item.total}"
            coverage = "?" if item.unknown else f"{100.0 * item.coverage:.0f}"
            hint = item.field.hint if item.missing or item.unknown else ""
            lines.append(
                f"| {item.field.title} | {item.field.kind} ({item.field.level}) | "
                f"{present} | {coverage} | {hint.replace('|', '/')} |"
            )
    return "\n".join(lines) + "\n"


@sbom_app.command("check")
def check_command(
    file: Annotated[
        Path,
        typer.Argument(help="A CycloneDX (JSON/XML) or SPDX (JSON/tag-value/JSON-LD) SBOM."),
    ],
    standard: Annotated[
        StandardChoice, typer.Option("--standard", "-s", help="Which guideline to check against.")
    ] = StandardChoice.ALL,
    minimum: Annotated[
        float | None,
        typer.Option("--min", min=0, max=100, help="Exit 1 when the score is below this."),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CheckFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    show_missing: Annotated[
        int, typer.Option(min=0, help="Components listed per missing field in the table.")
    ] = 5,
) -> None:
    """Validate an SBOM, then check it against BSI TR-03183-2 v2.1, the NTIA minimum elements
    and CISA's 2025 minimum elements, field by field."""
    from steward.sbom.quality import check
    from steward.sbom.read import read_sbom
    from steward.sbom.validate import validate

    document = read_sbom(file)
    report = check(document, _standards(standard), validate(file, document))
    if output_format is CheckFormat.JSON:
        emit(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2), output)
    elif output_format is CheckFormat.MARKDOWN:
        emit(_markdown(report), output)
    else:
        emit(_table(report, show_missing), output)
    if minimum is not None and report.score < minimum:
        info(f"score {report.score:.1f} is below --min {minimum:g}")
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add the `sbom` command group to the root app."""
    app.add_typer(sbom_app, name="sbom")
