"""`steward cra scope` and `steward cra categories`: does the CRA apply, and in what role.

Answers come from ``cra.scope`` in the project's steward.yml; on a terminal the questions
still open are asked (``--no-input`` to never ask), and ``--save`` writes the answers back.
The decision logic is :mod:`steward.documents.scope`.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from steward.cli.console import emit, info, warn
from steward.errors import InputError

if TYPE_CHECKING:
    from steward.documents.scope import Question

cra_app = typer.Typer(help="CRA scope: whether the CRA applies to you, and in what role.")


class ScopeFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def ask_yes_no(question: Question) -> bool:
    text = f"{question.text} [{question.basis}]"
    if question.help:
        typer.echo(f"  ({question.help})", err=True)
    return bool(typer.confirm(text, default=None, err=True))  # no default: y or n


def ask_category(question: Question) -> str:
    from steward.documents import cra

    typer.echo(f"{question.text} [{question.basis}]", err=True)
    typer.echo(f"  ({question.help})", err=True)
    typer.echo("  none: not listed in Annex III or IV", err=True)
    for c in cra.categories():
        typer.echo(f"  {c.id}: {c.title} [{c.point}]", err=True)
    answer: str = typer.prompt("Category id", err=True).strip().lower()
    if answer != "none" and cra.category(answer) is None:
        typer.echo(f"  unknown category {answer!r}; give one of the ids above", err=True)
    return answer


@cra_app.command("scope")
def scope(
    path: Annotated[Path, typer.Argument(help="Project root (its steward.yml).")] = Path(),
    output_format: Annotated[
        ScopeFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScopeFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; use only the answers in steward.yml.")
    ] = False,
    save: Annotated[
        bool, typer.Option("--save", help="Write the answers given here into steward.yml.")
    ] = False,
) -> None:
    """Decide the CRA role, product category and conformity assessment procedure."""
    from steward.documents import configfile, scope_report
    from steward.documents.scope import decide, decide_config, interview
    from steward.projectconfig import ProjectConfig

    if not path.is_dir():
        raise InputError("not a directory (give the project root)", source=path)
    from steward.documents.outputs import check_output

    check_output(output, project=path)
    config = configfile.load(path) or ProjectConfig()
    answers = config.sections.cra.scope
    decide_config(config)  # an unknown category stops here, naming its line
    if not no_input and sys.stdin.isatty():
        answers = interview(answers, ask_yes_no, ask_category)
    decision = decide(answers)
    today = datetime.now(UTC)
    if output_format is ScopeFormat.JSON:
        emit(scope_report.to_json(decision, today.date()), output)
    elif output_format is ScopeFormat.MARKDOWN:
        emit(scope_report.to_markdown(decision, today.date()), output)
    else:
        emit(scope_report.to_text(decision, today.date()), output)
    given = answers.model_dump(exclude_none=True)
    if given == config.sections.cra.scope.model_dump(exclude_none=True):
        return
    if save:
        saved = configfile.save(path, {"cra": {"scope": given}})
        info(f"{'wrote' if saved.created else 'updated'} {saved.path}")
        if saved.comments_dropped:
            warn(f"{saved.path}: rewritten whole; its comments were not kept")
    else:
        info("to keep these answers, run again with --save, or add to steward.yml:")
        info(scope_report.answers_yaml(given).rstrip())


@cra_app.command("categories")
def categories() -> None:
    """List the Annex III/IV categories a cra.scope.category answer can name."""
    from steward.documents import scope_report

    emit(scope_report.categories_text(), None)


def register(app: typer.Typer) -> None:
    """Add the `cra` group to the root app."""
    app.add_typer(cra_app, name="cra")
