"""`steward init security`: write SECURITY.md, security.txt and security-insights.yml.

Answers come from options, an answers file, and — for what neither gives — the repository
itself (project name, licence, remote; ``--no-prefill`` to skip). Everything still missing
is asked for at once on a terminal, or listed at once in the error otherwise. The renderers
load inside the command, so `steward init --help` starts quickly.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from steward.cli.console import info
from steward.errors import UsageError

init_app = typer.Typer(help="Set a project up: steward.yml (steward init), security files.")


@init_app.callback(invoke_without_command=True)
def init(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("--dir", "-C", help="Project root (default: current directory).")
    ] = Path(),
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask.")] = False,
) -> None:
    """Write steward.yml from what the checkout tells, ask the rest, print the next steps."""
    if ctx.invoked_subcommand is None:
        from steward.cli.init_project import run

        run(directory, no_input=no_input)


_PERSON = re.compile(r"^\s*(?P<name>[^<]+?)\s*(?:<(?P<email>[^>]+)>)?\s*$")
_REQUIRED = {
    "project_name": "project name (--name)",
    "repository_url": "repository URL (--repository)",
    "contacts": "security contact e-mail (--contact)",
    "administrators": "administrator 'Name <e-mail>' (--admin)",
}
_PROMPTS = {
    "project_name": "Project name",
    "repository_url": "Repository URL (https://...)",
    "contacts": "Security contact e-mail",
    "administrators": "Administrator 'Name <e-mail>'",
}
_SIGNING_HINT = (
    "{path} is not signed. RFC 9116 recommends an OpenPGP cleartext signature; sign it with "
    "the project's key: gpg --local-user KEY --clearsign --output {path}.asc {path} && "
    "mv {path}.asc {path} (and publish the key at the Encryption URL)"
)


def _person(text: str, option: str = "--admin") -> dict[str, str]:
    match = _PERSON.match(text)
    if match is None:
        raise UsageError(f"{option} {text!r}: expected 'Name <e-mail>'")
    person = {"name": match["name"]}
    if match["email"]:
        person["email"] = match["email"]
    return person


def _ask_missing(data: dict[str, Any], missing: list[str]) -> None:
    """Ask for every missing answer, one prompt after another, before validating any."""
    for key in missing:
        value = typer.prompt(_PROMPTS[key]).strip()
        if key == "contacts":
            data[key] = [value]
        elif key == "administrators":
            data[key] = [_person(value, "administrator")]
        else:
            data[key] = value


@init_app.command("security")
def security(
    path: Annotated[
        Path, typer.Argument(help="Project root (default: current directory).")
    ] = Path(),
    answers_file: Annotated[
        Path | None, typer.Option("--answers", help="YAML file with the answers (see docs).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Project name.")] = None,
    repository: Annotated[str | None, typer.Option(help="Repository URL (https://).")] = None,
    contact: Annotated[
        list[str] | None, typer.Option("--contact", help="Security contact e-mail (repeatable).")
    ] = None,
    private_reporting_url: Annotated[
        str | None, typer.Option(help="Private reporting link, e.g. GitHub's advisories/new.")
    ] = None,
    policy_url: Annotated[str | None, typer.Option(help="Where SECURITY.md is published.")] = None,
    canonical_url: Annotated[
        str | None, typer.Option(help="Where security.txt is published.")
    ] = None,
    pgp_key_url: Annotated[str | None, typer.Option(help="URL of the OpenPGP key.")] = None,
    license_expression: Annotated[
        str | None, typer.Option("--license", help="SPDX licence expression.")
    ] = None,
    admin: Annotated[
        list[str] | None,
        typer.Option("--admin", help="Administrator 'Name <e-mail>' (repeatable)."),
    ] = None,
    expires_days: Annotated[
        int | None,
        typer.Option(help="security.txt Expires, days from now (default 360, at most 365)."),
    ] = None,
    prefill_answers: Annotated[
        bool,
        typer.Option(
            "--prefill/--no-prefill",
            help="Read name, licence and remote from the repository when not given.",
        ),
    ] = True,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files, write nothing.")
    ] = False,
) -> None:
    """Write SECURITY.md, .well-known/security.txt and security-insights.yml from answers."""
    from steward.disclosure.project_files.answers import parse_answers
    from steward.disclosure.project_files.init import render_all, write_all
    from steward.safeio import load_yaml

    data: dict[str, Any] = {}
    source = "command-line options"
    if answers_file is not None:
        loaded = load_yaml(answers_file)
        if not isinstance(loaded, dict):
            raise UsageError(f"{answers_file}: answers must be a YAML mapping")
        data.update(loaded)
        source = str(answers_file)
    options: dict[str, Any] = {
        "project_name": name,
        "repository_url": repository,
        "contacts": contact or None,
        "private_reporting_url": private_reporting_url,
        "policy_url": policy_url,
        "canonical_url": canonical_url,
        "pgp_key_url": pgp_key_url,
        "license": license_expression,
        "administrators": [_person(a) for a in admin] if admin else None,
        "expires_days": expires_days,
    }
    data.update({k: v for k, v in options.items() if v is not None})
    if prefill_answers and path.is_dir():
        from steward.disclosure.project_files.prefill import prefill

        found = prefill(path)
        used = {k: v for k, v in found.values.items() if not data.get(k)}
        data.update(used)
        for key, value in used.items():
            info(f"{key}: {value} (from {found.sources[key]}; override with an option)")
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing and sys.stdin.isatty():
        _ask_missing(data, missing)
    elif missing:
        raise UsageError("missing answers: " + ", ".join(_REQUIRED[k] for k in missing))
    answers = parse_answers(data, source=source)
    files = render_all(answers, now=datetime.now(UTC))
    if dry_run:
        for rel, content in files.items():
            typer.echo(f"--- {rel}\n{content}")
        return
    for written in write_all(path, files, force=force):
        info(f"wrote {written}")
    info(_SIGNING_HINT.format(path=path / ".well-known" / "security.txt"))


def register(app: typer.Typer) -> None:
    """Add the `init` group to the root app."""
    app.add_typer(init_app, name="init")
