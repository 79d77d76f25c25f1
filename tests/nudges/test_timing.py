"""Trigger maths: due instants and period keys across zones, DST and the date line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.nudges.timing import Weekly, is_due, next_due, period_at, period_key, resolve_local

UTC = dt.UTC
CHICAGO = ZoneInfo("America/Chicago")
GRACE = dt.timedelta(hours=6)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_period_key_is_the_iso_week_of_the_local_date():
    assert period_key(dt.date(2026, 11, 27)) == "2026-W48"
    assert period_key(dt.date(2027, 1, 1)) == "2026-W53"  # ISO year differs from calendar year
    assert period_key(dt.date(2024, 12, 30)) == "2025-W01"


def test_friday_afternoon_in_chicago():
    friday = Weekly(4, dt.time(15, 0), "America/Chicago")
    period = period_at(friday, utc(2026, 11, 25, 12))
    assert period.key == "2026-W48"
    assert period.due_at == utc(2026, 11, 27, 21)  # CST is UTC-6
    assert period.week_start == utc(2026, 11, 23, 6)
    assert is_due(friday, utc(2026, 11, 27, 20, 59), grace=GRACE) is None
    due = is_due(friday, utc(2026, 11, 27, 21), grace=GRACE)
    assert due is not None and due.period.key == "2026-W48" and not due.late


def test_older_than_the_grace_is_late():
    friday = Weekly(4, dt.time(15, 0), "America/Chicago")
    at_edge = is_due(friday, utc(2026, 11, 28, 3), grace=GRACE)
    assert at_edge is not None and not at_edge.late
    late = is_due(friday, utc(2026, 11, 28, 3, 0, 1), grace=GRACE)
    assert late is not None and late.late and late.period.key == "2026-W48"


def test_spring_forward_gap_fires_at_the_end_of_the_gap():
    # 2026-03-08 02:00 CST jumps to 03:00 CDT; 02:30 does not exist that Sunday.
    sunday = Weekly(6, dt.time(2, 30), "America/Chicago")
    period = period_at(sunday, utc(2026, 3, 8, 12))
    assert period.due_at == utc(2026, 3, 8, 8)
    assert period.due_at.astimezone(CHICAGO).time() == dt.time(3, 0)
    assert is_due(sunday, utc(2026, 3, 8, 7, 59, 59), grace=GRACE) is None
    assert is_due(sunday, utc(2026, 3, 8, 8), grace=GRACE) is not None
    # The week after, 02:30 exists again.
    assert period_at(sunday, utc(2026, 3, 15, 12)).due_at == utc(2026, 3, 15, 7, 30)


def test_fall_back_fires_once_at_the_first_occurrence():
    # 2026-11-01 02:00 CDT falls back to 01:00 CST; 01:30 happens twice.
    sunday = Weekly(6, dt.time(1, 30), "America/Chicago")
    first = utc(2026, 11, 1, 6, 30)  # 01:30 CDT
    second = utc(2026, 11, 1, 7, 30)  # 01:30 CST
    assert period_at(sunday, first).due_at == first
    assert period_at(sunday, second).due_at == first
    assert period_at(sunday, first).key == period_at(sunday, second).key == "2026-W44"


@pytest.mark.parametrize(
    ("zone", "now", "key", "due"),
    [
        # Auckland (UTC+13 in NZDT): Monday 09:00 local is Sunday 20:00 UTC.
        ("Pacific/Auckland", utc(2026, 11, 22, 21), "2026-W48", utc(2026, 11, 22, 20)),
        # Kiritimati is UTC+14: its Monday starts on Sunday 10:00 UTC.
        ("Pacific/Kiritimati", utc(2026, 11, 22, 20), "2026-W48", utc(2026, 11, 22, 19)),
        # Pago Pago is UTC-11: Monday 09:00 local is Monday 20:00 UTC.
        ("Pacific/Pago_Pago", utc(2026, 11, 23, 21), "2026-W48", utc(2026, 11, 23, 20)),
    ],
)
def test_both_sides_of_the_date_line(zone, now, key, due):
    monday = Weekly(0, dt.time(9, 0), zone)
    period = period_at(monday, now)
    assert (period.key, period.due_at) == (key, due)
    found = is_due(monday, now, grace=GRACE)
    assert found is not None and found.period.key == key


def test_the_same_utc_instant_is_a_different_week_across_the_date_line():
    now = utc(2026, 11, 22, 12)  # Sunday noon UTC
    monday = dt.time(9, 0)
    assert period_at(Weekly(0, monday, "Pacific/Kiritimati"), now).key == "2026-W48"
    assert period_at(Weekly(0, monday, "Pacific/Pago_Pago"), now).key == "2026-W47"


def test_a_skipped_calendar_day_fires_right_after_it():
    # Samoa skipped Friday 2011-12-30 entirely (UTC-10 → UTC+14).
    friday = Weekly(4, dt.time(10, 0), "Pacific/Apia")
    period = period_at(friday, utc(2011, 12, 31, 12))
    assert period.key == "2011-W52"
    assert period.due_at.astimezone(ZoneInfo("Pacific/Apia")) == dt.datetime(
        2011, 12, 31, 0, 0, tzinfo=ZoneInfo("Pacific/Apia")
    )


def test_last_weeks_nudge_within_the_grace_still_counts_after_the_week_turns():
    sunday_late = Weekly(6, dt.time(23, 30), "America/Chicago")
    monday_morning = utc(2026, 11, 30, 6, 10)  # Monday 00:10 CST
    due = is_due(sunday_late, monday_morning, grace=GRACE)
    assert due is not None and due.period.key == "2026-W48" and not due.late
    assert is_due(sunday_late, utc(2026, 11, 30, 12), grace=GRACE) is None


def test_an_edited_schedule_is_judged_by_its_new_fields():
    now = utc(2026, 11, 27, 16)  # Friday 10:00 CST
    before = Weekly(4, dt.time(15, 0), "America/Chicago")
    assert is_due(before, now, grace=GRACE) is None
    after = Weekly(4, dt.time(9, 0), "America/Chicago")
    due = is_due(after, now, grace=GRACE)
    assert due is not None and due.period.due_at == utc(2026, 11, 27, 15)
    moved_zone = Weekly(4, dt.time(15, 0), "Europe/London")  # 15:00 GMT = 15:00 UTC
    due = is_due(moved_zone, now, grace=GRACE)
    assert due is not None and due.period.due_at == utc(2026, 11, 27, 15)
    moved_day = Weekly(5, dt.time(15, 0), "America/Chicago")
    assert is_due(moved_day, now, grace=GRACE) is None


def test_next_due_moves_to_the_following_week_once_passed():
    friday = Weekly(4, dt.time(15, 0), "America/Chicago")
    assert next_due(friday, utc(2026, 11, 27, 20)) == utc(2026, 11, 27, 21)
    assert next_due(friday, utc(2026, 11, 27, 21)) == utc(2026, 12, 4, 21)


def test_naive_instants_and_bad_weekdays_are_refused():
    with pytest.raises(ValueError, match="aware"):
        period_at(Weekly(0, dt.time(9), "UTC"), dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="weekday"):
        period_at(Weekly(7, dt.time(9), "UTC"), utc(2026, 1, 1))


def test_resolve_local_is_exact_outside_transitions():
    zone = ZoneInfo("Europe/Berlin")
    assert resolve_local(dt.date(2026, 7, 1), dt.time(9, 15), zone) == utc(2026, 7, 1, 7, 15)


# --- monthly (the digest) ---------------------------------------------------------------------

from bot.nudges.timing import (  # noqa: E402
    is_due_monthly,
    month_of,
    monthly_period_at,
    next_due_monthly,
)


def test_monthly_period_is_due_on_the_first_and_keyed_by_the_month_before():
    trigger = Weekly(0, dt.time(9, 0), "America/Chicago")
    period = monthly_period_at(trigger, utc(2026, 11, 20, 12))
    assert period.key == "2026-10"
    assert period.due_at == utc(2026, 11, 1, 15)  # 09:00 CST: DST ended at 02:00 that day
    assert month_of(period.key) == dt.date(2026, 10, 1)


def test_january_looks_back_on_december_of_the_year_before():
    trigger = Weekly(0, dt.time(8, 0), "Europe/London")
    due = is_due_monthly(trigger, utc(2027, 1, 1, 8, 5), grace=dt.timedelta(hours=6))
    assert due is not None and not due.late
    assert due.period.key == "2026-12"


def test_monthly_before_the_due_time_is_not_due_and_after_the_grace_is_late():
    trigger = Weekly(0, dt.time(15, 0), "America/Chicago")
    grace = dt.timedelta(hours=6)
    assert is_due_monthly(trigger, utc(2026, 12, 1, 20, 59), grace=grace) is None
    late = is_due_monthly(trigger, utc(2026, 12, 2, 3, 1), grace=grace)
    assert late is not None and late.late and late.period.key == "2026-11"


def test_last_months_digest_within_the_grace_counts_after_the_month_turns():
    # 23:30 on the 1st in Auckland is due; seen 20 minutes later it is still this month's.
    trigger = Weekly(0, dt.time(23, 30), "Pacific/Auckland")
    due_at = monthly_period_at(trigger, utc(2026, 12, 10)).due_at
    found = is_due_monthly(trigger, due_at + dt.timedelta(minutes=20), grace=dt.timedelta(hours=1))
    assert found is not None and found.period.key == "2026-11"


def test_monthly_spring_forward_gap_fires_after_the_gap():
    trigger = Weekly(0, dt.time(0, 30), "America/Asuncion")
    # Paraguay moved clocks forward on 1 October 2023 at 00:00 (to 01:00).
    period = monthly_period_at(trigger, utc(2023, 10, 15))
    assert period.due_at.astimezone(ZoneInfo("America/Asuncion")).hour == 1
    assert period.key == "2023-09"


def test_next_monthly_due_moves_to_the_next_month_once_passed():
    trigger = Weekly(0, dt.time(9, 0), "UTC")
    assert next_due_monthly(trigger, utc(2026, 11, 1, 8)) == utc(2026, 11, 1, 9)
    assert next_due_monthly(trigger, utc(2026, 11, 1, 9)) == utc(2026, 12, 1, 9)
    assert next_due_monthly(trigger, utc(2026, 12, 31, 23)) == utc(2027, 1, 1, 9)
