"""The root ``steward`` command: global options, command groups, and error → exit code mapping.

Every command group lives in its own module exposing ``register(app)``; this module only wires
them together and turns exceptions into one clear line and the exit codes of ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from steward import __version__  # a literal: costs nothing
from steward.cli import typer_fast
from steward.cli.console import set_quiet
from steward.cli.launch import Terminated as Terminated  # re-exported: tests and callers
from steward.cli.launch import run_fast, run_guarded

#: command name → the module whose ``register(app)`` defines it. Modules are imported only
#: when their command runs (or for its --help): some pull in heavy libraries (jsonschema's
#: format checkers alone take seconds to import), and `steward sbom` must start fast.
COMMAND_MODULES = {
    "admin": "steward.cli.admin",
    "assess": "steward.cli.assess",
    "assess-many": "steward.cli.assess_many",
    "case": "steward.cli.case",
    "catalog": "steward.cli.catalog",
    "cra": "steward.cli.cra",
    "csaf": "steward.cli.csaf",
    "db": "steward.cli.db",
    "docs": "steward.cli.docs",
    "evidence": "steward.cli.evidence",
    "init": "steward.cli.init",
    "sbom": "steward.cli.sbom",
    "serve": "steward.cli.serve",
    "vulns": "steward.cli.vulns",
}

#: command name → the first paragraph of its help, as its module defines it: what `steward
#: --help` lists, without importing every command's module (and the libraries they import)
#: to read it. tests/cli/test_import_graph.py checks each against the module's own text.
COMMAND_SUMMARIES = {
    "admin": "Accounts, organisations, roles and tokens of the portfolio service.",
    "assess": "Assess a project against the Steward catalog, requirement by requirement.",
    "assess-many": (
        "Assess many repositories: a list, an organisation manifest, or an SBOM's upstreams."
    ),
    "case": "Vulnerability and incident cases, with CRA Art. 14 clocks.",
    "catalog": "The common standard: list, show, crosswalk, export.",
    "cra": "CRA scope: whether the CRA applies to you, and in what role.",
    "csaf": "CSAF 2.0 documents.",
    "db": "The offline vulnerability database (OSV, CISA KEV, ENISA EUVD, EPSS).",
    "docs": "Render a CRA document from evidence; missing items are listed at its end.",
    "evidence": "Evidence packs: build one for an auditor, or verify one.",
    "init": "Set a project up: steward.yml (steward init), security files.",
    "sbom": (
        "Build an SBOM from lockfiles (steward sbom PATH), or check one (steward sbom check)."
    ),
    "serve": (
        "Run the portfolio service: REST API under /api/v1 (OpenAPI at /api/v1/openapi.json)."
    ),
    "vulns": "Match a project's components against the offline vulnerability database.",
}


class LazyGroup(TyperGroup):
    """The root group: loads a command's module the first time the command is looked up."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in COMMAND_MODULES:
            return command
        from steward.cli.lazy_group import click_group

        holder = typer.Typer(rich_markup_mode=None)
        importlib.import_module(COMMAND_MODULES[cmd_name]).register(holder)

        @holder.callback()
        def _group() -> None:  # keeps typer from collapsing a one-command app
            pass

        # the command's own sub-commands are built when looked up (`case event` builds `event`)
        loaded = click_group(holder)
        found = loaded.get_command(ctx, cmd_name)
        if found is not None:
            self.add_command(found, cmd_name)
        return found

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of ``steward --help``: loaded commands' own help, the others'
        from :data:`COMMAND_SUMMARIES` (the same text, without importing their modules)."""
        rows: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            command = super().get_command(ctx, name)
            if command is None and name in COMMAND_SUMMARIES:
                command = TyperCommand(name=name, help=COMMAND_SUMMARIES[name])
            elif command is None:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


typer_fast.install()  # typer converts option values without pydantic where it can


app = typer.Typer(
    cls=LazyGroup,
    name="steward",
    help="Secure-development practices as one checkable standard, with CRA evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"steward {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only results and errors; no progress.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours (the NO_COLOR variable works too).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Steward: assess projects, build SBOMs, match vulnerabilities, handle CRA reporting."""
    set_quiet(quiet)
    if no_color:
        os.environ["NO_COLOR"] = "1"


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with the documented exit codes (:func:`launch.run_guarded`).

    A plain `steward sbom` command line runs without the CLI framework
    (:func:`launch.run_fast`); typer/click handle their own usage errors in standalone mode
    (message + exit code 2); everything else is mapped by :func:`launch.run_guarded`, so no
    traceback ever reaches the user. Ctrl-C exits 130, SIGTERM 143 (SIGHUP 129).
    """
    run_fast(sys.argv[1:] if argv is None else list(argv))
    command = typer.main.get_command(app)
    run_guarded(lambda: command.main(args=argv, prog_name="steward", standalone_mode=True))
