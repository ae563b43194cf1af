"""`steward csaf validate FILE`: the CSAF 2.0 schema and mandatory tests on any document.

The validator loads inside the command, so `steward csaf --help` starts quickly.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from steward.cli.console import emit, info

csaf_app = typer.Typer(help="CSAF 2.0 documents.", no_args_is_help=True)


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


@csaf_app.command("validate")
def validate_command(
    file: Annotated[Path, typer.Argument(help="A CSAF 2.0 JSON document.")],
    optional: Annotated[
        bool,
        typer.Option("--optional", help="Also run the optional tests (6.2); they warn only."),
    ] = False,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Validate against the CSAF 2.0 schema and the mandatory tests (section 6.1); with
    --optional, report the optional tests (section 6.2) as warnings.

    Exit code 1 when the document is not valid (warnings do not change it).
    """
    import orjson

    from steward.disclosure.advisories.csaf_validate import MANDATORY, validate
    from steward.safeio import check_nesting, load_json

    document = load_json(file)
    check_nesting(document, source=file)
    problems = validate(document)
    warnings = []
    tests_run = ["schema", *MANDATORY]
    if optional and not any(p.test == "schema" for p in problems):
        from steward.disclosure.advisories.csaf_optional import OPTIONAL, optional_problems

        warnings = optional_problems(document)
        tests_run += list(OPTIONAL)
    if output_format is Format.JSON:
        payload = {
            "file": str(file),
            "valid": not problems,
            "tests_run": tests_run,
            "problems": [{"test": p.test, "path": p.path, "message": p.message} for p in problems],
            "warnings": [{"test": w.test, "path": w.path, "message": w.message} for w in warnings],
        }
        emit(orjson.dumps(payload, option=orjson.OPT_INDENT_2), output)
    else:
        lines = [str(p) for p in problems] + [f"warning: {w}" for w in warnings]
        if not problems:
            checked = f"schema and {len(MANDATORY)} mandatory tests"
            if optional:
                checked += f"; {len(warnings)} optional-test warning(s)"
            lines.append(f"{file}: valid CSAF 2.0 ({checked})")
        emit("\n".join(lines), output)
    if problems:
        info(f"{file}: {len(problems)} problem(s)")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `csaf` group to the root app."""
    app.add_typer(csaf_app, name="csaf")
