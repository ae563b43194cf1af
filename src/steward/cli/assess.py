"""`steward assess`: how a project stands against the common standard, with evidence.

PATH is a local checkout or a git URL (cloned into a temporary directory). Forge facts
(branch protection, private vulnerability reporting, releases ...) are read from the GitHub
or GitLab API when ``--forge URL`` is given, or when the checkout's ``origin`` is on a forge
and a token is set (GITHUB_TOKEN / GITLAB_TOKEN); otherwise those requirements need an
attestation. Exit code 1 when the level achieved is below ``--fail-under``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from steward.cli.console import emit, info, out, progress, warn
from steward.errors import EXIT_FINDINGS, InputError, UsageError

if TYPE_CHECKING:
    from steward.collect.facts import ForgeData
    from steward.evaluate.model import Assessment

_GIT_URL = re.compile(r"^(https?://|ssh://|git@|git://|file://)")


class AssessFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    OSCAL = "oscal"


class Role(StrEnum):
    PROJECT = "project"
    STEWARD = "steward"
    MANUFACTURER = "manufacturer"


_STYLE = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "needs-attestation": "yellow",
    "not-applicable": "dim",
}


def _clone(url: str, target: Path) -> Path:
    checkout = target / "checkout"
    try:
        done = subprocess.run(
            ["git", "clone", "--quiet", "--no-recurse-submodules", "--", url, str(checkout)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"git clone failed: {exc}", source=url) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise InputError(f"git clone failed: {reason}", source=url)
    return checkout


def _origin(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    url = done.stdout.strip()
    return url if done.returncode == 0 and url else None


def _forge(root: Path, forge_url: str | None, use_forge: bool | None) -> ForgeData | None:
    from steward.collect.forge import collect_forge, parse_forge_url

    if use_forge is False:
        return None
    url = forge_url or _origin(root)
    if url is None:
        if use_forge:
            raise UsageError("--forge: no URL given and the checkout has no origin remote")
        return None
    try:
        kind, _slug = parse_forge_url(url)
    except UsageError:
        if forge_url or use_forge:
            raise
        return None
    token = os.environ.get("GITHUB_TOKEN" if kind == "github" else "GITLAB_TOKEN")
    if not token and not use_forge and forge_url is None:
        return None  # no token: stay offline unless asked
    info(f"reading forge facts from {url} ...")
    return collect_forge(url)


def _table(assessment: Assessment, verbose: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=max(out().width, 110), no_color=out().no_color)
    table = Table(
        title=f"{assessment.project} @ {(assessment.revision or 'working tree')[:12]}",
        title_justify="left",
    )
    for column in ("requirement", "lvl", "status", "finding"):
        table.add_column(column)
    order = {"fail": 0, "error": 1, "needs-attestation": 2, "pass": 3, "not-applicable": 4}
    for f in sorted(assessment.findings, key=lambda x: (order[x.status.value], x.requirement_id)):
        if not verbose and f.status.value in ("pass", "not-applicable"):
            continue
        status = f.status.value + (" (attested)" if f.attested else "")
        message = f.message
        if f.status.value in ("fail", "error") and f.fix:
            message += f"\nfix: {f.fix.strip().splitlines()[0]}"
        table.add_row(
            f"{f.requirement_id} {f.title}",
            str(f.level),
            f"[{_STYLE[f.status.value]}]{status}[/]",
            message,
        )
    console.print(table)
    s = assessment.summary
    console.print(
        f"Level achieved: {assessment.level_achieved} — {s.passed} pass, {s.failed} fail, "
        f"{s.needs_attestation} need attestation, {s.error} error, {s.not_applicable} not "
        f"applicable (of {s.total})" + ("" if verbose else "; --all lists passing ones too")
    )
    return buffer.getvalue()


def assess(
    path: Annotated[str, typer.Argument(help="Project checkout, or a git URL to clone.")] = ".",
    output_format: Annotated[
        AssessFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AssessFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    level: Annotated[
        int | None, typer.Option(min=1, max=3, help="Only requirements up to this level.")
    ] = None,
    fail_under: Annotated[
        int | None,
        typer.Option(min=1, max=3, help="Exit 1 when the level achieved is below this."),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Only this family (VUL) or requirement (repeatable)."),
    ] = None,
    role: Annotated[
        Role, typer.Option(help="Assess as a project, a steward or a manufacturer.")
    ] = Role.PROJECT,
    forge: Annotated[
        str | None, typer.Option("--forge", help="Forge URL of the repository to read the API of.")
    ] = None,
    use_forge: Annotated[
        bool | None,
        typer.Option(
            "--online/--offline",
            help="Read the forge API (default: only when a token is set and origin is a forge).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--all", help="Table: list passing requirements too.")
    ] = False,
) -> None:
    """Assess a project against the Steward catalog, requirement by requirement."""
    from steward.evaluate import assess as run_assessment
    from steward.evaluate import report

    with tempfile.TemporaryDirectory(prefix="steward-assess-") as tmp:
        if _GIT_URL.match(path) and not Path(path).exists():
            info(f"cloning {path} ...")
            root = _clone(path, Path(tmp))
        else:
            root = Path(path)
            if not root.is_dir():
                raise InputError(
                    "not a directory (give a project checkout or a git URL)", source=path
                )
        forge_data = _forge(root, forge, use_forge)
        selection = {item.upper() for item in only} if only else None
        with progress("Assessing") as bar:
            task = bar.tasks[0].id

            def tick(stage: str, done: int, total: int) -> None:
                bar.update(task, description=f"Assessing: {stage}", completed=done, total=total)

            assessment = run_assessment(
                root, forge=forge_data, level=level, only=selection, progress=tick, role=role.value
            )
    for problem in assessment.problems:
        warn(f"{problem.source}: {problem.detail}")
    if output_format is AssessFormat.JSON:
        emit(assessment.to_json(), output)
    elif output_format is AssessFormat.MARKDOWN:
        emit(report.to_markdown(assessment), output)
    elif output_format is AssessFormat.HTML:
        emit(report.to_html(assessment), output)
    elif output_format is AssessFormat.SARIF:
        emit(report.to_sarif(assessment), output)
    elif output_format is AssessFormat.OSCAL:
        emit(report.to_oscal(assessment), output)
    else:
        emit(_table(assessment, verbose), output)
    if fail_under is not None and assessment.level_achieved < fail_under:
        info(f"level achieved {assessment.level_achieved} is below --fail-under {fail_under}")
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add the `assess` command to the root app."""
    app.command("assess")(assess)
