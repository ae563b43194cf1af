"""`steward case report` and `steward case advisory`: documents produced from a stored case.

Reports and advisories use the profile of the organisation the case belongs to. Every
advisory is validated against its official schema (CSAF also against the mandatory tests)
before anything is written; an advisory for a case under embargo is written with a warning.
The builders and validators load inside the commands, so `steward case --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from steward.cli.case_common import DbOption, now, read_cases, show_time
from steward.cli.console import emit, info, warn
from steward.errors import InputError, UsageError

if TYPE_CHECKING:
    from steward.disclosure.model import Manufacturer
    from steward.disclosure.reading import CaseReader
    from steward.store.records import StoredCase


class ReportFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"


class ReportOption(StrEnum):
    """The report to build (Art. 14(2)/(4) points a-c, or an Art. 14(6) intermediate one)."""

    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final-report"
    INTERMEDIATE_REPORT = "intermediate-report"


class AdvisoryFormat(StrEnum):
    OSV = "osv"
    CSAF = "csaf"
    CSAF_VEX = "csaf-vex"
    CVE = "cve"


def _profile(cases: CaseReader, stored: StoredCase) -> Manufacturer:
    profile = cases.profile(stored.organisation)
    if profile is None:
        raise UsageError(
            f"no manufacturer profile for {stored.organisation}: run "
            "`steward case profile set --name ... --country ...` first"
        )
    return profile


def register(case_app: typer.Typer) -> None:
    """Add the document commands to the `case` group."""

    @case_app.command("report")
    def report(
        case_id: Annotated[str, typer.Argument()],
        report_type: Annotated[ReportOption, typer.Option("--type", help="Which Art. 14 report.")],
        output_format: Annotated[
            ReportFormat, typer.Option("--format", "-f")
        ] = ReportFormat.MARKDOWN,
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        csirt_country: Annotated[
            str | None, typer.Option(help="Member State whose CSIRT receives it (Art. 14(7)).")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """An Art. 14 report with the single reporting platform's fields and a checklist of
        what this stage needs; missing items are listed with the command that records them."""
        from steward.disclosure.art14.payloads import ReportStage, build_report
        from steward.disclosure.reading import snapshot_of

        moment = now()
        cases = read_cases(db)
        stored = cases.get(case_id, now=moment)
        stage = ReportStage(report_type.value)
        stage_clocks = [
            c for c in cases.clocks_of(stored, now=moment) if c.report.value == stage.level
        ]
        pending = sorted(
            (c for c in stage_clocks if c.satisfied_by is None and c.due_at is not None),
            key=lambda c: c.due_at or moment,
        )
        clock = pending[0] if pending else (stage_clocks[0] if stage_clocks else None)
        payload = build_report(
            snapshot_of(stored),
            _profile(cases, stored),
            stage,
            generated_at=moment,
            due_at=clock.due_at if clock else None,
            csirt_country=csirt_country,
        )
        if output_format is ReportFormat.JSON:
            emit(payload.model_dump_json(indent=2), output)
        else:
            from steward.disclosure.art14.render import render_markdown

            emit(render_markdown(payload), output)
        if payload.missing:
            info(f"{case_id}: {len(payload.missing)} required item(s) missing; see the report")

    @case_app.command("advisory")
    def advisory(
        case_id: Annotated[str, typer.Argument()],
        output_format: Annotated[
            AdvisoryFormat, typer.Option("--format", "-f")
        ] = AdvisoryFormat.OSV,
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        advisory_id: Annotated[
            str | None,
            typer.Option("--id", help="Advisory / tracking id (OSV: a registered prefix or x_)."),
        ] = None,
        cna_org_id: Annotated[
            str | None, typer.Option(help="CVE: the CNA's organisation UUID.")
        ] = None,
        cna_short_name: Annotated[
            str | None, typer.Option(help="CVE: the CNA's short name.")
        ] = None,
        url: Annotated[
            str | None,
            typer.Option("--url", help="CSAF: where it will be published (its self reference)."),
        ] = None,
        db: DbOption = None,
    ) -> None:
        """An advisory for the case: OSV, CSAF 2.0 (security advisory or VEX), or CVE JSON 5.
        Validated against the format's schema before anything is written."""
        from steward.disclosure.advisories import schemas
        from steward.disclosure.reading import snapshot_of

        moment = now()
        cases = read_cases(db)
        stored = cases.get(case_id, now=moment)
        snapshot = snapshot_of(stored)
        document: dict[str, Any]
        if url is not None and output_format not in (AdvisoryFormat.CSAF, AdvisoryFormat.CSAF_VEX):
            raise UsageError("--url applies to CSAF advisories (--format csaf or csaf-vex)")
        if output_format is AdvisoryFormat.OSV:
            from steward.disclosure.advisories.osv import build_osv

            document = build_osv(
                snapshot, cases.profile(stored.organisation), advisory_id=advisory_id
            )
            schemas.check("OSV", schemas.osv_problems(document), case_id=case_id)
        elif output_format is AdvisoryFormat.CVE:
            from steward.disclosure.advisories.cve5 import build_cve5

            if not cna_org_id or not cna_short_name:
                raise UsageError("--format cve needs --cna-org-id and --cna-short-name")
            document = build_cve5(
                snapshot,
                _profile(cases, stored),
                cna_org_id=cna_org_id,
                cna_short_name=cna_short_name,
                cve_id=advisory_id,
            )
            schemas.check("CVE", schemas.cve_problems(document), case_id=case_id)
        else:
            from steward.disclosure.advisories.csaf import CsafProfile, build_csaf
            from steward.disclosure.advisories.csaf_validate import validate

            profile = (
                CsafProfile.VEX
                if output_format is AdvisoryFormat.CSAF_VEX
                else CsafProfile.SECURITY_ADVISORY
            )
            document = build_csaf(
                snapshot,
                _profile(cases, stored),
                profile=profile,
                tracking_id=advisory_id,
                now=moment,
                canonical_url=url,
            )
            problems = validate(document)
            if problems:  # our own output must be valid; never write an invalid advisory
                raise InputError(
                    f"the CSAF document would not be valid: {problems[0]}", source=case_id
                )
            from steward.disclosure.advisories.csaf_optional import optional_problems

            for warning in optional_problems(document):
                info(f"{case_id}: CSAF optional test {warning}")
        import orjson

        emit(orjson.dumps(document, option=orjson.OPT_INDENT_2), output)
        embargo = snapshot.embargo
        if embargo is not None and (embargo.until is None or embargo.until > moment):
            until = show_time(embargo.until, None) if embargo.until else "it is lifted"
            warn(f"{case_id} is under embargo until {until}: do not publish this advisory before")
