"""`steward case`: vulnerability and incident cases with their CRA Art. 14 clocks.

Argument handling only: the rules are in ``steward.disclosure``. Times are given in ISO 8601
with an offset (``2026-11-24T21:40:00+01:00``, ``…Z``) or, with ``--tz Europe/Berlin``, as
local times (refused when a daylight-saving change skips or repeats them); they are stored
and shown in UTC (with local time too when ``--tz`` is given).

Heavy modules (the case store, SQLAlchemy, pydantic models) are imported inside the commands
that need them, so ``steward case --help`` and every command start quickly.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from steward.cli.case_common import (
    DbOption,
    TzOption,
    dump,
    now,
    open_cases,
    parse_time,
    read_cases,
    show_time,
    use_server,
)
from steward.cli.console import emit, emit_table, info, out, warn
from steward.errors import UsageError

if TYPE_CHECKING:
    from steward.disclosure.cases import Draft
    from steward.disclosure.clocks import Clock
    from steward.disclosure.model import CaseKind
    from steward.store.records import StoredCase

case_app = typer.Typer(
    help="Vulnerability and incident cases, with CRA Art. 14 clocks.", no_args_is_help=True
)
profile_app = typer.Typer(
    help="The manufacturer (or steward) profile used in reports.", no_args_is_help=True
)
case_app.add_typer(profile_app, name="profile")


@case_app.callback()
def _case_options(
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="STEWARD_SERVER",
            help="Work on the cases of a portfolio service (https://HOST) with the token in "
            "STEWARD_TOKEN, instead of the local single-user database.",
        ),
    ] = None,
) -> None:
    """Vulnerability and incident cases, with CRA Art. 14 clocks."""
    use_server(server)


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class KindOption(StrEnum):
    VULNERABILITY = "vulnerability"
    SEVERE_INCIDENT = "severe-incident"

    @property
    def kind(self) -> CaseKind:
        from steward.disclosure.model import CaseKind

        return (
            CaseKind.VULNERABILITY if self is KindOption.VULNERABILITY else CaseKind.SEVERE_INCIDENT
        )


class ClassOption(StrEnum):
    """The CRA class of the product (Annex III important class I/II, Annex IV critical)."""

    DEFAULT = "default"
    IMPORTANT_CLASS_I = "important-class-i"
    IMPORTANT_CLASS_II = "important-class-ii"
    CRITICAL = "critical"


_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise UsageError(f"--within: {text!r} is not a duration like 90m, 72h, 14d or 2w")
    value, unit = int(match[1]), match[2]
    return {
        "m": timedelta(minutes=value),
        "h": timedelta(hours=value),
        "d": timedelta(days=value),
        "w": timedelta(weeks=value),
    }[unit]


def _left(clock: Clock, moment: datetime) -> str:
    left = clock.time_left(moment)
    if left is None:
        return clock.note or ""
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    span = (f"{days}d " if days else "") + f"{hours}h {minutes:02d}m"
    return f"{span} overdue" if left.total_seconds() < 0 else f"{span} left"


def _clock_json(clock: Clock, moment: datetime) -> dict[str, Any]:
    left = clock.time_left(moment)
    return {
        "report": clock.report.value,
        "article": clock.article,
        "status": clock.status.value,
        "started_by": clock.started_by,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "seconds_left": int(left.total_seconds()) if left is not None else None,
        "satisfied_by": clock.satisfied_by,
        "satisfied_at": clock.satisfied_at,
        "recorded_late": clock.recorded_late,
        "note": clock.note,
    }


def _key_given_twice(raw_json: str) -> str | None:
    """The first key an object of valid JSON ``raw_json`` holds twice (orjson, like most
    parsers, keeps the last value without a word), else None."""
    import json

    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not twice:
                twice.append(key)
            seen.add(key)
        return dict(items)

    json.loads(raw_json, object_pairs_hook=pairs)
    return twice[0] if twice else None


def _parse_data(pairs: list[str] | None, raw_json: str | None) -> dict[str, Any]:
    import orjson

    data: dict[str, Any] = {}
    if raw_json:
        try:
            loaded = orjson.loads(raw_json)
        except orjson.JSONDecodeError as exc:
            raise UsageError(f"--json: invalid JSON: {exc.msg}") from None
        if not isinstance(loaded, dict):
            raise UsageError("--json: expected a JSON object")
        twice = _key_given_twice(raw_json)
        if twice is not None:
            raise UsageError(f"--json: key {twice!r} is given twice in one object")
        data.update(loaded)
    given_json = set(data)
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--data {pair!r}: expected key=value")
        if key in data:  # one value per field: a second one silently replaced the first
            given = "--json" if raw_json and key in given_json else "an earlier --data"
            raise UsageError(f"--data {pair!r}: {key!r} is already given by {given}")
        try:
            data[key] = orjson.loads(value)
        except orjson.JSONDecodeError:
            data[key] = value
    return data


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, [], "")}


# ----------------------------------------------------------------------- product options

ProductOption = Annotated[
    str | None, typer.Option(help="The manufacturer's product (or the package you publish).")
]
ProductVersionOption = Annotated[
    list[str] | None,
    typer.Option("--product-version", help="An affected version of the product (repeatable)."),
]
VendorOption = Annotated[str | None, typer.Option(help="Vendor (default: the profile's name).")]
EcosystemOption = Annotated[
    str | None, typer.Option(help="OSV ecosystem, when the product is a package (PyPI, npm...).")
]
PurlOption = Annotated[str | None, typer.Option(help="Package URL of the product (no version).")]
AffectedOption = Annotated[
    list[str] | None,
    typer.Option(help="Affected product versions as a range, e.g. '>=1.0,<1.4.2' (repeatable)."),
]
FixedOption = Annotated[
    list[str] | None, typer.Option(help="A product version with the fix (repeatable).")
]
MemberStateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--member-state", help="EU Member State where the product is available (repeatable)."
    ),
]
ComponentOption = Annotated[
    str | None, typer.Option(help="The vulnerable third-party component inside the product.")
]
ComponentVersionOption = Annotated[
    str | None, typer.Option(help="The component version the product ships.")
]
ComponentEcosystemOption = Annotated[
    str | None, typer.Option(help="OSV ecosystem of the component.")
]
ComponentPurlOption = Annotated[
    str | None, typer.Option(help="Package URL of the component (no version).")
]
ComponentFixedOption = Annotated[
    list[str] | None,
    typer.Option(help="Component version with the fix, for the shipped branch (repeatable)."),
]
ClassOptionType = Annotated[
    ClassOption | None, typer.Option("--product-class", help="CRA class of the product.")
]
CategoryOption = Annotated[
    str | None,
    typer.Option("--product-category", help="Annex III/IV category of the product, if any."),
]


def _product_item(
    *,
    product: str,
    versions: list[str] | None,
    vendor: str | None,
    ecosystem: str | None,
    purl: str | None,
    affected: list[str] | None,
    fixed: list[str] | None,
    member_states: list[str] | None,
    component: str | None,
    component_version: str | None,
    component_ecosystem: str | None,
    component_purl: str | None,
    component_fixed: list[str] | None,
    product_class: ClassOption | None,
    category: str | None,
) -> dict[str, Any]:
    components = []
    if component:
        components.append(
            _compact(
                {
                    "name": component,
                    "version": component_version,
                    "ecosystem": component_ecosystem,
                    "purl": component_purl,
                    "affected": [f"=={component_version}"] if component_version else [],
                    "fixed": component_fixed or [],
                }
            )
        )
    elif component_version or component_ecosystem or component_purl or component_fixed:
        raise UsageError("--component-* options need --component NAME")
    return _compact(
        {
            "name": product,
            "vendor": vendor,
            "ecosystem": ecosystem,
            "purl": purl,
            "affected": [*(f"=={v}" for v in versions or []), *(affected or [])],
            "fixed": fixed or [],
            "member_states": member_states or [],
            "components": components,
            "cra_class": product_class.value.replace("-", "_") if product_class else None,
            "cra_category": category,
        }
    )


# ------------------------------------------------------------------------------ commands


@case_app.command("new")
def new(
    title: Annotated[str | None, typer.Argument(help="What the case is about.")] = None,
    kind: Annotated[KindOption, typer.Option("--kind")] = KindOption.VULNERABILITY,
    project: Annotated[str, typer.Option(help="Project the case belongs to.")] = "default",
    product: ProductOption = None,
    product_version: ProductVersionOption = None,
    vendor: VendorOption = None,
    ecosystem: EcosystemOption = None,
    purl: PurlOption = None,
    affected: AffectedOption = None,
    fixed: FixedOption = None,
    member_state: MemberStateOption = None,
    component: ComponentOption = None,
    component_version: ComponentVersionOption = None,
    component_ecosystem: ComponentEcosystemOption = None,
    component_purl: ComponentPurlOption = None,
    component_fixed: ComponentFixedOption = None,
    product_class: ClassOptionType = None,
    product_category: CategoryOption = None,
    reporter: Annotated[str | None, typer.Option(help="Who reported it.")] = None,
    reporter_contact: Annotated[
        str | None, typer.Option(help="How to reach the reporter (kept private).")
    ] = None,
    publish_reporter_contact: Annotated[
        bool,
        typer.Option(
            "--publish-reporter-contact",
            help="The reporter agreed that advisories show the contact.",
        ),
    ] = False,
    channel: Annotated[str | None, typer.Option(help="Channel the report came through.")] = None,
    no_credit: Annotated[
        bool, typer.Option("--no-credit", help="The reporter does not want credit.")
    ] = False,
    cvss: Annotated[str | None, typer.Option(help="CVSS v3.x or v4.0 vector.")] = None,
    embargo_until: Annotated[str | None, typer.Option(help="Embargo end (ISO 8601).")] = None,
    alias: Annotated[
        list[str] | None, typer.Option(help="CVE/GHSA/EUVD/... id (repeatable).")
    ] = None,
    received_at: Annotated[
        str | None, typer.Option(help="When the report was received (default now).")
    ] = None,
    from_finding: Annotated[
        Path | None, typer.Option(help="`steward vulns --format json` output.")
    ] = None,
    finding: Annotated[
        str | None, typer.Option(help="Finding id or alias in --from-finding.")
    ] = None,
    prefix: Annotated[str, typer.Option(help="Case id prefix.")] = "STW",
    db: DbOption = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="The case's time zone (its calendar counts 'one month'); also reads times "
            "without an offset. E.g. Europe/Berlin.",
        ),
    ] = None,
) -> None:
    """Open a case (prints its id)."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    moment = now()
    drafts: list[Draft] = []
    if tz is not None:
        from steward.disclosure.localtime import zone

        zone(tz, option="--tz")
    product_fields: dict[str, Any] = {
        "vendor": vendor,
        "ecosystem": ecosystem,
        "purl": purl,
        "affected": affected,
        "fixed": fixed,
        "member_states": member_state,
        "component": component,
        "component_version": component_version,
        "component_ecosystem": component_ecosystem,
        "component_purl": component_purl,
        "component_fixed": component_fixed,
        "product_class": product_class,
        "category": product_category,
    }
    if from_finding is not None:
        from steward.disclosure.findings import (
            ProductRef,
            drafts_from_finding,
            load_finding,
        )

        if finding is None:
            raise UsageError("--from-finding needs --finding ID")
        if len(product_version or []) > 1:
            raise UsageError("--from-finding takes one --product-version (the scanned one)")
        record, scanned = load_finding(from_finding, finding)
        if product is not None:
            scanned = ProductRef(
                name=product,
                version=product_version[0] if product_version else None,
                purl=purl,
                ecosystem=ecosystem,
            )
        found_title, found = drafts_from_finding(record, scanned, source=str(from_finding))
        title = title or found_title
        drafts.extend(found)
        clashing = sorted(
            k
            for k in ("affected", "component", "component_version", "component_ecosystem")
            if product_fields[k]
        ) + sorted(k for k in ("component_purl", "component_fixed") if product_fields[k])
        if clashing:
            raise UsageError(
                "with --from-finding the component and its versions come from the finding "
                f"(drop: {', '.join('--' + k.replace('_', '-') for k in clashing)})"
            )
        extra = _compact(
            {
                "vendor": vendor,
                "fixed": fixed or [],
                "member_states": member_state or [],
                "cra_class": product_class.value.replace("-", "_") if product_class else None,
                "cra_category": product_category,
            }
        )
        drafts = [
            Draft(d.kind, {"product": {**d.data["product"], **extra}}, d.occurred_at)
            if d.kind is EventKind.PRODUCT_ADDED
            else d
            for d in drafts
        ]
    elif finding is not None:
        raise UsageError("--finding needs --from-finding FILE")
    elif product:
        item = _product_item(product=product, versions=product_version, **product_fields)
        drafts.append(Draft(EventKind.PRODUCT_ADDED, {"product": item}))
    elif any(product_fields.values()) or product_version:
        raise UsageError("product options need --product NAME")
    if not title:
        raise UsageError("a title is needed (argument TITLE, or --from-finding)")
    received = parse_time(received_at, tz, "--received-at") if received_at else None
    reporter_data: dict[str, Any] = _compact(
        {"name": reporter, "contact": reporter_contact, "channel": channel}
    )
    received_data: dict[str, Any] = {"timezone": tz} if tz else {}
    if reporter_data:
        reporter_data["credit"] = not no_credit
        reporter_data["publish_contact"] = publish_reporter_contact
        received_data["reporter"] = reporter_data
    elif publish_reporter_contact or no_credit:
        raise UsageError("--publish-reporter-contact and --no-credit need --reporter")
    if received_data or received is not None:
        drafts.insert(0, Draft(EventKind.RECEIVED, received_data, received))
    if cvss:
        drafts.append(Draft(EventKind.SEVERITY_SET, {"cvss_vector": cvss}))
    if embargo_until:
        drafts.append(
            Draft(
                EventKind.EMBARGO_SET,
                {"until": parse_time(embargo_until, tz, "--embargo-until").isoformat()},
            )
        )
    drafts.extend(Draft(EventKind.ALIAS_ADDED, {"alias": a}) for a in alias or [])
    cases = open_cases(db, create=True)
    case_id = cases.new_case(
        kind=kind.kind,
        title=title,
        project=project,
        drafts=drafts,
        received_at=received,
        prefix=prefix,
        now=moment,
    )
    emit(case_id, None)


