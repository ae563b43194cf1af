"""`steward case report` and `steward case advisory`: documents produced from a stored case."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from steward.cli.console import emit, info
from steward.disclosure.advisories.csaf import CsafProfile, build_csaf
from steward.disclosure.advisories.csaf_validate import validate
from steward.disclosure.advisories.cve5 import build_cve5
from steward.disclosure.advisories.osv import build_osv
from steward.disclosure.art14.payloads import ReportStage, build_report
from steward.disclosure.art14.render import render_markdown
from steward.disclosure.cases import Cases
from steward.disclosure.events import ReportType
from steward.disclosure.model import Manufacturer
from steward.errors import InputError, UsageError


class ReportFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"


class AdvisoryFormat(StrEnum):
    OSV = "osv"
    CSAF = "csaf"
    CSAF_VEX = "csaf-vex"
    CVE = "cve"


_STAGE_REPORT = {
    ReportStage.EARLY_WARNING: ReportType.EARLY_WARNING,
    ReportStage.NOTIFICATION: ReportType.NOTIFICATION,
    ReportStage.FINAL_REPORT: ReportType.FINAL_REPORT,
}


def _profile(cases: Cases) -> Manufacturer:
    profile = cases.profile()
    if profile is None:
        raise UsageError(
            "no manufacturer profile: run `steward case profile set --name ... --country ...` first"
        )
    return profile


def _cases(db: str | None) -> Cases:
    from steward.cli.case import _open

    return _open(db)


def register(case_app: typer.Typer) -> None:
    """Add the document commands to the `case` group."""

    @case_app.command("report")
    def report(
        case_id: Annotated[str, typer.Argument()],
        report_type: Annotated[ReportStage, typer.Option("--type", help="Which Art. 14 report.")],
        output_format: Annotated[
            ReportFormat, typer.Option("--format", "-f")
        ] = ReportFormat.MARKDOWN,
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        csirt_country: Annotated[
            str | None, typer.Option(help="Member State whose CSIRT receives it (Art. 14(7)).")
        ] = None,
        db: Annotated[str | None, typer.Option("--db", envvar="STEWARD_DB")] = None,
    ) -> None:
        """An Art. 14 early warning, notification or final report; missing items are listed."""
        now = datetime.now(UTC)
        cases = _cases(db)
        snapshot = cases.snapshot(case_id, now=now)
        clock = next(
            c for c in cases.clocks(case_id, now=now) if c.report is _STAGE_REPORT[report_type]
        )
        payload = build_report(
            snapshot,
            _profile(cases),
            report_type,
            generated_at=now,
            due_at=clock.due_at,
            csirt_country=csirt_country,
        )
        if output_format is ReportFormat.JSON:
            emit(payload.model_dump_json(indent=2), output)
        else:
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
            typer.Option("--id", help="Advisory / tracking id (OSV: a registered prefix)."),
        ] = None,
        cna_org_id: Annotated[
            str | None, typer.Option(help="CVE: the CNA's organisation UUID.")
        ] = None,
        cna_short_name: Annotated[
            str | None, typer.Option(help="CVE: the CNA's short name.")
        ] = None,
        db: Annotated[str | None, typer.Option("--db", envvar="STEWARD_DB")] = None,
    ) -> None:
        """An advisory for the case: OSV, CSAF 2.0 (security advisory or VEX), or CVE JSON 5."""
        now = datetime.now(UTC)
        cases = _cases(db)
        snapshot = cases.snapshot(case_id, now=now)
        document: dict[str, Any]
        if output_format is AdvisoryFormat.OSV:
            document = build_osv(snapshot, cases.profile(), advisory_id=advisory_id)
        elif output_format is AdvisoryFormat.CVE:
            if not cna_org_id or not cna_short_name:
                raise UsageError("--format cve needs --cna-org-id and --cna-short-name")
            document = build_cve5(
                snapshot,
                _profile(cases),
                cna_org_id=cna_org_id,
                cna_short_name=cna_short_name,
                cve_id=advisory_id,
            )
        else:
            profile = (
                CsafProfile.VEX
                if output_format is AdvisoryFormat.CSAF_VEX
                else CsafProfile.SECURITY_ADVISORY
            )
            document = build_csaf(
                snapshot, _profile(cases), profile=profile, tracking_id=advisory_id, now=now
            )
            problems = validate(document)
            if problems:  # our own output must be valid; never write an invalid advisory
                raise InputError(f"generated CSAF is not valid: {problems[0]}", source=case_id)
        emit(orjson.dumps(document, option=orjson.OPT_INDENT_2), output)
