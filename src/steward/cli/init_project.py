"""`steward init` (no sub-command): the first run in a project.

Reads what the checkout tells (name, licence, remote, manifests: :mod:`steward.documents.
firstrun`), asks on a terminal only what it could not read and what steward.yml does not
already answer (then the CRA scope questions), writes steward.yml (answers already there are
kept, comments too when the sections are new), and prints the five next actions. Without a
terminal (or with ``--no-input``) it asks nothing and lists what is still unanswered.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from steward.cli.console import emit, info, warn
from steward.errors import InputError

_ASK = {
    "name": "Project name",
    "repository": "Public repository URL (https://...)",
    "license": "Licence (SPDX expression, e.g. Apache-2.0)",
}


def _valid(key: str, value: str) -> str | None:
    """The value when ``project.<key>`` accepts it, else None (with the reason shown)."""
    from steward.craconfig import ProjectSection

    try:
        ProjectSection.model_validate({key: value})
    except ValidationError as exc:
        typer.echo(f"  {exc.errors()[0]['msg']}", err=True)
        return None
    return value.strip()


def _ask(key: str) -> str | None:
    while True:
        value = typer.prompt(_ASK[key], default="", show_default=False, err=True).strip()
        if not value:
            return None  # skipped: stays unanswered
        checked = _valid(key, value)
        if checked is not None:
            return checked


def run(directory: Path, *, no_input: bool) -> None:
    from steward.cli.cra import ask_category, ask_yes_no
    from steward.documents import configfile
    from steward.documents.firstrun import next_actions, read_project
    from steward.documents.scope import decide, decide_config, interview
    from steward.projectconfig import ProjectConfig

    if not directory.is_dir():
        raise InputError("not a directory (give the project root)", source=directory)
    config = configfile.load(directory) or ProjectConfig()
    scope = config.sections.cra.scope
    role = decide_config(config).assess_role
    found = read_project(directory, role)
    have = config.sections.project.model_dump(exclude_none=True, exclude_defaults=True)
    project: dict[str, Any] = {k: v for k, v in found.section().items() if k not in have}
    for key, (value, where) in (
        ("name", found.name or (None, "")),
        ("repository", found.repository or (None, "")),
        ("license", found.license or (None, "")),
    ):
        if value and key in project:
            info(f"read {key}: {value} (from {where})")
    interactive = not no_input and sys.stdin.isatty()
    unanswered = [k for k in _ASK if k not in have and k not in project]
    if interactive:
        for key in list(unanswered):
            value = _ask(key)
            if value is not None:
                project[key] = value
                unanswered.remove(key)
        scope = interview(scope, ask_yes_no, ask_category)
    sections: dict[str, Any] = {}
    if project:
        sections["project"] = project
    new_scope = scope.model_dump(exclude_none=True)
    if new_scope != config.sections.cra.scope.model_dump(exclude_none=True):
        sections["cra"] = {"scope": new_scope}
    if sections:
        saved = configfile.save(
            directory, sections, header="# Steward's answers for this project (steward init)\n"
        )
        info(f"{'wrote' if saved.created else 'updated'} {saved.path}")
        if saved.comments_dropped:
            warn(f"{saved.path}: rewritten whole; its comments were not kept")
    elif configfile.config_path(directory).exists():
        info("steward.yml already holds everything steward init reads or asks")
    else:
        info("nothing read and nothing answered: no steward.yml written")
    for key in unanswered:
        info(f"not answered: project.{key} ({_ASK[key].split(' (')[0].lower()})")
    decision = decide(scope)
    if decision.missing:
        info(
            f"CRA scope not decided: run `steward cra scope` on a terminal, or answer "
            f"cra.scope.{decision.missing[0].key} in steward.yml"
        )
    lines = ["Next:"]
    for number, action in enumerate(next_actions(found, decision), 1):
        lines.append(f"  {number}. {action.command}")
        lines.append(f"     {action.why}")
    emit("\n".join(lines) + "\n", None)