@case_app.command("add-product")
def add_product(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    product: Annotated[str, typer.Option(help="The manufacturer's product.")],
    product_version: ProductVersionOption = None,
    vendor: VendorOption = None,
    ecosystem: EcosystemOption = None,
    purl: PurlOption = None,
    affected: AffectedOption = None,
    fixed: FixedOption = None,
    member_state: MemberStateOption = None,
    component: ComponentOption = None,
    component_version: ComponentVersionOption = None,
    component_ecosystem: ComponentEcosystemOption = None,
    component_purl: ComponentPurlOption = None,
    component_fixed: ComponentFixedOption = None,
    product_class: ClassOptionType = None,
    product_category: CategoryOption = None,
    db: DbOption = None,
) -> None:
    """Add an affected product (with the vulnerable component inside it, if any)."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    item = _product_item(
        product=product,
        versions=product_version,
        vendor=vendor,
        ecosystem=ecosystem,
        purl=purl,
        affected=affected,
        fixed=fixed,
        member_states=member_state,
        component=component,
        component_version=component_version,
        component_ecosystem=component_ecosystem,
        component_purl=component_purl,
        component_fixed=component_fixed,
        product_class=product_class,
        category=product_category,
    )
    seqs = open_cases(db).record(
        case_id, [Draft(EventKind.PRODUCT_ADDED, {"product": item})], now=now()
    )
    info(f"{case_id}: recorded event {seqs[0]} (product_added)")


@case_app.command("set")
def set_details(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    description: Annotated[
        str | None, typer.Option(help="Nature of the vulnerability or incident.")
    ] = None,
    impact: Annotated[
        str | None, typer.Option(help="Impact of the vulnerability/incident.")
    ] = None,
    severity_assessment: Annotated[
        str | None,
        typer.Option(help="Severity in words (an incident's severity; CVSS goes in --cvss)."),
    ] = None,
    cvss: Annotated[str | None, typer.Option(help="CVSS v3.x or v4.0 vector.")] = None,
    exploit_nature: Annotated[
        str | None, typer.Option(help="General nature of the exploit, in words.")
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option(help="Add a CVE/EUVD/GHSA/... id (repeatable).")
    ] = None,
    root_cause: Annotated[
        str | None, typer.Option(help="Type of threat or root cause (incidents).")
    ] = None,
    malicious_actor: Annotated[
        str | None, typer.Option(help="What is known about the malicious actor.")
    ] = None,
    sensitivity: Annotated[
        str | None, typer.Option(help="How sensitive the information is, e.g. TLP:AMBER.")
    ] = None,
    suspected_malicious: Annotated[
        bool | None,
        typer.Option(
            "--suspected-malicious/--not-suspected-malicious",
            help="Is the incident suspected to be caused by unlawful or malicious acts?",
        ),
    ] = None,
    cwe: Annotated[list[str] | None, typer.Option(help="CWE id (repeatable).")] = None,
    reference: Annotated[list[str] | None, typer.Option(help="Reference URL (repeatable).")] = None,
    corrective_measure: Annotated[
        list[str] | None, typer.Option(help="A corrective measure taken (repeatable).")
    ] = None,
    user_mitigation: Annotated[
        list[str] | None, typer.Option(help="A measure users can take (repeatable).")
    ] = None,
    member_state: MemberStateOption = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="The case's time zone (its calendar counts months)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record facts the reports ask for. A list option replaces the recorded list: repeat it
    for every item."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    details = _compact(
        {
            "title": title,
            "description": description,
            "impact": impact,
            "severity_assessment": severity_assessment,
            "exploit_nature": exploit_nature,
            "root_cause": root_cause,
            "malicious_actor": malicious_actor,
            "sensitivity": sensitivity,
            "suspected_malicious": suspected_malicious,
            "cwes": cwe,
            "references": reference,
            "corrective_measures": corrective_measure,
            "user_mitigations": user_mitigation,
            "member_states": member_state,
            "timezone": timezone,
        }
    )
    drafts = [Draft(EventKind.DETAILS_SET, details)] if details else []
    if cvss:
        drafts.append(Draft(EventKind.SEVERITY_SET, {"cvss_vector": cvss}))
    drafts.extend(Draft(EventKind.ALIAS_ADDED, {"alias": a}) for a in alias or [])
    if not drafts:
        raise UsageError("nothing to set: give at least one option (see --help)")
    seqs = open_cases(db).record(case_id, drafts, now=now())
    info(f"{case_id}: recorded event(s) {', '.join(map(str, seqs))}")


@case_app.command("release")
def release(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    version: Annotated[
        list[str] | None, typer.Option("--version", help="Released version (repeatable).")
    ] = None,
    description: Annotated[
        str | None, typer.Option(help="What the update or measure does.")
    ] = None,
    mitigation: Annotated[
        bool,
        typer.Option(
            "--mitigation", help="A mitigating measure rather than a release with the fix."
        ),
    ] = False,
    at: Annotated[str | None, typer.Option("--at", help="When it became available.")] = None,
    product: Annotated[
        str | None,
        typer.Option(
            "--product", help="The product the versions are of (needed when the case has several)."
        ),
    ] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Record a security update (``fixed``) or a mitigation: starts the 14-day final-report
    clock of Art. 14(2)(c); the final report takes its details from these events."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    if not version and not description:
        raise UsageError("give --version and/or --description of the measure")
    kind = EventKind.MITIGATION_AVAILABLE if mitigation else EventKind.FIXED
    data = _compact({"versions": version or [], "description": description, "product": product})
    occurred = parse_time(at, tz) if at else None
    seqs = open_cases(db).record(case_id, [Draft(kind, data, occurred)], now=now())
    info(f"{case_id}: recorded event {seqs[0]} ({kind.value})")


@case_app.command("request-report")
def request_report(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    due: Annotated[str, typer.Option(help="When the CSIRT wants the intermediate report.")],
    by: Annotated[str | None, typer.Option(help="Who asked, e.g. the CSIRT's name.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="When the request came in.")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Record a CSIRT's request for an intermediate report (Art. 14(6)); starts its clock."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    data = _compact({"due": parse_time(due, tz, "--due").isoformat(), "by": by})
    occurred = parse_time(at, tz) if at else None
    seqs = open_cases(db).record(
        case_id, [Draft(EventKind.REPORT_REQUESTED, data, occurred)], now=now()
    )
    info(f"{case_id}: recorded event {seqs[0]} (report_requested)")


class SubmittedOption(StrEnum):
    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL_REPORT = "final-report"
    INTERMEDIATE_REPORT = "intermediate-report"


@case_app.command("submitted")
def submitted(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    report: Annotated[SubmittedOption, typer.Option("--report", help="Which report was sent.")],
    reference: Annotated[
        str | None, typer.Option(help="The reporting platform's reference for it.")
    ] = None,
    recipient: Annotated[str | None, typer.Option(help="Who received it.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it was submitted.")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Record that an Art. 14 report was submitted: it meets that report's clock."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    data = _compact(
        {"report": report.value.replace("-", "_"), "reference": reference, "recipient": recipient}
    )
    occurred = parse_time(at, tz) if at else None
    seqs = open_cases(db).record(
        case_id, [Draft(EventKind.REPORT_SUBMITTED, data, occurred)], now=now()
    )
    info(f"{case_id}: recorded event {seqs[0]} (report_submitted)")


@case_app.command("embargo")
def embargo(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    until: Annotated[str | None, typer.Option(help="When the embargo ends (ISO 8601).")] = None,
    party: Annotated[
        list[str] | None, typer.Option(help="Who else is in the embargo (repeatable).")
    ] = None,
    lift: Annotated[bool, typer.Option("--lift", help="End the embargo now.")] = False,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Set (or with --lift end) a case's embargo: it stays private until then."""
    from steward.disclosure.cases import Draft
    from steward.disclosure.events import EventKind

    if lift and (until or party):
        raise UsageError("--lift takes no --until or --party")
    if lift:
        draft = Draft(EventKind.EMBARGO_LIFTED, {})
    else:
        data = _compact(
            {
                "until": parse_time(until, tz, "--until").isoformat() if until else None,
                "parties": party or [],
            }
        )
        draft = Draft(EventKind.EMBARGO_SET, data)
    seqs = open_cases(db).record(case_id, [draft], now=now())
    info(f"{case_id}: recorded event {seqs[0]} ({draft.kind.value})")


