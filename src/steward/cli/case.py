"""`steward case`: vulnerability and incident cases with their CRA Art. 14 clocks.

Argument handling only: the rules are in ``steward.disclosure``. Times are given in ISO 8601
with an offset (``2026-11-24T21:40:00+01:00``, ``…Z``) or, with ``--tz Europe/Berlin``, as
local times; they are stored and shown in UTC (with local time too when ``--tz`` is given).
"""

from __future__ import annotations

import getpass
import os
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
import typer
from rich.table import Table

from steward.cli.console import emit, info, out
from steward.disclosure.cases import Cases, Draft, DueItem
from steward.disclosure.clocks import Clock, ClockStatus
from steward.disclosure.events import EventKind, parse_kind
from steward.disclosure.findings import drafts_from_finding, load_finding
from steward.disclosure.model import CaseKind, Manufacturer
from steward.errors import UsageError
from steward.store.cases import StoredCase

case_app = typer.Typer(
    help="Vulnerability and incident cases, with CRA Art. 14 clocks.", no_args_is_help=True
)
profile_app = typer.Typer(
    help="The manufacturer (or steward) profile used in reports.", no_args_is_help=True
)
case_app.add_typer(profile_app, name="profile")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="STEWARD_DB", help="Case database: SQLite path or postgresql:// URL."
    ),
]
TzOption = Annotated[
    str | None, typer.Option("--tz", help="Time zone for input and display, e.g. Europe/Berlin.")
]


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
        return (
            CaseKind.VULNERABILITY if self is KindOption.VULNERABILITY else CaseKind.SEVERE_INCIDENT
        )


def _user() -> str:
    return os.environ.get("STEWARD_USER") or getpass.getuser()


def _now() -> datetime:
    return datetime.now(UTC)


def _zone(tz: str | None) -> ZoneInfo | None:
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz: unknown time zone {tz!r}") from None


