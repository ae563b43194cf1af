"""Local wall-clock times in a case's time zone: reading them safely, and calendar months.

Three rules, each of which a deadline depends on:

- A local time given without an offset is read in a named IANA zone (``Europe/Berlin``). A
  local time that does not exist (skipped at the spring daylight-saving change, 02:30 on
  29 March 2026 in Berlin) or exists twice (repeated in autumn, 02:30 on 25 October 2026) is
  refused: either reading could move a deadline by an hour, so the user gives the offset.
- "One month" (CRA Art. 14(4)(c)) ends on the same date of the next month in the local
  calendar of the case's time zone, clamped to the month's last day (31 March → 30 April).
  Counting in UTC would end a month that began on 31 March at 00:30 in Berlin on 1 May local.
  "14 days" (Art. 14(2)(c)) likewise counts calendar days at the same local time.
- Times outside the range a timeline can hold (before 1970, or so late that converting them
  overflows) are refused with one line rather than an overflow deep in the code.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from steward.errors import InputError

#: The earliest time a case event may carry (nothing reportable happened before it).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def zone(name: str, *, option: str = "time zone") -> ZoneInfo:
    """The IANA zone ``name`` (``Europe/Berlin``); InputError if unknown."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(f"{option}: unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def to_utc(moment: datetime, *, what: str = "time") -> datetime:
    """An aware ``moment`` in UTC; InputError when it is out of range (year 1, year 9999)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{what} {moment.isoformat()} has no timezone (give an offset or Z)")
    try:
        value = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(f"{what} {moment.isoformat()} is out of range") from None
    if value < EARLIEST:
        raise InputError(f"{what} {moment.isoformat()} is before 1970; not a plausible event time")
    return value


def localize(naive: datetime, where: tzinfo, *, what: str = "time") -> datetime:
    """Read a wall-clock time in a zone; refuse times skipped or repeated by a DST change."""
    first = naive.replace(tzinfo=where, fold=0)
    second = naive.replace(tzinfo=where, fold=1)
    try:
        back = first.astimezone(UTC).astimezone(where)
    except (OverflowError, ValueError):
        raise InputError(f"{what} {naive.isoformat()} is out of range") from None
    if back.replace(tzinfo=None) != naive:
        raise InputError(
            f"{what} {naive.isoformat()} does not exist in {where} (the clocks skip it at a "
            "daylight-saving change); give the time with its UTC offset"
        )
    if first.utcoffset() != second.utcoffset():
        raise InputError(
            f"{what} {naive.isoformat()} happens twice in {where} (the clocks repeat it at a "
            f"daylight-saving change); give the offset, e.g. {first.isoformat()} or "
            f"{second.isoformat()}"
        )
    return to_utc(first, what=what)


def add_days(moment: datetime, days: int, where: tzinfo = UTC) -> datetime:
    """The same local time ``days`` calendar days later in ``where``. Returns UTC.

    "Within 14 days" (CRA Art. 14(2)(c)) counts days of the calendar the case lives in, as
    "one month" does: across a daylight-saving change the deadline keeps its wall-clock
    time (14 days from 09:00 CEST on 20 October end at 09:00 CET on 3 November, 14 days and
    one hour later), where counting 14 x 24 hours would move it to 08:00. A local time
    skipped or repeated by a change takes its earlier reading (never later because of it).
    """
    local = moment.astimezone(where)
    wall = local.replace(tzinfo=None) + timedelta(days=days)
    readings = [wall.replace(tzinfo=where, fold=f).astimezone(UTC) for f in (0, 1)]
    return min(readings)


def local_date(moment: datetime, where: tzinfo = UTC) -> date:
    """The calendar date of ``moment`` in ``where``."""
    return moment.astimezone(where).date()


def add_month(moment: datetime, where: tzinfo = UTC) -> datetime:
    """The same local time one calendar month later in ``where``, clamped to the month's end.

    If that local time is skipped or repeated by a daylight-saving change, the earlier of its
    readings is used (a deadline never moves later because of the clock change). Returns UTC.
    """
    local = moment.astimezone(where)
    year = local.year + (1 if local.month == 12 else 0)
    month = 1 if local.month == 12 else local.month + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    wall = local.replace(tzinfo=None, year=year, month=month, day=day)
    readings = [wall.replace(tzinfo=where, fold=f).astimezone(UTC) for f in (0, 1)]
    return min(readings)
