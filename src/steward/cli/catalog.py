"""`steward catalog`: list, show, crosswalk and export the common standard."""

from __future__ import annotations

import difflib
import io
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from steward.catalog.vocabulary import Applicability, Framework
from steward.cli.console import emit, out
from steward.errors import InputError, NotFoundError, UsageError
from steward.markdown import table_cell

if TYPE_CHECKING:  # the catalog (pydantic) and rich load inside the commands
    from rich.table import Table

    from steward.catalog.crosswalk import Link
    from steward.catalog.model import Requirement

catalog_app = typer.Typer(
    help="The common standard: list, show, crosswalk, export.", no_args_is_help=True
)


class ViewFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class ExportFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"
    OSCAL = "oscal"


FormatOption = Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")]


def _json(data: object) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2)


@catalog_app.command("list")
def list_requirements(
    level: Annotated[
        int | None, typer.Option(min=1, max=3, help="Up to this maturity level.")
    ] = None,
    framework: Annotated[
        Framework | None, typer.Option(help="Show (and keep only) mappings to this framework.")
    ] = None,
    family: Annotated[str | None, typer.Option(help="Only this family (e.g. VUL).")] = None,
    applicability: Annotated[
        Applicability | None, typer.Option(help="Only requirements for this audience.")
    ] = None,
    output_format: FormatOption = ViewFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """List the requirements of the standard."""
    from rich.table import Table

    from steward.catalog.crosswalk import mapped_ids
    from steward.catalog.loader import load_catalog

    catalog = load_catalog()
    if family is not None and catalog.family(family) is None:
        known = ", ".join(f.id for f in catalog.families)
        raise UsageError(f"--family: unknown family {family!r} (known: {known})")
    selected: list[Requirement] = [
        r
        for r in catalog.requirements
        if (level is None or r.level <= level)
        and (family is None or r.family == family.upper())
        and (applicability is None or applicability in r.applicability)
        and (framework is None or mapped_ids(r, framework))
    ]
    if output_format is ViewFormat.JSON:
        rows = []
        for r in selected:
            row = r.model_dump(mode="json")
            if framework is not None:
                row["framework_ids"] = list(mapped_ids(r, framework))
            rows.append(row)
        emit(_json({**catalog.provenance(), "requirements": rows}), output)
        return
    extra = f"{framework.value} ids" if framework else "verified by"
    if output_format is ViewFormat.MARKDOWN:
        lines = [
            f"{catalog.versions_line()}.",
            "",
            f"| id | level | title | {extra} |",
            "|---|---|---|---|",
        ]
        for r in selected:
            last = ", ".join(mapped_ids(r, framework)) if framework else _verified(r)
            lines.append(f"| {r.id} | {r.level} | {table_cell(r.title)} | {table_cell(last)} |")
        emit("\n".join(lines) + "\n", output)
        return
    table = Table(
        "id",
        "lvl",
        "title",
        extra,
        title=f"{catalog.title} {catalog.version}: {len(selected)} requirements",
        caption=catalog.versions_line(),
    )
    for r in selected:
        last = ", ".join(mapped_ids(r, framework)) if framework else _verified(r)
        table.add_row(r.id, str(r.level), r.title, last)
    if output is None:
        out().print(table)
    else:
        emit(_render_text(table), output)


def _verified(r: Requirement) -> str:
    probes = ", ".join(r.verification.probes)
    if r.verification.attestation:
        return f"{probes} + attestation" if probes else "attestation"
    return probes


def _render_text(table: Table) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    Console(
        file=buffer, width=160, no_color=True, color_system=None, markup=False, emoji=False
    ).print(table)
    return buffer.getvalue()


@catalog_app.command("show")
def show(
    requirement_id: Annotated[str, typer.Argument(help="A requirement id, e.g. STW-VUL-03.")],
    output_format: FormatOption = ViewFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Show one requirement with its verification, fix and mappings."""
    from steward.catalog.loader import load_catalog
    from steward.catalog.sources import sources_of

    catalog = load_catalog()
    requirement = catalog.get(requirement_id)
    if requirement is None:
        ids = [r.id for r in catalog.requirements]
        close = difflib.get_close_matches(requirement_id.upper(), ids, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise NotFoundError(f"no requirement {requirement_id!r}{hint}")
    if output_format is ViewFormat.JSON:
        data = {**requirement.model_dump(mode="json"), **catalog.provenance()}
        data["source_links"] = [
            {"id": s.id, "by": s.by, "title": s.title, "url": s.url}
            for s in sources_of(requirement, catalog)
        ]
        emit(_json(data), output)
        return
    m = requirement.mappings
    audience = ", ".join(a.value for a in requirement.applicability)
    lines = [
        f"# {requirement.id}: {requirement.title}",
        "",
        f"Level {requirement.level}; applies to {audience}.",
        "",
        requirement.text,
        "",
        f"Why: {requirement.rationale}",
        "",
        f"Verified by: {_verified(requirement) or '—'}",
    ]
    if requirement.verification.attestation:
        lines.append(f"Attest: {requirement.verification.attestation}")
    lines += ["", f"Fix: {requirement.fix}", ""]
    for label, values in (
        ("CRA", m.cra),
        ("OSPS Baseline", m.osps),
        ("Scorecard", m.scorecard),
        ("NIST SSDF", m.ssdf),
        ("Foundations", m.foundations),
    ):
        lines.append(f"- {label}: {', '.join(values) or '—'}")
    lines += ["", "From:"]
    lines += [f"- {source.title}: {source.url}" for source in sources_of(requirement, catalog)]
    lines += ["", f"Mappings refer to: {catalog.versions_line()}."]
    text = "\n".join(lines) + "\n"
    if output_format is ViewFormat.MARKDOWN or output is not None:
        emit(text, output)
    else:
        from rich.markdown import Markdown

        out().print(Markdown(text))


def _link_text(link: Link) -> str:
    if link.via:
        return f"{link.requirement} (via {', '.join(link.via)})"
    return link.requirement


@catalog_app.command("crosswalk")
def crosswalk_command(
    framework: Annotated[Framework, typer.Option(help="The framework to cross-walk.")],
    output_format: FormatOption = ViewFormat.TABLE,
    output: OutputOption = None,
    gaps_only: Annotated[
        bool, typer.Option("--gaps", help="Only items no requirement covers.")
    ] = False,
) -> None:
    """Every item of a framework against the requirements that cover it, gaps highlighted.

    Each link says where it comes from: derived through the OSPS Baseline's published mapping
    documents ("via OSPS-..."), or Steward's own mapping (with the reason where it differs)."""
    from rich.table import Table
    from rich.text import Text

    from steward.catalog.crosswalk import crosswalk, document, edition, rejections
    from steward.catalog.loader import load_catalog
    from steward.catalog.mappings import load_osps_mappings

    catalog = load_catalog()
    rows = crosswalk(catalog, framework)
    gaps = [r for r in rows if r.gap]
    shown = gaps if gaps_only else rows
    pinned = edition(catalog, framework)
    rejected = rejections(catalog, framework)
    mappings = load_osps_mappings().source if document(framework) is not None else None
    if output_format is ViewFormat.JSON:
        emit(
            _json(
                {
                    "framework": framework.value,
                    "edition": pinned,
                    **catalog.provenance(),
                    "published_mappings": mappings,
                    "items": len(rows),
                    "gaps": len(gaps),
                    "rejected": [
                        {
                            "requirement": r.requirement,
                            "item": r.item,
                            "via": list(r.via),
                            "reason": r.reason,
                        }
                        for r in rejected
                    ],
                    "rows": [
                        {
                            "item": r.item,
                            "title": r.title,
                            "requirements": list(r.requirements),
                            "links": [
                                {
                                    "requirement": link.requirement,
                                    "source": link.source,
                                    "via": list(link.via),
                                    "reason": link.reason,
                                }
                                for link in r.links
                            ],
                            "note": r.note,
                            "gap": r.gap,
                        }
                        for r in shown
                    ],
                }
            ),
            output,
        )
        return
    heading = (
        f"{framework.value}: {pinned['title']} {pinned['version']}; "
        f"{len(rows)} items, {len(gaps)} without a requirement"
    )
    footer = f"Steward catalog {catalog.version}."
    if mappings is not None:
        footer += (
            f" Links marked 'via' derive from the OSPS Baseline mapping documents "
            f"({mappings.get('status', '')}, {mappings.get('ref', '')[:7]})."
        )
    if output_format is ViewFormat.MARKDOWN:
        lines = [heading, "", "| item | title | requirements |", "|---|---|---|"]
        for r in shown:
            cell = ", ".join(_link_text(link) for link in r.links) or (r.note or "**GAP**")
            lines.append(f"| {r.item} | {table_cell(r.title)} | {table_cell(cell)} |")
        if rejected and not gaps_only:
            lines += [
                "",
                "Published links not taken over:",
                "",
                "| requirement | item | via | reason |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {r.requirement} | {r.item} | {', '.join(r.via)} | {table_cell(r.reason)} |"
                for r in rejected
            ]
        lines += ["", footer]
        emit("\n".join(lines) + "\n", output)
        return
    table = Table("item", "title", "requirements", title=heading, caption=footer)
    for r in shown:
        links = ", ".join(_link_text(link) for link in r.links) or r.note
        table.add_row(r.item, r.title, links or Text("GAP", style="bold red"))
    if output is None:
        out().print(table)
    else:
        emit(_render_text(table), output)


@catalog_app.command("diff")
def diff_command(
    old: Annotated[
        str, typer.Argument(help="Old catalog: a version (1.0.0) or an exported JSON file.")
    ],
    new: Annotated[
        str, typer.Argument(help="New catalog: a version, 'current' or an exported JSON file.")
    ] = "current",
    assessment: Annotated[
        Path | None,
        typer.Option(
            "--assessment",
            "-a",
            help="An assessment (steward assess -f json) made against OLD, to re-read against NEW.",
        ),
    ] = None,
    output_format: FormatOption = ViewFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Requirements and mappings added, removed and changed between two catalog versions;
    with --assessment, which findings still hold under the new catalog."""
    from steward.catalog.diff import diff, load_catalog_ref, reread

    changes = diff(load_catalog_ref(old), load_catalog_ref(new))
    rows = None
    if assessment is not None:
        rows = reread(_read_json(assessment), changes, str(assessment))
    data = changes.to_dict()
    if rows is not None:
        data["assessment"] = [
            {"id": r.id, "state": r.state, "status": r.status, "note": r.note} for r in rows
        ]
        data["assess_again"] = [r.id for r in rows if r.state in ("re-check", "not-assessed")]
    if output_format is ViewFormat.JSON:
        emit(_json(data), output)
        return
    lines = [
        f"Steward catalog {changes.old.version} -> {changes.new.version}: "
        f"{len(changes.added)} added, {len(changes.removed)} removed, "
        f"{len(changes.changed)} changed "
        f"({sum(c.normative for c in changes.changed)} normatively).",
        "",
    ]
    for key, (was, now) in changes.frameworks.items():
        lines.append(f"- framework {key}: {was or '—'} -> {now or '—'}")
    if changes.frameworks:
        lines.append("")
    lines += ["| change | requirement | what |", "|---|---|---|"]
    for r in changes.added:
        lines.append(f"| added | {r.id} | {table_cell(r.title)} (level {r.level}) |")
    for r in changes.removed:
        lines.append(f"| removed | {r.id} | {table_cell(r.title)} |")
    for c in changes.changed:
        parts = [f"{name} changed" for name in c.fields]
        for key, delta in c.mappings.items():
            parts += [f"+{key} {v}" for v in delta["added"]]
            parts += [f"-{key} {v}" for v in delta["removed"]]
        kind = "changed (normative)" if c.normative else "changed"
        lines.append(f"| {kind} | {c.id} | {table_cell('; '.join(parts))} |")
    if rows is not None:
        counts = {state: sum(r.state == state for r in rows) for state in
                  ("carried", "re-check", "not-assessed", "removed")}  # fmt: skip
        lines += [
            "",
            "Assessment re-read against the new catalog: "
            + ", ".join(f"{n} {state}" for state, n in counts.items())
            + ".",
        ]
        again = data["assess_again"]
        if again:
            lines.append(f"Assess again: steward assess PATH --only {','.join(again)}")
    emit("\n".join(lines) + "\n", output)


def _read_json(path: Path) -> object:
    from steward.safeio import read_bytes

    try:
        return orjson.loads(read_bytes(path))
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}", source=path) from None


@catalog_app.command("export")
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.JSON,
    output: OutputOption = None,
) -> None:
    """Export the whole standard (JSON, Markdown, or an OSCAL 1.1 catalog)."""
    from steward.catalog.export import to_json, to_markdown, to_oscal
    from steward.catalog.loader import load_catalog

    catalog = load_catalog()
    if output_format is ExportFormat.JSON:
        emit(to_json(catalog), output)
    elif output_format is ExportFormat.MARKDOWN:
        emit(to_markdown(catalog), output)
    else:
        emit(_json(to_oscal(catalog)) + b"\n", output)


def register(app: typer.Typer) -> None:
    """Add the `catalog` group to the root app."""
    app.add_typer(catalog_app, name="catalog")