def parse_time(text: str, tz: str | None, option: str = "--at") -> datetime:
    """An ISO 8601 time; without an offset only when ``--tz`` says which zone it is in."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        zone = _zone(tz)
        if zone is None:
            raise UsageError(f"{option}: {text!r} has no offset; add one (e.g. +01:00, Z) or --tz")
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


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


def _show_time(moment: datetime | None, tz: str | None) -> str:
    if moment is None:
        return "—"
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    zone = _zone(tz)
    if zone is not None:
        text += moment.astimezone(zone).strftime(" (%Y-%m-%d %H:%M %Z)")
    return text


def _left(clock: Clock, now: datetime) -> str:
    left = clock.time_left(now)
    if left is None:
        return ""
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    span = (f"{days}d " if days else "") + f"{hours}h {minutes:02d}m"
    return f"{span} overdue" if left.total_seconds() < 0 else f"{span} left"


def _clock_json(clock: Clock, now: datetime) -> dict[str, Any]:
    left = clock.time_left(now)
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
    }


def _dump(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z)


def _parse_data(pairs: list[str] | None, raw_json: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if raw_json:
        try:
            loaded = orjson.loads(raw_json)
        except orjson.JSONDecodeError as exc:
            raise UsageError(f"--json: invalid JSON: {exc.msg}") from None
        if not isinstance(loaded, dict):
            raise UsageError("--json: expected a JSON object")
        data.update(loaded)
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--data {pair!r}: expected key=value")
        try:
            data[key] = orjson.loads(value)
        except orjson.JSONDecodeError:
            data[key] = value
    return data


def _open(db: str | None) -> Cases:
    return Cases.open(db, _user())


# ------------------------------------------------------------------------------ commands


@case_app.command("new")
def new(
    title: Annotated[str | None, typer.Argument(help="What the case is about.")] = None,
    kind: Annotated[KindOption, typer.Option("--kind")] = KindOption.VULNERABILITY,
    project: Annotated[str, typer.Option(help="Project the case belongs to.")] = "default",
    product: Annotated[str | None, typer.Option(help="Affected product or package name.")] = None,
    ecosystem: Annotated[
        str | None, typer.Option(help="OSV ecosystem of the product (PyPI, npm...).")
    ] = None,
    purl: Annotated[
        str | None, typer.Option(help="Package URL of the product (no version).")
    ] = None,
    affected: Annotated[
        list[str] | None, typer.Option(help="Affected versions, e.g. '>=1.0,<1.4.2' (repeatable).")
    ] = None,
    fixed: Annotated[list[str] | None, typer.Option(help="Fixed version (repeatable).")] = None,
    reporter: Annotated[str | None, typer.Option(help="Who reported it.")] = None,
    reporter_contact: Annotated[str | None, typer.Option(help="How to reach the reporter.")] = None,
    channel: Annotated[str | None, typer.Option(help="Channel the report came through.")] = None,
    no_credit: Annotated[
        bool, typer.Option("--no-credit", help="The reporter does not want credit.")
    ] = False,
    cvss: Annotated[str | None, typer.Option(help="CVSS v3.x or v4.0 vector.")] = None,
    embargo_until: Annotated[str | None, typer.Option(help="Embargo end (ISO 8601).")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="CVE/GHSA/... id (repeatable).")] = None,
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
    tz: TzOption = None,
) -> None:
    """Open a case (prints its id)."""
    now = _now()
    drafts: list[Draft] = []
    if from_finding is not None:
        if finding is None:
            raise UsageError("--from-finding needs --finding ID")
        record = load_finding(from_finding, finding)
        found_title, found = drafts_from_finding(record, source=str(from_finding))
        title = title or found_title
        drafts.extend(found)
    elif finding is not None:
        raise UsageError("--finding needs --from-finding FILE")
    if not title:
        raise UsageError("a title is needed (argument TITLE, or --from-finding)")
    received = parse_time(received_at, tz, "--received-at") if received_at else None
    reporter_data: dict[str, Any] = {
        k: v
        for k, v in {"name": reporter, "contact": reporter_contact, "channel": channel}.items()
        if v
    }
    if reporter_data:
        reporter_data["credit"] = not no_credit
        drafts.insert(0, Draft(EventKind.RECEIVED, {"reporter": reporter_data}, received))
    elif received is not None:
        drafts.insert(0, Draft(EventKind.RECEIVED, {}, received))
    if product:
        item = {
            "name": product,
            "ecosystem": ecosystem,
            "purl": purl,
            "affected": affected or [],
            "fixed": fixed or [],
        }
        drafts.append(
            Draft(EventKind.PRODUCT_ADDED, {"product": {k: v for k, v in item.items() if v}})
        )
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
    cases = _open(db)
    case_id = cases.new_case(
        kind=kind.kind,
        title=title,
        project=project,
        drafts=drafts,
        received_at=received,
        prefix=prefix,
        now=now,
    )
    emit(case_id, None)


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
    now = _now()
    occurred = parse_time(at, tz) if at else None
    seqs = _open(db).record_kind(
        case_id, parse_kind(kind).value, _parse_data(data, raw_json), occurred_at=occurred, now=now
    )
    info(f"{case_id}: recorded event {seqs[0]} ({kind})")


@case_app.command("close")
def close(
    case_id: Annotated[str, typer.Argument()],
    note: Annotated[str | None, typer.Option(help="Why it is closed.")] = None,
    db: DbOption = None,
) -> None:
    """Close a case (from fixed, published, rejected or duplicate)."""
    _open(db).record_kind(
        case_id, "closed", {"note": note} if note else {}, occurred_at=None, now=_now()
    )
    info(f"{case_id}: closed")


def _case_row(stored: StoredCase, clocks: list[Clock], now: datetime) -> dict[str, Any]:
    pending = [c for c in clocks if c.status in (ClockStatus.RUNNING, ClockStatus.OVERDUE)]
    nearest = min(pending, key=lambda c: c.due_at or now, default=None)
    return {
        "id": stored.public_id,
        "project": f"{stored.organisation}/{stored.project}",
        "kind": stored.kind.value,
        "state": stored.state,
        "title": stored.title,
        "embargoed": stored.embargo_active
        and (stored.embargo_until is None or stored.embargo_until > now),
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
    from steward.disclosure.clocks import clocks as derive

    now = _now()
    rows = []
    for stored in _open(db).list_visible(now=now, states=state, kind=kind.kind if kind else None):
        row = _case_row(stored, derive(stored.kind, list(stored.events), now), now)
        if overdue and not row["overdue"]:
            continue
        rows.append(row)
    if output_format is ListFormat.JSON:
        emit(_dump(rows), output)
        return
    table = Table("id", "state", "kind", "title", "next report due", title=f"{len(rows)} case(s)")
    for row in rows:
        due = _show_time(row["next_due"], tz) if row["next_due"] else ""
        flag = " [red]OVERDUE[/red]" if row["overdue"] else ""
        title = row["title"] + (" [yellow](embargoed)[/yellow]" if row["embargoed"] else "")
        table.add_row(
            row["id"],
            row["state"],
            row["kind"],
            title,
            f"{row['next_report'] or ''} {due}{flag}".strip(),
        )
    out().print(table)


@case_app.command("show")
def show(
    case_id: Annotated[str, typer.Argument()],
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    db: DbOption = None,
    tz: TzOption = None,
) -> None:
    """Show a case: details, timeline, and its Art. 14 clocks with time left."""
    now = _now()
    cases = _open(db)
    stored = cases.get(case_id, now=now)
    snapshot = cases.snapshot(case_id, now=now)
    clock_list = cases.clocks(case_id, now=now)
    if output_format is ShowFormat.JSON:
        payload = {
            "case": snapshot.model_dump(mode="json"),
            "project": f"{stored.organisation}/{stored.project}",
            "clocks": [_clock_json(c, now) for c in clock_list],
        }
        emit(_dump(payload), output)
        return
    products = "; ".join(
        " ".join([p.name, *p.affected, *(f"fixed {v}" for v in p.fixed)]) for p in snapshot.products
    )
    lines = [
        f"# {snapshot.id}: {snapshot.title}",
        "",
        f"- kind: {snapshot.kind.value}; state: {snapshot.state.value}; "
        f"project: {stored.organisation}/{stored.project}",
        f"- severity: {snapshot.cvss_vector or '—'}; exploitation: {snapshot.exploitation.value}",
        f"- aliases: {', '.join(snapshot.aliases) or '—'}",
        f"- embargo: {_show_time(snapshot.embargo.until, tz) if snapshot.embargo else 'none'}",
        f"- products: {products or '—'}",
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
            f"{_show_time(clock.due_at, tz)} | {_left(clock, now)} |"
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
            f"| {entry.seq} | {_show_time(entry.occurred_at, tz)} | "
            f"{_show_time(entry.recorded_at, tz)} | "
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
    now = _now()
    items: list[DueItem] = _open(db).due(now=now, within=parse_duration(within) if within else None)
    if output_format is ListFormat.JSON:
        emit(
            _dump(
                [
                    {"case": i.case.public_id, "title": i.case.title, **_clock_json(i.clock, now)}
                    for i in items
                ]
            ),
            output,
        )
        return
    table = Table(
        "case", "report", "article", "due", "time left", title=f"{len(items)} report(s) due"
    )
    for item in items:
        style = "red" if item.clock.status is ClockStatus.OVERDUE else ""
        table.add_row(
            item.case.public_id,
            item.clock.report.value,
            item.clock.article,
            _show_time(item.clock.due_at, tz),
            _left(item.clock, now),
            style=style,
        )
    out().print(table)


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
    _open(db).set_profile(profile)
    info("profile saved")


@profile_app.command("show")
def profile_show(db: DbOption = None) -> None:
    """Show the stored profile."""
    profile = _open(db).profile()
    if profile is None:
        raise UsageError("no profile yet: run `steward case profile set --name ... --country ...`")
    emit(_dump(profile.model_dump(mode="json")), None)


def register(app: typer.Typer) -> None:
    """Add the `case` group (with its document sub-commands) to the root app."""
    from steward.cli import case_documents

    case_documents.register(case_app)
    app.add_typer(case_app, name="case")