@case_app.command("event")
def event(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. STW-2026-0001.")],
    kind: Annotated[
        str, typer.Argument(help="Event kind, e.g. exploitation_aware (README lists them all).")
    ],
    at: Annotated[str | None, typer.Option("--at", help="When it happened (default now).")] = None,
    data: Annotated[
        list[str] | None, typer.Option("--data", help="key=value (value may be JSON); repeatable.")
    ] = None,
    raw_json: Annotated[
        str | None, typer.Option("--json", help="The event data as a JSON object.")
    ] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Record an event on a case's timeline (append-only; corrections are events too)."""
    from steward.disclosure.events import EventKind, parse_kind

    moment = now()
    parsed = parse_kind(kind)
    occurred = parse_time(at, tz) if at else None
    cases = open_cases(db)
    embargoed = False
    if parsed is EventKind.PUBLISHED:
        embargo = cases.snapshot(case_id, now=moment).embargo
        embargoed = embargo is not None and (embargo.until is None or embargo.until > moment)
    seqs = cases.record_kind(
        case_id, parsed.value, _parse_data(data, raw_json), occurred_at=occurred, now=moment
    )
    info(f"{case_id}: recorded event {seqs[0]} ({kind})")
    if embargoed:
        warn(f"{case_id}: publication ended the embargo")


@case_app.command("close")
def close(
    case_id: Annotated[str, typer.Argument()],
    note: Annotated[str | None, typer.Option(help="Why it is closed.")] = None,
    db: DbOption = None,
) -> None:
    """Close a case (from fixed, published, rejected or duplicate)."""
    open_cases(db).record_kind(
        case_id, "closed", {"note": note} if note else {}, occurred_at=None, now=now()
    )
    info(f"{case_id}: closed")


def _case_row(stored: StoredCase, clocks: list[Clock], moment: datetime) -> dict[str, Any]:
    from steward.disclosure.clocks import ClockStatus

    pending = [c for c in clocks if c.status in (ClockStatus.RUNNING, ClockStatus.OVERDUE)]
    nearest = min(pending, key=lambda c: c.due_at or moment, default=None)
    return {
        "id": stored.public_id,
        "project": f"{stored.organisation}/{stored.project}",
        "kind": stored.kind.value,
        "state": stored.state,
        "title": stored.title,
        "embargoed": stored.embargo_active
        and (stored.embargo_until is None or stored.embargo_until > moment),
        "overdue": any(c.status is ClockStatus.OVERDUE for c in clocks),
        "next_due": nearest.due_at if nearest else None,
        "next_report": nearest.report.value if nearest else None,
        "updated_at": stored.updated_at,
    }


@case_app.command("list")
def list_cases(
    state: Annotated[
        list[str] | None, typer.Option("--state", help="Only these states (repeatable).")
    ] = None,
    kind: Annotated[KindOption | None, typer.Option("--kind")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only cases with an overdue report.")
    ] = False,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """List the cases you may see."""
    moment = now()
    cases = read_cases(db)
    rows = []
    for stored in cases.list_visible(now=moment, states=state, kind=kind.kind if kind else None):
        row = _case_row(stored, cases.clocks_of(stored, now=moment), moment)
        if overdue and not row["overdue"]:
            continue
        rows.append(row)
    if output_format is ListFormat.JSON:
        emit(dump(rows), output)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "state", "kind", "title", "next report due", title=f"{len(rows)} case(s)")
    for row in rows:  # titles are untrusted text: Text, never console markup
        due = show_time(row["next_due"], tz) if row["next_due"] else ""
        title = Text(row["title"])
        if row["embargoed"]:
            title.append(" (embargoed)", style="yellow")
        next_due = Text(f"{row['next_report'] or ''} {due}".strip())
        if row["overdue"]:
            next_due.append(" OVERDUE", style="red")
        table.add_row(row["id"], row["state"], row["kind"], title, next_due)
    emit_table(table, output)


def _product_line(product: Any) -> str:
    parts = [product.name, *product.affected, *(f"fixed {v}" for v in product.fixed)]
    for component in product.components:
        shipped = f" {component.version}" if component.version else ""
        fixed = f" (fixed upstream in {', '.join(component.fixed)})" if component.fixed else ""
        parts.append(f"via component {component.name}{shipped}{fixed}")
    return " ".join(parts)


@case_app.command("show")
def show(
    case_id: Annotated[str, typer.Argument()],
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Show a case: details, timeline, and its Art. 14 clocks with time left."""
    from steward.disclosure.reading import snapshot_of

    moment = now()
    cases = read_cases(db)
    stored = cases.get(case_id, now=moment)
    snapshot = snapshot_of(stored)
    clock_list = cases.clocks_of(stored, now=moment)
    if output_format is ShowFormat.JSON:
        payload = {
            "case": snapshot.model_dump(mode="json"),
            "project": f"{stored.organisation}/{stored.project}",
            "clocks": [_clock_json(c, moment) for c in clock_list],
        }
        emit(dump(payload), output)
        return
    products = "; ".join(_product_line(p) for p in snapshot.products)
    lines = [
        f"# {snapshot.id}: {snapshot.title}",
        "",
        f"- kind: {snapshot.kind.value}; state: {snapshot.state.value}; "
        f"project: {stored.organisation}/{stored.project}",
        f"- severity: {snapshot.cvss_vector or '—'}; exploitation: {snapshot.exploitation.value}",
        f"- aliases: {', '.join(snapshot.aliases) or '—'}",
        f"- embargo: {show_time(snapshot.embargo.until, tz) if snapshot.embargo else 'none'}",
        f"- products: {products or '—'}",
        f"- Member States: {', '.join(snapshot.member_states) or '—'}",
        f"- time zone: {snapshot.timezone or 'UTC (none recorded)'}",
        "",
        "## Reporting deadlines (CRA Art. 14)",
        "",
        "| report | article | status | due | time left |",
        "|---|---|---|---|---|",
    ]
    for clock in clock_list:
        late = " (recorded late)" if clock.recorded_late else ""
        lines.append(
            f"| {clock.report.value} | {clock.article} | {clock.status.value}{late} | "
            f"{show_time(clock.due_at, tz)} | {_left(clock, moment)} |"
        )
    lines += [
        "",
        "## Timeline",
        "",
        "| # | happened | recorded | actor | event | details |",
        "|---|---|---|---|---|---|",
    ]
    for entry in snapshot.timeline:
        lines.append(
            f"| {entry.seq} | {show_time(entry.occurred_at, tz)} | "
            f"{show_time(entry.recorded_at, tz)} | "
            f"{entry.actor} | {entry.kind} | {entry.summary.replace('|', '/')} |"
        )
    text = "\n".join(lines) + "\n"
    if output_format is ShowFormat.MARKDOWN or output is not None:
        emit(text, output)
    else:
        from rich.markdown import Markdown

        out().print(Markdown(text))


@case_app.command("due")
def due(
    within: Annotated[
        str | None, typer.Option("--within", help="Only what is due within, e.g. 72h.")
    ] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """What reports are due soonest across cases (overdue first)."""
    from steward.disclosure.clocks import ClockStatus

    moment = now()
    span = parse_duration(within) if within else None
    items = read_cases(db).due(now=moment, within=span)
    if output_format is ListFormat.JSON:
        emit(
            dump(
                [
                    {
                        "case": i.case.public_id,
                        "title": i.case.title,
                        **_clock_json(i.clock, moment),
                    }
                    for i in items
                ]
            ),
            output,
        )
        return
    from rich.table import Table

    table = Table(
        "case", "report", "article", "due", "time left", title=f"{len(items)} report(s) due"
    )
    for item in items:
        style = "red" if item.clock.status is ClockStatus.OVERDUE else ""
        table.add_row(
            item.case.public_id,
            item.clock.report.value,
            item.clock.article,
            show_time(item.clock.due_at, tz),
            _left(item.clock, moment),
            style=style,
        )
    emit_table(table, output)


@profile_app.command("set")
def profile_set(
    name: Annotated[str, typer.Option(help="Legal name of the manufacturer or steward.")],
    country: Annotated[
        str | None, typer.Option(help="Main establishment, ISO 3166-1 alpha-2 (e.g. DE).")
    ] = None,
    address: Annotated[str | None, typer.Option()] = None,
    contact_email: Annotated[str | None, typer.Option()] = None,
    website: Annotated[str | None, typer.Option()] = None,
    steward: Annotated[
        bool, typer.Option("--steward", help="An open-source software steward (Art. 24).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Store the manufacturer profile used in reports and advisories."""
    from steward.disclosure.model import Manufacturer

    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise UsageError(f"--country {country!r}: expected a two-letter ISO 3166-1 code")
    profile = Manufacturer(
        name=name,
        country=country.upper() if country else None,
        address=address,
        contact_email=contact_email,
        website=website,
        is_steward=steward,
    )
    open_cases(db, create=True).set_profile(profile, now=now())
    info("profile saved")


@profile_app.command("show")
def profile_show(db: DbOption = None) -> None:
    """Show the stored profile."""
    from dataclasses import asdict

    profile = read_cases(db).profile_record()
    if profile is None:
        raise UsageError("no profile yet: run `steward case profile set --name ... --country ...`")
    emit(dump(asdict(profile)), None)  # the fields of Manufacturer, in its order


def register(app: typer.Typer) -> None:
    """Add the `case` group (with its document sub-commands) to the root app."""
    from steward.cli import case_documents

    if not any(c.name == "report" for c in case_app.registered_commands):
        # once per process: the root group registers again on each in-process `main()`
        # (tests, embedding), and duplicates made every later command line slower to build
        case_documents.register(case_app)
    app.add_typer(case_app, name="case")
