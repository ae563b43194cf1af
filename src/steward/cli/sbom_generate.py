"""`steward sbom [generate] PATH`: the work behind the command, without the CLI framework.

The typer command in :mod:`steward.cli.sbom` and the start-up fast path in
:mod:`steward.cli.launch` both call :func:`generate`, so ``steward sbom`` does the same thing
whichever way its arguments were read; this module imports neither typer nor rich (rich loads
only when a message or a progress bar is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from steward import __version__
from steward.cli.console import emit, info, is_quiet, progress, warn
from steward.errors import InputError, UsageError


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


def _parser_names() -> str:
    from steward.sbom.ecosystems import all_parsers

    return ", ".join(sorted(p.name for p in all_parsers()))


def generate(
    path: Path = Path(),
    output_format: SbomFormat = SbomFormat.CYCLONEDX_JSON,
    output: Path | None = None,
    upload: str | None = None,
    split: bool = False,
    include_vendored: bool = False,
    exclude_dev: bool = False,
    allow_outside: bool = False,
    name: str | None = None,
    version: str | None = None,
    creator_email: str | None = None,
    creator_url: str | None = None,
    creator_name: str | None = None,
    parser: str | None = None,
    security_txt: str | None = None,
    spec_version: CycloneDXVersion | None = None,
    include_tests: bool = False,
) -> None:
    """Build an SBOM (CycloneDX 1.6/1.7, SPDX 2.3 or SPDX 3.0.1) from the lockfiles under
    ``path`` and write it to ``output`` (stdout when None); the options of `steward sbom`.

    Raises :class:`~steward.errors.UsageError` for contradictory options and
    :class:`~steward.errors.InputError` when nothing could be read (exit code 2).
    """
    from steward.safeio import write_outputs
    from steward.sbom.assemble import build_timestamp, describe_left_out, sbom_for_tree
    from steward.sbom.ecosystems import parser_named
    from steward.sbom.model import Sbom, SbomMetadata

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

    def build(
        tick: Callable[[int], Callable[[], None]] | None,
    ) -> list[tuple[Path, Sbom]]:
        return sbom_for_tree(
            path,
            include_vendored=include_vendored,
            include_tests=include_tests,
            split=split,
            name=name,
            version=version,
            exclude_dev=exclude_dev,
            metadata=metadata,
            progress=tick,
            parser=chosen,
            allow_outside=allow_outside,
        )

    if is_quiet():  # no bar would be shown: rich is not even loaded for it
        built = build(None)
    else:
        with progress("Reading lockfiles") as bar:
            task = bar.tasks[0].id

            def start(total: int) -> Callable[[], None]:
                bar.update(task, total=total)
                return lambda: bar.advance(task)

            built = build(start)
    if built and built[0][1].left_out:
        info(describe_left_out(path, built[0][1].left_out))
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
