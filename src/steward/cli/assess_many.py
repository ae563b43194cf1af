"""`steward assess-many`: assess a portfolio of repositories, locally or on a Dask cluster.

LIST is a text file of git URLs and checkout paths (one per line) or an organisation
manifest (a ``steward.yml`` with ``projects:``); ``--from-sbom`` takes the upstream
repositories of an SBOM's components instead (component due diligence, CRA Art. 13(5)).
Rows stream as JSON Lines to stdout or ``--output``; the summary table follows. See
``steward.scale`` for the engine, cache, limits and row fields.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from steward.errors import UsageError

if TYPE_CHECKING:
    from steward.scale.targets import TargetList

MiB = 1024 * 1024


class Role(StrEnum):
    PROJECT = "project"
    STEWARD = "steward"
    MANUFACTURER = "manufacturer"


class Detail(StrEnum):
    FULL = "full"
    SUMMARY = "summary"


def _targets(source: Path | None, sbom: Path | None, mapping: Path | None) -> TargetList:
    if (source is None) == (sbom is None):
        raise UsageError("give either LIST or --from-sbom FILE (exactly one)")
    if mapping is not None and sbom is None:
        raise UsageError("--map only applies with --from-sbom", source="--map")
    if sbom is not None:
        from steward.scale.upstream import Mapping, targets_from_sbom

        return targets_from_sbom(sbom, Mapping.load(mapping) if mapping else None)
    from steward.scale.targets import read_list

    assert source is not None
    return read_list(source)


def _options(level: int | None, only: list[str] | None, role: Role) -> tuple[dict[str, Any], str]:
    """The assessment options of the run (checked against the catalog) and its version."""
    from steward.catalog.loader import load_catalog

    catalog = load_catalog()
    wanted = sorted({o.strip().upper() for o in only or []})
    unknown = [w for w in wanted if catalog.get(w) is None and catalog.family(w) is None]
    if unknown:
        raise UsageError(f"unknown requirement or family: {', '.join(unknown)}", source="--only")
    return {"role": role.value, "level": level, "only": wanted}, catalog.version


def assess_many(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="File of git URLs / checkout paths (one per line), or a steward.yml "
            "with a projects: section.",
            show_default=False,
        ),
    ] = None,
    from_sbom: Annotated[
        Path | None,
        typer.Option(
            "--from-sbom",
            help="Assess the upstream repositories of this SBOM's components (CycloneDX, SPDX).",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--map", help="YAML/JSON file: purl -> repository URL (or null)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="JSON Lines file (default: stdout)."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Continue the interrupted run that wrote OUTPUT.partial, if any."
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Local assessment processes (default: CPUs)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler, tcp://HOST:PORT (needs the dask extra)."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(min=1, help="Seconds per repository (look-up, clone and assessment)."),
    ] = 600,
    max_disk: Annotated[
        int,
        typer.Option("--max-disk", min=1, help="MiB of disk per repository being assessed."),
    ] = 2048,
    work_dir: Annotated[
        Path | None,
        typer.Option("--work-dir", help="Where clones are made (default: the temp directory)."),
    ] = None,
    cache_file: Annotated[
        Path | None,
        typer.Option("--cache", help="Cache file (default: assess-many.sqlite in the user cache)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Assess everything; read and store nothing.")
    ] = False,
    level: Annotated[
        int | None, typer.Option(min=1, max=3, help="Only requirements up to this level.")
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Only this family (VUL) or requirement (repeatable)."),
    ] = None,
    role: Annotated[
        Role, typer.Option(help="Assess as a project, a steward or a manufacturer.")
    ] = Role.PROJECT,
    detail: Annotated[
        Detail,
        typer.Option(help="Rows carry the full assessment, or levels, counts and statuses."),
    ] = Detail.FULL,
    top: Annotated[
        int, typer.Option(min=1, help="Projects, gaps and errors shown in the summary.")
    ] = 25,
    upload: Annotated[
        str | None,
        typer.Option(
            help="Also send each assessment to its project on the portfolio service: "
            "https://HOST/api/v1/organisations/ORG (token in STEWARD_TOKEN).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Also store each assessment, as it completes, in the service's database "
            "(SQLite path or postgresql:// URL), under the --org project of its repository.",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org", help="With --db: the organisation whose projects receive the assessments."
        ),
    ] = None,
) -> None:
    """Assess many repositories: a list, an organisation manifest, or an SBOM's upstreams."""
    from steward import __version__
    from steward.cli.console import err, info, is_quiet, out, warn
    from steward.scale.cache import Cache, Context, default_path
    from steward.scale.engine import Limits, emit_unresolved, run_many
    from steward.scale.sinks import JsonlFile, JsonlStdout, Sink
    from steward.scale.summary import Portfolio

    if resume and output is None:
        raise UsageError("--resume needs --output FILE (the journal is FILE.partial)")
    if scheduler is not None and jobs is not None:
        raise UsageError("--jobs is for the local pool; a Dask cluster has its own workers")
    if output is not None and str(output) == "-":
        output = None
    if upload is not None:
        from steward.scale.upload import parse_upload_url
        from steward.service.client import token_from_env

        parse_upload_url(upload)
        token_from_env()
    if (db is None) != (org is None):
        raise UsageError("--db DATABASE and --org ORGANISATION go together")
    targets = _targets(source, from_sbom, mapping)
    options, catalog_version = _options(level, only, role)
    context = Context(catalog_version, __version__, options)
    limits = Limits(timeout=timeout, disk=max_disk * MiB)
    journal = JsonlFile(output, resume=resume, detail=detail.value) if output else None
    sink: Sink = journal if journal is not None else JsonlStdout(detail=detail.value)
    sinks: list[Sink] = [sink]
    service = None
    if upload is not None:
        from steward.scale.upload import ServiceSink

        service = ServiceSink(upload)  # lists the organisation's projects: fails before work
        info(f"uploading to {service.organisation} ({len(service.projects)} projects with a "
             "repository URL)")  # fmt: skip
        sinks.insert(0, service)
    store = None
    if db is not None and org is not None:
        from steward.scale.database import DatabaseSink

        store = DatabaseSink(db, org)  # opens and migrates the database: fails before work
        info(f"storing in {store.url}, organisation {org} ({len(store.projects)} projects "
             "with a repository URL)")  # fmt: skip
        sinks.insert(0, store)
    cache = None if no_cache else Cache(cache_file or default_path())
    portfolio = Portfolio(top=top)
    done: set[str] = set()
    if journal is not None:
        for row in journal.previous():
            for key in ("catalog_version", "steward_version", "options"):
                if row.get(key) != getattr(context, key):
                    raise UsageError(
                        f"{journal.journal}: written by a run with another {key.replace('_', ' ')} "
                        f"({row.get(key)!r}, this run {getattr(context, key)!r}); "
                        "delete it or use the same options",
                    )
            done.add(str(row["target"]))
            portfolio.add(row)
        if done:
            info(f"resuming: {len(done)} repositories already done in {journal.journal}")
    if targets.duplicates:
        info(f"{targets.duplicates} duplicate entries merged")
    total = len(targets.targets) + len(targets.unresolved)
    try:
        with _executor(scheduler, jobs) as pool:
            info(f"assessing {len(targets.targets)} repositories on {pool.description}")
            with _bar(total, len(done & _keys(targets))) as tick:

                def on_row(row: dict[str, Any]) -> None:
                    portfolio.add(row)
                    tick(str(row.get("name") or row.get("target")))

                emit_unresolved(
                    targets.unresolved,
                    source=str(from_sbom),
                    context=context,
                    sinks=sinks,
                    done=done,
                    on_row=on_row,
                )
                run = run_many(
                    targets.targets,
                    pool.executor,
                    context=context,
                    sinks=sinks,
                    cache=cache,
                    limits=limits,
                    window=max(2 * pool.slots, 2),
                    done=done,
                    work_dir=str(work_dir) if work_dir else None,
                    on_row=on_row,
                )
    except KeyboardInterrupt:
        for each in sinks:
            each.close(False)
        if cache is not None:
            cache.close()
        where = f"; continue with --resume (journal {journal.journal})" if journal else ""
        err().print(f"steward: interrupted{where}", markup=False)
        raise typer.Exit(130) from None
    for each in sinks:
        each.close(True)
    if cache is not None:
        cache.close()
    if service is not None:
        info(service.report())
    if store is not None:
        info(store.report())
    if errors := run.counts["error"]:
        noun = "repository" if errors == 1 else "repositories"
        warn(f"{errors} {noun} could not be assessed (rows with an error)")
    if output is not None:
        info(f"wrote {output}")
        console = out()
    elif is_quiet():
        return
    else:
        console = err()
    from rich.console import Console

    wide = Console(file=console.file, width=max(console.width, 110), no_color=console.no_color)
    portfolio.render(wide)


def _keys(targets: TargetList) -> set[str]:
    return {t.key for t in targets.targets} | {ident for ident, _ in targets.unresolved}


def _executor(scheduler: str | None, jobs: int | None) -> Any:
    from steward.scale.executors import dask_executor, local_executor

    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise UsageError("expected tcp://HOST:PORT", source="--scheduler")
        return dask_executor(scheduler)
    return local_executor(jobs or os.cpu_count() or 2)


def _bar(total: int, already: int) -> Any:
    """A progress bar with ETA on stderr (invisible when quiet or not a terminal); returns a
    context manager yielding ``tick(name)``."""
    import contextlib

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from steward.cli.console import err, is_quiet

    @contextlib.contextmanager
    def managed() -> Any:
        console = err()
        bar = Progress(
            TextColumn("{task.description}", style="progress.description", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=is_quiet() or not console.is_terminal,
            transient=True,
        )
        with bar:
            task = bar.add_task("Assessing", total=total, completed=already)

            def tick(name: str) -> None:
                bar.update(task, advance=1, description=f"Assessing ({name[:30]})")

            yield tick

    return managed()


def register(app: typer.Typer) -> None:
    """Add the `assess-many` command to the root app."""
    app.command("assess-many")(assess_many)
