"""`steward sbom`: build an SBOM from a project's lockfiles, and check any SBOM's quality.

``steward sbom PATH`` is short for ``steward sbom generate PATH``; ``steward sbom check FILE``
reads a CycloneDX or SPDX document and reports against BSI TR-03183-2 and the NTIA minimum
elements. Arguments only; the work is done in :mod:`steward.sbom`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from typer.core import TyperGroup

from steward import __version__
from steward.cli.console import emit, info, out, progress, warn
from steward.errors import EXIT_FINDINGS, InputError, UsageError

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


class SbomFormat(StrEnum):
    CYCLONEDX_JSON = "cyclonedx-json"
    CYCLONEDX_XML = "cyclonedx-xml"
    SPDX_JSON = "spdx-json"
    SPDX3_JSON = "spdx3-json"


#: format → (writer module, function, file suffix); the module is imported when used, so
#: `steward sbom` loads only the writer it needs (the SPDX ones load licence tables)
_WRITERS: dict[SbomFormat, tuple[str, str, str]] = {
    SbomFormat.CYCLONEDX_JSON: ("steward.sbom.write_cyclonedx", "to_json", ".cdx.json"),
    SbomFormat.CYCLONEDX_XML: ("steward.sbom.write_cyclonedx", "to_xml", ".cdx.xml"),
    SbomFormat.SPDX_JSON: ("steward.sbom.write_spdx", "to_json", ".spdx.json"),
    SbomFormat.SPDX3_JSON: ("steward.sbom.write_spdx3", "to_json", ".spdx3.json"),
}


def _writer(
    output_format: SbomFormat, spec_version: str | None
) -> tuple[Callable[..., bytes], str]:
    import importlib

    module, function, suffix = _WRITERS[output_format]
    write = getattr(importlib.import_module(module), function)
    if spec_version is None:
        return write, suffix
    return (lambda sbom: write(sbom, spec_version)), suffix


class CycloneDXVersion(StrEnum):
    V1_6 = "1.6"
    V1_7 = "1.7"


class CheckFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class StandardChoice(StrEnum):
    ALL = "all"
    TR_03183_2 = "tr-03183-2"
    NTIA = "ntia"
    CISA_2025 = "cisa-2025"


def _parser_names() -> str:
    from steward.sbom.ecosystems import all_parsers

    return ", ".join(sorted(p.name for p in all_parsers()))


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
    from steward.safeio import write_outputs
    from steward.sbom.assemble import build_timestamp, sbom_for_tree
    from steward.sbom.ecosystems import parser_named
    from steward.sbom.model import SbomMetadata

    if spec_version is not None and output_format not in (
        SbomFormat.CYCLONEDX_JSON,
        SbomFormat.CYCLONEDX_XML,
    ):
        raise UsageError(f"--spec-version applies to CycloneDX output, not {output_format}")
    if security_txt is not None and not security_txt.startswith("https://"):
        raise UsageError(
            f"--security-txt must be an https:// URL (RFC 9116 §3), not {security_txt!r}"
        )
    chosen = None
    if parser is not None:
        chosen = parser_named(parser)
        if chosen is None:
            raise UsageError(f"--parser: unknown parser {parser!r} (known: {_parser_names()})")
        if not path.exists():
            raise InputError("no such file or directory", source=path)
        if not path.is_file():
            raise UsageError("--parser needs PATH to be a single file")
    if split and output is not None and output.exists() and not output.is_dir():
        raise UsageError(f"--split: --output {output} must be a directory")
    if upload is not None:
        from steward.service.client import check_upload_url

        check_upload_url(upload)
    metadata = SbomMetadata(
        timestamp=build_timestamp(),
        tool_version=__version__,
        creator_email=creator_email,
        creator_url=creator_url,
        creator_name=creator_name,
        security_txt=security_txt,
    )
    with progress("Reading lockfiles") as bar:
        task = bar.tasks[0].id

        def start(total: int) -> Callable[[], None]:
            bar.update(task, total=total)
            return lambda: bar.advance(task)

        built = sbom_for_tree(
            path,
            include_vendored=include_vendored,
            split=split,
            name=name,
            version=version,
            exclude_dev=exclude_dev,
            metadata=metadata,
            progress=start,
            parser=chosen,
            allow_outside=allow_outside,
        )
    writer, suffix = _writer(output_format, str(spec_version) if spec_version else None)
    problems = 0
    split_files: list[tuple[Path, bytes]] = []
    for directory, sbom in built:
        for diagnostic in sbom.diagnostics:
            warn(str(diagnostic))
            problems += 1
        if not sbom.components and sbom.diagnostics and not sbom.metadata.sources:
            raise InputError("no lockfile could be read", source=path)
        sources = len(sbom.metadata.sources)
        info(
            f"{sbom.root.name} {sbom.root.version}: {len(sbom.components)} components "
            f"from {sources} file{'s' if sources != 1 else ''}"
        )
        data = writer(sbom)
        if not split:
            emit(data, output)
            _upload(upload, data, sbom.root.name)
            continue
        target_dir = output or Path()
        try:
            relative = directory.resolve().relative_to(path.resolve()).as_posix()
        except ValueError:
            relative = directory.name
        stem = "root" if relative in ("", ".") else relative.replace("/", "_")
        encoded = data if isinstance(data, bytes) else str(data).encode("utf-8")
        split_files.append((target_dir / f"{stem}{suffix}", encoded))
    if split:
        if output is not None and output.exists() and not output.is_dir():
            raise UsageError("--split writes into a directory; this is not one", source=output)
        # all or nothing: an unwritable target leaves every other target as it was
        write_outputs(split_files)
        for target, data in split_files:
            info(f"wrote {target}")
            _upload(upload, data, target.name.removesuffix(suffix))


def _upload(url: str | None, data: str | bytes, name: str) -> None:
    if url is not None:
        from steward.service.client import upload_sbom

        info(upload_sbom(url, data, name))


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
