"""`steward evidence pack` and `steward evidence verify`: one archive for an auditor.

``pack`` gathers the CRA documents for the project's role, the SBOM, the assessment (JSON,
SARIF, OSCAL), VEX, findings, advisories, Art. 14 reports and the catalog into a
deterministic zip with a SHA-256 manifest, optionally signed with an SSH key. ``verify``
checks every file against the manifest and the signature against an allowed signers file;
exit 1 when anything does not match. The work is done in :mod:`steward.documents.pack`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steward.cli.console import emit, info, progress, warn
from steward.errors import EXIT_FINDINGS, UsageError

evidence_app = typer.Typer(help="Evidence packs: build one for an auditor, or verify one.")


@evidence_app.command("pack")
def pack(
    path: Annotated[Path, typer.Argument(help="Project checkout.")] = Path(),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The zip to write (required).")
    ] = None,
    sign_key: Annotated[
        Path | None,
        typer.Option("--sign-key", help="SSH private key: sign the manifest (ssh-keygen -Y)."),
    ] = None,
    document: Annotated[
        list[str] | None,
        typer.Option("--document", help="Document to include (repeatable; default: by role)."),
    ] = None,
    assessment: Annotated[
        list[Path] | None,
        typer.Option("--assessment", help="steward assess --format json output (repeatable)."),
    ] = None,
    sbom: Annotated[
        list[Path] | None,
        typer.Option(
            "--sbom",
            help="SBOM (repeatable: CycloneDX 1.6+ and SPDX 3.0.1; documents read the first). "
            "Default: built from the lockfiles in both forms.",
        ),
    ] = None,
    vulns: Annotated[
        Path | None, typer.Option("--vulns", help="steward vulns --format json output.")
    ] = None,
    vex: Annotated[
        list[Path] | None, typer.Option("--vex", help="VEX document (repeatable).")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Case store: advisories and Art. 14 reports.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Add PDF renderings (needs the documents extra).")
    ] = False,
) -> None:
    """Build an evidence pack (reproducible with SOURCE_DATE_EPOCH)."""
    from steward.documents import pack as packs
    from steward.documents import render
    from steward.documents.inputs import gather
    from steward.documents.packing import build_pack, documents_for, role_of

    if output is None:
        raise UsageError("--output FILE is required (the pack is a zip archive)")
    from steward.documents.kinds import resolve
    from steward.documents.outputs import check_output

    check_output(output, project=path)
    for name in document or []:
        resolve(name)  # an unknown document stops here, before the evidence is gathered
    if pdf and not render.pdf_available():
        raise UsageError(render.PDF_HINT)
    if sign_key is not None and not sign_key.is_file():
        raise UsageError(f"--sign-key {sign_key}: no such key file")
    with progress("Gathering evidence"):
        inputs = gather(
            path,
            role="project",
            assessment_files=assessment,
            sbom_file=sbom[0] if sbom else None,
            vulns_file=vulns,
            vex_files=vex,
            db=db,
        )
        inputs = inputs.for_role(role_of(inputs))
        kinds = documents_for(inputs, document)
        built = build_pack(
            inputs,
            kinds,
            root=path,
            sbom_files=list(sbom or []),
            vulns_file=vulns,
            vex_files=vex,
            pdf=pdf,
        )
        packs.write(built, output, sign_key=sign_key)
    signed = ", signed" if sign_key else ""
    info(f"wrote {output}: {len(built.files) + 1} files{signed}")
    if built.missing:
        info(f"{_items(len(built.missing))} missing (listed in manifest.json)")


@evidence_app.command("verify")
def verify(
    archive: Annotated[Path, typer.Argument(help="An evidence pack (zip).")],
    allowed_signers: Annotated[
        Path | None,
        typer.Option(
            "--allowed-signers", help="ssh-keygen allowed signers file: check the signature."
        ),
    ] = None,
    identity: Annotated[
        str | None, typer.Option("--identity", help="The signer's principal (default: found).")
    ] = None,
) -> None:
    """Check an evidence pack: every file against the manifest, and the signature."""
    from steward.documents.pack import verify as check

    if identity is not None and allowed_signers is None:
        raise UsageError("--identity needs --allowed-signers (the keys to check it against)")

    result = check(archive, allowed_signers=allowed_signers, identity=identity)
    for problem in result.problems:
        emit(f"FAIL {problem}", None)
    if result.ok:
        emit(f"OK {result.files} files match the manifest", None)
        if result.signer:
            emit(f"OK signature by {result.signer} (namespace steward-evidence)", None)
        elif result.signed:
            warn("signed, but the signature was not checked (give --allowed-signers)")
        else:
            info("not signed")
    if not result.ok:
        raise typer.Exit(EXIT_FINDINGS)


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def register(app: typer.Typer) -> None:
    """Add the `evidence` group to the root app."""
    app.add_typer(evidence_app, name="evidence")
