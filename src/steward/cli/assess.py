"""`steward assess`: how a project stands against the common standard, with evidence.

PATH is a local checkout or a git URL (cloned into a temporary directory). Forge facts
(branch protection, private vulnerability reporting, releases ...) are read from the GitHub
or GitLab API when ``--forge URL`` is given, or when the checkout's ``origin`` is on a forge
and a token is set (GITHUB_TOKEN / GITLAB_TOKEN); otherwise those requirements need an
attestation. Exit code 1 when the level achieved is below ``--fail-under`` (strict: every
MUST requirement met or not applicable), or when a MUST requirement of a level up to
``--fail-on`` fails or could not be evaluated (awaiting attestation and accepted do not count:
the gate a healthy project passes before its attestations are written).
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

from steward.cli.console import emit, info, out, progress, warn
from steward.errors import EXIT_FINDINGS, InputError, UsageError
from steward.gitsafe import git_command, git_env, run_git

if TYPE_CHECKING:
    from steward.collect.facts import ForgeData
    from steward.evaluate.model import Assessment, Finding

_GIT_URL = re.compile(r"^(https?://|ssh://|git@|git://|file://)")


class AssessFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    OSCAL = "oscal"
    GEMARA = "gemara"


class Role(StrEnum):
    PROJECT = "project"
    STEWARD = "steward"
    MANUFACTURER = "manufacturer"


_STYLE = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "needs-attestation": "yellow",
    "accepted": "dim",
    "not-applicable": "dim",
}
_ORDER = ("fail", "error", "needs-attestation", "accepted", "pass", "not-applicable")
MAX_TABLE_EVIDENCE = 10


def _clone(url: str, target: Path) -> Path:
    from steward.scale.checkout import git_reason
    from steward.scale.targets import redact

    checkout = target / "checkout"
    try:
        done = subprocess.run(
            git_command("clone", "--quiet", "--no-recurse-submodules", "--", url, str(checkout)),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**git_env(), "HOME": os.environ.get("HOME", "/nonexistent")},
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"git clone failed: {exc}", source=redact(url)) from None
    if done.returncode != 0:
        # git's fatal line, not its closing advice ("and the repository exists."), and no
        # token written into the URL (as ``assess-many`` reports them)
        raise InputError(f"git clone failed: {git_reason(done.stderr)}", source=redact(url))
    return checkout


def _origin(root: Path) -> str | None:
    try:
        done = run_git(root, "remote", "get-url", "origin", timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    url = done.stdout.decode("utf-8", "replace").strip()
    return url if done.returncode == 0 and url else None


def _forge(root: Path, forge_url: str | None, use_forge: bool | None) -> ForgeData | None:
    from steward.collect.forge import collect_forge
    from steward.collect.forgeurl import parse_forge_url

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


def _evidence_lines(finding: Finding) -> list[str]:
    """``file:line — detail`` for each piece of evidence of a failing item (capped)."""
    evidence = finding.open_evidence()
    lines = [e.text() for e in evidence[:MAX_TABLE_EVIDENCE]]
    if len(evidence) > MAX_TABLE_EVIDENCE:
        lines.append(f"… {len(evidence) - MAX_TABLE_EVIDENCE} more (--format json lists all)")
    return lines


def _table(assessment: Assessment, verbose: bool) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from steward.evaluate.report import (
        achieved_text,
        editions,
        level_lines,
        next_level_lines,
        summary_line,
    )

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(out().width, 110), no_color=out().no_color)
    table = Table(
        title=f"{assessment.project} @ {(assessment.revision or 'working tree')[:12]}",
        title_justify="left",
        caption=f"Steward catalog {assessment.catalog_version}; {editions(assessment)}",
        caption_justify="left",
    )
    for column in ("requirement", "lvl", "status", "finding"):
        table.add_column(column)
    for f in sorted(
        assessment.findings, key=lambda x: (_ORDER.index(x.status.value), x.requirement_id)
    ):
        if not verbose and f.status.value in ("pass", "not-applicable"):
            continue
        status = f.status.value + (" (attested)" if f.attested else "")
        message = [f.message]
        if f.status.value in ("fail", "error", "accepted"):
            message += _evidence_lines(f)
        if f.acceptance is not None:
            label = "acceptance expired" if f.acceptance.expired else "accepted"
            message.append(f"{label}: {f.acceptance.text()}")
        if f.status.value in ("fail", "error") and f.fix:
            message.append(f"fix: {f.fix.strip().splitlines()[0]}")
        table.add_row(
            escape(f"{f.requirement_id} {f.title}"),
            str(f.level),
            f"[{_STYLE[f.status.value]}]{status}[/]",
            escape("\n".join(message)),
        )
    console.print(table)
    for line in level_lines(assessment):
        console.print(escape(line), highlight=False)
    console.print(
        f"Level achieved: {achieved_text(assessment)} — {summary_line(assessment)}"
        + ("" if verbose else "; --all lists passing ones too"),
        highlight=False,
    )
    for line in next_level_lines(assessment, limit=15):
        console.print(escape(line), highlight=False)
    return buffer.getvalue()


def failing_musts(assessment: Assessment, level: int) -> list[Finding]:
    """MUST requirements of ``level`` or below that fail or could not be evaluated."""
    return [
        f
        for f in assessment.findings
        if f.must and f.level <= level and f.status.value in ("fail", "error")
    ]


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
        typer.Option(
            min=1,
            max=3,
            help="Exit 1 when the level achieved is below this (strict: every MUST met).",
        ),
    ] = None,
    fail_on: Annotated[
        int | None,
        typer.Option(
            "--fail-on",
            min=1,
            max=3,
            help="Exit 1 when a MUST requirement up to this level fails or errors "
            "(awaiting attestation and accepted ones do not count).",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Only this family (VUL) or requirement (repeatable)."),
    ] = None,
    role: Annotated[
        Role | None,
        typer.Option(
            help="Assess as a project, a steward or a manufacturer (default: the role "
            "`steward cra scope` decides from steward.yml, else project)."
        ),
    ] = None,
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
        bool,
        typer.Option("--all", help="Table and SARIF: list passing requirements too."),
    ] = False,
    upload: Annotated[
        str | None,
        typer.Option(
            help="Also send the result to the portfolio service: https://HOST/api/v1/projects/ID "
            "(token in STEWARD_TOKEN)."
        ),
    ] = None,
) -> None:
    """Assess a project against the Steward catalog, requirement by requirement."""
    from steward.evaluate import assess as run_assessment
    from steward.evaluate import report
    from steward.sarif import root_prefix

    if upload is not None:
        from steward.service.client import check_upload_url

        check_upload_url(upload)
    if fail_under is not None and only:
        # no level is achieved on part of the catalog: the gate would always fail
        raise UsageError("--fail-under judges the whole catalog; use --fail-on with --only")

    with tempfile.TemporaryDirectory(prefix="steward-assess-") as tmp:
        if _GIT_URL.match(path) and not Path(path).exists():
            from steward.scale.targets import redact

            info(f"cloning {redact(path)} ...")
            root = _clone(path, Path(tmp))
            prefix = ""
        else:
            root = Path(path)
            if not root.is_dir():
                what = "not a directory" if root.exists() else "no such directory"
                raise InputError(f"{what} (give a project checkout or a git URL)", source=path)
            prefix = root_prefix(root)
        forge_data = _forge(root, forge, use_forge)
        selection = {item.upper() for item in only} if only else None
        if role is None:
            from steward.documents.scope import decide_config
            from steward.projectconfig import load_project_config

            config = load_project_config(root)
            role = Role(decide_config(config).assess_role if config else "project")
        with progress("Assessing") as bar:
            task = bar.tasks[0].id

            def tick(stage: str, done: int, total: int) -> None:
                bar.update(task, description=f"Assessing: {stage}", completed=done, total=total)

            assessment = run_assessment(
                root, forge=forge_data, level=level, only=selection, progress=tick, role=role.value
            )
    for problem in assessment.problems:
        warn(f"{problem.where}: {problem.detail}")
    if output_format is AssessFormat.JSON:
        emit(assessment.to_json(), output)
    elif output_format is AssessFormat.MARKDOWN:
        emit(report.to_markdown(assessment), output)
    elif output_format is AssessFormat.HTML:
        emit(report.to_html(assessment), output)
    elif output_format is AssessFormat.SARIF:
        emit(report.to_sarif(assessment, prefix=prefix, include_passing=verbose), output)
    elif output_format is AssessFormat.OSCAL:
        emit(report.to_oscal(assessment), output)
    elif output_format is AssessFormat.GEMARA:
        import orjson

        from steward.evaluate.gemara import to_gemara

        emit(orjson.dumps(to_gemara(assessment), option=orjson.OPT_INDENT_2) + b"\n", output)
    else:
        emit(_table(assessment, verbose), output)
    if upload is not None:
        from steward.service.client import upload_assessment

        info(upload_assessment(upload, assessment.to_json()))
    failed = False
    if fail_under is not None and assessment.level_achieved < fail_under:
        info(f"level achieved {assessment.level_achieved} is below --fail-under {fail_under}")
        failed = True
    if fail_on is not None and (blocking := failing_musts(assessment, fail_on)):
        names = ", ".join(f"{f.requirement_id} ({f.status.value})" for f in blocking)
        info(f"--fail-on {fail_on}: {len(blocking)} MUST requirements not met: {names}")
        failed = True
    if failed:
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add the `assess` command to the root app."""
    app.command("assess")(assess)
