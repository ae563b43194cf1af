"""Local times at daylight-saving changes and out-of-range times are refused, not guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from steward.disclosure.localtime import add_month, localize, to_utc, zone
from steward.errors import InputError

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_local_time_skipped_by_the_spring_change_is_refused() -> None:
    with pytest.raises(InputError, match="does not exist"):
        localize(datetime(2026, 3, 29, 2, 30), BERLIN)


def test_a_local_time_repeated_by_the_autumn_change_is_refused() -> None:
    with pytest.raises(InputError, match=r"happens twice.*\+02:00.*\+01:00"):
        localize(datetime(2026, 10, 25, 2, 30), BERLIN)


def test_unambiguous_local_times_are_read_in_the_zone() -> None:
    assert localize(datetime(2026, 10, 25, 3, 30), BERLIN) == datetime(
        2026, 10, 25, 2, 30, tzinfo=UTC
    )
    assert localize(datetime(2026, 3, 29, 1, 59), BERLIN) == datetime(
        2026, 3, 29, 0, 59, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),  # overflows UTC
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2))),
    ],
)
def test_out_of_range_times_are_input_errors(moment: datetime) -> None:
    with pytest.raises(InputError):
        to_utc(moment)


def test_month_end_clamps_in_local_calendar_and_never_moves_later_at_a_gap() -> None:
    assert add_month(datetime(2027, 1, 31, 12, tzinfo=BERLIN), BERLIN) == datetime(
        2027, 2, 28, 11, tzinfo=UTC
    )
    # 28 February 02:30 local + one month = 28 March 2027 02:30, skipped in Berlin:
    # the earlier reading (01:30 CET = 00:30 UTC) is the deadline
    assert add_month(datetime(2027, 2, 28, 2, 30, tzinfo=BERLIN), BERLIN) == datetime(
        2027, 3, 28, 0, 30, tzinfo=UTC
    )


def test_unknown_zone_names_are_input_errors() -> None:
    assert zone("Europe/Berlin") == BERLIN
    with pytest.raises(InputError, match="unknown time zone"):
        zone("Mars/Olympus")
