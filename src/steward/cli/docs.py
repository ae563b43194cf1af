"""`steward docs NAME [PATH]`: a CRA document from evidence, as Markdown, HTML, PDF (or JSON
for the Art. 25 attestation), ending with what is missing and what supplies it.

NAME: annex-ii, annex-vii, annex-v, annex-vi, art24-policy, art25-attestation (or their
aliases). Inputs: the project's steward.yml; ``--assessment`` (else computed from PATH,
offline), ``--sbom`` (else computed from PATH's lockfiles), ``--vulns``, ``--vex``, ``--db``.
The work is done in :mod:`steward.documents`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer

from steward.cli.console import emit, info, progress, warn
from steward.errors import EXIT_FINDINGS, UsageError


class DocFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


_NAMES = "annex-ii, annex-vii, annex-v, annex-vi, art24-policy, art25-attestation"


def docs(
    name: Annotated[str, typer.Argument(help=f"Which document: {_NAMES}.")],
    path: Annotated[
        Path, typer.Argument(help="Project checkout (its steward.yml, lockfiles, files).")
    ] = Path(),
    output_format: Annotated[
        DocFormat | None,
        typer.Option(
            "--format", "-f", help="Output format (default markdown; json for the attestation)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    assessment: Annotated[
        list[Path] | None,
        typer.Option(
            "--assessment",
            help="steward assess --format json output (repeatable: one per project for "
            "art24-policy). Default: assess PATH offline.",
        ),
    ] = None,
    sbom: Annotated[
        Path | None, typer.Option("--sbom", help="SBOM (default: built from PATH's lockfiles).")
    ] = None,
    vulns: Annotated[
        Path | None, typer.Option("--vulns", help="steward vulns --format json output.")
    ] = None,
    vex: Annotated[
        list[Path] | None, typer.Option("--vex", help="VEX document (repeatable).")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Case store (cases, manufacturer profile).")
    ] = None,
    draft: Annotated[
        bool,
        typer.Option("--draft", help="Attestation JSON: write it even when items are missing."),
    ] = False,
    fail_on_missing: Annotated[
        bool, typer.Option("--fail-on-missing", help="Exit 1 when any item is missing.")
    ] = False,
) -> None:
    """Render a CRA document from evidence; missing items are listed at its end."""
    from steward.documents import render
    from steward.documents.inputs import gather
    from steward.documents.kinds import resolve

    kind = resolve(name)
    from steward.documents.outputs import check_output

    check_output(output, project=path)
    chosen = output_format or (
        DocFormat.JSON if kind.name == "art25-attestation" else DocFormat.MARKDOWN
    )
    if chosen is DocFormat.JSON and kind.name != "art25-attestation":
        raise UsageError(f"--format json: only art25-attestation has a JSON form ({kind.name})")
    if chosen is DocFormat.PDF:
        if output is None and sys.stdout.isatty():
            raise UsageError("--format pdf: give --output FILE (PDF is binary)")
        if not render.pdf_available():
            raise UsageError(render.PDF_HINT)
    with progress(f"Gathering evidence for {kind.name}"):
        inputs = gather(
            path,
            role=kind.role,
            assessment_files=assessment,
            sbom_file=sbom,
            vulns_file=vulns,
            vex_files=vex,
            db=db,
        )
    if chosen is DocFormat.JSON:
        from steward.documents import attestation

        result = attestation.build(inputs)
        missing = result.document.missing()
        if not result.complete and not draft:
            for m in missing:
                warn(f"missing {m.ref}: {m.what} ({m.supply})")
            raise UsageError(
                f"art25-attestation: {_items(len(missing))} missing, so the JSON would not be a "
                "valid template-lite attestation; supply them, or write it with --draft"
            )
        emit(orjson.dumps(result.data, option=orjson.OPT_INDENT_2), output)
    else:
        doc = kind.build(inputs)
        missing = doc.missing()
        if chosen is DocFormat.HTML:
            emit(render.to_html(doc), output)
        elif chosen is DocFormat.PDF:
            emit(render.to_pdf(doc), output)
        else:
            emit(render.to_markdown(doc), output)
    if missing:
        where = (
            "left out of the JSON; --format markdown lists them"
            if chosen is DocFormat.JSON
            else "listed at the end of the document"
        )
        info(f"{kind.name}: {_items(len(missing))} missing ({where})")
        if fail_on_missing:
            raise typer.Exit(EXIT_FINDINGS)


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def register(app: typer.Typer) -> None:
    """Add the `docs` command to the root app."""
    app.command("docs")(docs)
